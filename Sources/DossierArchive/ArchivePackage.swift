import Dispatch
import DossierCore
public import DossierCrypto
import Glibc
import Synchronization

/// A file of a package's payload (under `data/`).
public struct PayloadFile: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case bytes([UInt8])
        /// A file on disk with its size and, when already known (documents in the blob store),
        /// its digests; unknown digests are computed.
        case file(path: String, size: Int64, sha256: String?, sm3: String?)
    }

    /// The path inside the bag, starting with `data/`.
    public var path: String
    public var source: Source

    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }
}

/// What goes into a package.
public struct PackageContent: Sendable {
    /// The bag's folder name and package identifier.
    public var packageID: String
    /// `bag-info.txt` labels in order (Payload-Oxum and the signer's key id are added).
    public var bagInfo: [(label: String, value: String)]
    public var payload: [PayloadFile]

    public init(packageID: String, bagInfo: [(label: String, value: String)], payload: [PayloadFile]) {
        self.packageID = packageID
        self.bagInfo = bagInfo
        self.payload = payload
    }
}

/// What packing produced.
public struct PackSummary: Sendable, Hashable {
    public var path: String
    public var files: Int
    public var payloadBytes: Int64
    public var keyID: String
    /// SHA-256 of the tag manifest (what the signature covers).
    public var tagManifestSHA256: String
    /// The signature over the tag manifest.
    public var signature: [UInt8]
}

/// The archive package format (Archives/PROFILE.md): a BagIt 1.0 bag with SHA-256 and SM3
/// manifests and a signature over its tag manifest, serialized as a reproducible pax tar with
/// the tag files first, so a verifier can check everything in one streaming pass.
public enum ArchivePackage {
    public static let profileVersion = "1.0"
    static let tagFiles = ["bagit.txt", "bag-info.txt", "manifest-sha256.txt", "manifest-sm3.txt"]
    static let bagitText = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    /// The signer's certificate chain, when it has one (leaf first, PEM).
    static let chainFile = "signature/certificate-chain.pem"
    static let chainLine = "Certificate-Chain-File: \(chainFile)"

    /// The algorithm label written in `signature/signature.txt`.
    public static func label(_ algorithm: SignatureAlgorithm) -> String {
        switch algorithm {
        case .sm2: return "SM2-SM3"
        case .ed25519: return "Ed25519"
        case .ecdsaP256: return "ECDSA-P256-SHA256"
        }
    }

    /// A payload or folder name is safe when it has no `%`, CR, LF, backslash or control
    /// character (BagIt tools disagree on escaping those), and no empty, `.` or `..` part.
    public static func isSafePath(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), path.utf8.count <= maxPathBytes else { return false }
        guard !path.unicodeScalars.contains(where: isUnsafeInName) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != "." && $0 != ".." && $0.utf8.count <= maxNameBytes
        }
    }

    /// The longest path, and the longest part of a path, a package may hold (in UTF-8 bytes):
    /// room for any title, and a bound for whoever reads a package.
    public static let maxPathBytes = 1024
    public static let maxNameBytes = 255

    /// A character no name in a package may hold: `%` and `\\` (bagit.py and Windows read them
    /// differently), every control or line-breaking character — C0 and C1 controls, DEL,
    /// U+2028 and U+2029 — which would split a manifest line or reach an inspector's terminal,
    /// and the invisible formatting characters refused in titles and names too
    /// (`InvisibleFormatting`: a right-to-left override makes `x\u{202E}fdp.exe` look like a PDF).
    public static func isUnsafeInName(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "%" || scalar == "\\" || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
            || scalar == "\u{2028}" || scalar == "\u{2029}" || InvisibleFormatting.contains(scalar)
    }

    /// Writes the package to `path` (which must not exist), signed by `signer`. `certificates`,
    /// when the agency holds a certificate for its key, is the chain (the signer's certificate
    /// first, then the intermediates up to, not including, the root) that goes in the package.
    /// `signature`, when given, returns a stored signature for this tag manifest, so that
    /// packing the same state again is byte-identical even with a randomized signature algorithm.
    /// `extraTags`, given the tag manifest's SHA-256, returns tag files outside the profile to
    /// write after the signature and before the payload (an exchange envelope, which names the
    /// tag manifest it travels with); they are not in the tag manifest.
    public static func pack(
        _ content: PackageContent,
        signer: SigningKey,
        certificates: [Certificate] = [],
        to path: String,
        zstd: Bool = false,
        signature storedSignature: (_ tagManifestSHA256: String) async -> [UInt8]? = { _ in nil },
        extraTags: (_ tagManifestSHA256: String) throws -> [(path: String, bytes: [UInt8])] = { _ in [] }
    ) async throws -> PackSummary {
        guard isSafePath(content.packageID), !content.packageID.contains("/") else {
            throw ArchiveError("The package id \(content.packageID) is not a safe folder name.")
        }
        var seen: Set<String> = []
        for file in content.payload {
            guard file.path.hasPrefix("data/"), isSafePath(file.path), seen.insert(file.path).inserted else {
                throw ArchiveError("The payload path \(file.path) is not allowed (or appears twice).")
            }
        }
        let entries = try digests(of: content.payload)
        let order = entries.indices.sorted { entries[$0].path.utf8.lexicographicallyPrecedes(entries[$1].path.utf8) }
        let payloadBytes = entries.reduce(Int64(0)) { $0 + $1.size }
        let keyID = try signer.keyID()
        if let leaf = certificates.first, try leaf.publicKey().keyID() != keyID {
            throw ArchiveError("The node's certificate is for another key than the one that signs.")
        }
        let chainPEM = try certificates.map { try $0.pem() }.joined()

        var bagInfo = content.bagInfo.map { "\($0.label): \($0.value)\n" }.joined()
        bagInfo += "Payload-Oxum: \(payloadBytes).\(entries.count)\n"
        bagInfo += "Dossier-Signer-Key-Id: \(keyID)\n"
        let manifestSHA = order.map { "\(entries[$0].sha256)  \(entries[$0].path)\n" }.joined()
        let manifestSM3 = order.map { "\(entries[$0].sm3)  \(entries[$0].path)\n" }.joined()
        let tagTexts = [bagitText, bagInfo, manifestSHA, manifestSM3]
        let tagManifest = zip(tagFiles, tagTexts).sorted { $0.0 < $1.0 }.map {
            "\(Hex.encode(Digest.sha256(Array($0.1.utf8))))  \($0.0)\n"
        }.joined()
        let tagManifestBytes = Array(tagManifest.utf8)
        let tagManifestDigest = Hex.encode(Digest.sha256(tagManifestBytes))
        let stored = await storedSignature(tagManifestDigest)
        let signature = try stored ?? signer.sign(tagManifestBytes)
        guard signer.verify(signature, over: tagManifestBytes) else {
            throw ArchiveError("The signature for this package does not verify with the node's key.")
        }
        let signatureText = """
            Algorithm: \(label(signer.algorithm))
            Key-Id: \(keyID)
            Signed-File: tagmanifest-sha256.txt
            Signature-File: signature/signature.bin
            Public-Key-File: signature/public-key.pem

            """
            + (certificates.isEmpty ? "" : "\(chainLine)\n")

        let extra = try extraTags(tagManifestDigest)
        for (name, _) in extra where name.hasPrefix("data/") || tagFiles.contains(name) || !isSafePath(name) {
            throw ArchiveError("The tag file \(name) is not allowed beside the profile's own.")
        }
        let writer = try TarWriter(path: path, zstd: zstd)
        let root = content.packageID + "/"
        for (name, text) in zip(tagFiles, tagTexts) { try writer.add(root + name, bytes: Array(text.utf8)) }
        try writer.add(root + "tagmanifest-sha256.txt", bytes: tagManifestBytes)
        if !certificates.isEmpty { try writer.add(root + chainFile, bytes: Array(chainPEM.utf8)) }
        try writer.add(root + "signature/public-key.pem", bytes: Array(try signer.publicPEM().utf8))
        try writer.add(root + "signature/signature.bin", bytes: signature)
        try writer.add(root + "signature/signature.txt", bytes: Array(signatureText.utf8))
        for (name, bytes) in extra { try writer.add(root + name, bytes: bytes) }
        for index in order {
            let file = content.payload[index]
            switch file.source {
            case .bytes(let bytes): try writer.add(root + file.path, bytes: bytes)
            case .file(let source, let size, _, _):
                try writer.add(root + file.path, file: source, size: size, sha256: entries[index].sha256)
            }
        }
        try writer.finish()
        return PackSummary(
            path: path,
            files: entries.count,
            payloadBytes: payloadBytes,
            keyID: keyID,
            tagManifestSHA256: tagManifestDigest,
            signature: signature
        )
    }
}

extension ArchivePackage {
    /// The digests of every payload file: known ones taken as they are, the others computed on
    /// all cores (hashing, SM3 above all, is most of the work of packing).
    static func digests(of payload: [PayloadFile]) throws -> [(path: String, sha256: String, sm3: String, size: Int64)]
    {
        let results = Mutex<[Int: Result<(String, String, Int64), ArchiveError>]>([:])
        DispatchQueue.concurrentPerform(iterations: payload.count) { index in
            let outcome: Result<(String, String, Int64), ArchiveError>
            switch payload[index].source {
            case .bytes(let bytes):
                outcome = .success(
                    (Hex.encode(Digest.sha256(bytes)), Hex.encode(Digest.sm3(bytes)), Int64(bytes.count))
                )
            case .file(_, let size, let sha256?, let sm3?):
                outcome = .success((sha256, sm3, size))
            case .file(let source, let size, _, _):
                do {
                    let digests = try FileDigests.of(source)
                    outcome =
                        digests.size == size
                        ? .success((digests.sha256, digests.sm3, size))
                        : .failure(ArchiveError("\(source) does not have the size recorded."))
                } catch let error as ArchiveError {
                    outcome = .failure(error)
                } catch {
                    outcome = .failure(ArchiveError("Cannot read \(source)."))
                }
            }
            results.withLock { $0[index] = outcome }
        }
        let collected = results.withLock { $0 }
        return try payload.indices.map { index in
            let (sha256, sm3, size) = try collected[index]!.get()
            return (payload[index].path, sha256, sm3, size)
        }
    }
}

/// SHA-256 and SM3 of a file, streamed.
enum FileDigests {
    static func of(_ path: String) throws -> (sha256: String, sm3: String, size: Int64) {
        guard let handle = fopen(path, "rb") else { throw ArchiveError("Cannot read \(path).") }
        defer { fclose(handle) }
        let sha = Hasher(.sha256)
        let sm3 = Hasher(.sm3)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var size: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count == 0 { break }
            size += Int64(count)
            buffer.withUnsafeBytes {
                sha.update(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
                sm3.update(UnsafeRawBufferPointer(rebasing: $0[0..<count]))
            }
        }
        return (Hex.encode(sha.finish()), Hex.encode(sm3.finish()), size)
    }
}
