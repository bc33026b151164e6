import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// A small upload must not buy a large amount of work: expansion beyond the file's own size,
/// payload beyond what the package declares, and a check nobody waits for any more are all
/// stopped, and the report says how much was read (never how long it took).
@Suite struct CompressionBombTests {
    /// The most one 512-byte zstd slice expands to (zstd's ceiling is about 32,000:1), plus
    /// libarchive's read-ahead: how far past its budget a check may get before it stops.
    private static let overshoot: Int64 = 17 << 20

    /// Writes a pax tar with one file of `size` zero bytes named `name`, compressed with the
    /// stock `zstd` tool, without ever holding the zeros on disk.
    private func zstdTarOfZeros(_ name: String, size: Int, to output: String) throws {
        let script = """
            import sys, tarfile
            class Zeros:
                def __init__(self, n): self.left = n
                def read(self, n=-1):
                    n = self.left if n < 0 else min(n, self.left)
                    self.left -= n
                    return bytes(n)
            with tarfile.open(fileobj=sys.stdout.buffer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                info = tarfile.TarInfo(sys.argv[1])
                info.size = int(sys.argv[2])
                tar.addfile(info, Zeros(info.size))
            """
        let escaped = script.replacingOccurrences(of: "'", with: "'\\''")
        let built = try runTool(
            "/bin/sh",
            ["-c", "python3 -c '\(escaped)' \"$0\" \"$1\" | zstd -q -c > \"$2\"", name, String(size), output]
        )
        try #require(built.status == 0, "\(built)")
    }

    private func fileSize(_ path: String) throws -> Int64 {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int64)
    }

    /// The bomb sits among the tag files (a payload file would not be read at all: the package
    /// has no signature), where the reader skips it, decompressing without keeping anything.
    @Test func aZstdTarOfZerosIsRefusedAsABombAfterReadingNoMoreThanItsBudget() throws {
        let scratch = try Scratch()
        let bomb = scratch.path("bomb.tar.zst")
        try zstdTarOfZeros("dossier-7-test/scan.pdf", size: 256 << 20, to: bomb)
        let limits = PackageLimits()
        let budget = limits.minimumExpansionAllowance
        // The upload is tiny, so the floor is the budget (not 100 times the upload).
        #expect(try fileSize(bomb) * limits.maxExpansionRatio < budget)

        let report = PackageVerifier.verify(path: bomb, trusted: [], limits: limits)
        #expect(!report.passed)
        #expect(
            report.problems[.security] == [
                "The package expands to more than 100 times its size (a compression bomb); it is refused."
            ]
        )
        #expect(
            report.examinedBytes > budget,
            "read \(report.examinedBytes) bytes in \(report.examinedEntries) entries"
        )
        #expect(report.examinedBytes <= budget + Self.overshoot, "read \(report.examinedBytes) bytes")
        #expect(report.files == 0)
    }

    /// Nothing but zero blocks: libarchive skips them looking for the next header, all inside
    /// one call (the 5-CPU-second upload of the issue). The read callback still stops it.
    @Test func aZstdStreamOfZeroBlocksIsStoppedInsideLibarchive() throws {
        let scratch = try Scratch()
        let bomb = scratch.path("zeros.zst")
        let built = try runTool("/bin/sh", ["-c", "head -c 1073741824 /dev/zero | zstd -q -c > \"$0\"", bomb])
        try #require(built.status == 0, "\(built)")
        let limits = PackageLimits()

        let report = PackageVerifier.verify(path: bomb, trusted: [], limits: limits)
        #expect(!report.passed)
        #expect((report.problems[.security] ?? []).contains { $0.contains("compression bomb") }, "\(report.problems)")
        #expect(report.examinedBytes <= limits.minimumExpansionAllowance + Self.overshoot)
        #expect(report.examinedEntries == 0)
    }

    /// The budget grows with the upload: the same ratio a small file is refused at, a larger
    /// one of ordinary content is not (a signed package compressed by Dossier passes).
    @Test func aCompressedGenuinePackagePassesWithinTheRatio() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = scratch.path("genuine.tar.zst")
        _ = try await ArchivePackage.pack(content(), signer: key, to: path, zstd: true)
        // A budget of exactly 100 times the file, no floor: a real package stays well inside.
        let limits = PackageLimits(minimumExpansionAllowance: 0)
        let report = PackageVerifier.verify(path: path, trusted: [key], limits: limits)
        #expect(report.passed, "\(report.problems)")
        let size = try fileSize(path)
        #expect(report.examinedBytes <= size * limits.maxExpansionRatio)
    }

    /// A signer (or whoever holds its key) that declares less than it sends: the declaration
    /// bounds what is read all the same.
    @Test func aPayloadBeyondItsPayloadOxumIsRefusedBeforeItIsRead() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let original = scratch.path("original.tar")
        let summary = try await ArchivePackage.pack(content(), signer: key, to: original)
        // Declares fewer bytes, and signs the tag manifest again.
        let declared = "Payload-Oxum: \(summary.payloadBytes).2\n"
        let smaller = String(repeating: "1", count: String(summary.payloadBytes).count)
        try #require(Int64(smaller)! < summary.payloadBytes)
        let path = scratch.path("package.tar")
        try rebuilt(original, in: scratch, to: path) { bag, _ in
            let info = bag + "/bag-info.txt"
            let text = String(decoding: try bytes(info), as: UTF8.self)
            let edited = Array(text.replacingOccurrences(of: declared, with: "Payload-Oxum: \(smaller).2\n").utf8)
            try Data(edited).write(to: URL(fileURLWithPath: info))
            let manifest = bag + "/tagmanifest-sha256.txt"
            let lines = String(decoding: try bytes(manifest), as: UTF8.self).split(separator: "\n").map {
                $0.hasSuffix("  bag-info.txt") ? "\(Hex.encode(Digest.sha256(edited)))  bag-info.txt" : String($0)
            }
            let signed = Array((lines.joined(separator: "\n") + "\n").utf8)
            try Data(signed).write(to: URL(fileURLWithPath: manifest))
            try Data(try key.sign(signed)).write(to: URL(fileURLWithPath: bag + "/signature/signature.bin"))
        }

        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed)
        #expect(
            (report.problems[.security] ?? []).contains {
                $0.contains("goes beyond the payload its Payload-Oxum declares (\(smaller) bytes in 2 files)")
            },
            "\(report.problems)"
        )
        #expect(report.payloadBytes <= Int64(smaller)!, "no payload beyond the declaration was read")
        #expect(report.files < 2)
    }

    @Test func aSetCancellationFlagStopsTheCheckAndTheReportSaysSo() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        let path = scratch.path("package.tar")
        _ = try await ArchivePackage.pack(content(), signer: key, to: path)
        #expect(PackageVerifier.verify(path: path, trusted: [key], cancellation: CancellationFlag()).passed)

        let flag = CancellationFlag()
        flag.cancel()
        let report = PackageVerifier.verify(path: path, trusted: [key], cancellation: flag)
        #expect(report.cancelled)
        #expect(!report.passed)
        #expect(report.problems[.security] == ["The check was stopped before it finished: the request was cancelled."])
        #expect(report.examinedEntries == 0)
        #expect(report.files == 0)
    }
}
