public import DossierArchive
public import DossierCore
import DossierCrypto
import DossierExchange
import DossierStorage
import Foundation

/// A person's file as it travels in an archive package (`data/record.json`): the record with
/// the full identity number (the package is the authoritative file), the timeline and the list
/// of documents. Only recorded facts, nothing time-variant, so the same state packs the same.
struct ArchiveRecord: Encodable {
    var profile = "dossier-archive/\(ArchivePackage.profileVersion)"
    var person: PersonJSON
    var timeline: [TimelineEntryJSON]
    var documents: [DocumentJSON]
    /// The name of every organisation the timeline names, by credit code: a receiving agency
    /// keeps the history in words, not only in codes it does not know.
    var organizations: [String: String]
    /// History this node received with the person from earlier agencies, as it was received.
    var received: [ReceivedActionJSON]
}

/// A person's file as packed, with what a package needs beside it.
struct PackedFile {
    var content: PackageContent
    var person: PersonView
    var documents: [Document]
    var timeline: [TimelineEntry]
}

extension Dossier {
    func activeSigningKey() throws -> SigningKey {
        guard let path = signingKeyPath, FileManager.default.fileExists(atPath: path) else {
            throw ServiceError(
                .refused,
                "This node has no signing key yet; run 'dossier keys generate' first.",
                zh: "本节点尚无签名密钥；请先运行“dossier keys generate”。"
            )
        }
        return try loadKey(path)
    }

    /// A file name for a document inside the package: its number and title, with characters
    /// that packages must not carry replaced.
    static func packageFileName(_ document: Document) -> String {
        var title = ""
        // At most 200 bytes of title, cut between characters, so the name stays within the
        // 255 bytes a package name may have whatever the script (Tibetan takes 3 bytes or more
        // a character).
        for character in document.title {
            var safe = ""
            for scalar in character.unicodeScalars {
                let unsafe = scalar == "/" || ArchivePackage.isUnsafeInName(scalar)
                safe.unicodeScalars.append(unsafe ? "_" : scalar)
            }
            guard title.utf8.count + safe.utf8.count <= 200 else { break }
            title += safe
        }
        return "\(document.id)-\(title).\(document.mediaType.fileExtension)"
    }

    /// A person's whole file as package content: `data/record.json` and every current
    /// document. The same state gives the same content.
    func packedFile(personID: Int64, packageType: String = "archive") async throws -> PackedFile {
        let blobs = try requireBlobs()
        let person = try await self.person(personID, on: today, reveal: true)
        let documents = try await self.documents(personID: personID, includeRetired: true)
        let timeline = try await self.timeline(personID: personID)
        let received = try await receivedHistory(personID: personID)
        var organizations: [String: String] = [:]
        for code in Set(timeline.map(\.orgCode)) {
            organizations[code.value] = try await mapErrors { try await store.organization(code) }?.name ?? ""
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let record = try encoder.encode(
            ArchiveRecord(
                person: PersonJSON(person),
                timeline: timeline.map(TimelineEntryJSON.init),
                documents: documents.map(DocumentJSON.init),
                organizations: organizations,
                received: received.map(ReceivedActionJSON.init)
            )
        )
        let recordDigest = Hex.encode(Digest.sha256(Array(record)))
        let packageID = "dossier-\(personID)-\(recordDigest.prefix(12))"
        // The date of the latest recorded change: the same state, the same date.
        let stamps = timeline.map(\.recordedAt) + documents.map(\.addedAt) + documents.compactMap(\.retiredAt)
        let baggingDate = String((stamps.max() ?? "2000-01-01").prefix(10))
        var payload = [PayloadFile(path: "data/record.json", source: .bytes(Array(record)))]
        for document in documents where document.retiredAt == nil {
            payload.append(
                PayloadFile(
                    path: "data/documents/\(document.archiveClass.code)/\(Self.packageFileName(document))",
                    source: .file(
                        path: blobs.path(forSHA256: document.sha256),
                        size: document.size,
                        sha256: document.sha256,
                        sm3: document.sm3
                    )
                )
            )
        }
        let content = PackageContent(
            packageID: packageID,
            bagInfo: [
                ("Source-Organization", person.orgName ?? "Dossier"),
                ("Bagging-Date", baggingDate),
                ("External-Identifier", packageID),
                ("Dossier-Person", String(personID)),
                ("Dossier-Package-Type", packageType),
                ("Dossier-Profile-Version", ArchivePackage.profileVersion),
            ],
            payload: payload
        )
        return PackedFile(content: content, person: person, documents: documents, timeline: timeline)
    }

    /// Packs a person's whole file into a signed archive package at `out` (default:
    /// DATA/packages/PACKAGE-ID.tar). The same state gives the same bytes.
    public func packArchive(personID: Int64, out: String? = nil, zstd: Bool = false) async throws -> PackSummary {
        try require(.readPeople)
        try require(.revealIdentity)
        let key = try activeSigningKey()
        let content = try await packedFile(personID: personID).content
        let packageID = content.packageID
        guard let directory = dataDirectory else {
            throw ServiceError(.setup, "This node has no data directory.", zh: "本节点没有数据目录。")
        }
        let target = out ?? directory.path + "/packages/\(packageID).tar"
        try? FileManager.default.createDirectory(
            atPath: directory.path + "/packages",
            withIntermediateDirectories: true
        )
        let temporary = target + ".partial-\(getpid())"
        let keyID = try mapErrorsSync { try key.keyID() }
        let summary: PackSummary
        do {
            summary = try await ArchivePackage.pack(
                content,
                signer: key,
                certificates: try nodeCertificateChain(),
                to: temporary,
                zstd: zstd
            ) { digest in
                try? await self.store.packageSignature(tagManifestSHA256: digest, keyID: keyID)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            // What went wrong may name the node's own files: for the log and the command line.
            throw ServiceError(
                .refused,
                "The package could not be written: a stored document is missing or damaged, or the disk refused.",
                zh: "档案包无法写出：某份所存材料缺失或损坏，或磁盘拒绝写入。",
                cause: "\(error)"
            )
        }
        if FileManager.default.fileExists(atPath: target) { try? FileManager.default.removeItem(atPath: target) }
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(.setup, "Cannot move the package to \(target).", zh: "无法将档案包移至 \(target)。")
        }
        // The signature is kept for reproducible re-packing; the audit entry names the person,
        // the package and what the signature covers.
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                try tx.insertPackageSignature(
                    tagManifestSHA256: summary.tagManifestSHA256,
                    keyID: keyID,
                    signature: summary.signature
                )
                try audit(
                    tx,
                    action: "archive.pack",
                    subject: "person:\(personID)",
                    details: ["package": packageID, "tag_manifest_sha256": summary.tagManifestSHA256, "key_id": keyID]
                )
            }
        }
        var result = summary
        result.path = target
        return result
    }

    /// Throws unless the acting user may have the node check a package sent to it: asked
    /// before the package is received.
    public func requireMayVerifyPackages() throws {
        try require(.verifyPackages)
    }

    /// Checks a package against what this node trusts on its today (its own keys, its trust store,
    /// its revocations) and anything in `alsoTrusted` (keys or roots brought along, e.g. by an
    /// inspector): the one entry point of the command line and the server. Slow on a large
    /// package: servers call it off their request threads. `cancellation` stops it between
    /// blocks (the client went away).
    public func verifyPackage(
        at path: String,
        alsoTrusted: TrustAnchors = TrustAnchors(),
        cancellation: CancellationFlag? = nil
    ) async throws -> VerificationReport {
        try require(.verifyPackages)
        var trusted = try await trustAnchors()
        trusted.keys += alsoTrusted.keys
        trusted.roots += alsoTrusted.roots
        trusted.revokedKeyIDs.formUnion(alsoTrusted.revokedKeyIDs)
        return PackageInspection.verify(path: path, trusted: trusted, cancellation: cancellation)
    }

    /// What this node trusts for verification on `date`: its own signing keys (active, and
    /// kept unless revoked here), and the trust store's keys and root certificates within their
    /// period and not revoked; and which keys were revoked, its own and the trust store's
    /// (refused even when a trusted root certifies them). `date` nil: the node's today.
    public func trustAnchors(on date: CivilDate? = nil) async throws -> TrustAnchors {
        let date = date ?? today
        var anchors = TrustAnchors()
        let revokedOwn = try await mapErrors { try await store.ownKeyRevocations() }
        anchors.keys = ownKeyFiles().compactMap { path in
            guard let key = try? loadKey(path), let keyID = try? key.keyID(), revokedOwn[keyID] == nil,
                let pem = try? key.publicPEM()
            else { return nil }
            return try? KeyCache.publicKey(pem: pem)
        }
        let entries = try await mapErrors { try await store.trustedKeys() }
        anchors.revokedKeyIDs = Set(entries.filter { $0.revokedAt != nil }.map(\.keyID)).union(revokedOwn.keys)
        for entry in entries where entry.isTrusted(on: date) {
            if let pem = entry.certificatePEM {
                if let root = try? Certificate.loadAll(pem: pem).first { anchors.roots.append(root) }
            } else if let key = try? KeyCache.key(pem: entry.publicPEM) {
                anchors.keys.append(key)
            }
        }
        return anchors
    }

    /// Adds another agency's public key, or a root certificate that certifies agencies' keys
    /// (PEM file), to the trust store, for a period.
    @discardableResult
    public func trustKey(
        file path: String,
        agency: CreditCode,
        from: CivilDate,
        until: CivilDate?
    ) async throws -> TrustedKey {
        try require(.manageUsers)
        if let until, until < from {
            throw ServiceError(.invalid, "The trust period ends before it starts.", zh: "信任期的结束早于开始。")
        }
        let (key, root) = try Self.trustableKey(inFile: path)
        let entry = TrustedKey(
            keyID: try mapErrorsSync { try key.keyID() },
            agencyCode: agency.value,
            algorithm: key.algorithm.rawValue,
            publicPEM: try mapErrorsSync { try key.publicPEM() },
            certificatePEM: try mapErrorsSync { try root?.pem() },
            subject: root?.subject,
            validFrom: from,
            validUntil: until
        )
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                try tx.insertTrustedKey(entry, by: actor.name)
                try audit(
                    tx,
                    action: "keys.trust",
                    subject: "key:\(entry.keyID)",
                    details: [
                        "agency": entry.agencyCode, "algorithm": entry.algorithm,
                        "valid_from": entry.validFrom.description, "valid_until": entry.validUntil?.description ?? "",
                        "kind": entry.certificatePEM == nil ? "key" : "root certificate",
                    ]
                )
            }
        }
        return entry
    }

    /// Revokes a key: one in the trust store, or one of the node's own earlier signing keys
    /// (kept so that what it signed can still be checked). Packages it signed are refused on
    /// this node from then on, for good. The key the node signs with is not revoked: it is
    /// replaced first (`keys generate --replace`), and then revoked as an earlier key.
    public func revokeKey(_ keyID: String, reason: String) async throws {
        try require(.manageUsers)
        if let path = ownKeyFiles().first(where: { (try? loadKey($0).keyID()) == keyID }) {
            guard path != signingKeyPath else {
                throw ServiceError(
                    .refused,
                    "Key \(keyID) is the key this node signs with, so it cannot be revoked; run 'dossier keys generate --replace' first, then revoke it as an earlier key.",
                    zh: "密钥 \(keyID) 是本节点正在使用的签名密钥，不能吊销；请先运行“dossier keys generate --replace”，再将其作为旧密钥吊销。"
                )
            }
            try await revokeOwnKey(keyID, reason: reason)
            return
        }
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard let revoked = try tx.trustedKeyRevoked(keyID) else {
                    throw RuleRefusal.refused("Key \(keyID) is not in the trust store.", zh: "密钥 \(keyID) 不在信任库中。")
                }
                guard !revoked else {
                    throw RuleRefusal.refused("Key \(keyID) is already revoked.", zh: "密钥 \(keyID) 已经吊销。")
                }
                guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                    throw RuleRefusal.refused("Revoking a key needs a reason.", zh: "吊销密钥须写明原因。")
                }
                try tx.revokeTrustedKey(keyID, reason: reason, by: actor.name)
                try audit(tx, action: "keys.revoke", subject: "key:\(keyID)")
            }
        }
    }

    /// Revokes one of the node's own earlier keys (recorded in the store: the key file stays,
    /// as what it signed is still the node's history, but it vouches for nothing any more).
    private func revokeOwnKey(_ keyID: String, reason: String) async throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ServiceError(.refused, "Revoking a key needs a reason.", zh: "吊销密钥须写明原因。")
        }
        guard reason.unicodeScalars.count <= 500 else {
            throw ServiceError(
                .invalid,
                "The reason for revoking a key is at most 500 characters.",
                zh: "吊销密钥的原因最多 500 个字符。"
            )
        }
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard try !tx.ownKeyRevoked(keyID) else {
                    throw RuleRefusal.refused("Key \(keyID) is already revoked.", zh: "密钥 \(keyID) 已经吊销。")
                }
                try tx.revokeOwnKey(keyID, reason: reason, by: actor.name)
                try audit(
                    tx,
                    action: "keys.revoke",
                    subject: "key:\(keyID)",
                    details: ["kind": "own"]
                )
            }
        }
    }

    /// The trust store.
    public func trustStore() async throws -> [TrustedKey] {
        try require(.readAudit)
        return try await mapErrors { try await store.trustedKeys() }
    }
}

/// Verification needs no node: an inspector holding a package and a public key can run it.
public enum PackageInspection {
    /// Checks an archive package, or a transfer package with its envelope (signed by the
    /// package's key and made for this package), against `trusted`.
    public static func verify(
        path: String,
        trusted: TrustAnchors,
        cancellation: CancellationFlag? = nil
    ) -> VerificationReport {
        var report = PackageVerifier.verify(
            path: path,
            trusted: trusted,
            cancellation: cancellation,
            extraTagFiles: TransferPackage.tagFiles
        )
        if let problem = TransferPackage.envelopeProblem(in: report) {
            report.problems[.authenticity, default: []].append(problem)
        }
        return report
    }

    /// Loads what an inspector trusts from PEM files: public keys, and root certificates
    /// (every certificate in a certificate file is taken as a root).
    public static func anchors(fromFiles paths: [String]) throws -> TrustAnchors {
        var anchors = TrustAnchors()
        for path in paths {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ServiceError(
                    .notFound,
                    "Cannot read the key or certificate file \(path).",
                    zh: "无法读取密钥或证书文件 \(path)。"
                )
            }
            do {
                if Certificate.isCertificatePEM(text) {
                    let certificates = try Certificate.loadAll(pem: text)
                    guard certificates.allSatisfy(\.isRoot) else {
                        throw ServiceError(
                            .invalid,
                            "\(path) holds a certificate that is not a root; trust the root at the top of the chain.",
                            zh: "\(path) 中的证书不是根证书；请信任证书链顶端的根证书。"
                        )
                    }
                    anchors.roots += certificates
                } else {
                    anchors.keys.append(try SigningKey.load(pem: text))
                }
            } catch let error as ServiceError {
                throw error
            } catch {
                throw ServiceError(.invalid, "\(path): \(error)", zh: "\(path) 无法使用。")
            }
        }
        return anchors
    }
}
