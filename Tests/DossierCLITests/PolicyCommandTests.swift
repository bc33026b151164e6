import Foundation
import Testing

/// `dossier policy list|show|validate`: what a personnel officer sees of the rule files, and the
/// check of an edited file before it is put in place.
@Suite struct PolicyCommandTests {
    /// A node made by `init`, and its copy of the civil-service rules.
    private func initializedNode(_ scratch: URL) async throws -> (node: DossierNode, ranks: URL) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["init"])
        let ranks = node.directory.appendingPathComponent("policies/civil-service-ranks-2019.yaml")
        for name in ["civil-service-ranks-2019.yaml", "public-institution-staff.yaml", "local-rules.yaml"] {
            #expect(
                FileManager.default.fileExists(atPath: node.directory.appendingPathComponent("policies/\(name)").path)
            )
        }
        return (node, ranks)
    }

    @Test func validateAcceptsAGoodFileAndRefusesABrokenOneWithTheLine() async throws {
        try await withScratchDirectory { scratch in
            let (node, ranks) = try await initializedNode(scratch)
            let good = try await node.run(["policy", "validate", ranks.path])
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout == "valid: civil-service-ranks-2019, 1 version from 2019-06-01\n", "\(good)")
            #expect(good.stderr.isEmpty, "\(good)")

            let edited = scratch.appendingPathComponent("edited-ranks.yaml")
            try String(contentsOf: ranks, encoding: .utf8)
                .replacingOccurrences(of: "  县处级副职: 四级调研员", with: "  县处级副职: 五级调研员")
                .write(to: edited, atomically: false, encoding: .utf8)
            let broken = try await node.run(["policy", "validate", edited.path])
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stdout.isEmpty, "\(broken)")
            #expect(broken.stderrLines.count == 1, "\(broken)")
            #expect(broken.stderr.hasPrefix("dossier: The policy file \(edited.path) cannot be used: "), "\(broken)")
            #expect(broken.stderr.contains("at line 45: "), "\(broken)")
            #expect(broken.stderr.contains("'五级调研员' is not a rank of the rank ladder"), "\(broken)")

            // The shipped local rules (comments only) are valid and change nothing.
            let local = try await node.run([
                "policy", "validate", node.directory.appendingPathComponent("policies/local-rules.yaml").path,
            ])
            #expect(local.status == 0, "\(local)")
            #expect(local.stdout == "valid: local-rules, no versions (it changes nothing)\n", "\(local)")

            // A file of an unknown kind, and one that is not there.
            let strange = scratch.appendingPathComponent("strange.yaml")
            try "kind: overtime\nversion: 1\n".write(to: strange, atomically: false, encoding: .utf8)
            let unknown = try await node.run(["policy", "validate", strange.path])
            #expect(unknown.status == 1, "\(unknown)")
            #expect(unknown.stderr.contains("line 1: kind 'overtime' is not a policy Dossier knows"), "\(unknown)")
            let absent = try await node.run(["policy", "validate", scratch.appendingPathComponent("none.yaml").path])
            #expect(absent.status == 1, "\(absent)")
            #expect(absent.stderr.hasPrefix("dossier: Cannot read "), "\(absent)")
        }
    }

    @Test func aLocalRuleIsCheckedAgainstTheNodesPolicies() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await initializedNode(scratch)
            let rule = scratch.appendingPathComponent("rule.yaml")
            try
                "kind: local-rules\nversion: 1\neffective_from: 2027-01-01\npolicy: civil-service-ranks-2019\nsteps:\n  - { to: 二级科员, months: 12 }\n"
                .write(to: rule, atomically: false, encoding: .utf8)
            let refused = try await node.run(["policy", "validate", rule.path])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("at line 6: "), "\(refused)")
            #expect(refused.stderr.contains("has no step to 二级科员 to change"), "\(refused)")
        }
    }

    /// One file of `policy list --format json`.
    private struct Listed: Decodable {
        struct Version: Decodable {
            var effective_from: String?
            var line: Int
        }
        var kind: String
        var file: String
        var source: String
        var versions: [Version]
        var problem: String?
    }

    @Test func listGivesEachFileItsKindSourceAndVersionsAsJSON() async throws {
        try await withScratchDirectory { scratch in
            // No node: the shipped files.
            let shipped = try await dossier(["policy", "list", "--format", "json"], scratch: scratch)
            #expect(shipped.status == 0, "\(shipped)")
            let files = try JSONDecoder().decode([Listed].self, from: shipped.stdoutData)
            #expect(files.allSatisfy { $0.source == "shipped" && $0.problem == nil })
            let ranks = try #require(files.first { $0.kind == "civil-service-ranks-2019" })
            #expect(ranks.file == "civil-service-ranks-2019.yaml")
            #expect(ranks.versions.map(\.effective_from) == ["2019-06-01"])
            #expect(files.first { $0.kind == "local-rules" }?.versions.isEmpty == true)
            #expect(files.first { $0.kind == "documents" }?.versions.map(\.effective_from) == [nil])
            #expect(files.filter { $0.kind == "feed-format" }.count == 3)
            // Every key is written, null or not.
            let raw = try #require(try JSONSerialization.jsonObject(with: shipped.stdoutData) as? [[String: Any]])
            #expect(raw.allSatisfy { Set($0.keys) == ["kind", "file", "source", "versions", "problem"] })

            // A node: its own copies, and a broken one is named with exit status 1.
            let (node, copy) = try await initializedNode(scratch)
            let own = try JSONDecoder().decode(
                [Listed].self,
                from: try await node.succeed(["policy", "list", "--format", "json"]).stdoutData
            )
            #expect(own.first { $0.kind == "civil-service-ranks-2019" }?.file == copy.path)
            #expect(own.allSatisfy { $0.source == "node" })
            try String(contentsOf: copy, encoding: .utf8)
                .replacingOccurrences(of: "not_eligible: refuse", with: "not_eligible: maybe")
                .write(to: copy, atomically: false, encoding: .utf8)
            let broken = try await node.run(["policy", "list"])
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stdout.contains("not_eligible must be refuse or warn"), "\(broken)")
        }
    }

    @Test func showPrintsTheVersionInForceAndTheLocalRuleChangingIt() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await initializedNode(scratch)
            let local = node.directory.appendingPathComponent("policies/local-rules.yaml")
            try
                "kind: local-rules\nversion: 1\neffective_from: 2027-01-01\npolicy: civil-service-ranks-2019\nexcellent_months: 3\n"
                .write(to: local, atomically: false, encoding: .utf8)
            let before = try await node.succeed(["policy", "show", "civil-service-ranks-2019", "--date", "2026-12-31"])
            #expect(before.stdout.contains("since 2019-06-01"), "\(before)")
            #expect(before.stdout.contains("{ to: 四级调研员,   from: 一级主任科员, months: 24 }"), "\(before)")
            #expect(!before.stdout.contains("local rule"), "\(before)")
            let after = try await node.succeed([
                "policy", "show", "civil-service-ranks-2019", "--date", "2027-01-01",
            ])
            #expect(after.stdout.contains("changed on 2027-01-01 by the local rule from 2027-01-01"), "\(after)")
            #expect(after.stdout.contains("excellent_months: 3"), "\(after)")

            let usage = try await node.run(["policy", "show", "overtime"])
            #expect(usage.status == 64, "\(usage)")
            #expect(usage.stderr.contains("'overtime' is not a kind of rule file"), "\(usage)")
            let feed = try await node.run(["policy", "show", "feed-format"])
            #expect(feed.status == 64, "\(feed)")
            #expect(feed.stderr.contains("feeds/payroll.yaml"), "\(feed)")
            try await node.succeed(["policy", "show", "feeds/payroll.yaml"])
        }
    }
}
