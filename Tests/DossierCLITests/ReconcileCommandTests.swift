import Foundation
import Testing

/// `dossier reconcile import`: a feed goes in all or nothing, problems one per line on stderr
/// with their row numbers, and identity numbers never in clear in the database file.
@Suite struct ReconcileCommandTests {
    private let header = "公民身份号码,姓名,单位统一社会信用代码,险种类型,个人缴费状态,离退休标志,状态变更日期"

    @Test func aFeedImportsEndToEndAndABadOneIsRefusedWithItsProblemsAndExitStatusOne() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let org = Fixture.creditCode(1)
            let known = Fixture.identityNumber(42)
            let stranger = Fixture.identityNumber(43, born: "1970-03-04")
            try await node.succeed(["init"])
            try await node.addOrganization(code: org, name: "FeedBureau")
            try await node.setQuota(org: org, approved: 2)
            try await node.addPerson(idNumber: known, org: org, hiredOn: "2021-01-04")

            let good = scratch.appendingPathComponent("社保.csv")
            try (header + "\n\(known),张测试,\(org),110,2,0,2026-10-01\n\(stranger),王外人,\(org),310,1,0,2025-01-01\n")
                .write(to: good, atomically: true, encoding: .utf8)
            let bad = scratch.appendingPathComponent("bad.csv")
            try (header + "\n\(known),张测试,\(org),110,1,0,2026-10-01\n\(known),张测试,\(org),999,1,0,2026-10-01\n")
                .write(to: bad, atomically: true, encoding: .utf8)
            let arguments = ["reconcile", "import", "--kind", "social-insurance", "--as-of", "2026-11-01"]

            // A bad file: exit 1, the problem on stderr with its row, nothing written.
            let headBefore = try await node.auditHead()
            let refused = try await node.run(arguments + [bad.path])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderrLines.contains { $0.hasPrefix("row 3, 险种类型 \"999\": ") }, "\(refused)")
            #expect(refused.stderrLines.last?.contains("nothing was written") == true, "\(refused)")
            #expect(try await node.auditHead() == headBefore)

            // A dry run, then the real import, in JSON.
            let rehearsed = try await node.succeed(arguments + ["--dry-run", good.path])
            #expect(rehearsed.stdout.contains("Checked 2 rows"), "\(rehearsed)")
            #expect(try await node.auditHead() == headBefore)
            let imported = try await node.succeed(arguments + ["--format", "json", good.path])
            let summary = try #require(try JSONSerialization.jsonObject(with: imported.stdoutData) as? [String: Any])
            #expect(summary["rows"] as? Int == 2)
            #expect(summary["encoding"] as? String == "utf-8")
            #expect(summary["feed"] as? Int == 1)
            #expect(summary["kind"] as? String == "social-insurance")
            #expect(try await node.auditHead() != headBefore)

            // The same file again: refused, saying when and by whom.
            let again = try await node.run(arguments + [good.path])
            #expect(again.status == 1)
            #expect(again.stderr.contains("already imported") && again.stderr.contains("by admin"), "\(again)")

            // Neither number is in the database file in clear; the names are.
            var bytes = try Data(contentsOf: node.databaseURL)
            if let wal = FileManager.default.contents(atPath: node.databaseURL.path + "-wal") { bytes.append(wal) }
            for number in [known, stranger] {
                #expect(bytes.range(of: Data(number.prefix(17).utf8)) == nil, "an identity number is in the file")
            }
            #expect(bytes.range(of: Data("王外人".utf8)) != nil)
            for output in [refused, rehearsed, imported, again] {
                #expect(!output.stdout.contains(known.prefix(17)) && !output.stderr.contains(known.prefix(17)))
            }
        }
    }
}
