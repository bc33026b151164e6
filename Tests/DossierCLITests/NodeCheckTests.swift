import Foundation
import Testing

/// `dossier check`: a sound node passes; each kind of damage made to the files directly (as
/// someone with the disk but not Dossier could) is found and named, and only files no record
/// refers to are ever repaired.
@Suite struct NodeCheckTests {
    static let sqliteShell = URL(fileURLWithPath: "/usr/bin/sqlite3")

    private struct CheckJSON: Decodable {
        struct Area: Decodable {
            var area: String
            var passed: Bool
            var examined: Int
            var findings: [String]
            var notes: [String]
        }
        var passed: Bool
        var areas: [Area]
        var repaired: [String]

        func area(_ name: String) -> Area? { areas.first { $0.area == name } }
    }

    private func sqlite(_ node: DossierNode, _ sql: String) async throws -> CommandResult {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.sqliteShell.path),
            "these tests edit the database with the sqlite3 shell: apt-get install sqlite3"
        )
        let result = try await runCommand(Self.sqliteShell, [node.databaseURL.path, sql], scratch: node.scratch)
        try #require(result.status == 0, "\(result)")
        return result
    }

    private func check(_ node: DossierNode, _ extra: [String] = []) async throws -> (CommandResult, CheckJSON) {
        let result = try await node.run(["check", "--format", "json"] + extra)
        let decoded = try JSONDecoder().decode(CheckJSON.self, from: result.stdoutData)
        #expect(result.status == (decoded.passed ? 0 : 1), "\(result)")
        return (result, decoded)
    }

    /// A node with two organisations, three people (one of them moved) and one document.
    private func node(_ scratch: URL) async throws -> (node: DossierNode, document: String) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["init"])
        try await node.addOrganization(code: Fixture.creditCode(1), name: "甲厅")
        try await node.addOrganization(code: Fixture.creditCode(2), name: "乙厅")
        try await node.setQuota(org: Fixture.creditCode(1), approved: 5)
        try await node.setQuota(org: Fixture.creditCode(2), approved: 5)
        for number in 1...3 {
            try await node.addPerson(
                idNumber: Fixture.identityNumber(number),
                org: Fixture.creditCode(1),
                hiredOn: "2021-01-0\(number + 3)"
            )
        }
        let people = try await node.people()
        let file = scratch.appendingPathComponent("scan.pdf")
        var bytes = Array("%PDF-1.5\n".utf8) + (0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        bytes += Array("\n%%EOF\n".utf8)
        try Data(bytes).write(to: file)
        try await node.succeed([
            "doc", "add", String(people[0].id), file.path, "--class", "4-1", "--title", "学位证书", "--date", "2008-07-01",
        ])
        let digest = try #require(
            try await sqlite(node, "SELECT sha256 FROM document;").stdout.split(separator: "\n").first.map(String.init)
        )
        return (node, digest)
    }

    private func blobPath(_ node: DossierNode, _ digest: String) -> String {
        node.directory.appendingPathComponent("blobs/\(digest.prefix(2))/\(digest.dropFirst(2))").path
    }

    @Test func aSoundNodePassesEveryAreaAndTheCheckIsAudited() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch)
            let (result, check) = try await check(node)
            #expect(check.passed, "\(result)")
            #expect(check.areas.map(\.area) == ["database", "audit", "documents", "placements", "quotas", "policies"])
            #expect(check.area("placements")?.examined == 3)
            #expect(check.area("documents")?.examined == 2, "one referenced file, one on disk")
            let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "1000"]).stdout
            #expect(log.contains("node.check"))
            #expect(log.contains("passed"))
            let table = try await node.run(["check"])
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("The node is consistent."), "\(table)")
        }
    }

    @Test func aPlacementEditedInTheFileIsFoundWithThePersonAndTheQuotaItMiscounts() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch)
            let person = try await node.people()[1].id
            let edit = try await sqlite(
                node,
                "UPDATE placement SET status = 'retired', occupies = 0 WHERE person_id = \(person) AND valid_until IS NULL; SELECT changes();"
            )
            #expect(edit.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
            let (result, check) = try await check(node)
            #expect(!check.passed, "\(result)")
            #expect(check.area("placements")?.findings.count == 1)
            #expect(check.area("placements")?.findings.first?.contains("person \(person)") == true, "\(result)")
            let quota = try #require(check.area("quotas")?.findings.first, "\(result)")
            #expect(
                quota.contains("甲厅") && quota.contains("2 counted") && quota.contains("3 by the timelines"),
                "\(quota)"
            )
            #expect(check.area("database")?.passed == true)
            #expect(check.area("audit")?.passed == true)
            // A repair never touches records.
            let (_, again) = try await self.check(node, ["--repair"])
            #expect(!again.passed)
            #expect(again.repaired.isEmpty)
        }
    }

    @Test func aMissingOrDamagedDocumentFileIsFound() async throws {
        try await withScratchDirectory { scratch in
            let (node, digest) = try await node(scratch)
            let path = blobPath(node, digest)
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            bytes[100] ^= 0x01
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let (damagedResult, damaged) = try await check(node)
            #expect(!damaged.passed)
            #expect(
                damaged.area("documents")?.findings == [
                    "the file \(digest.prefix(12))… of a document does not match its recorded digests or size (damaged)"
                ],
                "\(damagedResult)"
            )

            try FileManager.default.removeItem(atPath: path)
            let (missingResult, missing) = try await check(node)
            #expect(
                missing.area("documents")?.findings == ["the file \(digest.prefix(12))… of a document is missing"],
                "\(missingResult)"
            )
            #expect(missing.area("placements")?.passed == true)
        }
    }

    @Test func aFileNoRecordRefersToIsNotedAndOnlyRemovedOnRepair() async throws {
        try await withScratchDirectory { scratch in
            let (node, digest) = try await node(scratch)
            let stray = String(repeating: "ab", count: 32)
            let strayPath = blobPath(node, stray)
            try FileManager.default.createDirectory(
                atPath: (strayPath as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true
            )
            try Data("stray".utf8).write(to: URL(fileURLWithPath: strayPath))
            // What an interrupted document add leaves: waste, not an inconsistency of the records.
            let (result, check) = try await check(node)
            #expect(check.passed, "\(result)")
            #expect(check.area("documents")?.notes.count == 1, "\(result)")
            #expect(check.area("documents")?.notes.first?.contains("abababababab…") == true, "\(result)")
            #expect(FileManager.default.fileExists(atPath: strayPath), "a check without --repair removes nothing")

            let (repairResult, repaired) = try await self.check(node, ["--repair"])
            #expect(repaired.repaired.count == 1, "\(repairResult)")
            #expect(!FileManager.default.fileExists(atPath: strayPath))
            #expect(FileManager.default.fileExists(atPath: blobPath(node, digest)), "the document's own file stays")
            let (_, after) = try await self.check(node)
            #expect(after.passed)
        }
    }

    @Test func aRowPointingNowhereIsFoundBySQLitesForeignKeyCheck() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch)
            _ = try await sqlite(
                node,
                "PRAGMA foreign_keys = OFF; UPDATE document SET person_id = 999999; SELECT changes();"
            )
            let (result, check) = try await check(node)
            #expect(!check.passed)
            #expect(
                check.area("database")?.findings == ["1 row(s) of document refer to rows of person that are not there"],
                "\(result)"
            )
        }
    }

    @Test func onlyAnAdministratorMayCheckTheNode() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch)
            try await node.succeed(["user", "add", "clerk", "--role", "officer"])
            let result = try await node.run(["check", "--as", "clerk"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("may not check, back up or restore the node"), "\(result)")
        }
    }

    @Test func filesLeftByAKilledProcessGoAtTheNextStartAndThoseOfARunningOneStay() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await node(scratch)
            let dead: Int32 = 4_194_000  // above any pid Linux hands out by default (pid_max 4,194,304 at most)
            let tmp = node.directory.appendingPathComponent("blobs/tmp")
            let packages = node.directory.appendingPathComponent("packages")
            try FileManager.default.createDirectory(at: packages, withIntermediateDirectories: true)
            let stale = [
                tmp.appendingPathComponent("incoming-\(dead)-0011223344556677"),
                packages.appendingPathComponent("p.tar.partial-\(dead)"),
                node.directory.appendingPathComponent("backup.tar.partial-\(dead)"),
            ]
            let alive = tmp.appendingPathComponent("incoming-\(getpid())-8899aabbccddeeff")
            for url in stale + [alive] { try Data("half".utf8).write(to: url) }
            try await node.succeed(["org", "list"])
            for url in stale { #expect(!FileManager.default.fileExists(atPath: url.path), "\(url.lastPathComponent)") }
            #expect(FileManager.default.fileExists(atPath: alive.path), "a running process's file stays")
        }
    }
}
