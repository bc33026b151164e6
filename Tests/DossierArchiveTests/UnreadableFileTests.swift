import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// Files that are not packages at all — too short to be a tar, missing, a folder — are refused
/// with a reason by everything that reads packages, and by the writer when it cannot create its
/// file; none of them crashes the process (each path once freed libarchive's handle twice).
@Suite struct UnreadableFileTests {
    /// The first bytes of a PNG: shorter than one tar block, so opening already fails.
    private let pngHead: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52,
    ]

    private func unreadable(_ scratch: Scratch) throws -> [String] {
        let short = scratch.path("short.bin")
        try Data(pngHead).write(to: URL(fileURLWithPath: short))
        let empty = scratch.path("empty.tar")
        try Data().write(to: URL(fileURLWithPath: empty))
        return [short, empty, scratch.path("missing.tar"), scratch.url.path]
    }

    @Test func verifyingAFileThatIsNotAPackageReportsASecurityProblem() throws {
        let scratch = try Scratch()
        for path in try unreadable(scratch) {
            let report = PackageVerifier.verify(path: path, trusted: TrustAnchors())
            #expect(!report.passed, "\(path)")
            #expect(!(report.problems[.security] ?? []).isEmpty, "\(path): \(report.problems)")
        }
    }

    @Test func listingOrExtractingAFileThatIsNotAPackageThrowsAndWritesNothing() throws {
        let scratch = try Scratch()
        for path in try unreadable(scratch) {
            #expect(throws: ArchiveError.self, "\(path)") { try PackageExtractor.list(path: path) }
            let destination = scratch.path("out-\(UUID().uuidString)")
            #expect(throws: ArchiveError.self, "\(path)") { try PackageExtractor.extract(path: path, to: destination) }
            #expect(!FileManager.default.fileExists(atPath: destination), "\(path)")
        }
    }

    @Test func packingIntoAFolderThatDoesNotExistThrows() async throws {
        let scratch = try Scratch()
        let target = scratch.path("no-such-folder/package.tar")
        await #expect(throws: ArchiveError.self) {
            try await ArchivePackage.pack(content(), signer: try SigningKey.generate(.ed25519), to: target)
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
