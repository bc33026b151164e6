import DossierArchive
import DossierCore
import DossierCrypto
import DossierExchange
import Foundation
import Testing

/// A transfer package's envelope is signed with the archive's key and names the archive's tag
/// manifest: it cannot be moved to another archive or edited without its signature failing.
@Suite struct EnvelopeTests {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("envelope-\(UUID().uuidString)")

    private func content(_ text: String) -> PackageContent {
        PackageContent(
            packageID: "dossier-1-test",
            bagInfo: [("Dossier-Package-Type", "transfer")],
            payload: [PayloadFile(path: "data/record.json", source: .bytes(Array("{\"text\": \"\(text)\"}".utf8)))]
        )
    }

    private func envelope(_ digest: String) -> TransferEnvelope {
        TransferEnvelope(
            nonce: String(repeating: "ab", count: 16),
            createdOn: CivilDate(iso: "2026-12-01")!,
            expiresOn: CivilDate(iso: "2027-01-31")!,
            sender: Agency(code: try! CreditCode("11100000000013127D"), name: "甲"),
            receiver: try! CreditCode("11100000000013127D"),
            slip: TransferSlip(
                number: "档转字〔2026〕第0001号",
                personName: "李调",
                unit: "办公室",
                post: "一级科员",
                reason: "转任",
                transferOn: CivilDate(iso: "2026-11-02")!,
                volumes: 1,
                documents: 0,
                salaryMovesOn: CivilDate(iso: "2026-11-02")!,
                organizationMovesOn: CivilDate(iso: "2026-11-02")!,
                insuranceMovesOn: CivilDate(iso: "2026-11-02")!,
                sentBy: "officer",
                senderAction: 7,
                senderFileNumber: 3
            ),
            packageID: "dossier-1-test",
            tagManifestSHA256: digest
        )
    }

    @Test func theEnvelopeIsReadBackAndItsKindRecognised() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try SigningKey.generate(.ed25519)
        let path = root.appendingPathComponent("t.tar").path
        _ = try await TransferPackage.write(content("a"), signer: key, certificates: [], to: path) { digest in
            try TransferPackage.seal(envelope(digest), with: key)
        }
        #expect(try TransferPackage.kind(of: path) == .transfer)
        let read = try TransferPackage.envelope(at: path)
        #expect(read.envelope.slip.number == "档转字〔2026〕第0001号")
        #expect(read.keyID == (try key.keyID()))
    }

    @Test func anEnvelopeMadeForAnotherArchiveIsRefused() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try SigningKey.generate(.ed25519)
        let path = root.appendingPathComponent("t.tar").path
        _ = try await TransferPackage.write(content("a"), signer: key, certificates: [], to: path) { _ in
            try TransferPackage.seal(envelope(String(repeating: "0", count: 64)), with: key)
        }
        #expect(throws: ExchangeError.self) { try TransferPackage.envelope(at: path) }
    }

    @Test func anEnvelopeSignedByAnotherKeyIsRefused() async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let key = try SigningKey.generate(.ed25519)
        let other = try SigningKey.generate(.ed25519)
        let path = root.appendingPathComponent("t.tar").path
        _ = try await TransferPackage.write(content("a"), signer: key, certificates: [], to: path) { digest in
            try TransferPackage.seal(envelope(digest), with: other)
        }
        #expect(throws: ExchangeError.self) { try TransferPackage.envelope(at: path) }
    }
}
