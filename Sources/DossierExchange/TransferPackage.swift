public import DossierArchive
import DossierCore
public import DossierCrypto

/// What an exchange file is, by the `Dossier-Package-Type` its `bag-info.txt` declares.
public enum ExchangeFileKind: String, Sendable, Hashable {
    case transfer, receipt, refusal
}

/// A transfer package: the person's archive package (Archives/PROFILE.md) with the transfer
/// envelope as two more tag files, `exchange/envelope.json` and `exchange/envelope.sig`, written
/// after the signature and before the payload, so a receiver reads them first and refuses a
/// package that is not for it before reading any document. The envelope names the archive's
/// tag manifest and is signed by the key that signed the archive.
public enum TransferPackage {
    public static let envelopeFile = "exchange/envelope.json"
    public static let signatureFile = "exchange/envelope.sig"
    /// The envelope's files, with the most of each a reader keeps in memory.
    public static let tagFiles = [envelopeFile: 64 << 10, signatureFile: 64 << 10]

    /// Writes the transfer package for `content` at `path` (which must not exist): the archive
    /// signed by `signer`, and the envelope `seal` gives for the archive's tag manifest (its
    /// bytes and signature: `seal(_:with:)` for a new one, or the ones kept from the first
    /// export, so writing the same transfer again gives the same file). Returns what packing
    /// produced and the envelope as written.
    public static func write(
        _ content: PackageContent,
        signer: SigningKey,
        certificates: [Certificate],
        to path: String,
        storedSignature: (_ tagManifestSHA256: String) async -> [UInt8]? = { _ in nil },
        seal: (_ tagManifestSHA256: String) throws -> (envelope: [UInt8], signature: [UInt8])
    ) async throws -> (summary: PackSummary, envelope: [UInt8], signature: [UInt8]) {
        var sealed: (envelope: [UInt8], signature: [UInt8])?
        let summary = try await ArchivePackage.pack(
            content,
            signer: signer,
            certificates: certificates,
            to: path,
            signature: storedSignature
        ) { digest in
            let made = try seal(digest)
            sealed = made
            return [(envelopeFile, made.envelope), (signatureFile, made.signature)]
        }
        guard let sealed else { throw ExchangeError("The transfer envelope was not written.") }
        return (summary, sealed.envelope, sealed.signature)
    }

    /// The envelope's bytes, and its signature by `signer`.
    public static func seal(
        _ envelope: TransferEnvelope,
        with signer: SigningKey
    ) throws -> (
        envelope: [UInt8], signature: [UInt8]
    ) {
        let bytes = try ExchangeJSON.encode(envelope)
        return (bytes, try signer.sign(bytes))
    }

    /// Reads an envelope kept as it was signed.
    public static func decode(_ bytes: [UInt8]) throws -> TransferEnvelope {
        try ExchangeJSON.decode(TransferEnvelope.self, bytes, what: envelopeFile)
    }

    /// A transfer package's envelope, read from the head of the package and checked on its own:
    /// signed by the key the package names, for this very archive (its tag manifest).
    public struct Envelope: Sendable {
        public var envelope: TransferEnvelope
        public var bytes: [UInt8]
        public var signature: [UInt8]
        /// The key that signed it (and must have signed the archive).
        public var keyID: String
    }

    /// What kind of exchange file is at `path`, read from its head; nil when it is not one.
    public static func kind(of path: String) throws -> ExchangeFileKind? {
        let tags = try PackageTags.read(path: path)
        guard let info = tags["bag-info.txt"].flatMap({ String(validating: $0, as: UTF8.self) }) else { return nil }
        let label = "Dossier-Package-Type: "
        guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix(label) }) else { return nil }
        return ExchangeFileKind(rawValue: String(line.dropFirst(label.count)))
    }

    /// Reads and checks the envelope at the head of the package at `path`, without its payload.
    /// Whether the key is one to trust, and the documents, are for `verify`.
    public static func envelope(at path: String) throws -> Envelope {
        let tags: [String: [UInt8]]
        do { tags = try PackageTags.read(path: path, extra: tagFiles) } catch let error as ArchiveError {
            throw ExchangeError("The package cannot be read: \(error)")
        }
        guard let bytes = tags[envelopeFile], let signature = tags[signatureFile] else {
            throw ExchangeError("This is not a transfer package: it has no signed transfer envelope (exchange/).")
        }
        guard let pem = tags["signature/public-key.pem"].flatMap({ String(validating: $0, as: UTF8.self) }),
            let key = try? SigningKey.load(pem: pem), !key.isPrivate, let keyID = try? key.keyID()
        else { throw ExchangeError("The package does not say which key signed it (signature/public-key.pem).") }
        guard key.verify(signature, over: bytes) else {
            throw ExchangeError(
                "The transfer envelope's signature does not verify: the envelope was edited or signed by another key."
            )
        }
        let envelope = try ExchangeJSON.decode(TransferEnvelope.self, bytes, what: envelopeFile)
        guard envelope.profile == ExchangeProfile.version, envelope.kind == "transfer" else {
            throw ExchangeError("The envelope is not a transfer of \(ExchangeProfile.version).")
        }
        guard let manifest = tags["tagmanifest-sha256.txt"],
            Hex.encode(Digest.sha256(manifest)) == envelope.tagManifestSHA256
        else {
            throw ExchangeError("The transfer envelope was made for another archive than the one in this package.")
        }
        return Envelope(envelope: envelope, bytes: bytes, signature: signature, keyID: keyID)
    }

    /// What is wrong with the envelope a checked package carries, if it carries one: its
    /// signature by the package's own key, and the tag manifest it names. nil when it has none
    /// or it holds.
    public static func envelopeProblem(in report: VerificationReport) -> String? {
        let bytes = report.extraTags[envelopeFile]
        let signature = report.extraTags[signatureFile]
        guard bytes != nil || signature != nil else { return nil }
        guard let bytes, let signature else {
            return "The transfer envelope is incomplete: exchange/envelope.json and exchange/envelope.sig go together."
        }
        guard let pem = report.signerPublicKeyPEM, let key = try? SigningKey.load(pem: pem),
            key.verify(signature, over: bytes)
        else { return "The transfer envelope's signature does not verify with the package's key." }
        guard let envelope = try? decode(bytes), envelope.tagManifestSHA256 == report.tagManifestSHA256 else {
            return "The transfer envelope was made for another archive than the one in this package."
        }
        return nil
    }

    /// Verifies the whole package against `trusted` in one pass, handing every payload file to
    /// `sink` as it is read, and checks that it still holds the envelope read before (the file
    /// did not change in between). The package is good only when the report passes.
    public static func verify(
        path: String,
        expecting envelope: Envelope,
        trusted: TrustAnchors,
        sink: any PayloadSink
    ) throws -> VerificationReport {
        let report = PackageVerifier.verify(path: path, trusted: trusted, extraTagFiles: tagFiles, sink: sink)
        guard report.extraTags[envelopeFile] == envelope.bytes, report.extraTags[signatureFile] == envelope.signature,
            report.keyID == envelope.keyID
        else { throw ExchangeError("The package changed while it was being read; nothing was imported.") }
        return report
    }
}
