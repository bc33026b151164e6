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
