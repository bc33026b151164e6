import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// Nothing may follow a package: bytes after a tar's end-of-archive marker and padding, and
/// after a zstd package's one frame — above all a zstd skippable frame or a second frame, which
/// decompressors pass over or read on into without a word — are refused with a sentence, by
/// verification, listing and extraction alike.
@Suite struct AppendedDataTests {
    private static let tarAppended =
        "The package goes on after the end of its tar archive (something was appended to it); it is refused."
    private static let skippable =
        "The package holds a zstd skippable frame, data that decompressors pass over without a word; it is refused."
    private static let secondFrame =
        "The package has a second zstd frame after its compressed tar (something was appended to it); it is refused."

    /// A zstd skippable frame: its magic (0x184D2A50 to 0x184D2A5F), its length and its bytes.
    private static func skippableFrame(_ content: [UInt8], magic: UInt32 = 0x184D_2A50) -> [UInt8] {
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }
        return littleEndian(magic) + littleEndian(UInt32(content.count)) + content
    }

    /// A genuine package of the test content, checked to pass before anything is appended.
    private func packed(
        zstd: Bool,
        in scratch: Scratch,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (key: SigningKey, path: String) {
        let key = try SigningKey.generate(.ed25519)
        let path = scratch.path(zstd ? "p.tar.zst" : "p.tar")
        _ = try await ArchivePackage.pack(content(), signer: key, to: path, zstd: zstd)
        let report = PackageVerifier.verify(path: path, trusted: [key])
        try #require(report.passed, "\(report.problems)", sourceLocation: sourceLocation)
        return (key, path)
    }

    /// `path` with `tail` appended, as a new file.
    private func appending(_ tail: [UInt8], to path: String, in scratch: Scratch) throws -> String {
        let output = scratch.path("appended-" + (path as NSString).lastPathComponent)
        try Data(try bytes(path) + tail).write(to: URL(fileURLWithPath: output))
        return output
    }

    /// Verification refuses `path` with `problem` as its only security problem, and listing and
    /// extracting refuse it too.
    private func expectRefused(
        _ path: String,
        key: SigningKey,
        with problem: String,
        in scratch: Scratch,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed, sourceLocation: sourceLocation)
        #expect(report.problems[.security] == [problem], "\(report.problems)", sourceLocation: sourceLocation)
        let listed = #expect(throws: ArchiveError.self, sourceLocation: sourceLocation) {
            try PackageExtractor.list(path: path)
        }
        #expect(listed?.description == problem, sourceLocation: sourceLocation)
        #expect(throws: ArchiveError.self, sourceLocation: sourceLocation) {
            try PackageExtractor.extract(path: path, to: scratch.path("bag"))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("bag")), sourceLocation: sourceLocation)
    }

    // MARK: Plain tar

    /// One byte (a short block), a block and more of random bytes, and zeros beyond the
    /// 10,240-byte record the tar is padded to.
    @Test(arguments: [1, 700, 20_480])
    func bytesAppendedAfterAPlainTarAreRefused(_ count: Int) async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: false, in: scratch)
        var generator = SystemRandomNumberGenerator()
        let tail =
            count == 20_480
            ? [UInt8](repeating: 0, count: count)
            : (0..<count).map { _ in UInt8.random(in: 1...255, using: &generator) }
        let appended = try appending(tail, to: path, in: scratch)
        expectRefused(appended, key: key, with: Self.tarAppended, in: scratch)
    }

    @Test func aPlainTarWrittenByStockBsdtarStillPasses() async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: false, in: scratch)
        let copy = scratch.path("copy.tar")
        try rebuilt(path, in: scratch, to: copy) { _, _ in }
        #expect(PackageVerifier.verify(path: copy, trusted: [key]).passed)
    }

    // MARK: zstd

    @Test(arguments: [UInt32(0x184D_2A50), 0x184D_2A5F])
    func aSkippableFrameAppendedToAZstdPackageIsRefused(_ magic: UInt32) async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let appended = try appending(
            Self.skippableFrame(Array("hidden from every decompressor".utf8), magic: magic),
            to: path,
            in: scratch
        )
        expectRefused(appended, key: key, with: Self.skippable, in: scratch)
    }

    @Test func aSkippableFrameBeforeAZstdPackageIsRefused() async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let prefixed = scratch.path("prefixed.tar.zst")
        try Data(Self.skippableFrame(Array("ahead".utf8)) + bytes(path)).write(to: URL(fileURLWithPath: prefixed))
        expectRefused(prefixed, key: key, with: Self.skippable, in: scratch)
    }

    /// A frame of zero blocks: libarchive would decompress it as more end-of-archive padding and
    /// say nothing.
    @Test func aSecondZstdFrameAppendedToAZstdPackageIsRefused() async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let frame = scratch.path("zeros.zst")
        let built = try runTool("/bin/sh", ["-c", "head -c 10240 /dev/zero | zstd -q -c > \"$0\"", frame])
        try #require(built.status == 0, "\(built)")
        let appended = try appending(try bytes(frame), to: path, in: scratch)
        expectRefused(appended, key: key, with: Self.secondFrame, in: scratch)
    }

    @Test(arguments: [1, 3, 5, 700])
    func bytesAppendedAfterAZstdPackageAreRefused(_ count: Int) async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let appended = try appending([UInt8](repeating: 0x41, count: count), to: path, in: scratch)
        expectRefused(
            appended,
            key: key,
            with:
                "The package has \(count) bytes after the end of its zstd-compressed data (something was appended to it); it is refused.",
            in: scratch
        )
    }

    @Test func aTruncatedZstdPackageIsRefused() async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let whole = try bytes(path)
        let truncated = scratch.path("truncated.tar.zst")
        try Data(whole.dropLast(10)).write(to: URL(fileURLWithPath: truncated))
        expectRefused(truncated, key: key, with: "The package's zstd data is truncated; it is refused.", in: scratch)
    }

    @Test func aZstdPackageRecompressedWithStockZstdStillPasses() async throws {
        let scratch = try Scratch()
        let (key, path) = try await packed(zstd: true, in: scratch)
        let recompressed = scratch.path("stock.tar.zst")
        let built = try runTool(
            "/bin/sh",
            ["-c", "zstd -q -d -c \"$0\" | zstd -q -19 --check -c > \"$1\"", path, recompressed]
        )
        try #require(built.status == 0, "\(built)")
        #expect(try bytes(recompressed) != bytes(path))
        let report = PackageVerifier.verify(path: recompressed, trusted: [key])
        #expect(report.passed, "\(report.problems)")
    }
}
