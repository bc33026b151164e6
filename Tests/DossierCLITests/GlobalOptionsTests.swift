import Foundation
import Testing

/// `--data` and `--as`, and the environment variables that stand in for them.
@Suite struct GlobalOptionsTests {
    @Test func theDataDirectoryAndUserComeFromTheEnvironmentWhenNotGiven() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "10", "--seed", "9"])
            let binary = try DossierBinary.require()
            let fromEnvironment = try await runCommand(
                binary,
                ["audit", "head"],
                environment: DossierBinary.environment(["DOSSIER_DATA": node.directory.path]),
                scratch: scratch
            )
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")
            #expect(fromEnvironment.stdout == (try await node.auditHead()))

            // The acting user is recorded in the audit log, from --as or from DOSSIER_USER.
            let org = Fixture.creditCode(1)
            try await node.succeed(
                [
                    "org", "add", "--code", org, "--name", "ActorBureau", "--kind", "organ", "--level", "county",
                    "--as", "admin",
                ]
            )
            try await node.setQuota(org: org, approved: 2)
            let officerArguments = DossierNode.personAdd(
                idNumber: Fixture.identityNumber(1),
                org: org,
                hiredOn: "2021-01-04"
            )
            let byOption = try await node.run(officerArguments + ["--as", "officer"])
            #expect(byOption.status == 0, "\(byOption)")
            let byEnvironment = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2021-01-04"),
                environment: [
                    "DOSSIER_USER": "officer", "DOSSIER_TOKEN": try #require(try await node.token(for: "officer")),
                ]
            )
            #expect(byEnvironment.status == 0, "\(byEnvironment)")
            let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "100000"])
            let entries = try #require(try JSONSerialization.jsonObject(with: log.stdoutData) as? [[String: Any]])
            let hires = entries.suffix(2)
            #expect(hires.map { $0["action"] as? String } == ["person.add", "person.add"])
            #expect(hires.map { $0["actor"] as? String } == ["officer", "officer"])

            // A viewer may read but not write.
            let viewer = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(3), org: org, hiredOn: "2021-01-04") + [
                    "--as", "viewer",
                ]
            )
            #expect(viewer.status == 1 && viewer.stderr.hasPrefix("dossier: ") && viewer.stdout.isEmpty, "\(viewer)")
            #expect(try await node.run(["person", "list", "--as", "viewer"]).status == 0)
        }
    }
}
