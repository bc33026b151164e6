import DossierCore
import DossierService
import DossierStorage
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// The three shipped feed headers, as the default formats (`Policies/feeds/`) name them.
enum FeedFile {
    static let insurance = "公民身份号码,姓名,单位统一社会信用代码,险种类型,个人缴费状态,离退休标志,状态变更日期"
    static let payroll = "公民身份号码,姓名,单位统一社会信用代码,发放年月,应发合计,实发合计"
    static let attendance = "公民身份号码,姓名,日期,考勤状态"

    /// A file: the header, then the lines, each ended by a line feed.
    static func text(_ header: String, _ lines: [String]) -> String {
        ([header] + lines).map { $0 + "\n" }.joined()
    }
}

/// What a refused or rehearsed import must leave as it was: feeds, feed rows, the audit head.
struct FeedSnapshot: Equatable {
    var counts: FeedCounts
    var auditHead: AuditEntry?

    init(_ fixture: ServiceFixture) async throws {
        counts = try fixture.store.feedCounts()
        auditHead = try fixture.store.auditHead()
    }
}

/// `importFeed`: the social-insurance, payroll and attendance exports, all or nothing, identity
/// numbers sealed as a person's are.
@Suite struct FeedImportTests {
    let fixture: ServiceFixture
    let asOf = day("2026-11-01")
    /// Someone Dossier does not know: not a problem for the import.
    let stranger = residentID(777, born: "1979-02-03")

    init() async throws {
        fixture = try await ServiceFixture()
    }

    var insuranceLines: [String] {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        return [
            "\(known),李已在,\(org),110,1,0,2020-03-01",
            "\(known),李已在,\(org),310,2,0,2026-10-15",
            "\(stranger.value),赵不在,\(org),110,3,1,2026-09-30",
        ]
    }

    /// Imports and returns the summary, or fails the test with the problems.
    func imported(
        _ kind: FeedKind,
        _ text: String,
        dryRun: Bool = false,
        encoding: FeedEncoding? = nil
    ) async throws -> FeedImportSummary {
        try await fixture.dossier.importFeed(
            kind: kind,
            path: try fixture.file(text),
            asOf: asOf,
            dryRun: dryRun,
            encoding: encoding
        )
    }

    /// Imports `bytes` that must be refused as invalid; checks nothing changed; returns the error.
    func refused(_ kind: FeedKind, bytes: [UInt8]) async throws -> ServiceError {
        let before = try await FeedSnapshot(fixture)
        let path = try fixture.file(bytes: bytes)
        let error = try #require(
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.dossier.importFeed(kind: kind, path: path, asOf: asOf)
            }
        )
        #expect(try await FeedSnapshot(fixture) == before, "a refused import changed the node")
        return error
    }

    func index(_ id: ResidentID) throws -> [UInt8] {
        try fixture.store.personSealer().index(id)
    }

    @Test func aSocialInsuranceFileImportsAndItsRowsAreFoundByThePersonsBlindIndex() async throws {
        let summary = try await imported(.socialInsurance, FeedFile.text(FeedFile.insurance, insuranceLines))
        #expect(summary.rows == 3)
        #expect(summary.encoding == .utf8)
        let id = try #require(summary.feedID)
        let feed = try #require(try fixture.store.feed(id))
        #expect(feed.kind == .socialInsurance)
        #expect(feed.asOf == asOf)
        #expect(feed.rowCount == 3)
        #expect(feed.importedBy == "admin")
        #expect(feed.sha256 == summary.sha256)
        #expect(try fixture.store.feedCounts() == FeedCounts(feeds: 1, rows: 3))

        let rows = try fixture.store.feedRows(feedID: id, identityIndex: try index(ServiceFixture.onFile))
        #expect(rows.map(\.row) == [2, 3])
        #expect(rows.map(\.insurance) == [.pension, .medical])
        #expect(rows.map(\.contribution) == [.contributing, .suspended])
        #expect(rows[1].retired == false)
        #expect(rows[1].changedOn == day("2026-10-15"))
        #expect(rows[1].orgCode == ServiceFixture.finance)
        // A valid number Dossier does not know is kept too: the run, not the import, reports it.
        let strangers = try fixture.store.feedRows(feedID: id, identityIndex: try index(stranger))
        #expect(strangers.map(\.retired) == [true])
        #expect(strangers.map(\.contribution) == [.terminated])

        // One audit entry, with no identity number in it.
        let head = try #require(try fixture.store.auditHead())
        #expect(head.action == "reconcile.import")
        let details = try #require(
            try JSONSerialization.jsonObject(with: Data(head.details.utf8)) as? [String: String]
        )
        #expect(details.keys.sorted() == ["as_of", "kind", "rows", "sha256"])
        #expect(details["kind"] == "social-insurance")
        #expect(details["as_of"] == "2026-11-01")
        #expect(details["rows"] == "3")
        #expect(details["sha256"] == summary.sha256)
        #expect(!head.details.contains(ServiceFixture.onFile.value.prefix(14)))
    }

    @Test func aPayrollFileImportsWithAmountsInFen() async throws {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        let text = FeedFile.text(
            FeedFile.payroll,
            ["\(known),李已在,\(org),2026-09,8123.50,6000", "\(known),李已在,\(org),2026-10,8123.5,6001.07"]
        )
        let summary = try await imported(.payroll, text)
        let rows = try fixture.store.feedRows(
            feedID: try #require(summary.feedID),
            identityIndex: try index(ServiceFixture.onFile)
        )
        #expect(rows.map(\.month) == [day("2026-09-01"), day("2026-10-01")])
        #expect(rows.map(\.grossCents) == [812_350, 812_350])
        #expect(rows.map(\.netCents) == [600_000, 600_107])
    }

    @Test func anAttendanceFileImportsWithExtraColumnsIgnored() async throws {
        let known = ServiceFixture.onFile.value
        let text = FeedFile.text(
            FeedFile.attendance + ",备注",
            ["\(known),李已在,2026-10-08,旷工,", "\(known),李已在,2026-10-09,休息,周末", "\(known),李已在,2026-10-10,出勤,"]
        )
        let summary = try await imported(.attendance, text)
        #expect(summary.rows == 3)
        let rows = try fixture.store.feedRows(
            feedID: try #require(summary.feedID),
            identityIndex: try index(ServiceFixture.onFile)
        )
        #expect(rows.map(\.mark) == [.absent, .rest, .present])
        #expect(rows.map(\.day) == [day("2026-10-08"), day("2026-10-09"), day("2026-10-10")])
        #expect(rows.allSatisfy { $0.orgCode == nil && $0.insurance == nil })
    }

    @Test func aBadFileIsRefusedWithEveryProblemByRowAndColumnAndNothingIsWritten() async throws {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        let badID = withWrongCheckCharacter(stranger)
        let lines = [
            "\(known),李已在,\(org),110,1,0,2020-03-01",  // row 2: fine
            "\(known),李已在,\(org),999,1,0,2020-03-01",  // row 3: unknown insurance type
            "\(known),李已在,\(org),310,1,0,2020/03/01",  // row 4: date in the wrong format
            "\(badID),赵不在,\(org),110,1,0,2020-03-01",  // row 5: bad check character
            "\(known),李已在,\(org),120,1,0,2020-03-01",  // row 6: pension again (120 is pension too)
            "\(known),李已在,\(org),410,7,2,2026-02-30",  // row 7: three problems
            "\(known),李已在,\(org),510,1,0",  // row 8: a value short
        ]
        let error = try await refused(.socialInsurance, bytes: Array(FeedFile.text(FeedFile.insurance, lines).utf8))
        #expect(error.kind == .invalid)
        let places = error.problems.map { "\($0.row) \($0.column ?? "-")" }
        #expect(
            places == [
                "3 险种类型", "4 状态变更日期", "5 公民身份号码", "6 公民身份号码", "7 个人缴费状态", "7 离退休标志",
                "7 状态变更日期", "8 -",
            ]
        )
        #expect(error.problems[3].message.contains("repeats row 2"))
        #expect(error.message.contains("8 problems in 6 of 7 rows"), "\(error.message)")
        // No identity number in clear anywhere in what is shown.
        for problem in error.problems {
            #expect(problem.description.hasPrefix("row \(problem.row)"))
            #expect(!problem.description.contains(badID.prefix(14)))
            #expect(!problem.description.contains(known.prefix(14)))
        }
        #expect(error.problems[2].shownValue == masked(badID))
    }

    @Test func payrollAndAttendanceProblemsAreFoundToo() async throws {
        let known = ServiceFixture.onFile.value
        let org = ServiceFixture.finance.value
        let payroll = [
            "\(known),李已在,\(org),2026-09,8123.505,6000",  // row 2: three decimals
            "\(known),李已在,\(org),2026-13,1,1",  // row 3: no such month
            "\(known),李已在,\(org),2026-10,一千,1",  // row 4: not a number
            "\(known),李已在,\(org),2026-10,2.00,1.00",  // row 5: fine
            "\(known),李已在,\(org),2026-10,3.00,1.00",  // row 6: the same month again
            "\(known),李已在,12345,2026-11,3.00,1.00",  // row 7: bad credit code
        ]
        let payrollError = try await refused(.payroll, bytes: Array(FeedFile.text(FeedFile.payroll, payroll).utf8))
        #expect(
            payrollError.problems.map { "\($0.row) \($0.column ?? "-")" } == [
                "2 应发合计", "3 发放年月", "4 应发合计", "6 公民身份号码", "7 单位统一社会信用代码",
            ]
        )
        let attendance = [
            "\(known),李已在,2026-10-08,旷工",
            "\(known),李已在,2026-10-08,出勤",  // row 3: the same day again
            "\(known),李已在,2026-10-09,迟到",  // row 4: not a code
            ",李已在,2026-10-10,出勤",  // row 5: no identity number
        ]
        let attendanceError = try await refused(
            .attendance,
            bytes: Array(FeedFile.text(FeedFile.attendance, attendance).utf8)
        )
        #expect(
            attendanceError.problems.map { "\($0.row) \($0.column ?? "-")" } == [
                "3 公民身份号码", "4 考勤状态", "5 公民身份号码",
            ]
        )
    }

    @Test func aWrongHeaderIsRefusedNamingEveryMissingColumn() async throws {
        let header = "公民身份号码,姓名,单位代码,险种类型,缴费状态,离退休标志,状态变更日期"
        let error = try await refused(.socialInsurance, bytes: Array(FeedFile.text(header, insuranceLines).utf8))
        #expect(error.problems.map(\.row) == [1, 1])
        #expect(error.problems.map(\.column) == ["单位统一社会信用代码", "个人缴费状态"])
        // A payroll file is not a social-insurance file.
        let other = try await refused(.socialInsurance, bytes: Array(FeedFile.text(FeedFile.payroll, []).utf8))
        #expect(other.problems.count == 4)
    }

    @Test func theSameFileTwiceIsRefusedTheSecondTimeSayingWhenAndByWhom() async throws {
        let path = try fixture.file(FeedFile.text(FeedFile.insurance, insuranceLines))
        let first = try await fixture.dossier.importFeed(kind: .socialInsurance, path: path, asOf: asOf)
        let before = try await FeedSnapshot(fixture)
        let error = try #require(
            await #expect(throws: ServiceError.self) {
                _ = try await fixture.dossier.importFeed(kind: .socialInsurance, path: path, asOf: day("2026-11-02"))
            }
        )
        #expect(error.kind == .refused)
        let firstID = try #require(first.feedID)
        let feed = try #require(try fixture.store.feed(firstID))
        #expect(error.message.contains("already imported"), "\(error.message)")
        #expect(error.message.contains(feed.importedAt) && error.message.contains("by admin"), "\(error.message)")
        #expect(try await FeedSnapshot(fixture) == before)
    }

    @Test func aDryRunChecksEverythingAndWritesNothing() async throws {
        let before = try await FeedSnapshot(fixture)
        let summary = try await imported(
            .socialInsurance,
            FeedFile.text(FeedFile.insurance, insuranceLines),
            dryRun: true
        )
        #expect(summary.rows == 3)
        #expect(summary.feedID == nil)
        #expect(try await FeedSnapshot(fixture) == before)
        // ... and after it the real import still goes in.
        let real = try await imported(.socialInsurance, FeedFile.text(FeedFile.insurance, insuranceLines))
        #expect(real.feedID != nil)
    }

    @Test func aGB18030FileImportsWithTheSameRowsAsItsUTF8Twin() async throws {
        let text = FeedFile.text(FeedFile.insurance, insuranceLines)
        let utf8Path = try fixture.file(text)
        let gbPath = utf8Path + ".gb18030"
        let converted = try ChildProcess.run(
            "/usr/bin/iconv",
            ["-f", "UTF-8", "-t", "GB18030", "-o", gbPath, utf8Path]
        )
        #expect(converted.status == 0, "\(converted.output)")
        let gbBytes = try Data(contentsOf: URL(fileURLWithPath: gbPath))
        #expect(String(data: gbBytes, encoding: .utf8) == nil, "the GB18030 twin should not read as UTF-8")

        let fromUTF8 = try await fixture.dossier.importFeed(kind: .socialInsurance, path: utf8Path, asOf: asOf)
        // Detected from its bytes, and the same when named.
        let detected = try await fixture.dossier.importFeed(
            kind: .socialInsurance,
            path: gbPath,
            asOf: asOf,
            dryRun: true
        )
        #expect(detected.encoding == .gb18030)
        let fromGB = try await fixture.dossier.importFeed(
            kind: .socialInsurance,
            path: gbPath,
            asOf: asOf,
            encoding: .gb18030
        )
        #expect(fromGB.encoding == .gb18030)
        #expect(fromGB.rows == fromUTF8.rows)
        for id in [ServiceFixture.onFile, stranger] {
            let a = try fixture.store.feedRows(feedID: try #require(fromUTF8.feedID), identityIndex: try index(id))
            let b = try fixture.store.feedRows(feedID: try #require(fromGB.feedID), identityIndex: try index(id))
            #expect(!a.isEmpty)
            #expect(a == b)
        }
        let gbID = try #require(fromGB.feedID)
        #expect(try fixture.store.feedRows(feedID: gbID, identityIndex: try index(stranger)).first?.name == "赵不在")
    }

    @Test func aFileWithAByteOrderMarkAndCRLFImports() async throws {
        let text =
            "\u{FEFF}" + FeedFile.text(FeedFile.insurance, insuranceLines).replacingOccurrences(of: "\n", with: "\r\n")
        let summary = try await imported(.socialInsurance, text)
        #expect(summary.rows == 3)
        #expect(summary.encoding == .utf8)
    }

    @Test func aStatisticianMayNotImportAFeed() async throws {
        let statistician = try await fixture.acting(as: "stats", role: .statistician)
        let path = try fixture.file(FeedFile.text(FeedFile.insurance, insuranceLines))
        let error = try #require(
            await #expect(throws: ServiceError.self) {
                _ = try await statistician.importFeed(kind: .socialInsurance, path: path, asOf: asOf)
            }
        )
        #expect(error.kind == .forbidden)
        #expect(try fixture.store.feedCounts() == FeedCounts(feeds: 0, rows: 0))
    }
}

/// Files larger than one read chunk (1 MiB): a character cut by a chunk's end is still read
/// whole, in either encoding.
@Suite struct LargeFeedFileTests {
    @Test func aFileLargerThanAChunkReadsTheSameInUTF8AndGB18030() async throws {
        let fixture = try await ServiceFixture()
        var lines: [String] = []
        for sequence in 0..<1_000 {
            let id = residentID(sequence, born: "1980-01-01").value
            for dayOfMonth in 1...20 {
                let date = "2026-10-" + (dayOfMonth < 10 ? "0" : "") + String(dayOfMonth)
                lines.append("\(id),欧阳测试员\(sequence),\(date),\(dayOfMonth % 7 == 0 ? "休息" : "出勤")")
            }
        }
        let text = FeedFile.text(FeedFile.attendance, lines)
        #expect(text.utf8.count > 1 << 20)
        let utf8Path = try fixture.file(text)
        let gbPath = utf8Path + ".gb18030"
        let converted = try ChildProcess.run(
            "/usr/bin/iconv",
            ["-f", "UTF-8", "-t", "GB18030", "-o", gbPath, utf8Path]
        )
        #expect(converted.status == 0, "\(converted.output)")

        let asOf = day("2026-11-01")
        let fromUTF8 = try await fixture.dossier.importFeed(kind: .attendance, path: utf8Path, asOf: asOf)
        let fromGB = try await fixture.dossier.importFeed(kind: .attendance, path: gbPath, asOf: asOf)
        #expect(fromUTF8.encoding == .utf8)
        #expect(fromGB.encoding == .gb18030)
        #expect(fromUTF8.rows == 20_000 && fromGB.rows == 20_000)
        #expect(try fixture.store.feedCounts() == FeedCounts(feeds: 2, rows: 40_000))
        let index = try fixture.store.personSealer().index(residentID(777, born: "1980-01-01"))
        let a = try fixture.store.feedRows(feedID: try #require(fromUTF8.feedID), identityIndex: index)
        let b = try fixture.store.feedRows(feedID: try #require(fromGB.feedID), identityIndex: index)
        #expect(a.count == 20)
        #expect(a == b)
        #expect(a.first?.name == "欧阳测试员777")
    }

    @Test func rowsGoInSixtyFourAtATimeAndTheLastOnesAreWrittenToo() async throws {
        // 130 rows: two full batches of 64, then two rows written one by one at the end.
        let fixture = try await ServiceFixture()
        let people = (0..<130).map { residentID(100 + $0, born: "1981-05-06") }
        let lines = people.enumerated().map { index, id in
            "\(id.value),批量\(index),\(ServiceFixture.finance.value),110,1,0,2026-10-01"
        }
        let summary = try await fixture.dossier.importFeed(
            kind: .socialInsurance,
            path: try fixture.file(FeedFile.text(FeedFile.insurance, lines)),
            asOf: day("2026-11-01")
        )
        #expect(summary.rows == 130)
        #expect(try fixture.store.feedCounts() == FeedCounts(feeds: 1, rows: 130))
        let sealer = try fixture.store.personSealer()
        for index in [0, 63, 64, 127, 128, 129] {
            let rows = try fixture.store.feedRows(
                feedID: try #require(summary.feedID),
                identityIndex: try sealer.index(people[index])
            )
            // The header is row 1.
            #expect(rows.map(\.row) == [index + 2] && rows.first?.name == "批量\(index)", "person \(index): \(rows)")
        }
    }
}
