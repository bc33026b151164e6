import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// A temporary folder removed when the value goes away.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pkg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

let pdf = Array("%PDF-1.4\n% 学历证书\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8)

func content(record: String = #"{"name":"张三"}"#) -> PackageContent {
    PackageContent(
        packageID: "dossier-7-test",
        bagInfo: [
            ("Source-Organization", "东海省财政厅"), ("Bagging-Date", "2026-11-27"),
            ("External-Identifier", "dossier-7-test"),
        ],
        payload: [
            PayloadFile(path: "data/record.json", source: .bytes(Array(record.utf8))),
            PayloadFile(path: "data/documents/4-1/12-学士学位证书.pdf", source: .bytes(pdf)),
        ]
    )
}

@Suite struct ArchivePackageTests {
    @Test(arguments: SignatureAlgorithm.allCases)
    func aPackedPackageVerifiesWithTheTrustedKey(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(algorithm)
        let summary = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("p.tar"))
        #expect(summary.files == 2)
        let report = PackageVerifier.verify(
            path: scratch.path("p.tar"),
            trusted: [try SigningKey.load(pem: key.publicPEM())]
        )
        #expect(report.passed, "\(report.problems)")
        #expect(report.keyID == (try key.keyID()))
        let untrusted = PackageVerifier.verify(path: scratch.path("p.tar"), trusted: [])
        #expect(!(untrusted.problems[.authenticity] ?? []).isEmpty)
        // Not known to be authentic: refused before a byte of its payload is read.
        #expect(untrusted.problems[.integrity] == [payloadNotRead])
        #expect(untrusted.files == 0 && untrusted.payloadBytes == 0)
    }

    @Test func packingTheSameStateTwiceGivesTheSameBytes() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        _ = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("a.tar"))
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("b.tar"))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: scratch.path("a.tar")))
                == Data(contentsOf: URL(fileURLWithPath: scratch.path("b.tar")))
        )
    }

    @Test func aFlippedPayloadByteIsNamed() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.sm2)
        _ = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("p.tar"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.path("p.tar")))
        let marker = Data("trailer".utf8)
        let range = try #require(bytes.range(of: marker))
        bytes[range.lowerBound] ^= 0x20
        try bytes.write(to: URL(fileURLWithPath: scratch.path("p.tar")))
        let report = PackageVerifier.verify(path: scratch.path("p.tar"), trusted: [key])
        #expect(!report.passed)
        #expect((report.problems[.integrity] ?? []).contains { $0.contains("12-学士学位证书.pdf") && $0.contains("SHA-256") })
    }

    @Test func aStoredFileThatNoLongerMatchesItsRecordedDigestIsNotPacked() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let stored = scratch.path("stored.pdf")
        try Data(pdf).write(to: URL(fileURLWithPath: stored))
        // The digests the store recorded at intake; then one byte of the stored file flips.
        let recorded = (sha256: Hex.encode(Digest.sha256(pdf)), sm3: Hex.encode(Digest.sm3(pdf)))
        var damaged = pdf
        damaged[damaged.count - 2] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: stored))
        var package = content()
        package.payload[1] = PayloadFile(
            path: "data/documents/4-1/12-学士学位证书.pdf",
            source: .file(path: stored, size: Int64(pdf.count), sha256: recorded.sha256, sm3: recorded.sm3)
        )
        let error = await #expect(throws: ArchiveError.self) {
            _ = try await ArchivePackage.pack(package, signer: key, to: scratch.path("p.tar"))
        }
        #expect(
            error?.description.contains("does not match its recorded digest") == true,
            "\(String(describing: error))"
        )
        // With the file as recorded, the same content packs and verifies.
        try Data(pdf).write(to: URL(fileURLWithPath: stored))
        _ = try await ArchivePackage.pack(package, signer: key, to: scratch.path("q.tar"))
        #expect(PackageVerifier.verify(path: scratch.path("q.tar"), trusted: [key]).passed)
    }
}
