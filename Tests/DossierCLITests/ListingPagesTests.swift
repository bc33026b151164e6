import Foundation
import Testing

/// Every listing says when there is more than it shows, on standard error (so a CSV or JSON on
/// standard output stays clean), and how to page on.
@Suite struct ListingPagesTests {
    @Test func aFullPageOfCasesSaysHowManyThereAreAndTheNextPageFollowsOn() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "200", "--seed", "42"])
            let every = try await node.succeed(["case", "list", "--format", "json", "--limit", "10000"])
            let all = try #require(try JSONSerialization.jsonObject(with: every.stdoutData) as? [[String: Any]])
            try #require(all.count > 3, "the demo has cases to page through")
            #expect(!every.stderr.contains("shown"), "everything fits: nothing more to say")

            let first = try await node.succeed(["case", "list", "--format", "json", "--limit", "2"])
            #expect(
                first.stderr.contains("2 of \(all.count) shown; --limit or --offset 2 for more."),
                "\(first.stderr)"
            )
            let second = try await node.succeed(["case", "list", "--format", "json", "--limit", "2", "--offset", "2"])
            let page = try #require(try JSONSerialization.jsonObject(with: second.stdoutData) as? [[String: Any]])
            #expect(page.map { $0["id"] as? Int } == all[2..<4].map { $0["id"] as? Int })
        }
    }

    @Test func aFullPageOfDraftsSaysWhereTheNextOneStarts() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let org = Fixture.creditCode(5)
            try await node.addOrganization(code: org, name: "分页测试局")
            try await node.setQuota(org: org, approved: 5)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2022-03-01")
            for day in ["2026-06-01", "2026-06-02", "2026-06-03"] {
                try await node.succeed(["action", "draft", "1", "--kind", "resign", "--on", day])
            }
            let first = try await node.succeed(["action", "list", "--limit", "2", "--format", "csv"])
            #expect(first.stdout.split(separator: "\n").count == 3, "a header and two drafts: \(first.stdout)")
            #expect(first.stderr.contains("2 shown; --after 2 for more."), "\(first.stderr)")
            let rest = try await node.succeed(["action", "list", "--after", "2", "--format", "json"])
            let drafts = try #require(try JSONSerialization.jsonObject(with: rest.stdoutData) as? [[String: Any]])
            #expect(drafts.map { $0["id"] as? Int } == [3])
        }
    }
}
