import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// Transfer packages come from other agencies: nothing of a payload is read, nor handed to a
/// sink, before the tag files and the signature over them hold, and after that only what the
/// signed manifests list is read.
@Suite struct PayloadGateTests {
    private static let scanPath = "data/documents/4-1/13-档案扫描件.pdf"
    /// Large enough that reading any of it would show in `examinedBytes`.
    private static let scanBytes = 4 << 20

    /// A scan that does not compress (so a zstd package is as large as its payload).
    private static let scan: [UInt8] = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var bytes = pdf
        bytes.reserveCapacity(scanBytes)
        while bytes.count < scanBytes {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            bytes.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        return bytes
    }()

    /// The test package with a 4 MiB scan, signed by `key`.
    private func packedWithScan(
        _ key: SigningKey,
        in scratch: Scratch,
        zstd: Bool = false
    ) async throws -> String {
        var package = content()
        package.payload.append(PayloadFile(path: Self.scanPath, source: .bytes(Self.scan)))
        let path = scratch.path(zstd ? "p.tar.zst" : "p.tar")
        _ = try await ArchivePackage.pack(package, signer: key, to: path, zstd: zstd)
        return path
    }

    @Test(arguments: [false, true])
    func aTrustedPackageHandsEveryPayloadFileToTheSinkWithItsDigests(_ zstd: Bool) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = try await packedWithScan(key, in: scratch, zstd: zstd)
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: path, trusted: [key], sink: sink)
        #expect(report.passed, "\(report.problems)")
        #expect(Set(sink.begun) == ["data/record.json", "data/documents/4-1/12-学士学位证书.pdf", Self.scanPath])
        #expect(sink.bytes[Self.scanPath] == Self.scan)
        #expect(sink.digests[Self.scanPath]?.sha256 == Hex.encode(Digest.sha256(Self.scan)))
        #expect(sink.digests[Self.scanPath]?.sm3 == Hex.encode(Digest.sm3(Self.scan)))
        // The measure used below sees a payload that is read.
        #expect(report.examinedBytes > Int64(Self.scanBytes))
        #expect(report.tagManifestSHA256 != nil)
    }

    @Test(arguments: [false, true])
    func aPackageSignedByAnUntrustedKeyIsRefusedBeforeAnyPayloadByteIsRead(_ zstd: Bool) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.sm2)
        let path = try await packedWithScan(key, in: scratch, zstd: zstd)
        let stranger = try SigningKey.load(pem: SigningKey.generate(.sm2).publicPEM())
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: path, trusted: [stranger], sink: sink)
        #expect(!report.passed)
        #expect(
            report.problems[.authenticity]?.contains { $0.contains("not one you trust") } == true,
            "\(report.problems)"
        )
        #expect(report.problems[.integrity] == [payloadNotRead])
        #expect(sink.begun.isEmpty && sink.bytes.isEmpty)
        #expect(report.files == 0 && report.payloadBytes == 0)
        #expect(report.examinedBytes < Int64(Self.scanBytes), "read \(report.examinedBytes) bytes")
    }

    @Test func anEditedBagInfoIsRefusedBeforeAnyPayloadByteIsRead() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = try await packedWithScan(key, in: scratch)
        try replaceOnce(
            in: path,
            Array("Source-Organization: 东海省财政厅".utf8),
            with: Array("Source-Organization: 东海省财政局".utf8)
        )
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: path, trusted: [key], sink: sink)
        #expect(!report.passed)
        #expect(
            report.problems[.integrity] == [
                "bag-info.txt does not match the tag manifest (it was edited).", payloadNotRead,
            ],
            "\(report.problems)"
        )
        #expect(report.problems[.authenticity] == nil, "the signature itself holds")
        #expect(sink.begun.isEmpty)
        #expect(report.files == 0)
        #expect(report.examinedBytes < Int64(Self.scanBytes), "read \(report.examinedBytes) bytes")
    }

    @Test func anExtraFileAmongTheTagFilesIsNamedUnreadAndNoPayloadIsRead() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = try await packedWithScan(key, in: scratch)
        let changed = scratch.path("extra.tar")
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try Data(Self.scan).write(to: URL(fileURLWithPath: bag + "/notes.bin"))
            paths.insert("notes.bin", at: paths.firstIndex(of: "signature/signature.txt")! + 1)
        }
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: changed, trusted: [key], sink: sink)
        #expect(
            report.problems[.integrity] == [
                "notes.bin is not part of the package profile (an extra file).", payloadNotRead,
            ],
            "\(report.problems)"
        )
        #expect(report.problems[.authenticity] == nil)
        #expect(sink.begun.isEmpty)
    }

    @Test func anExtraFileAfterThePayloadIsRefusedUnread() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = try await packedWithScan(key, in: scratch)
        let changed = scratch.path("late.tar")
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try Data(Self.scan).write(to: URL(fileURLWithPath: bag + "/notes.bin"))
            paths.insert("notes.bin", at: paths.firstIndex(of: Self.scanPath)!)
        }
        let report = PackageVerifier.verify(path: changed, trusted: [key])
        #expect(
            report.problems[.security] == [
                "notes.bin is not part of the package profile (an extra file) and comes after the payload; the package is refused without reading it."
            ],
            "\(report.problems)"
        )
        #expect(report.examinedBytes < Int64(Self.scanBytes), "read \(report.examinedBytes) bytes")
    }

    /// The exchange's envelope travels as an extra tag file: returned when it comes with the
    /// tag files, refused unread after the payload.
    @Test func anExtraTagFileIsReturnedBeforeThePayloadAndRefusedAfterIt() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = try await packedWithScan(key, in: scratch)
        let envelope = Array(#"{"slip":"调函-2026-001"}"#.utf8)
        for (name, place) in [("early.tar", "signature/signature.txt"), ("late.tar", Self.scanPath)] {
            let changed = scratch.path(name)
            try rebuilt(path, in: scratch, to: changed) { bag, paths in
                try FileManager.default.createDirectory(
                    atPath: bag + "/exchange",
                    withIntermediateDirectories: true
                )
                try Data(envelope).write(to: URL(fileURLWithPath: bag + "/exchange/envelope.json"))
                paths.insert("exchange/envelope.json", at: paths.firstIndex(of: place)! + 1)
            }
            try FileManager.default.removeItem(atPath: scratch.path("tree"))
            let report = PackageVerifier.verify(
                path: changed,
                trusted: [key],
                extraTagFiles: ["exchange/envelope.json": 64 << 10]
            )
            if name == "early.tar" {
                #expect(report.passed, "\(report.problems)")
                #expect(report.extraTags == ["exchange/envelope.json": envelope])
            } else {
                #expect(
                    report.problems[.security] == [
                        "exchange/envelope.json comes after the payload; tag files must come first. The package is refused without reading it."
                    ],
                    "\(report.problems)"
                )
                #expect(report.extraTags.isEmpty)
            }
        }
    }

    /// With no payload entry the tag files are never followed by a payload: they and the
    /// signature are checked at the end, in full.
    @Test func aPackageWithoutPayloadIsCheckedInFullAtItsEnd() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = scratch.path("empty.tar")
        var package = content()
        package.payload = []
        _ = try await ArchivePackage.pack(package, signer: key, to: path)
        let trusted = PackageVerifier.verify(path: path, trusted: [key])
        #expect(trusted.passed, "\(trusted.problems)")
        #expect(trusted.files == 0)

        let untrusted = PackageVerifier.verify(path: path, trusted: [])
        #expect(untrusted.problems[.authenticity]?.count == 1, "\(untrusted.problems)")
        #expect(untrusted.problems[.integrity] == nil, "\(untrusted.problems)")

        try replaceOnce(in: path, Array("Payload-Oxum: 0.0".utf8), with: Array("Payload-Oxum: 0.1".utf8))
        let edited = PackageVerifier.verify(path: path, trusted: [key])
        #expect(
            edited.problems[.integrity] == [
                "bag-info.txt does not match the tag manifest (it was edited).",
                "Payload-Oxum says 0.1, the payload is 0.0.",
            ],
            "\(edited.problems)"
        )
    }
}
