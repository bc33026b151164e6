import DossierArchive
import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

/// What a stock tool run to the end printed (stdout and stderr together) and how it ended.
struct ToolResult: CustomStringConvertible {
    var status: Int32
    var output: String

    var description: String { "exit \(status)\n\(output.prefix(4_000))" }
}

/// Runs a stock tool (`bsdtar`, `python3`) the way an inspector or an attacker would, with a
/// UTF-8 locale so non-ASCII names are handled as text.
func runTool(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> ToolResult {
    var environment = ChildProcess.currentEnvironment()
    environment["LC_ALL"] = "C.UTF-8"
    let result = try ChildProcess.run(executable, arguments, environment: environment, directory: directory)
    return ToolResult(status: result.status, output: result.output)
}

/// The bytes of a file.
func bytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Replaces the only occurrence of `old` in the file with `new`, of the same length. A tar
/// header's checksum covers the header alone, so a same-length change of an entry's content
/// keeps the tar well-formed: what is left to notice it is the package's own digests.
func replaceOnce(in path: String, _ old: [UInt8], with new: [UInt8]) throws {
    precondition(old.count == new.count && old != new, "a same-length change")
    var content = try bytes(path)
    var found: [Int] = []
    var index = 0
    while index + old.count <= content.count {
        if content[index] == old[0], Array(content[index..<index + old.count]) == old { found.append(index) }
        index += 1
    }
    try #require(found.count == 1, "expected exactly one occurrence, found \(found.count)")
    content.replaceSubrange(found[0]..<found[0] + old.count, with: new)
    try Data(content).write(to: URL(fileURLWithPath: path))
}

/// `text` with the character at `offset` (an ASCII hex digit or digit) changed to another one.
func changingCharacter(_ text: String, at offset: Int) -> String {
    var scalars = Array(text.unicodeScalars)
    scalars[offset] = scalars[offset] == "0" ? "1" : "0"
    return String(String.UnicodeScalarView(scalars))
}

/// An mtree path: bytes outside printable ASCII, space and backslash written `\ooo` (mtree's
/// escaping; libarchive's mtree reader refuses raw UTF-8 and splits on spaces).
func mtreePath(_ path: String) -> String {
    var result = ""
    for byte in path.utf8 {
        if byte > 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") {
            result.unicodeScalars.append(Unicode.Scalar(byte))
        } else {
            let octal = String(byte, radix: 8)
            result += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
        }
    }
    return result
}

/// Writes a tar of `paths` (relative to `directory`, in this order) with stock `bsdtar` and an
/// mtree spec giving every entry Dossier's fixed metadata (Archives/inspect.sh, step 6).
func stockTar(_ paths: [String], from directory: String, to output: String) throws {
    let spec =
        "#mtree\n/set type=file uid=0 gid=0 uname=root gname=root mode=0644 time=946684800.0\n"
        + paths.map { mtreePath($0) + "\n" }.joined()
    let specPath = output + ".mtree"
    try Data(spec.utf8).write(to: URL(fileURLWithPath: specPath))
    defer { try? FileManager.default.removeItem(atPath: specPath) }
    let result = try runTool("/usr/bin/bsdtar", ["--format", "pax", "-cf", output, "@" + specPath], in: directory)
    try #require(result.status == 0, "\(result)")
}

/// Extracts the package into `SCRATCH/tree/PACKAGE-ID`, lets `change` edit the bag folder and
/// the list of paths (in tar order), and writes the result with stock `bsdtar` to `output`.
func rebuilt(
    _ package: String,
    in scratch: Scratch,
    to output: String,
    change: (_ bag: String, _ paths: inout [String]) throws -> Void
) throws {
    let tree = scratch.path("tree")
    try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
    let bag = tree + "/dossier-7-test"
    try PackageExtractor.extract(path: package, to: bag)
    var paths = try PackageExtractor.list(path: package).map(\.path)
    try change(bag, &paths)
    try stockTar(paths.map { "dossier-7-test/" + $0 }, from: tree, to: output)
}

/// A payload sink that keeps what it was given.
final class RecordingSink: PayloadSink {
    private(set) var begun: [String] = []
    private(set) var bytes: [String: [UInt8]] = [:]
    private(set) var digests: [String: (sha256: String, sm3: String)] = [:]
    private var current: String?

    func begin(path: String, size: Int64) throws {
        begun.append(path)
        current = path
        bytes[path] = []
    }

    func write(_ chunk: UnsafeRawBufferPointer) throws { bytes[current!]!.append(contentsOf: chunk) }

    func end(path: String, sha256: String, sm3: String) throws { digests[path] = (sha256, sm3) }
}

/// What a report adds when the check stopped before the payload.
let payloadNotRead =
    "The payload was not checked: the package was refused on its tag files or signature, before any of it was read."

/// Every change to a packed package, however small, is caught by `PackageVerifier.verify` and
/// named in its report; a package whose signature or tag files fail is refused before its payload.
@Suite struct TamperTests {
    private let documentPath = "data/documents/4-1/12-学士学位证书.pdf"

    /// The problems of one aspect.
    private func problems(_ report: VerificationReport, _ aspect: VerificationReport.Aspect) -> [String] {
        report.problems[aspect] ?? []
    }

    /// Packs `content()` with a new key of `algorithm`, returning the key, the package path and
    /// the summary; the package verifies before anything is changed.
    private func packed(
        _ algorithm: SignatureAlgorithm,
        in scratch: Scratch,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> (key: SigningKey, path: String, summary: PackSummary) {
        let key = try SigningKey.generate(algorithm)
        let path = scratch.path("p.tar")
        let summary = try await ArchivePackage.pack(content(), signer: key, to: path)
        let report = PackageVerifier.verify(path: path, trusted: [key])
        try #require(report.passed, "\(report.problems)", sourceLocation: sourceLocation)
        return (key, path, summary)
    }

    // MARK: The reference: an unchanged rebuild is the same package

    @Test func rebuildingTheExtractedBagWithStockBsdtarGivesTheSameBytes() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let copy = scratch.path("rebuilt.tar")
        try rebuilt(path, in: scratch, to: copy) { _, _ in }
        #expect(try bytes(copy) == bytes(path))
        #expect(PackageVerifier.verify(path: copy, trusted: [key]).passed)
    }

    @Test func aSecondTarAppendedAfterTheEndIsSeenAndRefused() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.ed25519, in: scratch)
        // GNU tar -i lists what follows the end-of-archive marker; so must the verifier.
        let tree = scratch.path("hidden")
        try FileManager.default.createDirectory(
            atPath: tree + "/dossier-7-test/data",
            withIntermediateDirectories: true
        )
        try Data(pdf).write(to: URL(fileURLWithPath: tree + "/dossier-7-test/data/hidden.pdf"))
        let appended = scratch.path("appended.tar")
        try stockTar(["dossier-7-test/data/hidden.pdf"], from: tree, to: appended)
        let joined = scratch.path("joined.tar")
        try Data(try bytes(path) + bytes(appended)).write(to: URL(fileURLWithPath: joined))
        let report = PackageVerifier.verify(path: joined, trusted: [key])
        #expect(!report.passed)
        // After the end of the tar: refused, named, unread.
        #expect(
            problems(report, .security) == [
                "The package holds data/hidden.pdf after the end of its tar archive (appended to it); it is refused."
            ],
            "\(report.problems)"
        )
        // Listing and extracting refuse it too, naming what was appended.
        let error = #expect(throws: ArchiveError.self) { try PackageExtractor.list(path: joined) }
        #expect(error?.description.contains("data/hidden.pdf") == true, "\(String(describing: error))")
    }

    // MARK: Payload

    @Test(arguments: SignatureAlgorithm.allCases)
    func aFlippedPayloadByteIsNamedWithBothDigests(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(algorithm, in: scratch)
        try replaceOnce(in: path, Array("trailer".utf8), with: Array("Trailer".utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed)
        let integrity = problems(report, .integrity)
        #expect(integrity.contains { $0.contains(documentPath) && $0.contains("SHA-256") }, "\(integrity)")
        #expect(integrity.contains { $0.contains(documentPath) && $0.contains("SM3") }, "\(integrity)")
        #expect(integrity.count == 2, "\(integrity)")
        // The signed tag manifest itself is untouched: only the payload is wrong.
        #expect(problems(report, .authenticity).isEmpty, "\(report.problems)")
        #expect(problems(report, .security).isEmpty, "\(report.problems)")
    }

    @Test func aFlippedByteInTheRecordIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.ed25519, in: scratch)
        try replaceOnce(in: path, Array("张三".utf8), with: Array("李三".utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        let integrity = problems(report, .integrity)
        #expect(integrity.contains { $0.contains("data/record.json") && $0.contains("SHA-256") }, "\(integrity)")
        #expect(integrity.contains { $0.contains("data/record.json") && $0.contains("SM3") }, "\(integrity)")
    }

    /// The signed manifests say what the payload is: the added file is named, and refused unread.
    @Test func anAddedPayloadFileNotInTheSignedManifestIsNamedAndRefusedUnread() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let changed = scratch.path("added.tar")
        let extra = "data/documents/4-1/99-补充材料.pdf"
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try Data(pdf).write(to: URL(fileURLWithPath: bag + "/" + extra))
            paths.insert(extra, at: paths.firstIndex(of: "data/record.json")!)
        }
        #expect(try PackageExtractor.list(path: changed).map(\.path).contains(extra))
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: changed, trusted: [key], sink: sink)
        #expect(!report.passed)
        #expect(
            problems(report, .security) == [
                "\(extra) is not listed in the signed manifest-sha256.txt (an extra file); the package is refused without reading it."
            ],
            "\(report.problems)"
        )
        #expect(report.files == 1, "only the payload before the added file was read")
        #expect(sink.begun == [documentPath], "the added file never reached the sink")
    }

    /// A payload file the manifest lists, grown beyond what bag-info.txt declares: refused before
    /// a byte of it is read.
    @Test func aListedPayloadFileGrownBeyondPayloadOxumIsRefusedUnread() async throws {
        let scratch = try Scratch()
        let (key, path, summary) = try await packed(.sm2, in: scratch)
        let changed = scratch.path("grown.tar")
        try rebuilt(path, in: scratch, to: changed) { bag, _ in
            try Data(pdf + [UInt8](repeating: 0x20, count: Int(summary.payloadBytes)))
                .write(to: URL(fileURLWithPath: bag + "/" + documentPath))
        }
        let sink = RecordingSink()
        let report = PackageVerifier.verify(path: changed, trusted: [key], sink: sink)
        #expect(!report.passed)
        #expect(
            problems(report, .security).contains {
                $0.contains(documentPath) && $0.contains("goes beyond the payload its Payload-Oxum declares")
            },
            "\(report.problems)"
        )
        #expect(report.files == 0)
        #expect(sink.begun.isEmpty)
    }

    @Test func aRemovedPayloadFileIsNamedAsMissing() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let changed = scratch.path("removed.tar")
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try FileManager.default.removeItem(atPath: bag + "/" + documentPath)
            paths.removeAll { $0 == documentPath }
        }
        let report = PackageVerifier.verify(path: changed, trusted: [key])
        #expect(!report.passed)
        let integrity = problems(report, .integrity)
        #expect(integrity.contains { $0.contains(documentPath) && $0.contains("missing") }, "\(integrity)")
        #expect(integrity.contains { $0.contains("Payload-Oxum") }, "\(integrity)")
        #expect(report.files == 1)
    }

    @Test func aRenamedPayloadFileIsRefusedUnreadUnderItsNewName() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.ecdsaP256, in: scratch)
        let changed = scratch.path("renamed.tar")
        let renamed = "data/documents/4-1/12-博士学位证书.pdf"
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try FileManager.default.moveItem(atPath: bag + "/" + documentPath, toPath: bag + "/" + renamed)
            paths = paths.map { $0 == documentPath ? renamed : $0 }
        }
        let report = PackageVerifier.verify(path: changed, trusted: [key])
        #expect(!report.passed)
        // The same bytes under another name: Payload-Oxum alone cannot see it; the manifest does.
        #expect(
            problems(report, .security).contains { $0.contains(renamed) && $0.contains("not listed in the signed") },
            "\(report.problems)"
        )
        #expect(report.files == 0)
    }

    // MARK: Tag files

    @Test func anEditedDigestInTheSHA256ManifestIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let digest = Hex.encode(Digest.sha256(pdf))
        let line = "\(digest)  \(documentPath)"
        try replaceOnce(in: path, Array(line.utf8), with: Array(changingCharacter(line, at: 10).utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        let integrity = problems(report, .integrity)
        #expect(
            integrity == ["manifest-sha256.txt does not match the tag manifest (it was edited).", payloadNotRead],
            "\(integrity)"
        )
        #expect(report.files == 0)
    }

    @Test func anEditedPathInTheSM3ManifestIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let record = Array(#"{"name":"张三"}"#.utf8)
        let line = "\(Hex.encode(Digest.sm3(record)))  data/record.json"
        let edited = "\(Hex.encode(Digest.sm3(record)))  data/recorD.json"
        try replaceOnce(in: path, Array(line.utf8), with: Array(edited.utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        let integrity = problems(report, .integrity)
        #expect(
            integrity == ["manifest-sm3.txt does not match the tag manifest (it was edited).", payloadNotRead],
            "\(integrity)"
        )
        #expect(report.files == 0)
    }

    @Test func anEditedPayloadOxumIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, summary) = try await packed(.sm2, in: scratch)
        let oxum = "Payload-Oxum: \(summary.payloadBytes).2\n"
        try replaceOnce(in: path, Array(oxum.utf8), with: Array("Payload-Oxum: \(summary.payloadBytes).3\n".utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        let integrity = problems(report, .integrity)
        #expect(
            integrity == ["bag-info.txt does not match the tag manifest (it was edited).", payloadNotRead],
            "\(integrity)"
        )
        #expect(report.files == 0)
    }

    @Test func anEditedBagInfoLabelIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.ed25519, in: scratch)
        try replaceOnce(
            in: path,
            Array("Source-Organization: 东海省财政厅".utf8),
            with: Array("Source-Organization: 东海省财政局".utf8)
        )
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed)
        let integrity = problems(report, .integrity)
        #expect(
            integrity == ["bag-info.txt does not match the tag manifest (it was edited).", payloadNotRead],
            "\(integrity)"
        )
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func anEditedSignatureFailsAuthenticityAndNoPayloadIsRead(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let (key, path, summary) = try await packed(algorithm, in: scratch)
        var signature = summary.signature
        signature[signature.count - 1] ^= 0x01
        try replaceOnce(in: path, summary.signature, with: signature)
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed)
        let authenticity = problems(report, .authenticity)
        #expect(
            authenticity.contains { $0.contains("signature") && $0.contains("does not verify") },
            "\(authenticity)"
        )
        #expect(problems(report, .integrity) == [payloadNotRead], "\(report.problems)")
    }

    @Test func anEditedTagManifestIsNamedAndBreaksTheSignature() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
        let line = "\(Hex.encode(Digest.sha256(Array(bagit.utf8))))  bagit.txt"
        try replaceOnce(in: path, Array(line.utf8), with: Array(changingCharacter(line, at: 0).utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        let integrity = problems(report, .integrity)
        #expect(integrity.contains { $0.contains("bagit.txt") && $0.contains("tag manifest") }, "\(integrity)")
        let authenticity = problems(report, .authenticity)
        #expect(
            authenticity.contains { $0.contains("tagmanifest-sha256.txt") && $0.contains("does not verify") },
            "\(authenticity)"
        )
    }

    /// The signer (or whoever holds a trusted key) leaves a tag file out of the tag manifest and
    /// signs again: the signature verifies, but the file it no longer covers could be edited
    /// undetected, so the package must fail, naming the file.
    @Test(arguments: ["bag-info.txt", "manifest-sm3.txt"])
    func aTagFileLeftOutOfASignedTagManifestIsNamed(_ left: String) async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.ed25519, in: scratch)
        let output = scratch.path("left-out.tar")
        try rebuilt(path, in: scratch, to: output) { bag, _ in
            let manifest = bag + "/tagmanifest-sha256.txt"
            let text = String(decoding: try bytes(manifest), as: UTF8.self)
            let kept = text.split(separator: "\n").filter { !$0.hasSuffix("  " + left) }
            #expect(kept.count == text.split(separator: "\n").count - 1, "\(left) was not listed")
            let edited = Array((kept.joined(separator: "\n") + "\n").utf8)
            try Data(edited).write(to: URL(fileURLWithPath: manifest))
            try Data(try key.sign(edited)).write(to: URL(fileURLWithPath: bag + "/signature/signature.bin"))
        }
        let report = PackageVerifier.verify(path: output, trusted: [key])
        #expect(!report.passed)
        #expect(
            report.problems.values.joined().contains { $0.contains(left) },
            "\(report.problems)"
        )
        // The signature itself still holds: what fails is the manifest's coverage.
        #expect(!(problems(report, .authenticity).contains { $0.contains("does not verify") }))
    }

    /// signature/signature.txt is what the inspector's guide reads to choose the openssl command:
    /// a package whose description contradicts its key must not be reported as whole.
    @Test(arguments: ["Algorithm", "Key-Id"])
    func anEditedSignatureDescriptionIsNamed(_ label: String) async throws {
        let scratch = try Scratch()
        let (key, path, summary) = try await packed(.sm2, in: scratch)
        let (old, new) =
            label == "Algorithm"
            ? ("Algorithm: SM2-SM3\n", "Algorithm: Ed25519\n")
            : ("\nKey-Id: \(summary.keyID)\n", "\nKey-Id: \(changingCharacter(summary.keyID, at: 0))\n")
        try replaceOnce(in: path, Array(old.utf8), with: Array(new.utf8))
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(!report.passed, "signature.txt says \(new) and every aspect holds")
        #expect(
            report.problems.values.joined().contains { $0.contains("signature.txt") },
            "\(report.problems)"
        )
    }

    @Test func anExtraFileInTheSignatureFolderIsNamed() async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(.sm2, in: scratch)
        let changed = scratch.path("extra-signature.tar")
        let extra = "signature/certificate.pem"
        try rebuilt(path, in: scratch, to: changed) { bag, paths in
            try Data("-----BEGIN CERTIFICATE-----\n".utf8).write(to: URL(fileURLWithPath: bag + "/" + extra))
            paths.insert(extra, at: paths.firstIndex(of: "signature/signature.txt")! + 1)
        }
        #expect(try PackageExtractor.list(path: changed).map(\.path).contains(extra))
        let report = PackageVerifier.verify(path: changed, trusted: [key])
        #expect(!report.passed, "an extra \(extra) and every aspect holds")
        #expect(
            (report.problems[.integrity] ?? []).contains { $0.contains(extra) && $0.contains("extra") },
            "\(report.problems)"
        )
    }

    // MARK: Keys

    @Test(arguments: SignatureAlgorithm.allCases)
    func aKeyNotTrustedFailsAuthenticityAndThePayloadIsNotRead(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let (key, path, _) = try await packed(algorithm, in: scratch)
        let other = try SigningKey.load(pem: SigningKey.generate(algorithm).publicPEM())
        let keyID = try key.keyID()
        for trusted: TrustAnchors in [[], [other]] {
            let report = PackageVerifier.verify(path: path, trusted: trusted)
            #expect(!report.passed)
            let authenticity = problems(report, .authenticity)
            #expect(
                authenticity.count == 1 && authenticity[0].contains("not one you trust")
                    && authenticity[0].contains(keyID),
                "\(authenticity)"
            )
            #expect(problems(report, .integrity) == [payloadNotRead], "\(report.problems)")
            #expect(problems(report, .usability).isEmpty, "\(report.problems)")
            #expect(problems(report, .security).isEmpty, "\(report.problems)")
            #expect(report.keyID == keyID)
            #expect(report.files == 0)
        }
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPackageSignedByAnotherKeyOfTheSameAlgorithmIsNotTrusted(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let agency = try SigningKey.generate(algorithm)
        let forger = try SigningKey.generate(algorithm)
        let path = scratch.path("forged.tar")
        _ = try await ArchivePackage.pack(content(), signer: forger, to: path)
        let report = PackageVerifier.verify(path: path, trusted: [try SigningKey.load(pem: agency.publicPEM())])
        let forgerID = try forger.keyID()
        #expect(!report.passed)
        #expect(
            problems(report, .authenticity).contains { $0.contains("not one you trust") && $0.contains(forgerID) },
            "\(report.problems)"
        )
        #expect(report.keyID == forgerID)
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func aPackageClaimingTheTrustedKeyButSignedByAnotherDoesNotVerify(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let agency = try SigningKey.generate(algorithm)
        let forger = try SigningKey.generate(algorithm)
        let path = scratch.path("forged.tar")
        _ = try await ArchivePackage.pack(content(), signer: forger, to: path)
        // Swap the forger's public key in signature/ for the agency's (same length, same algorithm).
        try replaceOnce(in: path, Array(try forger.publicPEM().utf8), with: Array(try agency.publicPEM().utf8))
        let report = PackageVerifier.verify(path: path, trusted: [try SigningKey.load(pem: agency.publicPEM())])
        #expect(!report.passed)
        #expect(
            problems(report, .authenticity).contains { $0.contains("does not verify") },
            "\(report.problems)"
        )
    }

    // MARK: Reproducibility

    @Test(arguments: [false, true])
    func twoEd25519PacksASecondApartAreByteIdentical(_ zstd: Bool) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.ed25519)
        _ = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("a.tar"), zstd: zstd)
        try await Task.sleep(for: .milliseconds(1100))
        _ = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("b.tar"), zstd: zstd)
        #expect(try bytes(scratch.path("a.tar")) == bytes(scratch.path("b.tar")))
    }

    @Test(arguments: [SignatureAlgorithm.sm2, .ecdsaP256])
    func randomizedSignaturesAreByteIdenticalOnlyWhenTheSignatureIsKept(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(algorithm)
        let first = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("a.tar"))
        try await Task.sleep(for: .milliseconds(1100))
        var asked: [String] = []
        let kept = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("b.tar")) { digest in
            asked.append(digest)
            return digest == first.tagManifestSHA256 ? first.signature : nil
        }
        #expect(asked == [first.tagManifestSHA256])
        #expect(kept.signature == first.signature)
        #expect(try bytes(scratch.path("a.tar")) == bytes(scratch.path("b.tar")))

        let fresh = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("c.tar"))
        #expect(fresh.tagManifestSHA256 == first.tagManifestSHA256)
        #expect(fresh.signature != first.signature)
        #expect(try bytes(scratch.path("a.tar")) != bytes(scratch.path("c.tar")))
        #expect(PackageVerifier.verify(path: scratch.path("c.tar"), trusted: [key]).passed)
    }

    @Test func aStoredSignatureThatDoesNotVerifyIsRefusedAndNothingIsWritten() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.sm2)
        let first = try await ArchivePackage.pack(content(), signer: key, to: scratch.path("a.tar"))
        var wrong = first.signature
        wrong[wrong.count - 1] ^= 0x01
        await #expect(throws: ArchiveError.self) {
            try await ArchivePackage.pack(content(), signer: key, to: scratch.path("b.tar")) { _ in wrong }
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path("b.tar")))
    }

    // MARK: Chinese names and zstd

    @Test func chineseNamesAndTitlesRoundTrip() async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(.sm2)
        var package = content()
        let appointment = "data/documents/9-1/3-干部任免审批表（2024年）.pdf"
        package.payload.append(PayloadFile(path: appointment, source: .bytes(pdf + Array("任免".utf8))))
        package.bagInfo.append(("Dossier-Title", "张三的干部人事档案"))
        let path = scratch.path("中文.tar")
        _ = try await ArchivePackage.pack(package, signer: key, to: path)

        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(report.passed, "\(report.problems)")
        #expect(report.files == 3)
        let listed = try PackageExtractor.list(path: path).map(\.path)
        #expect(listed.suffix(3) == [documentPath, appointment, "data/record.json"])

        // Stock bsdtar reads the same names.
        let stock = try runTool("/usr/bin/bsdtar", ["-tf", path])
        #expect(stock.status == 0, "\(stock)")
        #expect(stock.output.contains("dossier-7-test/" + appointment), "\(stock)")

        let destination = scratch.path("档案")
        try PackageExtractor.extract(path: path, to: destination)
        #expect(try bytes(destination + "/" + appointment) == pdf + Array("任免".utf8))
        #expect(try bytes(destination + "/" + documentPath) == pdf)
        let bagInfo = try String(contentsOfFile: destination + "/bag-info.txt", encoding: .utf8)
        #expect(bagInfo.contains("Source-Organization: 东海省财政厅\n"), "\(bagInfo)")
        #expect(bagInfo.contains("Dossier-Title: 张三的干部人事档案\n"), "\(bagInfo)")
        let manifest = try String(contentsOfFile: destination + "/manifest-sm3.txt", encoding: .utf8)
        #expect(manifest.contains("  \(appointment)\n"), "\(manifest)")
    }

    @Test(arguments: SignatureAlgorithm.allCases)
    func zstdPackagesVerifyAndAreCaughtWhenChanged(_ algorithm: SignatureAlgorithm) async throws {
        let scratch = try Scratch()
        let key = try SigningKey.generate(algorithm)
        let path = scratch.path("p.tar.zst")
        _ = try await ArchivePackage.pack(content(), signer: key, to: path, zstd: true)
        #expect(try bytes(path).prefix(4) == [0x28, 0xB5, 0x2F, 0xFD])
        let report = PackageVerifier.verify(path: path, trusted: [key])
        #expect(report.passed, "\(report.problems)")
        #expect(report.files == 2)
        #expect(try PackageExtractor.list(path: path).map(\.path).contains(documentPath))

        // The same change as in a plain tar, recompressed with stock bsdtar: still named.
        let plain = scratch.path("p.tar")
        let unpacked = try runTool("/usr/bin/bsdtar", ["--format", "pax", "-cf", plain, "@" + path])
        try #require(unpacked.status == 0, "\(unpacked)")
        try replaceOnce(in: plain, Array("trailer".utf8), with: Array("Trailer".utf8))
        let changed = scratch.path("changed.tar.zst")
        let recompressed = try runTool("/usr/bin/bsdtar", ["--zstd", "--format", "pax", "-cf", changed, "@" + plain])
        try #require(recompressed.status == 0, "\(recompressed)")
        let tampered = PackageVerifier.verify(path: changed, trusted: [key])
        #expect(
            problems(tampered, .integrity).contains { $0.contains(documentPath) && $0.contains("SHA-256") },
            "\(tampered.problems)"
        )
    }
}
