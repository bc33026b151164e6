import Foundation
import Testing

/// `person list`: a unit with everything under it (`--subtree`), and a full page says how many
/// there are in all and how to see the rest.
@Suite struct PersonListTests {
    @Test func theSubtreeAddsTheUnitsBelowAndAFullPageSaysHowManyThereAre() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let parent = Fixture.creditCode(1)
            let child = Fixture.creditCode(2)
            try await node.addOrganization(code: parent, name: "上级局")
            try await node.succeed([
                "org", "add", "--code", child, "--name", "下属处", "--kind", "organ", "--level", "province", "--parent",
                parent,
            ])
            try await node.setQuota(org: parent, approved: 5)
            try await node.setQuota(org: child, approved: 5)
            try await node.addPerson(idNumber: Fixture.identityNumber(1), org: parent, hiredOn: "2021-01-04")
            try await node.addPerson(idNumber: Fixture.identityNumber(2), org: child, hiredOn: "2021-01-04")
            try await node.addPerson(idNumber: Fixture.identityNumber(3), org: child, hiredOn: "2021-01-04")

            func listed(_ extra: [String]) async throws -> (ids: [Int64], result: CommandResult) {
                let result = try await node.succeed(["person", "list", "--format", "json"] + extra)
                struct Row: Decodable { var id: Int64 }
                return (try JSONDecoder().decode([Row].self, from: result.stdoutData).map(\.id), result)
            }
            #expect(try await listed(["--org", parent]).ids.count == 1)
            #expect(try await listed(["--org", parent, "--subtree"]).ids.count == 3)
            #expect(try await listed(["--org", child, "--subtree"]).ids.count == 2)

            let page = try await node.succeed(["person", "list", "--org", parent, "--subtree", "--limit", "2"])
            let first = try await listed(["--org", parent, "--subtree", "--limit", "2"]).ids
            #expect(page.stderr.contains("… 2 of 3 shown; --limit or --after \(first[1]) for more."), "\(page)")
            let whole = try await node.succeed(["person", "list", "--org", parent, "--subtree", "--limit", "3"])
            #expect(!whole.stderr.contains("shown"), "\(whole)")

            let alone = try await node.run(["person", "list", "--subtree"])
            #expect(alone.status == 64, "\(alone)")
        }
    }
}
