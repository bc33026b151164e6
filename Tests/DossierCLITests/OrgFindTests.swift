import Foundation
import Testing

/// `dossier org find`: organisations by part of the name, initials or code, best match first.
@Suite struct OrgFindTests {
    @Test func findsByNameAndInitialsWithTheUnitsAbove() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            try await node.addOrganization(code: Fixture.creditCode(1), name: "东海省人民政府")
            try await node.succeed([
                "org", "add", "--code", Fixture.creditCode(2), "--name", "东海省教育厅", "--kind", "organ", "--level",
                "province", "--parent", Fixture.creditCode(1),
            ])
            try await node.addOrganization(code: Fixture.creditCode(3), name: "东海省财政厅")

            struct Found: Decodable {
                struct Organization: Decodable { var name: String }
                var organization: Organization
                var path: String
            }
            let json = try await node.succeed(["org", "find", "教育厅", "--format", "json"])
            let found = try JSONDecoder().decode([Found].self, from: json.stdoutData)
            #expect(found.map(\.organization.name) == ["东海省教育厅"])
            #expect(found.first?.path == "东海省人民政府 › 东海省教育厅")

            let initials = try await node.succeed(["org", "find", "dhs"])
            #expect(initials.stdout.contains("东海省教育厅") && initials.stdout.contains("东海省财政厅"), "\(initials)")

            let none = try await node.succeed(["org", "find", "公安厅"])
            #expect(none.stdout.contains("No organisation matches"), "\(none)")
            let blank = try await node.run(["org", "find", "  "])
            #expect(blank.status == 1, "\(blank)")
        }
    }
}
