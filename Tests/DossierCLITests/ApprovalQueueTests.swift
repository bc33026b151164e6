import Foundation
import Testing

/// The approver's queue on the command line: each waiting draft with where the person stands,
/// what approving it would change, and the officer's note; a withdrawn draft leaves it.
@Suite struct ApprovalQueueTests {
    @Test func theQueueShowsStandingChangeAndNoteAndAWithdrawnDraftLeavesIt() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let org = Fixture.creditCode(3)
            try await node.addOrganization(code: org, name: "审批测试局")
            try await node.setQuota(org: org, approved: 5)
            try await node.succeed(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-03-01")
                    + ["--status", "active"]
            )
            try await node.succeed(["user", "add", "officer", "--role", "officer", "--whole-node"])
            try await node.succeed(["user", "add", "approver", "--role", "approver", "--whole-node"])
            try await node.succeed([
                "action", "draft", "1", "--kind", "resign", "--on", "2026-06-30", "--note", "本人申请，已交接", "--as",
                "officer",
            ])

            let queue = try await node.succeed(["action", "list", "--format", "csv", "--as", "approver"]).stdout
            let lines = queue.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasSuffix("now,would change,note") == true, "\(queue)")
            let row = try #require(lines.dropFirst().first, "\(queue)")
            #expect(row.contains("审批测试局 · 行政编制 · 在职"), "\(row)")
            #expect(row.contains("状态 在职 → 辞职"), "\(row)")
            #expect(row.contains("本人申请，已交接"), "\(row)")

            let withdrawn = try await node.run(["action", "withdraw", "1", "--reason", "重复起草", "--as", "officer"])
            #expect(withdrawn.status == 0, "\(withdrawn)")
            let after = try await node.succeed(["action", "list", "--format", "csv", "--as", "approver"]).stdout
            #expect(after.split(separator: "\n").count == 1, "only the header is left: \(after)")
            let all = try await node.succeed(["action", "list", "--all", "--format", "csv"]).stdout
            #expect(all.contains("withdrawn by officer: 重复起草"), "\(all)")
        }
    }
}
