import DossierReports
import DossierTestSupport
import Foundation
import Testing

/// The staff roster (花名册) as openpyxl reads it: a 花名册 sheet with the title, the header,
/// sequence numbers as numbers and every other cell as text (an identity number keeps its
/// digits and its X), frozen below the header; a 说明 sheet with what it covers.
@Suite struct RosterXLSXTests {
    let roster = Roster(
        title: "测试局花名册",
        notes: [.init("单位", "测试局"), .init("人数", "2")],
        headers: ["姓名", "公民身份号码", "职级"],
        rows: [["张三", "11010519491231002X", "一级科员"], ["李四", "110105194912310037", "四级主任科员"]]
    )

    @Test func openpyxlReadsTheRosterWithIdentityNumbersAsText() async throws {
        let python = try await SpreadsheetTools.python.value
        let workbook = try await withScratchDirectory { scratch in
            let file = scratch.appendingPathComponent("roster.xlsx").path
            try roster.xlsx(to: file)
            let run = try await offThread {
                try ChildProcess.run(python, ["-c", ReportXLSXTests.openpyxlScript, file])
            }
            try #require(run.status == 0, "openpyxl failed: \(run.output.prefix(2_000))")
            return try JSONDecoder().decode(ReportXLSXTests.OpenpyxlWorkbook.self, from: Data(run.output.utf8))
        }
        #expect(workbook.sheets == ["花名册", "说明"])
        let sheet = try #require(workbook.values["花名册"])
        #expect(sheet.first?.first == .text("测试局花名册"))
        #expect(sheet[1] == [.text("序号"), .text("姓名"), .text("公民身份号码"), .text("职级")])
        #expect(sheet[2] == [.number(1), .text("张三"), .text("11010519491231002X"), .text("一级科员")])
        #expect(sheet[3] == [.number(2), .text("李四"), .text("110105194912310037"), .text("四级主任科员")])
        #expect(workbook.merged["花名册"] == ["A1:D1"])
        #expect(workbook.freeze["花名册"] == "C3")
        #expect(workbook.values["说明"] == [[.text("单位"), .text("测试局")], [.text("人数"), .text("2")]])
    }

    @Test func theSameRosterGivesTheSameBytes() async throws {
        try await withScratchDirectory { scratch in
            let first = scratch.appendingPathComponent("a.xlsx").path
            let second = scratch.appendingPathComponent("b.xlsx").path
            try roster.xlsx(to: first)
            try roster.xlsx(to: second)
            #expect(try Data(contentsOf: URL(fileURLWithPath: first)) == Data(contentsOf: URL(fileURLWithPath: second)))
        }
    }
}
