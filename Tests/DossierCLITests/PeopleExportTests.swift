import DossierTestSupport
import Foundation
import Testing

/// People exported for Excel: a CSV with a byte-order mark and Chinese headers by default (English
/// with `--headers en`, for scripts), the unit's name beside its code; quota counts as numbers;
/// the staff roster (花名册) as a workbook.
@Suite struct PeopleExportTests {
    private func node(_ scratch: URL) async throws -> DossierNode {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["init"])
        let org = Fixture.creditCode(4)
        try await node.addOrganization(code: org, name: "导出测试局")
        try await node.setQuota(org: org, approved: 1)
        try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-03-01")
        return node
    }

    @Test func thePeopleCSVOpensInExcelWithChineseHeadersAndScriptsAskForEnglish() async throws {
        try await withScratchDirectory { scratch in
            let node = try await node(scratch)
            let excel = try await node.succeed(["person", "list", "--format", "csv"])
            #expect(Array(excel.stdoutData.prefix(3)) == [0xEF, 0xBB, 0xBF], "a UTF-8 byte-order mark first")
            let lines = excel.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first == "\u{FEFF}档案号,姓名,公民身份号码,单位代码,单位名称,编制类型,职级,领导职务,人员状态,起始日期")
            #expect(lines.dropFirst().first?.contains("\(Fixture.creditCode(4)),导出测试局,") == true, "\(lines)")

            let script = try await node.succeed(["person", "list", "--format", "csv", "--headers", "en"])
            #expect(script.stdout.hasPrefix("id,name,id_number,org,org_name,category,"), "\(script.stdout)")
        }
    }

    @Test func quotaCSVKeepsEveryCountANumber() async throws {
        try await withScratchDirectory { scratch in
            let node = try await node(scratch)
            // A second person over the quota of one (the administrator files directly, then the
            // quota is lowered to none).
            try await node.succeed(["quota", "set", Fixture.creditCode(4), "--category", "admin", "--approved", "0"])
            let csv = try await node.succeed(["quota", "show", "--format", "csv"]).stdout
            let row = try #require(csv.split(separator: "\n").first { $0.contains("导出测试局") }, "\(csv)")
            #expect(row.hasSuffix(",0,1,0,1"), "approved, occupied, vacant, over as plain numbers: \(row)")
            let table = try await node.succeed(["quota", "show"]).stdout
            #expect(table.contains("1 超编"), "the table still says so in words: \(table)")
        }
    }

    @Test func theRosterIsAWorkbookWithOneRowPerPersonAndMaskedNumbers() async throws {
        try await withScratchDirectory { scratch in
            let node = try await node(scratch)
            let file = scratch.appendingPathComponent("花名册.xlsx").path
            let result = try await node.succeed(["person", "roster", "--org", Fixture.creditCode(4), "--out", file])
            #expect(result.stdout.contains("1 people"), "\(result.stdout)")
            // bsdtar (libarchive-tools, which `make deps` installs) reads zips as well as tars.
            let sheet = try ChildProcess.run(
                "/usr/bin/env",
                ["LC_ALL=C.UTF-8", "bsdtar", "-xOf", file, "xl/worksheets/sheet1.xml"]
            )
            #expect(sheet.status == 0, "\(sheet.output.prefix(500))")
            #expect(sheet.output.contains("导出测试局花名册") && sheet.output.contains("张测试"))
            let number = Fixture.identityNumber(1)
            #expect(!sheet.output.contains(number), "masked without --reveal")
            #expect(sheet.output.contains(String(number.prefix(6)) + "************"))
        }
    }
}
