import DossierArchive
import DossierCore
import DossierCrypto
import DossierService
import Foundation
import Testing

/// Another agency's packages are accepted when its key is in the trust store, within its
/// period and not revoked; otherwise authenticity fails.
@Suite struct TrustStoreTests {
    final class Nodes {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("trust-\(UUID().uuidString)")
        deinit { try? FileManager.default.removeItem(at: root) }

        func node(_ name: String, people: Int, seed: UInt64) throws -> Dossier {
            let directory = DataDirectory(path: root.appendingPathComponent(name).path)
            try Dossier.initialize(directory)
            let dossier = try Dossier.open(directory, as: "admin")
            _ = try dossier.loadDemo(people: people, seed: seed)
            return dossier
        }
    }

    private func authenticityProblems(_ receiver: Dossier, _ package: String, on date: CivilDate) throws -> [String] {
        PackageVerifier.verify(path: package, trusted: try receiver.trustAnchors(on: date)).problems[.authenticity]
            ?? []
    }

    @Test func aPackageOfAnotherAgencyIsTrustedOnlyWithinThePeriodAndUntilRevoked() throws {
        let nodes = Nodes()
        let sender = try nodes.node("sender", people: 40, seed: 1)
        let receiver = try nodes.node("receiver", people: 20, seed: 2)
        try sender.generateSigningKey(.sm2)
        try receiver.generateSigningKey(.ed25519)
        let package = nodes.root.appendingPathComponent("p.tar").path
        _ = try sender.packArchive(personID: 3, out: package)
        let keyFile = nodes.root.appendingPathComponent("sender.pem").path
        try Data(try sender.exportPublicKey().utf8).write(to: URL(fileURLWithPath: keyFile))

        #expect(!(try authenticityProblems(receiver, package, on: day("2026-06-01"))).isEmpty)
        let entry = try receiver.trustKey(
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
        #expect(try authenticityProblems(receiver, package, on: day("2026-06-01")).isEmpty)
        #expect(!(try authenticityProblems(receiver, package, on: day("2027-01-01"))).isEmpty)
        #expect(!(try authenticityProblems(receiver, package, on: day("2025-12-31"))).isEmpty)
        try receiver.revokeKey(entry.keyID, reason: "密钥泄露")
        #expect(!(try authenticityProblems(receiver, package, on: day("2026-06-01"))).isEmpty)
        #expect(try receiver.trustAnchors(on: day("2026-06-01")).revokedKeyIDs == [entry.keyID])
        #expect(throws: ServiceError.self) { try receiver.revokeKey(entry.keyID, reason: "again") }
        #expect(try receiver.verifyAudit().isIntact)
    }

    @Test func aPrivateKeyFileIsNotAcceptedIntoTheTrustStore() throws {
        let nodes = Nodes()
        let receiver = try nodes.node("receiver", people: 5, seed: 3)
        let keyFile = nodes.root.appendingPathComponent("private.pem").path
        try Data(try SigningKey.generate(.sm2).privatePEM().utf8).write(to: URL(fileURLWithPath: keyFile))
        #expect(throws: ServiceError.self) {
            try receiver.trustKey(
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
        #expect(try receiver.trustStore().isEmpty)
    }
}
