import DossierArchive
import DossierCore
import DossierTestSupport
import Foundation
import Testing

@testable import DossierReports

/// The workbook as Dossier's own reader, openpyxl and LibreOffice read it. Sheet 1 of the
/// politics table: title in row 1, the cover in rows 2–7, header rows 9–10, figures in rows 11–14.
@Suite struct ReportXLSXTests {
    let table = RenderFixtures.politics()
    var cover: ReportCover { RenderFixtures.cover(for: table) }

    /// The figures, row label first, as the data rows 11–14 should hold them.
    static let figures: [(label: String, values: [Int])] = [
        ("县处级正职", [2, 2, 0, 0, 0]), ("县处级副职", [1, 0, 0, 0, 1]), ("科员级", [2, 0, 2, 0, 0]), ("合计", [5, 2, 2, 0, 1]),
    ]

    @Test func theSameTableGivesTheSameBytes() throws {
        let first = try table.xlsx(cover: cover)
        let second = try table.xlsx(cover: cover)
        #expect(first == second)
        #expect(first.starts(with: Array("PK".utf8)))
    }

    @Test func figuresAreNumericCellsInTheirRowsAndColumns() throws {
        let rows = try withTemporaryWorkbook(table.xlsxParts(cover: cover)) { try Self.readRows(at: $0) }
        let byNumber = Dictionary(uniqueKeysWithValues: rows.map { ($0.number, $0.values) })
        #expect(byNumber[1] == [.text("民族与政治面貌")])
        #expect(byNumber[2]?.prefix(2) == [.text("填报单位："), .text("测试厅")])
        #expect(byNumber[6]?.prefix(2) == [.text("报出日期："), .text("2027-01-15")])
        #expect(byNumber[7]?.prefix(2) == [.text("时点："), .text("2026-12-31")])
        #expect(byNumber[9]?.prefix(4) == [.text(table.rowHeader), .text("合计"), .text("汉族"), .empty])
        #expect(byNumber[10]?.prefix(4) == [.empty, .empty, .text("中共党员"), .text("群众")])
        for (offset, row) in Self.figures.enumerated() {
            #expect(byNumber[11 + offset] == [.text(row.label)] + row.values.map { .number(String($0)) })
        }
        #expect(rows.last?.number == 14)
    }

    @Test func headerCellsAreMergedAsTheGridSaysAndThePaneIsFrozenBelowThem() throws {
        let sheet = try Self.part("xl/worksheets/sheet1.xml", of: table, cover: cover)
        for range in ["A1:F1", "A9:A10", "B9:B10", "C9:D9", "E9:F9"] {
            #expect(sheet.contains("<mergeCell ref=\"\(range)\"/>"), "\(range) is merged")
        }
        #expect(sheet.contains("<mergeCells count=\"5\">"))
        #expect(
            sheet.contains(
                "<pane xSplit=\"1\" ySplit=\"10\" topLeftCell=\"B11\" activePane=\"bottomRight\" state=\"frozen\"/>"
            )
        )
        #expect(sheet.contains("<c r=\"B11\" s=\"4\"><v>2</v></c>"))
        // The 合计 row is bold: its own cell format.
        #expect(sheet.contains("<c r=\"B14\" s=\"6\"><v>5</v></c>"))
        let workbook = try Self.part("xl/workbook.xml", of: table, cover: cover)
        #expect(workbook.contains("<sheet name=\"表5\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"校核\""))
    }

    @Test func theCheckSheetHoldsAFailedChecksFigures() throws {
        // The reader reads the first sheet: the same parts with 校核 as the only sheet.
        var parts = table.xlsxParts(cover: cover).filter {
            $0.path != "xl/_rels/workbook.xml.rels" && $0.path != "xl/worksheets/sheet1.xml"
        }
        for index in parts.indices where parts[index].path == "xl/worksheets/sheet2.xml" {
            parts[index].path = "xl/worksheets/sheet1.xml"
        }
        let rows = try withTemporaryWorkbook(parts) { try Self.readRows(at: $0) }
        #expect(rows.first?.values == ["校核式", "单元格", "应为", "实为", "结果"].map { .text($0) })
        #expect(rows.count == 2)
        let check = try #require(rows.last?.values)
        #expect(check == [.text(table.checks[0].rule), .text("合计/合计"), .number("6"), .number("5"), .text("未通过")])
    }

    @Test func markupAndForbiddenControlCharactersInLabelsCannotBreakTheSheet() throws {
        var table = table
        table.rows[0].label = "<b>\"甲\" & '乙'</b>\u{1}_x0041_"
        let rows = try withTemporaryWorkbook(table.xlsxParts(cover: cover)) { try Self.readRows(at: $0) }
        let row = try #require(rows.first { $0.number == 11 })
        #expect(row.values.first == .text("<b>\"甲\" & '乙'</b>_x0041_"))
        #expect(!(try Self.part("xl/worksheets/sheet1.xml", of: table, cover: cover)).contains("\u{1}"))
    }

    @Test func openpyxlReadsNumbersMergedCellsAndFrozenPanes() async throws {
        let python = try await SpreadsheetTools.python.value
        let workbook = try await withScratchDirectory { scratch in
            let file = scratch.appendingPathComponent("table.xlsx").path
            try table.xlsx(cover: cover, to: file)
            let run = try await offThread { try ChildProcess.run(python, ["-c", Self.openpyxlScript, file]) }
            try #require(run.status == 0, "openpyxl failed: \(run.output.prefix(2_000))")
            return try JSONDecoder().decode(OpenpyxlWorkbook.self, from: Data(run.output.utf8))
        }
        #expect(workbook.sheets == ["表5", "校核"])
        let sheet = try #require(workbook.values["表5"])
        for (offset, row) in Self.figures.enumerated() {
            #expect(sheet[10 + offset] == [.text(row.label)] + row.values.map { .number($0) })
        }
        #expect(workbook.merged["表5"] == ["A1:F1", "A9:A10", "B9:B10", "C9:D9", "E9:F9"])
        #expect(workbook.freeze["表5"] == "B11")
        #expect(workbook.freeze["校核"] == "A2")
        #expect(
            workbook.values["校核"]?.last == [
                .text(table.checks[0].rule), .text("合计/合计"), .number(6), .number(5), .text("未通过"),
            ]
        )
    }

    @Test func libreOfficeConvertsTheTableToCSVWithItsFigures() async throws {
        let soffice = try await SpreadsheetTools.soffice.value
        let csv = try await withScratchDirectory { scratch in
            let file = scratch.appendingPathComponent("table.xlsx").path
            try table.xlsx(cover: cover, to: file)
            let arguments = [
                // A profile of its own: two conversions sharing one would wait for each other's lock.
                "-env:UserInstallation=file://\(scratch.path)/profile", "--headless", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", scratch.path, file,
            ]
            // Under `timeout`: a LibreOffice stuck on a dialog nobody can see must fail the test, not hang CI.
            let run = try await offThread {
                try ChildProcess.run("/usr/bin/env", ["timeout", "300", soffice] + arguments, directory: scratch.path)
            }
            try #require(run.status == 0, "soffice failed: \(run.output.prefix(2_000))")
            let converted = scratch.appendingPathComponent("table.csv")
            try #require(
                FileManager.default.fileExists(atPath: converted.path),
                "soffice wrote no CSV: \(run.output.prefix(2_000))"
            )
            return try String(contentsOf: converted, encoding: .utf8)
        }
        // LibreOffice quotes text fields; no label here holds a comma or a quote.
        let lines = csv.split(whereSeparator: \.isNewline).map { line in
            line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        #expect(lines.first?.first == "民族与政治面貌")
        for row in Self.figures {
            #expect(lines.contains([row.label] + row.values.map(String.init)), "\(row.label)")
        }
    }

    // MARK: Helpers

    /// Prints the workbook's sheets, their values, merged ranges and frozen panes as JSON.
    static let openpyxlScript = """
        import json, sys, openpyxl
        book = openpyxl.load_workbook(sys.argv[1])
        print(json.dumps({
            "sheets": book.sheetnames,
            "values": {s.title: [list(row) for row in s.iter_rows(values_only=True)] for s in book.worksheets},
            "merged": {s.title: sorted(str(r) for r in s.merged_cells.ranges) for s in book.worksheets},
            "freeze": {s.title: s.freeze_panes for s in book.worksheets},
        }))
        """

    struct OpenpyxlWorkbook: Decodable {
        var sheets: [String]
        var values: [String: [[OpenpyxlValue]]]
        var merged: [String: [String]]
        var freeze: [String: String?]
    }

    enum OpenpyxlValue: Decodable, Equatable {
        case number(Int)
        case text(String)
        case none

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .none
            } else if let number = try? container.decode(Int.self) {
                self = .number(number)
            } else {
                self = .text(try container.decode(String.self))
            }
        }
    }

    static func part(_ path: String, of table: ReportTable, cover: ReportCover) throws -> String {
        let found = try #require(table.xlsxParts(cover: cover).first { $0.path == path })
        return String(decoding: found.bytes, as: UTF8.self)
    }

    static func readRows(at path: String) throws -> [XLSXRow] {
        let reader = try XLSXReader(path: path)
        var rows: [XLSXRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows
    }

    func withTemporaryWorkbook<T>(_ parts: [(path: String, bytes: [UInt8])], _ body: (String) throws -> T) throws -> T {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dossier-report-\(UUID().uuidString).xlsx"
        )
        defer { try? FileManager.default.removeItem(at: file) }
        try ZipWriter.write(parts, to: file.path)
        return try body(file.path)
    }
}
