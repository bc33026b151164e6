import Foundation
import Testing

/// Exit 0 when done, 1 when Dossier refuses, 64 when the command line itself is wrong; errors on
/// stderr and nothing on stdout.
@Suite struct ExitStatusTests {
    /// An initialised node with one organisation whose single `admin` slot is taken.
    private func fullNode(_ scratch: URL) async throws -> (node: DossierNode, org: String) {
        let node = DossierNode(scratch: scratch)
        let org = Fixture.creditCode(1)
        try await node.succeed(["init"])
        try await node.addOrganization(code: org, name: "FullBureau")
        try await node.setQuota(org: org, approved: 1)
        try await node.addPerson(idNumber: Fixture.identityNumber(1), org: org, hiredOn: "2021-01-04")
        try await node.succeed(["user", "add", "reader", "--role", "viewer", "--whole-node"])
        return (node, org)
    }

    /// A refusal: exit 1, one sentence on stderr starting "dossier:", nothing on stdout.
    private func expectRefusal(
        _ result: CommandResult,
        mentioning phrase: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("dossier: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasSuffix(".\n"), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result)", sourceLocation: sourceLocation)
    }

    /// A usage error: exit 64, a message on stderr, nothing on stdout.
    private func expectUsageError(
        _ result: CommandResult,
        mentioning phrase: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 64, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result)", sourceLocation: sourceLocation)
    }

    @Test func successExitsZeroAndPrintsOnStdoutOnly() async throws {
        try await withScratchDirectory { scratch in
            let (node, org) = try await fullNode(scratch)
            for arguments in [["quota", "show"], ["person", "list"], ["org", "show", org], ["audit", "verify"]] {
                let result = try await node.run(arguments)
                #expect(result.status == 0, "\(result)")
                #expect(!result.stdout.isEmpty, "\(result)")
                #expect(result.stderr.isEmpty, "\(result)")
            }
        }
    }

    @Test func refusalsExitOneWithOneSentenceOnStderr() async throws {
        try await withScratchDirectory { scratch in
            let (node, org) = try await fullNode(scratch)
            let head = try await node.auditHead()
            let noVacancy = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(2), org: org, hiredOn: "2021-02-01")
            )
            expectRefusal(noVacancy, mentioning: "no vacancy")

            let unknownOrg = Fixture.creditCode(999)
            let unknown = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(3), org: unknownOrg, hiredOn: "2021-02-01")
            )
            expectRefusal(unknown, mentioning: unknownOrg)
            expectRefusal(
                try await node.run(["quota", "set", unknownOrg, "--category", "admin", "--approved", "2"]),
                mentioning: unknownOrg
            )
            #expect(try await node.auditHead() == head)

            // The same identity number again, into a unit with room.
            let open = Fixture.creditCode(2)
            try await node.addOrganization(code: open, name: "OpenBureau")
            try await node.setQuota(org: open, approved: 5)
            // The reader's token (a script's proof of who it acts as) is issued before the log is read.
            try await node.token(for: "reader")
            let openHead = try await node.auditHead()
            let duplicate = try await node.run(
                DossierNode.personAdd(idNumber: Fixture.identityNumber(1), org: open, hiredOn: "2021-02-01")
            )
            expectRefusal(duplicate, mentioning: "already on file")
            #expect(!duplicate.stderr.contains(Fixture.identityNumber(1)), "\(duplicate)")

            expectRefusal(try await node.run(["person", "list", "--as", "nobody"]), mentioning: "nobody")
            expectRefusal(try await node.run(["person", "list", "--as", "reader", "--reveal"]), mentioning: "reader")
            expectRefusal(
                try await node.run([
                    "org", "add", "--code", Fixture.creditCode(5), "--name", "X", "--kind", "organ", "--level",
                    "county", "--as", "reader",
                ]),
                mentioning: "reader"
            )

            let csv = scratch.appendingPathComponent("bad.csv")
            try Data("id_number,name\n110105198506150011,X\n".utf8).write(to: csv)
            expectRefusal(try await node.run(["person", "import", csv.path]), mentioning: "header")

            // Nothing refused was written.
            #expect(try await node.auditHead() == openHead)
            #expect(try await node.people().count == 1)
        }
    }

    @Test func aMissingDataDirectoryIsARefusalNamingInit() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch, name: "absent")
            expectRefusal(try await node.run(["person", "list"]), mentioning: "dossier init")
            #expect(!FileManager.default.fileExists(atPath: node.databaseURL.path))
        }
    }

    @Test func usageErrorsExitSixtyFour() async throws {
        try await withScratchDirectory { scratch in
            let (node, org) = try await fullNode(scratch)
            let head = try await node.auditHead()

            expectUsageError(try await node.run(["quota", "show", "--bogus"]), mentioning: "--bogus")
            expectUsageError(try await node.run(["person", "add", "--name", "张三"]), mentioning: "--id-number")
            expectUsageError(
                try await node.run(["quota", "set", org, "--category", "admin"]),
                mentioning: "--approved"
            )
            expectUsageError(try await node.run(["quota", "show", "--date", "2024-7-1"]), mentioning: "--date")
            expectUsageError(try await node.run(["quota", "show", "--date", "2024/07/01"]), mentioning: "--date")
            expectUsageError(try await node.run(["quota", "show", "--date", "2023-02-29"]), mentioning: "--date")
            expectUsageError(try await node.run(["person", "list", "--date", "yesterday"]), mentioning: "--date")
            expectUsageError(try await node.run(["person", "list", "--format", "xml"]), mentioning: "xml")
            expectUsageError(try await node.run(["person", "frobnicate"]), mentioning: "dossier person")
            expectUsageError(
                try await node.run([
                    "quota", "set", org, "--category", "admin", "--approved", "5", "--from", "2024-02-30",
                ]),
                mentioning: "--from"
            )

            #expect(try await node.auditHead() == head)
        }
    }
}
