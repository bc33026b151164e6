import DossierCore
public import DossierCrypto
import Foundation

/// The outcome of checking a package, organised as the 四性 of DA/T 70: authenticity (真实性),
/// integrity (完整性), usability (可用性) and security (安全性). Each aspect lists what is
/// wrong; an aspect with nothing listed holds.
public struct VerificationReport: Sendable, Hashable {
    public enum Aspect: String, Sendable, Hashable, CaseIterable {
        case authenticity, integrity, usability, security

        public var chineseName: String {
            switch self {
            case .authenticity: return "真实性"
            case .integrity: return "完整性"
            case .usability: return "可用性"
            case .security: return "安全性"
            }
        }
    }

    public var packageID: String?
    public var keyID: String?
    /// Who the signer's certificate names, when the package carries one and it chains to a
    /// trusted root (a name nothing vouches for is not shown).
    public var signer: String?
    public var files = 0
    public var payloadBytes: Int64 = 0
    public var problems: [Aspect: [String]] = [:]
    /// What the check cost: the bytes decompressed from the file (tar headers and padding
    /// included) and the entries examined, also when it stopped early. Not part of its JSON.
    public var examinedBytes: Int64 = 0
    public var examinedEntries = 0
    /// True when the check was stopped before it finished (its `CancellationFlag` was set).
    public var cancelled = false
    /// The tag files asked for beyond the profile (`extraTagFiles`), as read: an exchange
    /// envelope travels in one. Only what the package holds; checked by whoever asked.
    public var extraTags: [String: [UInt8]] = [:]
    /// SHA-256 of the package's tag manifest as read (what its signature covers), when it has one.
    public var tagManifestSHA256: String?
    /// The public key (PEM) the package says signed it, when it has a usable one: whoever asked
    /// for extra tag files checks their signatures with it.
    public var signerPublicKeyPEM: String?

    /// True when all four aspects hold.
    public var passed: Bool { problems.values.allSatisfy(\.isEmpty) }

    mutating func add(_ aspect: Aspect, _ problem: String) { problems[aspect, default: []].append(problem) }

}

/// What a verifier trusts: public keys it holds directly, and root certificates whose chains
/// vouch for an agency's key.
public struct TrustAnchors: Sendable, ExpressibleByArrayLiteral {
    public var keys: [SigningKey]
    public var roots: [Certificate]
    /// Keys (by key id) revoked on this node: a package they signed is not trusted, even when a
    /// trusted root certifies them — revoking is how a stolen key is stopped.
    public var revokedKeyIDs: Set<String> = []

    public init(keys: [SigningKey], roots: [Certificate]) {
        self.keys = keys
        self.roots = roots
    }

    /// Trusts nothing yet.
    public init() { self.init(keys: [], roots: []) }

    /// These anchors without any key or root whose key is revoked: a revocation on this node
    /// wins over a key or root brought along from elsewhere (an inspector's `--trust` file).
    public var withoutRevoked: TrustAnchors {
        guard !revokedKeyIDs.isEmpty else { return self }
        var anchors = TrustAnchors(
            keys: keys.filter { (try? $0.keyID()).map { !revokedKeyIDs.contains($0) } ?? false },
            roots: roots.filter { (try? $0.publicKey().keyID()).map { !revokedKeyIDs.contains($0) } ?? false }
        )
        anchors.revokedKeyIDs = revokedKeyIDs
        return anchors
    }

    /// Trusts exactly these keys.
    public init(arrayLiteral keys: SigningKey...) { self.init(keys: keys, roots: []) }
}

/// Receives a package's payload files as the verifier reads them, so a receiver stores what it
/// checks in the same pass (one read of the package, not two). Called in order for each payload
/// file: `begin`, `write` for each block, `end` with the digests computed; a throw stops the
/// check. What was received is trustworthy only when the whole report passed.
public protocol PayloadSink: AnyObject {
    func begin(path: String, size: Int64) throws
    func write(_ chunk: UnsafeRawBufferPointer) throws
    func end(path: String, sha256: String, sm3: String) throws
}

/// Checks a package in one streaming pass, without extracting it: structure and safety, both
/// manifests for every payload file, Payload-Oxum, the tag manifest, the signature and whether
/// its key is trusted, and that no file is missing or extra.
public enum PackageVerifier {
    /// The tag files a package may have, with how much of each is read into memory at most.
    static let knownTagFiles: [String: Int] = [
        "bagit.txt": 4096, "bag-info.txt": 1 << 20, "manifest-sha256.txt": 64 << 20, "manifest-sm3.txt": 64 << 20,
        "tagmanifest-sha256.txt": 1 << 20, "signature/public-key.pem": 64 << 10, "signature/signature.bin": 64 << 10,
        "signature/signature.txt": 64 << 10, ArchivePackage.chainFile: 256 << 10,
    ]

    /// Verifies the package at `path`. Certificates must be valid at `time` (Unix seconds; by
    /// default now, as `openssl verify` checks). Setting `cancellation` stops the check between
    /// two blocks of data; the report then says it was cancelled.
    ///
    /// Nothing of the payload is read before the package is known to come from a trusted signer:
    /// the tag files come first, so when the first payload entry is reached they are checked
    /// (bagit.txt, and every tag file against the tag manifest) with the signature over the tag
    /// manifest and the trust in its key. If any of that fails, or anything else is wrong before
    /// the payload, the check stops there, without reading a payload byte or calling `sink`.
    /// From then on the signed manifests say what the payload is: an entry they do not list, or
    /// anything but payload, is refused unread. Payload-Oxum and files missing from the payload
    /// are checked at the end. (A package without payload is checked whole at its end.)
    ///
    /// The work is bounded three ways, each refusing the package with a sentence as soon as it
    /// is exceeded: by `limits` (entries, bytes, and expansion over the file's own size, which
    /// bound everything read before `bag-info.txt`), and, once `bag-info.txt` is read, by its
    /// `Payload-Oxum`: a payload file that would take the payload beyond the bytes or files it
    /// declares is refused before a byte of it is read.
    ///
    /// `extraTagFiles` names tag files beyond the profile that may come with the tag files (an
    /// exchange envelope), with how much of each is read at most; they are returned in the
    /// report's `extraTags`, not checked here. `sink`, when given, receives each payload file as
    /// it is read and checked.
    public static func verify(
        path: String,
        trusted: TrustAnchors,
        at time: Int64? = nil,
        limits: PackageLimits = PackageLimits(),
        cancellation: CancellationFlag? = nil,
        extraTagFiles: [String: Int] = [:],
        sink: (any PayloadSink)? = nil
    )
        -> VerificationReport
    {
        let trusted = trusted.withoutRevoked
        let time = time ?? Int64(Date().timeIntervalSince1970)
        var report = VerificationReport()
        var tags: [String: [UInt8]] = [:]
        // The signed manifests, once the tag files before the payload have been checked.
        var manifests: Manifests?
        var seenPayload: Set<String> = []
        var declared: PayloadOxum?
        var reader: TarReader?
        // What the reading cost, whichever way it ended (a `defer` could not change the value
        // being returned).
        func counted(_ report: VerificationReport) -> VerificationReport {
            var report = report
            report.examinedBytes = reader?.expandedBytes ?? 0
            report.examinedEntries = reader?.entries ?? 0
            return report
        }
        do {
            let tar = try TarReader(path: path, limits: limits, cancellation: cancellation)
            reader = tar
            while let entry = try tar.next() {
                report.packageID = tar.root
                if entry.isDirectory { continue }
                if entry.path.hasPrefix("data/") {
                    if manifests == nil {
                        // Every tag file has been read: the payload is read only for a package
                        // whose tag files and signature hold.
                        manifests = checkTagFilesAndSignature(tags, trusted: trusted, at: time, &report)
                        guard report.passed else {
                            report.add(
                                .integrity,
                                "The payload was not checked: the package was refused on its tag files or signature, before any of it was read."
                            )
                            return counted(report)
                        }
                    }
                    guard let expected = manifests?.expected(entry.path) else {
                        throw ArchiveError(
                            "\(entry.path) is not listed in the signed \(manifests?.missingFrom(entry.path) ?? "manifest-sha256.txt") (an extra file); the package is refused without reading it."
                        )
                    }
                    if let declared {
                        try declared.admit(entry, after: report)
                    }
                    let sha = Hasher(.sha256)
                    let sm3 = Hasher(.sm3)
                    var head: [UInt8] = []
                    var whole: [UInt8]? = entry.path == "data/record.json" ? [] : nil
                    try sink?.begin(path: entry.path, size: entry.size)
                    try tar.readData { chunk in
                        try sink?.write(chunk)
                        sha.update(chunk)
                        sm3.update(chunk)
                        if head.count < 512 { head += chunk.prefix(512 - head.count) }
                        if whole != nil, (whole?.count ?? 0) < 64 << 20 { whole?.append(contentsOf: chunk) }
                    }
                    seenPayload.insert(entry.path)
                    report.files += 1
                    report.payloadBytes += entry.size
                    let shaDigest = Hex.encode(sha.finish())
                    let sm3Digest = Hex.encode(sm3.finish())
                    try sink?.end(path: entry.path, sha256: shaDigest, sm3: sm3Digest)
                    if expected.sha256 != shaDigest {
                        report.add(.integrity, "\(entry.path): its SHA-256 does not match the manifest.")
                    }
                    if expected.sm3 != sm3Digest {
                        report.add(.integrity, "\(entry.path): its SM3 does not match the manifest.")
                    }
                    if let whole, (try? JSONSerialization.jsonObject(with: Data(whole))) == nil {
                        report.add(.usability, "data/record.json is not readable JSON.")
                    }
                    if entry.path.hasPrefix("data/documents/"), MediaType.detect(head) == nil {
                        report.add(.usability, "\(entry.path) is not a PDF, OFD, JPEG, PNG or TIFF file.")
                    }
                } else if manifests != nil {
                    // The tag files were checked when the payload began: whatever comes now was
                    // not part of that check, and is not read.
                    if knownTagFiles[entry.path] != nil || extraTagFiles[entry.path] != nil {
                        throw ArchiveError(
                            "\(entry.path) comes after the payload; tag files must come first. The package is refused without reading it."
                        )
                    }
                    throw ArchiveError(
                        "\(entry.path) is not part of the package profile (an extra file) and comes after the payload; the package is refused without reading it."
                    )
                } else if let cap = knownTagFiles[entry.path] {
                    tags[entry.path] = try tar.readAll(limit: cap)
                    if entry.path == "bag-info.txt", let info = text(tags[entry.path]), let oxum = PayloadOxum(info) {
                        // From here the declared total bounds the payload (and what came before
                        // it, when the tag file comes late).
                        try oxum.check(after: report)
                        declared = oxum
                    }
                } else if let cap = extraTagFiles[entry.path] {
                    report.extraTags[entry.path] = try tar.readAll(limit: cap)
                } else {
                    // Not part of the profile: never read, only reported (and the payload after
                    // it is not read either).
                    report.add(.integrity, "\(entry.path) is not part of the package profile (an extra file).")
                }
            }
        } catch let error as ArchiveError {
            report.cancelled = error.isCancellation
            report.add(.security, error.description)
            return counted(report)
        } catch {
            report.add(.security, "The package cannot be read: \(error).")
            return counted(report)
        }
        report = counted(report)
        if manifests == nil {
            // No payload: the tag files and signature are checked now.
            manifests = checkTagFilesAndSignature(tags, trusted: trusted, at: time, &report)
        }
        for path in (manifests?.paths ?? []).subtracting(seenPayload).sorted() {
            report.add(.integrity, "\(path) is listed in the manifests but missing.")
        }
        checkPayloadOxum(tags, &report)
        return report
    }

    /// The payload the signed manifests describe: each file's SHA-256 and SM3.
    private struct Manifests {
        var sha256: [String: String]
        var sm3: [String: String]

        var paths: Set<String> { Set(sha256.keys).union(sm3.keys) }

        /// Both digests of a payload file, nil when a manifest does not list it.
        func expected(_ path: String) -> (sha256: String, sm3: String)? {
            guard let sha = sha256[path], let sm3 = sm3[path] else { return nil }
            return (sha, sm3)
        }

        /// The manifest that does not list `path`.
        func missingFrom(_ path: String) -> String {
            sha256[path] == nil ? "manifest-sha256.txt" : "manifest-sm3.txt"
        }
    }

    /// What can be checked once the tag files are read: bagit.txt, every tag file against the
    /// tag manifest, the signature over it and the trust in its key, and the manifests' form.
    /// Returns the manifests as parsed (empty when missing).
    private static func checkTagFilesAndSignature(
        _ tags: [String: [UInt8]],
        trusted: TrustAnchors,
        at time: Int64,
        _ report: inout VerificationReport
    ) -> Manifests {
        let manifests = Manifests(
            sha256: parseManifest(tags["manifest-sha256.txt"], &report, "manifest-sha256.txt"),
            sm3: parseManifest(tags["manifest-sm3.txt"], &report, "manifest-sm3.txt")
        )
        checkTags(tags, &report)
        report.tagManifestSHA256 = tags["tagmanifest-sha256.txt"].map { Hex.encode(Digest.sha256($0)) }
        checkSignature(tags, trusted: trusted, at: time, &report)
        return manifests
    }

    private static func text(_ bytes: [UInt8]?) -> String? {
        bytes.flatMap { String(validating: $0, as: UTF8.self) }
    }

    private static func parseManifest(
        _ bytes: [UInt8]?,
        _ report: inout VerificationReport,
        _ name: String
    )
        -> [String: String]
    {
        guard let content = text(bytes) else {
            report.add(.integrity, "\(name) is missing or not UTF-8 text.")
            return [:]
        }
        var result: [String: String] = [:]
        for line in content.split(separator: "\n", omittingEmptySubsequences: true) {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].count == 64, parts[1].hasPrefix(" ") else {
                report.add(.integrity, "\(name) has a malformed line.")
                continue
            }
            let path = String(parts[1].dropFirst())
            if result.updateValue(String(parts[0]).lowercased(), forKey: path) != nil {
                report.add(.integrity, "\(name) lists \(path) twice.")
            }
        }
        return result
    }

    private static func checkTags(_ tags: [String: [UInt8]], _ report: inout VerificationReport) {
        if text(tags["bagit.txt"]) != ArchivePackage.bagitText {
            report.add(.usability, "bagit.txt is missing or does not declare BagIt 1.0 in UTF-8.")
        }
        guard let manifest = text(tags["tagmanifest-sha256.txt"]) else {
            report.add(.integrity, "tagmanifest-sha256.txt is missing.")
            return
        }
        var listed: [String: String] = [:]
        for line in manifest.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[1].hasPrefix(" ") else {
                report.add(.integrity, "tagmanifest-sha256.txt has a malformed line.")
                continue
            }
            listed[String(parts[1].dropFirst())] = String(parts[0]).lowercased()
        }
        for name in ArchivePackage.tagFiles {
            guard let expected = listed[name] else {
                report.add(.integrity, "tagmanifest-sha256.txt does not list \(name).")
                continue
            }
            guard let bytes = tags[name] else {
                report.add(.integrity, "\(name) is missing.")
                continue
            }
            if Hex.encode(Digest.sha256(bytes)) != expected {
                report.add(.integrity, "\(name) does not match the tag manifest (it was edited).")
            }
        }
    }

    /// Payload-Oxum: "<bytes>.<files>" must describe the payload actually present.
    private static func checkPayloadOxum(_ tags: [String: [UInt8]], _ report: inout VerificationReport) {
        if let info = text(tags["bag-info.txt"]), let line = PayloadOxum.line(info) {
            let expected = "\(report.payloadBytes).\(report.files)"
            if line.dropFirst(PayloadOxum.label.count) != expected {
                report.add(
                    .integrity,
                    "Payload-Oxum says \(line.dropFirst(PayloadOxum.label.count)), the payload is \(expected)."
                )
            }
        } else {
            report.add(.integrity, "bag-info.txt is missing or has no Payload-Oxum.")
        }
    }

    private static func checkSignature(
        _ tags: [String: [UInt8]],
        trusted: TrustAnchors,
        at time: Int64,
        _ report: inout VerificationReport
    ) {
        guard let manifest = tags["tagmanifest-sha256.txt"], let signature = tags["signature/signature.bin"],
            let pem = text(tags["signature/public-key.pem"])
        else {
            report.add(.authenticity, "The package has no complete signature (signature/ folder).")
            return
        }
        guard let key = try? SigningKey.load(pem: pem), !key.isPrivate else {
            report.add(.authenticity, "signature/public-key.pem is not a public key Dossier can use.")
            return
        }
        let keyID = try? key.keyID()
        report.keyID = keyID
        report.signerPublicKeyPEM = pem
        let chain = tags[ArchivePackage.chainFile].map { text($0).flatMap { try? Certificate.loadAll(pem: $0) } ?? [] }
        // The description must say what the signature is: inspectors choose their openssl
        // command from it.
        let description = text(tags["signature/signature.txt"]) ?? ""
        var expected = [
            "Algorithm: \(ArchivePackage.label(key.algorithm))", "Key-Id: \(keyID ?? "")",
            "Signed-File: tagmanifest-sha256.txt", "Signature-File: signature/signature.bin",
            "Public-Key-File: signature/public-key.pem",
        ]
        if chain != nil { expected.append(ArchivePackage.chainLine) }
        if description.split(separator: "\n").map(String.init) != expected {
            report.add(
                .authenticity,
                "signature/signature.txt does not describe this signature and key (it was edited)."
            )
        }
        guard key.verify(signature, over: manifest) else {
            report.add(
                .authenticity,
                "The signature over tagmanifest-sha256.txt does not verify: the package was changed or signed by another key."
            )
            return
        }
        // A revoked key vouches for nothing: the signer's, or a certifying one in its chain.
        let keys = [keyID].compactMap { $0 } + (chain ?? []).dropFirst().compactMap { try? $0.publicKey().keyID() }
        if let revoked = keys.first(where: trusted.revokedKeyIDs.contains) {
            report.add(
                .authenticity,
                "The signature is valid, but it rests on a key revoked on this node (\(revoked)): it is not trusted."
            )
            return
        }
        let keyTrusted = trusted.keys.contains { (try? $0.keyID()) == keyID && $0.verify(signature, over: manifest) }
        // A certificate chain vouches for the key when its first certificate is for this very
        // key, allows signing, and chains to a trusted root.
        var chainProblem: String?
        if let chain {
            if let leaf = chain.first {
                if (try? leaf.publicKey().keyID()) != keyID {
                    report.add(
                        .authenticity,
                        "The certificate in the package is for another key than the one that signed."
                    )
                    return
                }
                if !leaf.allowsSigning {
                    report.add(.authenticity, "The signer's certificate does not allow digital signatures.")
                    return
                }
                chainProblem = leaf.chainProblem(
                    intermediates: Array(chain.dropFirst()),
                    roots: trusted.roots,
                    at: time
                )
            } else {
                report.add(.authenticity, "\(ArchivePackage.chainFile) is not a certificate chain Dossier can read.")
                return
            }
        }
        if chain != nil, chainProblem == nil {
            report.signer = chain?.first?.subject
            return
        }
        if keyTrusted { return }
        if let chainProblem, !trusted.roots.isEmpty {
            report.add(
                .authenticity,
                "The signature is valid, but its certificate chain does not lead to a root you trust: \(chainProblem)."
            )
        } else {
            report.add(
                .authenticity,
                "The signature is valid, but its key \(keyID ?? "?") is not one you trust (no trusted key or root certificate vouches for it)."
            )
        }
    }
}

/// The payload a package declares in `bag-info.txt` (`Payload-Oxum: OCTETS.COUNT`, BagIt RFC
/// 8493 §2.2.2): read as soon as it is met, it bounds the payload the verifier reads.
struct PayloadOxum {
    static let label = "Payload-Oxum: "
    var bytes: Int64
    var files: Int

    /// The Payload-Oxum line of a `bag-info.txt`, if any.
    static func line(_ info: String) -> Substring? {
        info.split(separator: "\n").first { $0.hasPrefix(label) }
    }

    /// The declaration in `info`; nil when there is none or it is not two whole numbers.
    init?(_ info: String) {
        guard let line = Self.line(info) else { return nil }
        let parts = line.dropFirst(Self.label.count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = Int64(parts[0]), let files = Int(parts[1]), bytes >= 0, files >= 0
        else { return nil }
        self.bytes = bytes
        self.files = files
    }

    /// Refuses the package when the payload read before `bag-info.txt` is already beyond the
    /// declaration.
    func check(after report: VerificationReport) throws {
        guard report.payloadBytes <= bytes, report.files <= files else {
            throw ArchiveError(
                "The payload before bag-info.txt is already more than its Payload-Oxum declares (\(declaration)); the package is refused."
            )
        }
    }

    /// Refuses `entry`, unread, when it would take the payload beyond the declaration.
    func admit(_ entry: TarEntry, after report: VerificationReport) throws {
        guard report.files < files, entry.size <= bytes - report.payloadBytes else {
            throw ArchiveError(
                "\(entry.path) goes beyond the payload its Payload-Oxum declares (\(declaration)); the package is refused without reading further."
            )
        }
    }

    private var declaration: String { "\(bytes) bytes in \(files) files" }
}
