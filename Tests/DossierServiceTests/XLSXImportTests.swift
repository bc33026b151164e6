import DossierArchive
import DossierCore
import DossierService
import DossierStorage
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// Feeds and people from the first sheet of an Excel workbook: the same rows as the same data in
/// CSV, identity numbers only as text, and a damaged workbook refused with nothing written.
@Suite struct XLSXImportTests {
    let fixture: ServiceFixture
    let asOf = day("2026-11-01")
    let stranger = residentID(777, born: "1979-02-03")

    init() async throws {
        fixture = try await ServiceFixture()
    }

    /// A new path in the fixture's directory.
    func path(_ name: String) -> String {
        fixture.directory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    /// A workbook of text cells holding the records of a CSV text without quoted fields.
    func workbook(csv text: String) throws -> String {
        let rows = text.split(separator: "\n").map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        let file = path("feed.xlsx")
        try TestWorkbook.write(rows: rows, to: file)
        return file
    }

    /// A workbook whose sheet is `rows` (cell XML), with cell format 1 showing dates.
    func workbook(sheetRows rows: String) throws -> String {
        let file = path("sheet.xlsx")
        let parts = TestWorkbook.parts(
            sheet: TestWorkbook.sheetXML(rows),
            styles: TestWorkbook.stylesXML(formats: [0, 14])
        )
        try ZipWriter.write(parts, to: file)
        return file
    }

    func inline(_ text: String) -> String { "<c t=\"inlineStr\"><is><t>\(TestWorkbook.escaped(text))</t></is></c>" }

    func index(_ id: ResidentID) throws -> [UInt8] { try fixture.store.personSealer().index(id) }

    /// The stored rows of a feed for the two people of these tests.
    func storedRows(_ feedID: Int64?) throws -> [[FeedRow]] {
        let id = try #require(feedID)
        return try [ServiceFixture.onFile, stranger].map {
            try fixture.store.feedRows(feedID: id, identityIndex: index($0))
        }
    }

    func importFeed(_ kind: FeedKind, _ path: String, encoding: FeedEncoding? = nil) async throws -> FeedImportSummary {
        try await fixture.dossier.importFeed(kind: kind, path: path, asOf: asOf, encoding: encoding)
    }

    /// Imports `path`, which must be refused as invalid with nothing changed; returns the error.
    func refusedFeed(_ kind: FeedKind, _ path: String, encoding: FeedEncoding? = nil) async throws -> ServiceError {
        let before = try await FeedSnapshot(fixture)
        let error = try #require(
            await #expect(throws: ServiceError.self) { _ = try await importFeed(kind, path, encoding: encoding) }
        )
        #expect(error.kind == .invalid)
        #expect(try await FeedSnapshot(fixture) == before, "a refused import changed the node")
        return error
    }

    @Test func aSocialInsuranceWorkbookStoresExactlyTheRowsOfTheSameCSV() async throws {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        let text = FeedFile.text(
            FeedFile.insurance,
            [
                "\(known),李已在,\(org),110,1,0,2020-03-01", "\(known),李已在,\(org),310,2,0,2026-10-15",
                "\(stranger.value),赵不在,\(org),110,3,1,2026-09-30",
            ]
        )
        let csv = try await importFeed(.socialInsurance, try fixture.file(text))
        let xlsx = try await importFeed(.socialInsurance, try workbook(csv: text))
        #expect(xlsx.isWorkbook && !csv.isWorkbook)
        #expect(xlsx.encoding == .utf8)
        #expect(xlsx.rows == csv.rows)
        #expect(xlsx.feedID != csv.feedID)
        let rows = try storedRows(xlsx.feedID)
        #expect(rows == (try storedRows(csv.feedID)))
        #expect(rows.map(\.count) == [2, 1])
    }

    @Test func numbersAndDateCellsReadAsTheirCSVText() async throws {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        // Amounts typed as numbers (one with binary noise), months typed as text.
        let payrollSheet = """
            <row>\(inline("公民身份号码"))\(inline("姓名"))\(inline("单位统一社会信用代码"))\(inline("发放年月"))\
            \(inline("应发合计"))\(inline("实发合计"))</row>\
            <row>\(inline(known))\(inline("李已在"))\(inline(org))\(inline("2026-09"))<c><v>8123.5</v></c><c><v>6000</v></c></row>\
            <row>\(inline(known))\(inline("李已在"))\(inline(org))\(inline("2026-10"))<c><v>8123.4999999999991</v></c>\
            <c><v>6001.07</v></c></row>
            """
        let payrollCSV = FeedFile.text(
            FeedFile.payroll,
            ["\(known),李已在,\(org),2026-09,8123.50,6000", "\(known),李已在,\(org),2026-10,8123.5,6001.07"]
        )
        let payroll = try await importFeed(.payroll, try workbook(sheetRows: payrollSheet))
        let payrollFromCSV = try await importFeed(.payroll, try fixture.file(payrollCSV))
        #expect(try storedRows(payroll.feedID) == (try storedRows(payrollFromCSV.feedID)))

        // Days as date cells (2026-10-08 is serial 46303), one of them a date and time.
        let attendanceSheet = """
            <row>\(inline("公民身份号码"))\(inline("姓名"))\(inline("日期"))\(inline("考勤状态"))</row>\
            <row>\(inline(known))\(inline("李已在"))<c s="1"><v>46303</v></c>\(inline("旷工"))</row>\
            <row>\(inline(stranger.value))\(inline("赵不在"))<c s="1"><v>46304.5</v></c>\(inline("出勤"))</row>
            """
        let attendanceCSV = FeedFile.text(
            FeedFile.attendance,
            ["\(known),李已在,2026-10-08,旷工", "\(stranger.value),赵不在,2026-10-09,出勤"]
        )
        let attendance = try await importFeed(.attendance, try workbook(sheetRows: attendanceSheet))
        let attendanceFromCSV = try await importFeed(.attendance, try fixture.file(attendanceCSV))
        let rows = try storedRows(attendance.feedID)
        #expect(rows == (try storedRows(attendanceFromCSV.feedID)))
        #expect(rows.flatMap { $0 }.map(\.day) == [day("2026-10-08"), day("2026-10-09")])
    }

    @Test func anIdentityNumberTypedAsANumberIsAProblemNamingItsRowNotItsDigits() async throws {
        let org = ServiceFixture.finance.value
        let known = ServiceFixture.onFile.value
        // Row 1 blank, the header on row 2: problems name the sheet's own rows.
        let sheet = """
            <row r="2">\(["公民身份号码", "姓名", "单位统一社会信用代码", "险种类型", "个人缴费状态", "离退休标志", "状态变更日期"].map(inline).joined())</row>\
            <row r="3">\(inline(known))\(inline("李已在"))\(inline(org))\(inline("110"))\(inline("1"))\(inline("0"))\(inline("2020-03-01"))</row>\
            <row r="5"><c><v>1.10101199003077E+17</v></c>\(inline("李四"))\(inline(org))\(inline("110"))\(inline("1"))\(inline("0"))\(inline("2020-03-01"))</row>\
            <row r="6"><c><v>390102198506150015</v></c>\(inline("王五"))\(inline(org))\(inline("110"))\(inline("1"))\(inline("0"))\(inline("2020-03-01"))</row>
            """
        let error = try await refusedFeed(.socialInsurance, try workbook(sheetRows: sheet))
        #expect(error.problems.map(\.row) == [5, 6])
        #expect(error.problems.allSatisfy { $0.column == "公民身份号码" && $0.shownValue.isEmpty })
        #expect(error.problems.allSatisfy { $0.message.contains("typed as a number") })
        #expect(error.message.contains("2 problems in 2 of 3 rows"), "\(error.message)")
        for problem in error.problems {
            #expect(!problem.description.contains("1101011990"))
            #expect(!problem.description.contains("390102198506"))
        }
    }

    @Test func aWrongHeaderInAWorkbookIsTheHeadersProblem() async throws {
        let file = try workbook(csv: FeedFile.text("公民身份号码,姓名", ["x,y"]))
        let error = try await refusedFeed(.attendance, file)
        #expect(error.message.contains("its header row is not right"), "\(error.message)")
        #expect(error.problems.allSatisfy { $0.row == 1 })
    }

    @Test func aWorkbookTakesNoGB18030Encoding() async throws {
        let file = try workbook(csv: FeedFile.text(FeedFile.attendance, []))
        let error = try await refusedFeed(.attendance, file, encoding: .gb18030)
        #expect(error.message.contains("Excel workbook"))
        #expect(try await importFeed(.attendance, file, encoding: .utf8).rows == 0)
    }

    @Test func aBrokenWorkbookChangesNothing() async throws {
        let known = ServiceFixture.onFile.value
        let good = try workbook(csv: FeedFile.text(FeedFile.attendance, ["\(known),李已在,2026-10-08,旷工"]))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        let cut = path("cut.xlsx")
        try bytes.prefix(bytes.count - 40).write(to: URL(fileURLWithPath: cut))
        let truncated = try await refusedFeed(.attendance, cut)
        #expect(truncated.message.hasPrefix("The file is not an Excel workbook (.xlsx)"))

        // Rows that read, then a sheet that breaks off: the rows before are not kept either.
        var rows = ""
        rows += "<row>\(["公民身份号码", "姓名", "日期", "考勤状态"].map(inline).joined())</row>"
        for dayOfMonth in 10...28 {
            rows += "<row>\([known, "李已在", "2026-10-\(dayOfMonth)", "出勤"].map(inline).joined())</row>"
        }
        let damaged = path("damaged.xlsx")
        let sheet = "<worksheet xmlns=\"\(TestWorkbook.spreadsheetML)\"><sheetData>\(rows)<row><c><v>1"
        try ZipWriter.write(TestWorkbook.parts(sheet: sheet), to: damaged)
        let error = try await refusedFeed(.attendance, damaged)
        #expect(error.message.contains("damaged"), "\(error.message)")

        // A CSV file named .xlsx is not a workbook, and says so.
        let renamed = path("renamed.xlsx")
        try Data(FeedFile.text(FeedFile.attendance, []).utf8).write(to: URL(fileURLWithPath: renamed))
        #expect(try await refusedFeed(.attendance, renamed).message.hasPrefix("The file is not an Excel workbook"))
    }

    @Test func peopleImportFromAWorkbookAsFromCSV() async throws {
        let people = [ImportRow(31), ImportRow(32).with("phone", "13800138000").with("name", "欧阳·娜")]
        let header = PersonInput.columns
        var rows = "<row>\(header.map(inline).joined())</row>"
        for person in people {
            rows += "<row>"
            for column in header {
                // A phone typed as a number is exact and fine; a date as a date cell.
                if column == "phone", !person[column].isEmpty {
                    rows += "<c><v>\(person[column])</v></c>"
                } else if column == "hired_on" {
                    rows += "<c s=\"1\"><v>45296</v></c>"  // 2024-01-05
                } else {
                    rows += inline(person[column])
                }
            }
            rows += "</row>"
        }
        let outcome = try await fixture.importFile(try workbook(sheetRows: rows))
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.summary.imported == 2)
        let second = try await fixture.person(residentID(32))
        #expect(second.name == "欧阳·娜")
        #expect(second.phone == "13800138000")
    }

    @Test func aPeopleWorkbookWithProblemsOrDamageChangesNothing() async throws {
        let header = PersonInput.columns
        func row(_ person: ImportRow, idAsNumber: Bool = false) -> String {
            "<row>"
                + header.map {
                    $0 == "id_number" && idAsNumber ? "<c><v>\(person[$0].dropLast())1</v></c>" : inline(person[$0])
                }
                .joined() + "</row>"
        }
        let sheet =
            "<row>\(header.map(inline).joined())</row>" + row(ImportRow(41)) + row(ImportRow(42), idAsNumber: true)
        let outcome = try await fixture.refusedImport(
            bytes: try {
                let file = try workbook(sheetRows: sheet)
                return Array(try Data(contentsOf: URL(fileURLWithPath: file)))
            }()
        )
        #expect(outcome.places == [ImportOutcome.Place(row: 3, column: "id_number")])
        #expect(outcome.problems[0].message.contains("typed as a number"))

        let before = try await ServiceSnapshot(fixture.dossier)
        let cut = path("people.xlsx")
        let whole = try Data(contentsOf: URL(fileURLWithPath: try workbook(sheetRows: sheet)))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: cut))
        let error = try #require(await #expect(throws: ServiceError.self) { _ = try await fixture.importFile(cut) })
        #expect(error.message.hasPrefix("The file is not an Excel workbook (.xlsx)"))
        #expect(try await ServiceSnapshot(fixture.dossier) == before)
    }
}
