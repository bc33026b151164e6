import Foundation
import Testing

/// The rank ladder is the node's policy data (`DATA/policies/rank-ladder.yaml`): a personnel
/// office that adds a rank from a date writes a new version, and the node takes it from that date.
@Suite struct RankLadderPolicyTests {
    @Test func aRankAddedFromADateInTheNodesLadderIsUsableFromThatDateAndNotBefore() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let ladder = node.directory.appendingPathComponent("policies/rank-ladder.yaml")
            var text = try String(contentsOf: ladder, encoding: .utf8)
            let shippedRanks = try #require(text.range(of: "ranks:\n")).upperBound
            text +=
                "---\nkind: rank-ladder\nversion: 1\neffective_from: 2025-01-01\nranks:\n"
                + text[shippedRanks...].split(separator: "\n").filter { $0.hasPrefix("  - ") }.joined(separator: "\n")
                + "\n  - { code: L3-clerk, name: 三级科员 }\n"
            try text.write(to: ladder, atomically: false, encoding: .utf8)

            let org = Fixture.creditCode(1)
            try await node.addOrganization(code: org, name: "试点局")
            try await node.setQuota(org: org, approved: 5)
            let before = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2024-12-31")
                    + ["--rank", "三级科员"]
            )
            #expect(before.status == 1, "\(before)")
            #expect(before.stderr.contains("rank"), "\(before)")
            #expect(try await node.people().isEmpty)

            try await node.succeed(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2025-01-01")
                    + ["--rank", "三级科员", "--status", "active"]
            )
            let shown = try await node.succeed(["person", "show", "1"]).stdout
            #expect(shown.contains("三级科员"), "\(shown)")
            let listed = try await node.succeed(["person", "list", "--format", "json"]).stdout
            #expect(listed.contains("\"L3-clerk\""), "\(listed)")
            // One step up the new ladder, by its name: the ladder takes the step, and what refuses
            // the draft is the promotion policy, which names no time in rank for a rank it predates.
            let promotion = try await node.run([
                "action", "draft", "1", "--kind", "promote", "--on", "2026-01-01", "--rank", "二级科员",
            ])
            #expect(promotion.status == 1, "\(promotion)")
            #expect(promotion.stderr.contains("from 三级科员 to 二级科员"), "\(promotion)")
            #expect(!promotion.stderr.contains("one step"), "\(promotion)")
        }
    }
}
