import Foundation
import Testing

/// Someone with the database file but not Dossier edits the audit log directly.
@Suite struct AuditTamperingTests {
    static let sqliteShell = URL(fileURLWithPath: "/usr/bin/sqlite3")

    /// Runs SQL against the node's database file with the `sqlite3` shell.
    private func sqlite(_ node: DossierNode, _ sql: String) async throws -> CommandResult {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.sqliteShell.path),
            "these tests edit the database with the sqlite3 shell: apt-get install sqlite3"
        )
        return try await runCommand(Self.sqliteShell, [node.databaseURL.path, sql], scratch: node.scratch)
    }

    /// A node with a few audit entries, one of them naming `TamperBureauQQQ`; returns that entry's number.
    private func nodeWithHistory(_ scratch: URL) async throws -> (node: DossierNode, seq: Int64) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["init"])
        try await node.addOrganization(code: Fixture.creditCode(1), name: "EarlierBureau")
        try await node.addOrganization(code: Fixture.creditCode(2), name: "TamperBureauQQQ")
        try await node.setQuota(org: Fixture.creditCode(2), approved: 2)
        try await node.addPerson(idNumber: Fixture.identityNumber(1), org: Fixture.creditCode(2), hiredOn: "2021-01-04")
        let log = try await node.succeed(["audit", "log", "--format", "json"])
        let entries = try JSONDecoder().decode([AuditAction].self, from: log.stdoutData)
        let target = try #require(entries.first { $0.details.contains("TamperBureauQQQ") })
        #expect(entries.last!.seq > target.seq)
        let verify = try await node.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify)")
        return (node, target.seq)
    }

    @Test func theAppendOnlyTriggersStopADirectEdit() async throws {
        try await withScratchDirectory { scratch in
            let (node, seq) = try await nodeWithHistory(scratch)
            let head = try await node.auditHead()
            let update = try await sqlite(node, "UPDATE audit_entry SET details = '{}' WHERE seq = \(seq);")
            #expect(update.status != 0, "\(update)")
            #expect(update.stderr.contains("append-only"), "\(update)")
            let delete = try await sqlite(node, "DELETE FROM audit_entry WHERE seq = \(seq);")
            #expect(delete.status != 0, "\(delete)")
            #expect(try await node.auditHead() == head)
            #expect(try await node.run(["audit", "verify"]).status == 0)
        }
    }

    @Test func editingAnEntryInTheFileMakesVerifyNameThatEntry() async throws {
        try await withScratchDirectory { scratch in
            let (node, seq) = try await nodeWithHistory(scratch)
            let edit = try await sqlite(
                node,
                """
                DROP TRIGGER audit_entry_append_only_update;
                UPDATE audit_entry SET details = replace(details, 'TamperBureauQQQ', 'TamperBureauQQX')
                WHERE details LIKE '%TamperBureauQQQ%';
                SELECT changes();
                """
            )
            #expect(edit.status == 0, "\(edit)")
            #expect(edit.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(edit)")

            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 1, "\(verify)")
            #expect(verify.stdout.isEmpty, "\(verify)")
            #expect(verify.stderrLines.count == 1, "\(verify)")
            #expect(verify.stderr.hasPrefix("dossier: "), "\(verify)")
            #expect(verify.stderr.contains("entry \(seq)"), "\(verify)")
            #expect(!verify.stderr.contains("entry \(seq + 1)"), "\(verify)")
        }
    }

    /// Each field the entry's hash covers, edited in the file on its own: verify names the entry.
    @Test(arguments: [
        ("at", "'2001-01-01T00:00:00.000Z'"), ("actor", "'mallory'"), ("action", "'org.remove'"),
        ("subject", "'org:x'"), ("details", "'{}'"), ("prev_hash", "'\(String(repeating: "f", count: 64))'"),
    ])
    func editingAnyOneFieldOfAnEntryMakesVerifyNameThatEntry(field: String, value: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, seq) = try await nodeWithHistory(scratch)
            let edit = try await sqlite(
                node,
                """
                DROP TRIGGER audit_entry_append_only_update;
                UPDATE audit_entry SET \(field) = \(value) WHERE seq = \(seq);
                SELECT changes();
                """
            )
            #expect(edit.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(edit)")
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 1, "\(field): \(verify)")
            #expect(verify.stderr.contains("entry \(seq)"), "\(field): \(verify)")
        }
    }

    @Test func removingAnEntryFromTheMiddleMakesVerifyFail() async throws {
        try await withScratchDirectory { scratch in
            let (node, seq) = try await nodeWithHistory(scratch)
            let edit = try await sqlite(
                node,
                "DROP TRIGGER audit_entry_append_only_delete; DELETE FROM audit_entry WHERE seq = \(seq);"
            )
            #expect(edit.status == 0, "\(edit)")
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 1, "\(verify)")
            #expect(verify.stderr.contains("entry \(seq)"), "\(verify)")
        }
    }

    @Test func removingTheLastEntryChangesTheHeadAnOutsiderHolds() async throws {
        try await withScratchDirectory { scratch in
            let (node, _) = try await nodeWithHistory(scratch)
            let held = try await node.auditHead()
            let heldSeq = try #require(Int64(held.split(separator: " ").first ?? ""))
            let edit = try await sqlite(
                node,
                """
                DROP TRIGGER audit_entry_append_only_delete;
                DELETE FROM audit_entry WHERE seq = (SELECT max(seq) FROM audit_entry);
                """
            )
            #expect(edit.status == 0, "\(edit)")
            let now = try await node.auditHead()
            #expect(now != held)
            #expect(Int64(now.split(separator: " ").first ?? "") == heldSeq - 1)
        }
    }
}
