import DossierCore
import DossierCrypto
import DossierStorage
import DossierTestSupport
import Foundation
import Testing

@testable import DossierService
@testable import DossierStore

/// Signed audit checkpoints on a node with its files on disk: a checkpoint verifies, a chain
/// rewritten after it walks cleanly but fails verification because of it, an altered checkpoint
/// fails, and only administrators sign while readers of the audit log read them.
@Suite struct AuditCheckpointTests {
    final class Node {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("checkpoint-\(UUID().uuidString)")
        let directory: DataDirectory
        let admin: Dossier

        init(clock: DayClock = .fixed(today)) async throws {
            directory = DataDirectory(path: root.path, backend: SQLiteBackend())
            _ = try await Dossier.initialize(directory)
            admin = try await Dossier.open(directory, as: "admin", clock: clock)
            _ = try await admin.loadDemo(people: 12, seed: 5)
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        var databasePath: String { root.appendingPathComponent(SQLiteBackend.fileName).path }

        /// The same node acting as another user (added with `role` when new).
        func acting(as name: String, role: Role) async throws -> Dossier {
            if try await admin.users().contains(where: { $0.name == name }) == false {
                try await admin.addUser(User(name: name, role: role, displayName: name), reach: .wholeNode)
            }
            return try await on(as: name)
        }

        /// The node's one open database, acting as `name` on the day `clock` says (one database
        /// object per process: never the file opened twice).
        func on(as name: String, clock: DayClock = .fixed(today)) async throws -> Dossier {
            try await Dossier.acting(on: admin.store, as: name, dataDirectory: directory, clock: clock)
        }

        /// Runs SQL on the database file with the `sqlite3` shell, as someone holding the file
        /// but not Dossier would.
        func sqlite(_ sql: String) throws {
            let shell = "/usr/bin/sqlite3"
            try #require(FileManager.default.isExecutableFile(atPath: shell), "apt-get install sqlite3")
            // Through a file: a rewrite of the whole chain is longer than a command line may be.
            let script = root.appendingPathComponent("edit-\(UUID().uuidString).sql")
            try Data(sql.utf8).write(to: script)
            let result = try ChildProcess.run(shell, [databasePath, ".read \(script.path)"])
            try #require(result.status == 0, "\(result.output)")
        }
    }

    @Test func aCheckpointVerifiesAndVouchesForTheEntryBeforeItsOwn() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.sm2)
        let head = try #require(try await node.admin.auditHead())
        let checkpoint = try await node.admin.makeCheckpoint()
        #expect(checkpoint.number == 1)
        #expect(checkpoint.seq == head.seq)
        #expect(checkpoint.hash == head.hash)
        #expect(checkpoint.algorithm == "SM2-SM3")
        #expect(checkpoint.madeOn == today)
        #expect(
            checkpoint.signedText
                == "dossier-audit-checkpoint v1\nnode: -\nseq: \(head.seq)\nhash: \(head.hash)\nat: \(checkpoint.signedAt)\n"
        )
        // Its own entry follows the entry it signed, and names it.
        let entry = try #require(try await node.admin.auditHead())
        #expect(entry.seq == head.seq + 1)
        #expect(entry.action == "audit.checkpoint")
        #expect(entry.details.contains("\"seq\":\"\(head.seq)\""))
        // The signature is an SM2 signature over the text, with the node's key.
        let key = try SigningKey.load(pem: try node.admin.exportPublicKey())
        #expect(key.verify(checkpoint.signature, over: Array(checkpoint.signedText.utf8)))

        let verification = try await node.admin.verifyAudit()
        #expect(verification.isIntact)
        #expect(verification.checkpointsChecked == 1)
        #expect(verification.brokenCheckpoint == nil)
        #expect(try await node.admin.auditCheckpoints() == [checkpoint])
    }

    @Test func aChainRewrittenAfterACheckpointWalksCleanlyButFailsBecauseOfIt() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.ed25519)
        let checkpoint = try await node.admin.makeCheckpoint()
        _ = try await node.admin.addOrganization(
            NewOrganization(code: orgCode(77), name: "后来的局", kind: .organ, level: .province)
        )
        // Rewrite entry 2 and recompute every hash after it with the chain's own function, so
        // that each entry links to the one before.
        let entries = try await node.admin.auditLog(limit: 100_000)
        var previous = AuditLog.genesis
        var statements = ["DROP TRIGGER audit_entry_append_only_update;"]
        for entry in entries {
            let subject = entry.seq == 2 ? "org:rewritten" : entry.subject
            let hash = AuditLog.entryHash(
                seq: entry.seq,
                at: entry.at,
                actor: entry.actor,
                action: entry.action,
                subject: subject,
                details: entry.details,
                previous: previous
            )
            statements.append(
                "UPDATE audit_entry SET subject = '\(subject)', prev_hash = '\(previous)', hash = '\(hash)' WHERE seq = \(entry.seq);"
            )
            previous = hash
        }
        try node.sqlite(statements.joined(separator: "\n"))

        // The chain alone walks cleanly: without the checkpoint the rewrite would pass.
        let store = try #require(node.admin.store as? DossierStore)
        let walked = try store.verifyAudit()
        #expect(walked.firstBroken == nil)
        #expect(walked.checked == Int64(entries.count))
        #expect(try store.auditEntry(seq: 2)?.subject == "org:rewritten")

        let verification = try await node.admin.verifyAudit()
        #expect(!verification.isIntact)
        #expect(verification.firstBroken == nil)
        #expect(verification.brokenCheckpoint == checkpoint.number)
        let problem = try #require(verification.checkpointProblem)
        #expect(problem.hasPrefix("Checkpoint 1 "), "\(problem)")
        #expect(problem.contains("audit entry \(checkpoint.seq)"), "\(problem)")
        #expect(problem.contains("rewritten"), "\(problem)")
    }

    @Test func aCheckpointWithAChangedSignatureOrTextFails() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.ecdsaP256)
        try await node.admin.makeCheckpoint()
        let second = try await node.admin.makeCheckpoint()
        #expect(try await node.admin.verifyAudit().checkpointsChecked == 2)

        try node.sqlite(
            """
            DROP TRIGGER audit_checkpoint_append_only_update;
            UPDATE audit_checkpoint SET signature = randomblob(length(signature)) WHERE id = \(second.number);
            """
        )
        var verification = try await node.admin.verifyAudit()
        #expect(verification.checkpointsChecked == 1)
        #expect(verification.brokenCheckpoint == second.number)
        #expect(verification.checkpointProblem?.contains("signature does not verify") == true)

        // A text naming another entry, with the signature left alone, fails too.
        try node.sqlite(
            "UPDATE audit_checkpoint SET signed_text = replace(signed_text, 'seq: ', 'seq: 1') WHERE id = 1;"
        )
        verification = try await node.admin.verifyAudit()
        #expect(verification.checkpointsChecked == 0)
        #expect(verification.brokenCheckpoint == 1)
    }

    @Test func aCheckpointSignedWithAnEarlierKeyStillVerifies() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.sm2)
        try await node.admin.makeCheckpoint()
        try await node.admin.generateSigningKey(.ed25519, replace: true)
        try await node.admin.makeCheckpoint()
        let verification = try await node.admin.verifyAudit()
        #expect(verification.isIntact, "\(verification)")
        #expect(verification.checkpointsChecked == 2)
        #expect(Set(try await node.admin.auditCheckpoints().map(\.algorithm)) == ["SM2-SM3", "Ed25519"])
    }

    @Test func withoutASigningKeyACheckpointIsRefusedWithWhatToDo() async throws {
        let node = try await Node()
        #expect(!node.admin.hasSigningKey)
        let before = try await node.admin.auditHead()
        let error = await #expect(throws: ServiceError.self) { try await node.admin.makeCheckpoint() }
        #expect(error?.kind == .refused)
        #expect(error?.message.contains("dossier keys generate") == true)
        #expect(try await node.admin.auditHead() == before)
        #expect(try await node.admin.auditCheckpoints().isEmpty)
    }

    @Test func theDailyCheckpointIsMadeOnceADayByTheNodesClock() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.ed25519)
        #expect(try await node.admin.makeDailyCheckpoint() != nil)
        #expect(try await node.admin.makeDailyCheckpoint() == nil)
        let tomorrow = try await node.on(as: "admin", clock: .fixed(day("2026-11-28")))
        let next = try #require(try await tomorrow.makeDailyCheckpoint())
        #expect(next.madeOn == day("2026-11-28"))
        #expect(try await tomorrow.makeDailyCheckpoint() == nil)
        #expect(try await node.admin.auditCheckpoints().count == 2)
    }

    @Test func onlyAdministratorsSignAndReadersOfTheAuditLogReadCheckpoints() async throws {
        let node = try await Node()
        try await node.admin.generateSigningKey(.sm2)
        try await node.admin.makeCheckpoint()
        let inspector = try await node.acting(as: "inspector", role: .inspector)
        #expect(try await inspector.auditCheckpoints().count == 1)
        #expect(try await inspector.verifyAudit().checkpointsChecked == 1)
        for (name, role) in [("inspector", Role.inspector), ("officer", .officer), ("approver", .approver)] {
            let user = try await node.acting(as: name, role: role)
            let error = await #expect(throws: ServiceError.self) { try await user.makeCheckpoint() }
            #expect(error?.kind == .forbidden, "\(name)")
            await #expect(throws: ServiceError.self) { try await user.makeDailyCheckpoint() }
        }
        let officer = try await node.acting(as: "officer", role: .officer)
        let error = await #expect(throws: ServiceError.self) { try await officer.auditCheckpoints() }
        #expect(error?.kind == .forbidden)
        #expect(try await node.admin.auditCheckpoints().count == 1)
    }
}

/// Lifting a sign-in lock-out: recorded for the server to find, audited, administrators only.
@Suite struct SignInUnlockTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
        try await fixture.dossier.addUser(User(name: "wang", role: .officer, displayName: "王"), reach: .wholeNode)
    }

    @Test func anUnlockIsAuditedAndTakenOnceByTheServer() async throws {
        try await fixture.dossier.unlock(user: "wang")
        let entry = try #require(try await fixture.dossier.auditHead())
        #expect(entry.action == "user.unlock")
        #expect(entry.actor == "admin")
        #expect(entry.subject == "user:wang")
        // Another instance over the same database (the server) finds it, once.
        let server = try await Dossier.acting(on: fixture.store, as: "admin")
        #expect(try await server.takeSignInUnlock(user: "wang", client: "10.0.0.9"))
        #expect(try await fixture.dossier.auditHead()?.action == "auth.unlocked")
        #expect(try await server.takeSignInUnlock(user: "wang", client: "10.0.0.9") == false)
    }

    @Test func anUnlockRecordedBeforeALockOutBeganDoesNotLiftIt() async throws {
        try await fixture.dossier.unlock(user: "wang")
        try await fixture.dossier.recordSignIn(.locked, user: "wang", client: "10.0.0.9")
        #expect(try await fixture.dossier.takeSignInUnlock(user: "wang", client: "10.0.0.9") == false)
    }

    @Test func onlyAdministratorsUnlockAndOnlyKnownUsers() async throws {
        try await fixture.dossier.addUser(User(name: "li", role: .officer, displayName: "李"), reach: .wholeNode)
        let officer = try await Dossier.acting(on: fixture.store, as: "li")
        let before = try await fixture.dossier.auditHead()
        let refused = await #expect(throws: ServiceError.self) { try await officer.unlock(user: "wang") }
        #expect(refused?.kind == .forbidden)
        let unknown = await #expect(throws: ServiceError.self) { try await fixture.dossier.unlock(user: "nobody") }
        #expect(unknown?.kind == .notFound)
        #expect(try await fixture.dossier.auditHead() == before)
        #expect(try await fixture.dossier.takeSignInUnlock(user: "wang", client: nil) == false)
    }
}
