import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The inspector's guide (Archives/README.md) performed with the real `bsdtar`, `bagit.py` and
/// `openssl` on packages the `dossier` executable made: what an inspector runs must pass on a
/// good package and stop at the right step on a bad one.
@Suite struct InspectorGuideTests {
    private let pdf = Array("%PDF-1.4\n1 0 obj<<>>endobj\nMARKER-0123456789\ntrailer<<>>\n%%EOF\n".utf8)

    /// A demo node with a signing key of `algorithm` and one document titled `title` filed for
    /// one person; returns the node and the person.
    private func node(
        _ scratch: URL,
        algorithm: String = "sm2",
        title: String = "BachelorDegree"
    ) async throws -> (node: DossierNode, person: Int64) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["demo", "--people", "50", "--seed", "43"])
        try await node.succeed(["keys", "generate", "--alg", algorithm, "--replace"])
        let person = try #require(try await node.people().first?.id)
        let file = scratch.appendingPathComponent("scan.pdf")
        try Data(pdf).write(to: file)
        try await node.succeed([
            "doc", "add", String(person), file.path, "--class", "4-1", "--title", title, "--date", "2008-07-01",
        ])
        return (node, person)
    }

    /// `archive pack` into the scratch folder.
    private func pack(_ node: DossierNode, _ person: Int64, to name: String, zstd: Bool = false) async throws -> URL {
        let out = node.scratch.appendingPathComponent(name)
        try await node.succeed(["archive", "pack", String(person), "--out", out.path] + (zstd ? ["--zstd"] : []))
        return out
    }

    /// `keys export` into the scratch folder.
    private func export(_ node: DossierNode, to name: String) async throws -> URL {
        let pem = node.scratch.appendingPathComponent(name)
        try await node.succeed(["keys", "export"]).stdoutData.write(to: pem)
        return pem
    }

    /// Runs `bash Archives/inspect.sh PACKAGE KEY WORK` as an inspector would, from the scratch folder.
    private func inspect(_ package: URL, _ key: URL, work: String, scratch: URL) async throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["BAGIT"] = try await Bagit.path.value
        return try await runCommand(
            URL(fileURLWithPath: "/bin/bash"),
            [inspectScript.path, package.path, key.path, work],
            environment: environment,
            scratch: scratch
        )
    }

    /// The last step the script started ("== N." lines).
    private func lastStep(_ result: CommandResult) -> Int? {
        result.stdout.split(separator: "\n").filter { $0.hasPrefix("== ") }.last
            .flatMap { Int($0.dropFirst(3).prefix { $0.isNumber }) }
    }

    /// Each signing algorithm, and a zstd-compressed package (step 7 compares the tar inside).
    @Test(arguments: [("sm2", false), ("ed25519", false), ("ecdsa-p256", false), ("ed25519", true)])
    func theGuidePassesOnAPackageDossierMade(_ algorithm: String, zstd: Bool) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: algorithm)
            let package = try await pack(node, person, to: zstd ? "p.tar.zst" : "p.tar", zstd: zstd)
            let key = try await export(node, to: "agency.pem")
            let result = try await inspect(
                package,
                key,
                work: scratch.appendingPathComponent("w").path,
                scratch: scratch
            )
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasSuffix("PACKAGE VERIFIED\n"), "\(result)")
            #expect(lastStep(result) == 7, "\(result)")
            #expect(result.stderr.contains("is valid"), "\(result)")
            #expect(!result.stdout.contains("REFUSED"), "\(result)")
        }
    }

    @Test(arguments: ["学士学位证书", "Degree certificate"])
    func aPackageWithANonASCIIOrSpacedDocumentNamePasses(_ title: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, title: title)
            let package = try await pack(node, person, to: "p.tar")
            let key = try await export(node, to: "agency.pem")
            let listed = try await dossier(["archive", "list", package.path], scratch: scratch)
            #expect(listed.stdout.contains("-\(title).pdf"), "\(listed)")
            let result = try await inspect(
                package,
                key,
                work: scratch.appendingPathComponent("w").path,
                scratch: scratch
            )
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasSuffix("PACKAGE VERIFIED\n"), "\(result)")
        }
    }

    @Test func aRelativeWorkFolderWorksLikeAnAbsoluteOne() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")
            let key = try await export(node, to: "agency.pem")
            let result = try await inspect(package, key, work: "relative-work", scratch: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasSuffix("PACKAGE VERIFIED\n"), "\(result)")
        }
    }

    @Test func aFlippedPayloadByteStopsTheGuideAtTheDigests() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")
            let key = try await export(node, to: "agency.pem")
            var bytes = try Data(contentsOf: package)
            let marker = try #require(bytes.range(of: Data("MARKER-0123456789".utf8)))
            bytes[marker.lowerBound + 7] ^= 0x01
            let tampered = scratch.appendingPathComponent("tampered.tar")
            try bytes.write(to: tampered)

            let result = try await inspect(
                tampered,
                key,
                work: scratch.appendingPathComponent("w").path,
                scratch: scratch
            )
            #expect(result.status != 0, "\(result)")
            #expect([3, 4].contains(lastStep(result)), "\(result)")
            #expect(!result.stdout.contains("PACKAGE VERIFIED"), "\(result)")
            // The untouched package passes the same steps with the same key.
            let good = try await inspect(package, key, work: scratch.appendingPathComponent("g").path, scratch: scratch)
            #expect(good.status == 0, "\(good)")
        }
    }

    @Test func aPackageSignedByAnotherKeyStopsTheGuideAtTheSignature() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch)
            let package = try await pack(node, person, to: "old-key.tar")
            try await node.succeed(["keys", "generate", "--alg", "sm2", "--replace"])
            let agency = try await export(node, to: "new-key.pem")

            let result = try await inspect(
                package,
                agency,
                work: scratch.appendingPathComponent("w").path,
                scratch: scratch
            )
            #expect(result.status != 0, "\(result)")
            #expect(lastStep(result) == 6, "\(result)")
            #expect(result.stdout.contains("REFUSED: the package was signed by another key"), "\(result)")
        }
    }

    @Test(arguments: ["sm2", "ed25519", "ecdsa-p256"])
    func aPackageClaimingTheAgencyKeyButSignedByAnotherFailsOpenSSL(_ algorithm: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await node(scratch, algorithm: algorithm)
            let agency = try await export(node, to: "agency.pem")
            try await node.succeed(["keys", "generate", "--alg", algorithm, "--replace"])
            let forger = try await export(node, to: "forger.pem")
            let package = try await pack(node, person, to: "forged.tar")
            // The forger's package names the agency's public key (same algorithm, same length),
            // so only openssl's check of the signature itself can tell.
            var bytes = try Data(contentsOf: package)
            let forgerPEM = try Data(contentsOf: forger)
            let agencyPEM = try Data(contentsOf: agency)
            try #require(forgerPEM.count == agencyPEM.count && forgerPEM != agencyPEM)
            let range = try #require(bytes.range(of: forgerPEM))
            bytes.replaceSubrange(range, with: agencyPEM)
            try bytes.write(to: package)

            let result = try await inspect(
                package,
                agency,
                work: scratch.appendingPathComponent("w").path,
                scratch: scratch
            )
            #expect(result.status != 0, "\(result)")
            #expect(lastStep(result) == 6, "\(result)")
            #expect(!result.stdout.contains("REFUSED: the package was signed by another key"), "\(result)")
            #expect(!result.stdout.contains("PACKAGE VERIFIED"), "\(result)")
            // Dossier's own verifier agrees.
            let verified = try await dossier(
                [
                    "archive", "verify", package.path, "--trust", agency.path, "--data",
                    scratch.appendingPathComponent("none").path,
                ],
                scratch: scratch
            )
            #expect(verified.status == 1, "\(verified)")
            #expect(verified.stdout.contains("真实性 authenticity: FAILS"), "\(verified)")
        }
    }
}
