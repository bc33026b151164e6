import DossierArchive
import DossierCore
import DossierCrypto
import DossierService
import DossierStorage
import DossierStore
import Foundation
import Testing

/// Another agency's packages are accepted when its key is in the trust store, within its
/// period and not revoked; otherwise authenticity fails.
@Suite struct TrustStoreTests {
    final class Nodes {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        deinit { try? FileManager.default.removeItem(at: root) }

        func node(_ name: String, people: Int, seed: UInt64) async throws -> Dossier {
            let directory = DataDirectory(path: root.appendingPathComponent(name).path, backend: SQLiteBackend())
            try await Dossier.initialize(directory)
            let dossier = try await Dossier.open(directory, as: "admin")
            _ = try await dossier.loadDemo(people: people, seed: seed)
            return dossier
        }
    }

    private func authenticityProblems(
        _ receiver: Dossier,
        _ package: String,
        on date: CivilDate
    ) async throws -> [String] {
        await PackageVerifier.verify(path: package, trusted: try receiver.trustAnchors(on: date)).problems[
            .authenticity
        ]
            ?? []
    }

    @Test func aPackageOfAnotherAgencyIsTrustedOnlyWithinThePeriodAndUntilRevoked() async throws {
        let nodes = Nodes()
        let sender = try await nodes.node("sender", people: 40, seed: 1)
        let receiver = try await nodes.node("receiver", people: 20, seed: 2)
        try await sender.generateSigningKey(.sm2)
        try await receiver.generateSigningKey(.ed25519)
        let package = nodes.root.appendingPathComponent("p.tar").path
        _ = try await sender.packArchive(personID: 3, out: package)
        let keyFile = nodes.root.appendingPathComponent("sender.pem").path
        try Data(try sender.exportPublicKey().utf8).write(to: URL(fileURLWithPath: keyFile))

        await #expect(!(try authenticityProblems(receiver, package, on: day("2026-06-01"))).isEmpty)
        let entry = try await receiver.trustKey(
            file: keyFile,
            agency: CreditCode.make(
                authority: "1",
                entityType: "1",
                divisionCode: "390000",
                organizationCode: "D00000001"
            ),
            from: day("2026-01-01"),
            until: day("2026-12-31")
        )
        await #expect(try authenticityProblems(receiver, package, on: day("2026-06-01")).isEmpty)
        await #expect(!(try authenticityProblems(receiver, package, on: day("2027-01-01"))).isEmpty)
        await #expect(!(try authenticityProblems(receiver, package, on: day("2025-12-31"))).isEmpty)
        try await receiver.revokeKey(entry.keyID, reason: "密钥泄露")
        await #expect(!(try authenticityProblems(receiver, package, on: day("2026-06-01"))).isEmpty)
        await #expect(try receiver.trustAnchors(on: day("2026-06-01")).revokedKeyIDs == [entry.keyID])
        await #expect(throws: ServiceError.self) { try await receiver.revokeKey(entry.keyID, reason: "again") }
        await #expect(try receiver.verifyAudit().isIntact)
    }

    /// A node keeps its earlier keys to check what they signed; one that leaked is revoked here,
    /// and what it signed stops verifying on this node. The key in use is replaced first.
    @Test func anEarlierKeyOfTheNodeIsRevokedAndWhatItSignedStopsVerifyingHere() async throws {
        let nodes = Nodes()
        let node = try await nodes.node("node", people: 10, seed: 4)
        try await node.generateSigningKey(.ed25519)
        let old = try #require(try await node.signingKeys().first { $0.active }).keyID
        let oldPackage = nodes.root.appendingPathComponent("old.tar").path
        _ = try await node.packArchive(personID: 3, out: oldPackage)

        let refused = await #expect(throws: ServiceError.self) { try await node.revokeKey(old, reason: "密钥泄露") }
        #expect(
            refused?.message.contains("'dossier keys generate --replace' first") == true,
            "\(String(describing: refused))"
        )
        #expect(try await node.verifyPackage(at: oldPackage).passed)

        try await node.generateSigningKey(.sm2, replace: true)
        #expect(try await node.verifyPackage(at: oldPackage).passed, "a kept key still vouches for what it signed")
        await #expect(throws: ServiceError.self) { try await node.revokeKey(old, reason: "  ") }
        try await node.revokeKey(old, reason: "密钥泄露")

        let report = try await node.verifyPackage(at: oldPackage)
        #expect(
            report.problems[.authenticity] == [
                "The signature is valid, but it rests on a key revoked on this node (\(old)): it is not trusted."
            ],
            "\(report.problems)"
        )
        let anchors = try await node.trustAnchors()
        #expect(anchors.revokedKeyIDs == [old])
        #expect(!anchors.keys.contains { (try? $0.keyID()) == old })
        let keys = try await node.signingKeys()
        #expect(keys.count == 2)
        #expect(keys.first { $0.keyID == old }?.revokedAt != nil)
        #expect(keys.first { $0.active }?.revokedAt == nil)
        // The key file stays: revoking records a decision, it does not destroy the node's history.
        #expect(keys.contains { $0.keyID == old && FileManager.default.fileExists(atPath: $0.path) })

        // What the new key signs still verifies.
        let newPackage = nodes.root.appendingPathComponent("new.tar").path
        _ = try await node.packArchive(personID: 3, out: newPackage)
        #expect(try await node.verifyPackage(at: newPackage).passed)

        await #expect(throws: ServiceError.self) { try await node.revokeKey(old, reason: "again") }
        let entry = try #require(try await node.auditLog(after: 0, limit: 10_000).last { $0.action == "keys.revoke" })
        #expect(entry.subject == "key:\(old)")
        #expect(entry.details.contains(#""kind":"own""#), "\(entry.details)")
        #expect(try await node.verifyAudit().isIntact)
    }

    @Test func aPrivateKeyFileIsNotAcceptedIntoTheTrustStore() async throws {
        let nodes = Nodes()
        let receiver = try await nodes.node("receiver", people: 5, seed: 3)
        let keyFile = nodes.root.appendingPathComponent("private.pem").path
        try Data(try SigningKey.generate(.sm2).privatePEM().utf8).write(to: URL(fileURLWithPath: keyFile))
        await #expect(throws: ServiceError.self) {
            try await receiver.trustKey(
                file: keyFile,
                agency: CreditCode.make(
                    authority: "1",
                    entityType: "1",
                    divisionCode: "390000",
                    organizationCode: "D00000002"
                ),
                from: day("2026-01-01"),
                until: nil
            )
        }
        await #expect(try receiver.trustStore().isEmpty)
    }
}
