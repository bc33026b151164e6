import Foundation
import Testing

/// Personal details over time on the command line: `action draft --kind change-details` with the
/// details it changes, approved by another user; `person show --date` gives the values in force
/// on either side of the change; the timeline keeps it with what it stated.
@Suite struct PersonalDetailsCLITests {
    struct Shown: Decodable {
        var name: String
        var education: String
        var politicalStatus: String

        private enum CodingKeys: String, CodingKey {
            case name, education
            case politicalStatus = "political_status"
        }
    }

    @Test func aChangeOfDetailsIsDraftedApprovedAndShownAsOfEitherSideOfItsDate() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let org = Fixture.creditCode(3)
            try await node.addOrganization(code: org, name: "信息变更测试局")
            try await node.setQuota(org: org, approved: 5)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-03-01")
            try await node.succeed(["user", "add", "officer", "--role", "officer", "--whole-node"])
            try await node.succeed(["user", "add", "approver", "--role", "approver", "--whole-node"])
            try await node.succeed([
                "action", "draft", "1", "--kind", "change-details", "--on", "2025-07-01", "--political-status",
                "中共党员", "--education", "研究生", "--note", "入党志愿书已归档", "--as", "officer",
            ])
            let queue = try await node.succeed(["action", "list", "--format", "csv", "--as", "approver"]).stdout
            #expect(queue.contains("政治面貌 群众 → 中共党员"), "\(queue)")
            try await node.succeed(["action", "approve", "1", "--as", "approver"])

            func shown(on date: String) async throws -> Shown {
                let result = try await node.succeed(["person", "show", "1", "--date", date, "--format", "json"])
                return try JSONDecoder().decode(Shown.self, from: result.stdoutData)
            }
            let before = try await shown(on: "2025-06-30")
            let after = try await shown(on: "2025-07-01")
            #expect(before.politicalStatus == "13" && before.education == "20", "\(before)")
            #expect(after.politicalStatus == "01" && after.education == "10", "\(after)")
            #expect(after.name == before.name)

            let timeline = try await node.succeed(["person", "timeline", "1", "--format", "csv"]).stdout
            let row = try #require(timeline.split(separator: "\n").last.map(String.init))
            #expect(row.contains("信息变更") && row.contains("学历 研究生; 政治面貌 中共党员"), "\(timeline)")
        }
    }

    @Test func aCorrectionOfTheFilingTakesNoDateAndDetailsGoOnlyWithTheirKinds() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let org = Fixture.creditCode(3)
            try await node.addOrganization(code: org, name: "信息更正测试局")
            try await node.setQuota(org: org, approved: 5)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-03-01")
            let dated = try await node.run([
                "action", "draft", "1", "--kind", "correct-details", "--on", "2025-01-01", "--name", "张侧试",
            ])
            #expect(dated.status == 64 && dated.stderr.contains("leave out --on"), "\(dated)")
            let misplaced = try await node.run(["action", "draft", "1", "--kind", "resign", "--name", "张侧试"])
            #expect(misplaced.status == 64 && misplaced.stderr.contains("change-details"), "\(misplaced)")
            let drafts = try await node.succeed(["action", "list", "--all", "--format", "json"])
            let listed = try JSONSerialization.jsonObject(with: drafts.stdoutData) as? [Any]
            #expect(listed?.isEmpty == true, "nothing was drafted: \(drafts.stdout)")

            try await node.succeed(["action", "draft", "1", "--kind", "correct-details", "--name", "张侧试"])
            struct Draft: Decodable {
                var effective_on: String
                var details: [String: String]
            }
            let shown = try await node.succeed(["action", "show", "1", "--format", "json"])
            let draft = try JSONDecoder().decode(Draft.self, from: shown.stdoutData)
            #expect(draft.effective_on == "2022-03-01", "the filing date, not today: \(draft)")
            #expect(draft.details == ["name": "张侧试"], "\(draft)")
        }
    }
}
