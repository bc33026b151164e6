import Foundation
import Testing

/// `--format csv` listings are opened in spreadsheets: a value a spreadsheet would run as a
/// formula is written as text (a `'` in front), through the one CSV rule of DossierCore.
@Suite struct CSVExportTests {
    /// A live link on the desk of whoever opens the export.
    static let formulaName = #"=HYPERLINK("http://evil.example/","x")"#
    /// Dynamic Data Exchange: runs a program in older spreadsheets.
    static let formulaTitle = "+cmd|' /C calc'!A0"

    /// A node with one organisation and one person named `name`; returns the person's number.
    private func node(_ scratch: URL, personNamed name: String) async throws -> (DossierNode, Int64) {
        let node = DossierNode(scratch: scratch)
        let org = Fixture.creditCode(1)
        try await node.succeed(["init"])
        try await node.addOrganization(code: org, name: "CSVBureau")
        try await node.setQuota(org: org, approved: 3)
        var add = DossierNode.personAdd(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2021-05-01")
        add[try #require(add.firstIndex(of: "--name")) + 1] = name
        try await node.succeed(add)
        return (node, try #require(try await node.people().first?.id))
    }

    /// No cell of `csv` starts as a formula (quoted or not).
    private func noCellStartsAFormula(_ csv: String) -> Bool {
        let starts = ["=", "+", "-", "@", "\t", "\r"]
        return csv.split(separator: "\n").allSatisfy { line in
            !starts.contains { line.hasPrefix($0) || line.contains("," + $0) || line.contains(",\"" + $0) }
        }
    }

    @Test func personListCSVWritesAFormulaLikeNameAsText() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch, personNamed: Self.formulaName)
            let csv = try await node.succeed(["person", "list", "--format", "csv"]).stdout
            #expect(csv.contains(#","'=HYPERLINK(""http://evil.example/"",""x"")","#), "\(csv)")
            #expect(noCellStartsAFormula(csv), "\(csv)")
            // The JSON output is not for spreadsheets: the name as it is.
            #expect(try await node.people().first?.name == Self.formulaName)
        }
    }

    @Test func docListCSVWritesAFormulaLikeTitleAsText() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, personNamed: "张测试")
            let pdf = scratch.appendingPathComponent("scan.pdf")
            try Data("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".utf8).write(to: pdf)
            try await node.succeed([
                "doc", "add", String(person), pdf.path, "--class", "4-1", "--title", Self.formulaTitle, "--date",
                "2008-07-01",
            ])
            let csv = try await node.succeed(["doc", "list", String(person), "--format", "csv"]).stdout
            #expect(csv.contains(",'+cmd|' /C calc'!A0,"), "\(csv)")
            #expect(noCellStartsAFormula(csv), "\(csv)")
        }
    }
}
