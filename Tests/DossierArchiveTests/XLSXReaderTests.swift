import DossierArchive
import DossierCore
import DossierTestSupport
import Foundation
import Testing

/// `XLSXReader`: the first sheet of a workbook, row by row, values as a person typed them, and
/// every file that is not a sound workbook refused in words a personnel officer can act on.
@Suite struct XLSXReaderTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// A path in the test's directory.
    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Every row of the workbook at `path`.
    func rows(_ path: String, limits: XLSXLimits = XLSXLimits()) throws -> [XLSXRow] {
        let reader = try XLSXReader(path: path, limits: limits)
        var rows: [XLSXRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows
    }

    /// Writes `parts` as a zip and returns its rows.
    func rows(parts: [(path: String, bytes: [UInt8])], limits: XLSXLimits = XLSXLimits()) throws -> [XLSXRow] {
        let file = path("book-\(UUID().uuidString).xlsx")
        try ZipWriter.write(parts, to: file)
        return try rows(file, limits: limits)
    }

    /// The error reading `path` fails with.
    func refusal(_ path: String, limits: XLSXLimits = XLSXLimits()) throws -> ArchiveError {
        try #require(throws: ArchiveError.self) { _ = try rows(path, limits: limits) }
    }

    func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.path(forResource: name, ofType: "xlsx"))
    }

    func day(_ text: String) -> XLSXValue { .date(CivilDate(iso: text)!) }

    @Test func aWorkbookFromASpreadsheetLibraryReadsAsTyped() throws {
        let rows = try rows(try fixture("openpyxl-basic"))
        #expect(rows.map(\.number) == [1, 2, 3, 5, 7])
        #expect(rows[0].values.map(\.text) == ["公民身份号码", "姓名", "日期", "金额", "备注"])
        #expect(
            rows[1].values == [
                .text("11010119900307663X"), .text("张三"), day("2026-11-30"), .number("1234.5"),
                .text("A & B <c> \"d\""),
            ]
        )
        // The identity number openpyxl wrote as a number (1.101011990030766e+17): not mangled.
        guard case .unreadable(let problem) = rows[2].values[0] else {
            Issue.record("an exponent-form number was read as \(rows[2].values[0])")
            return
        }
        #expect(problem.isNumber)
        #expect(!problem.description.contains("110101"))
        #expect(Array(rows[2].values.dropFirst()) == [.text("李四"), day("1999-01-01"), .number("7"), .boolean(true)])
        // A gap between A and D is filled; the trailing columns are not invented.
        #expect(rows[3].values == [.text("王五"), .empty, .empty, .number("-0.5")])
        // A custom Chinese date format is a date; a time of day (h:mm) keeps its number.
        #expect(rows[4].values == [.text("最后"), day("2000-02-29"), .number("0.5")])
    }

    @Test func theNineteenOhFourDateSystemIsFollowed() throws {
        let rows = try rows(try fixture("openpyxl-1904"))
        #expect(rows.map(\.values) == [[.text("day")], [day("2026-11-30")], [day("1904-01-02")]])
    }

    @Test func datesInBothSystemsFromHandWrittenSerials() throws {
        // 14: d/m/yyyy, 22: date and time, 31: a Chinese date (yyyy"年"m"月"d"日"), 164: custom.
        let styles = TestWorkbook.stylesXML(formats: [0, 14, 22, 31, 164, 20], custom: [164: "[$-804]yyyy/mm/dd;@"])
        let sheet = TestWorkbook.sheetXML(
            """
            <row><c s="1"><v>1</v></c><c s="1"><v>59</v></c><c s="1"><v>61</v></c><c s="2"><v>46356.75</v></c>\
            <c s="3"><v>25569</v></c><c s="4"><v>2958465</v></c><c s="1"><v>60</v></c><c s="5"><v>0.25</v></c>\
            <c s="0"><v>46356</v></c></row>
            """
        )
        let values = try rows(parts: TestWorkbook.parts(sheet: sheet, styles: styles)).first?.values ?? []
        #expect(
            Array(values.prefix(6))
                == ["1900-01-01", "1900-02-28", "1900-03-01", "2026-11-30", "1970-01-01", "9999-12-31"].map(day)
        )
        // Lotus's 1900-02-29 never was.
        guard case .unreadable = values[6] else {
            Issue.record("serial 60 read as \(values[6])")
            return
        }
        #expect(Array(values.suffix(2)) == [.number("0.25"), .number("46356")])

        let mac = try rows(parts: TestWorkbook.parts(sheet: sheet, styles: styles, date1904: true))
        #expect(mac.first?.values.first == day("1904-01-02"))
        #expect(mac.first?.values[3] == day("2030-12-01"))
    }

    @Test func sharedStringsRichTextPhoneticRunsAndEscapes() throws {
        let shared = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(TestWorkbook.spreadsheetML)" count="5" uniqueCount="5">\
            <si><t>plain</t></si>\
            <si><r><rPr><b/></rPr><t>bo</t></r><r><t xml:space="preserve">ld </t></r><t>end</t></si>\
            <si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>\
            <si><t>a&amp;b &lt;&gt; &quot;q&quot; &apos;s&apos; &#38; &#x4E2D;&#25991;</t></si>\
            <si><t>line_x000D__x000A_two _x005F_x000D_ _xD83D__xDE00_</t></si>\
            </sst>
            """
        let sheet = TestWorkbook.sheetXML(
            """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>\
            <c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>
            """
        )
        let values = try rows(parts: TestWorkbook.parts(sheet: sheet, sharedStrings: shared)).first?.values ?? []
        #expect(
            Array(values.prefix(5)) == [
                .text("plain"), .text("bold end"), .text("東京"), .text("a&b <> \"q\" 's' & 中文"),
                .text("line\r\ntwo _x000D_ 😀"),
            ]
        )
        // An index past the table: the workbook is damaged, and the cell says so.
        guard case .unreadable(let problem) = values[5] else {
            Issue.record("a missing shared string read as \(values[5])")
            return
        }
        #expect(!problem.isNumber)
    }

    @Test func inlineStringsFormulaResultsBooleansAndNumbers() throws {
        let sheet = TestWorkbook.sheetXML(
            """
            <x:row xmlns:x="\(TestWorkbook.spreadsheetML)"><x:c t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row>\
            <row><c t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r></is></c>\
            <c t="str"><f>A1&amp;"!"</f><v>a&amp;b!</v></c><c t="b"><v>0</v></c><c t="e"><v>#N/A</v></c></row>\
            <row><c><v>0.30000000000000004</v></c><c><v>1234.4999999999998</v></c><c><v>012</v></c>\
            <c><v>123456789012345</v></c><c><v>1234567890123456</v></c><c><v>1E-3</v></c><c t="n"><v>-0</v></c></row>
            """
        )
        let rows = try rows(parts: TestWorkbook.parts(sheet: sheet))
        #expect(rows.map(\.number) == [1, 2, 3])
        #expect(rows[0].values == [.text("prefixed")])
        #expect(Array(rows[1].values.prefix(3)) == [.text("rich"), .text("a&b!"), .boolean(false)])
        guard case .unreadable(let formulaError) = rows[1].values[3] else {
            Issue.record("a formula error read as \(rows[1].values[3])")
            return
        }
        #expect(formulaError.description.contains("#N/A"))
        #expect(
            Array(rows[2].values.prefix(4)) == [
                .number("0.3"), .number("1234.5"), .number("12"), .number("123456789012345"),
            ]
        )
        for value in rows[2].values[4...5] {
            guard case .unreadable(let problem) = value, problem.isNumber else {
                Issue.record("a number that cannot be kept exactly read as \(value)")
                continue
            }
        }
        #expect(rows[2].values[6] == .number("0"))
    }

    @Test func cellsGoToTheirColumnsAndRowsWithoutReferencesFollowInSequence() throws {
        let sheet = TestWorkbook.sheetXML(
            """
            <row r="2"><c r="B2" t="inlineStr"><is><t>b</t></is></c><c r="D2"><v>4</v></c><c><v>5</v></c></row>\
            <row><c t="inlineStr"><is><t>next</t></is></c></row>\
            <row r="9" spans="1:3"><c r="A9" s="0"/><c r="C9"><v></v></c></row>\
            <row r="10"><c r="$AA$10"><v>27</v></c></row>
            """
        )
        let rows = try rows(parts: TestWorkbook.parts(sheet: sheet))
        #expect(rows.map(\.number) == [2, 3, 10])
        #expect(rows[0].values == [.empty, .text("b"), .empty, .number("4"), .number("5")])
        #expect(rows[2].values.count == 27)
        #expect(rows[2].values.last == .number("27"))
    }

    @Test func theFirstSheetIsFoundThroughTheRelationshipsNotByItsFileName() throws {
        let first = TestWorkbook.sheetXML("<row><c t=\"inlineStr\"><is><t>first</t></is></c></row>")
        let second = TestWorkbook.sheetXML("<row><c t=\"inlineStr\"><is><t>second</t></is></c></row>")
        let relationships = TestWorkbook.relationshipsXML([
            ("rId7", "worksheet", "worksheets/sheet1.xml"), ("rId3", "worksheet", "worksheets/data.xml"),
        ])
        let parts: [(path: String, bytes: [UInt8])] = [
            ("xl/workbook.xml", Array(TestWorkbook.workbookXML(sheets: ["rId3", "rId7"]).utf8)),
            ("xl/_rels/workbook.xml.rels", Array(relationships.utf8)),
            ("xl/worksheets/sheet1.xml", Array(second.utf8)),
            ("xl/worksheets/data.xml", Array(first.utf8)),
        ]
        #expect(try rows(parts: parts).map(\.values) == [[.text("first")]])

        // Without relationships, sheet1.xml is the only guess there is.
        let bare = parts.filter { !$0.path.contains("_rels") }
        #expect(try rows(parts: bare).map(\.values) == [[.text("second")]])
    }

    @Test func twentyThousandRowsStreamInOrder() throws {
        var xml = ""
        for number in 1...20_000 {
            xml += "<row r=\"\(number)\"><c t=\"inlineStr\"><is><t>r\(number)</t></is></c><c><v>\(number)</v></c></row>"
        }
        let reader = try XLSXReader(
            path: try {
                let file = path("long.xlsx")
                try ZipWriter.write(TestWorkbook.parts(sheet: TestWorkbook.sheetXML(xml)), to: file)
                return file
            }()
        )
        var count = 0
        while let row = try reader.nextRow() {
            count += 1
            #expect(row.values == [.text("r\(count)"), .number("\(count)")])
        }
        #expect(count == 20_000)
    }

    // MARK: Refusals

    @Test func aFileThatIsNotAZipIsRefusedInPlainWords() throws {
        let file = path("people.xlsx")
        try Data("id_number,name\n".utf8).write(to: URL(fileURLWithPath: file))
        let error = try refusal(file)
        #expect(error.description.hasPrefix("The file is not an Excel workbook (.xlsx)"))

        // A password-protected workbook (or an old .xls) is an OLE compound file.
        let protected = path("protected.xlsx")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504))
            .write(to: URL(fileURLWithPath: protected))
        #expect(try refusal(protected).description.contains("password-protected"))

        // A zip that holds no workbook.
        let other = path("other.zip")
        try ZipWriter.write([("readme.txt", Array("hello".utf8))], to: other)
        #expect(try refusal(other).description.hasPrefix("The file is not an Excel workbook (.xlsx)"))
    }

    @Test func aTruncatedWorkbookIsRefused() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: try fixture("openpyxl-basic")))
        for length in [whole.count / 2, whole.count - 10, 30] {
            let file = path("cut-\(length).xlsx")
            try whole.prefix(length).write(to: URL(fileURLWithPath: file))
            let error = try refusal(file)
            #expect(error.description.contains("incomplete"), "\(length): \(error)")
        }
    }

    @Test func aZipBombIsRefusedAfterReadingItsBudgetNotItsSize() throws {
        // 48 MB of a comment in the sheet deflates to about 50 KB.
        let bomb = "<!--" + String(repeating: "a", count: 48 << 20) + "-->"
        let file = path("bomb.xlsx")
        try ZipWriter.write(TestWorkbook.parts(sheet: TestWorkbook.sheetXML("<row/>" + bomb)), to: file)
        var limits = XLSXLimits()
        limits.minimumExpansionAllowance = 4 << 20
        let error = try refusal(file, limits: limits)
        #expect(error.description.contains("compression bomb"), "\(error)")

        // A part larger than its limit is refused by its size (declared or counted as read).
        limits = XLSXLimits()
        limits.maxSheetBytes = 1 << 20
        #expect(try refusal(file, limits: limits).description.contains("expands beyond the limit"))

        // A directory that understates the part's size (48 MB said to be 1,000 bytes): the bytes
        // actually inflated are counted, not the ones declared.
        let sheet = TestWorkbook.sheetXML("<row/>" + bomb)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        let declared = withUnsafeBytes(of: UInt32(sheet.utf8.count).littleEndian) { Array($0) }
        var patched = 0
        for index in 0..<(bytes.count - 4) where Array(bytes[index..<(index + 4)]) == declared {
            bytes.replaceSubrange(
                index..<(index + 4),
                with: withUnsafeBytes(of: UInt32(1000).littleEndian) { Array($0) }
            )
            patched += 1
        }
        try #require(patched >= 2, "the local header and the directory entry (and a data descriptor)")
        let lying = path("lying.xlsx")
        try Data(bytes).write(to: URL(fileURLWithPath: lying))
        #expect(try refusal(lying).description.contains("holds more than the file says"))
    }

    @Test func tooManyEntriesCellsOrStringsAreRefused() throws {
        var parts = TestWorkbook.parts(sheet: TestWorkbook.sheetXML("<row><c r=\"XFE1\"><v>1</v></c></row>"))
        let wide = path("wide.xlsx")
        try ZipWriter.write(parts, to: wide)
        #expect(try refusal(wide).description.contains("cells"))

        parts = TestWorkbook.parts(sheet: TestWorkbook.sheetXML(""))
        for index in 0..<30 { parts.append(("xl/media/image\(index).png", [1, 2, 3])) }
        let crowded = path("crowded.xlsx")
        try ZipWriter.write(parts, to: crowded)
        var limits = XLSXLimits()
        limits.maxEntries = 20
        #expect(try refusal(crowded, limits: limits).description.contains("more than 20 parts"))

        let strings = (0..<10).map { "<si><t>s\($0)</t></si>" }.joined()
        let shared = "<sst xmlns=\"\(TestWorkbook.spreadsheetML)\">\(strings)</sst>"
        let many = path("strings.xlsx")
        try ZipWriter.write(TestWorkbook.parts(sheet: TestWorkbook.sheetXML(""), sharedStrings: shared), to: many)
        limits = XLSXLimits()
        limits.maxSharedStrings = 5
        #expect(try refusal(many, limits: limits).description.contains("more than 5 different texts"))
    }

    @Test func malformedXMLIsRefusedNotGuessed() throws {
        for rows in [
            "<row><c><v>1</v></c>",  // the sheet ends early
            "<row><c t=\"inlineStr\"><is><t>&bogus;</t></is></c></row>",  // unknown entity
            "<row><c t=\"inlineStr\"><is><t>&#0;</t></is></c></row>",  // a character XML forbids
            "<row r=\"3\"/><row r=\"2\"/>",  // rows out of order
            "<row><c r=\"B1\"/><c r=\"A1\"/></row>",  // cells out of order
        ] {
            let sheet =
                rows.hasSuffix("</c>")
                ? "<worksheet xmlns=\"\(TestWorkbook.spreadsheetML)\"><sheetData>\(rows)"
                : TestWorkbook.sheetXML(rows)
            #expect(throws: ArchiveError.self, "\(rows)") { _ = try self.rows(parts: TestWorkbook.parts(sheet: sheet)) }
        }
        let declared = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>" + TestWorkbook.sheetXML("")
        let error = try #require(throws: ArchiveError.self) { _ = try rows(parts: TestWorkbook.parts(sheet: declared)) }
        #expect(error.description.contains("document type declaration"))
    }

    @Test func aStreamedZipWithDataDescriptorsReadsTheSame() throws {
        let file = path("streamed.xlsx")
        let sheet = TestWorkbook.sheetXML("<row><c t=\"inlineStr\"><is><t>ok</t></is></c><c><v>2</v></c></row>")
        try ZipWriter.write(TestWorkbook.parts(sheet: sheet), to: file, sizesInHeaders: false)
        #expect(try rows(file).map(\.values) == [[.text("ok"), .number("2")]])
    }
}
