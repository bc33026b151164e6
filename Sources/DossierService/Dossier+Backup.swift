import DossierArchive
public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import Glibc
import Logging

/// What `dossier backup` wrote.
public struct BackupSummary: Sendable, Hashable {
    public var path: String
    public var bytes: Int64
    /// Files in the backup (the database, document files, policies, public keys).
    public var files: Int
    public var documents: Int
    /// The audit head the database copy ends with (nil: an empty log).
    public var auditHead: Int64?
    /// The node key that signed the manifest.
    public var keyID: String
}

/// The layout of a backup (inside its folder `dossier-backup/`), shared by the writer and the
/// restore: every file is listed with its SHA-256 in `manifest-sha256.txt` (the format of
/// `sha256sum`, so `sha256sum -c` checks it), and the manifest is signed with the node's key
/// (`manifest-sha256.txt.sig`, raw signature bytes; `signer.pem` is that key's public half).
enum BackupLayout {
    static let info = "backup-info.txt"
    static let database = "database/dossier.sqlite"
    static let manifest = "manifest-sha256.txt"
    static let signature = "manifest-sha256.txt.sig"
    static let signer = "signer.pem"
    /// Files every backup has besides those its manifest lists.
    static let unlisted: Set<String> = [manifest, signature, signer]
    static let formatLine = "format: dossier-backup 1"

    /// Where a listed file goes in the restored data directory (nil: kept only in the backup).
    static func destination(of path: String, backend: any StorageBackend) -> String? {
        if path == database { return backend.snapshotFileName }
        for folder in ["blobs/", "policies/", "reports/"] where path.hasPrefix(folder) { return path }
        if path.hasPrefix("keys/certificate-chain") { return path }
        return nil
    }

    /// The manifest's lines, `HEX  PATH`, as `sha256sum` writes them.
    static func manifest(_ entries: [(path: String, sha256: String)]) -> [UInt8] {
        Array(entries.map { "\($0.sha256)  \($0.path)\n" }.joined().utf8)
    }

    /// Reads a manifest back; nil when a line is not `HEX  PATH`.
    static func parseManifest(_ bytes: [UInt8]) -> [String: String]? {
        var result: [String: String] = [:]
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let digest = line.prefix(64)
            guard line.count > 66, line.dropFirst(64).hasPrefix("  "), digest.allSatisfy(\.isHexDigit) else {
                return nil
            }
            let path = String(line.dropFirst(66))
            guard result.updateValue(String(digest), forKey: path) == nil else { return nil }
        }
        return result
    }
}

extension Dossier {
    /// Writes a backup of the node to `out` while it runs: a consistent snapshot of the database
    /// (the backend's online backup), the document files that snapshot refers to, the node's
    /// own policies and tables, its public keys and certificate chains, in one pax tar with a
    /// manifest of SHA-256 digests signed by the node's key. Private keys and the field key are
    /// never in it (`backUpKeys` writes them apart, under a passphrase). The file appears at
    /// `out` only once whole; `progress` hears the bytes written so far.
    public func backUp(to out: String, progress: (@Sendable (Int64) -> Void)? = nil) async throws -> BackupSummary {
        try require(.operateNode)
        guard let directory = dataDirectory, let blobs else {
            throw ServiceError(.setup, "This node has no data directory to back up.", zh: "本节点没有可备份的数据目录。")
        }
        let key = try activeSigningKey()
        let keyID = try mapErrorsSync { try key.keyID() }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ServiceError(
                .refused,
                "\(out) already exists; name a new file for the backup.",
                zh: "\(out) 已经存在；请为备份另取一个新文件名。"
            )
        }
        let temporary = out + ".partial-\(getpid())"
        let snapshotPath = directory.path + "/snapshot.sqlite.partial-\(getpid())"
        defer {
            try? FileManager.default.removeItem(atPath: temporary)
            try? FileManager.default.removeItem(atPath: snapshotPath)
        }
        let clock = ContinuousClock()
        let started = clock.now
        let snapshot = try await mapErrors { try await store.snapshot(to: snapshotPath) }
        let copied = clock.now
        let agency = try await mapErrors { try await store.nodeAgency() }
        let files: Int
        do {
            let writer = try BackupWriter(path: temporary)
            var listed: [(path: String, sha256: String)] = []
            var written: Int64 = 0
            func note(_ path: String, _ digest: String, _ size: Int64) {
                listed.append((path, digest))
                written += size
                progress?(written)
            }
            let head = snapshot.auditHead.map { "\($0.seq) \($0.hash)" } ?? "none"
            let info = """
                \(BackupLayout.formatLine)
                created: \(ISO8601DateFormatter().string(from: Date()))
                node: \(agency.map { "\($0.code.value) \($0.name)" } ?? "-")
                audit-head: \(head)
                signing-key: \(keyID) \(key.algorithm.rawValue)
                documents: \(snapshot.documents.count)

                """
            note(BackupLayout.info, try writer.add(BackupLayout.info, bytes: Array(info.utf8)), Int64(info.utf8.count))
            let databaseDigest = try writer.add(BackupLayout.database, file: snapshotPath)
            note(BackupLayout.database, databaseDigest, Self.fileSize(snapshotPath))
            for blob in snapshot.documents {
                let path = "blobs/\(blob.sha256.prefix(2))/\(blob.sha256.dropFirst(2))"
                note(
                    path,
                    try writer.add(path, file: blobs.path(forSHA256: blob.sha256), sha256: blob.sha256),
                    blob.size
                )
            }
            for (folder, prefix) in [(directory.policiesPath, "policies"), (directory.reportsPath, "reports")] {
                for relative in Self.regularFiles(under: folder) {
                    let path = "\(prefix)/\(relative)"
                    note(
                        path,
                        try writer.add(path, file: folder + "/" + relative),
                        Self.fileSize(folder + "/" + relative)
                    )
                }
            }
            for keyPath in ownKeyFiles() {
                let ownKey = try loadKey(keyPath)
                let pem = Array(try mapErrorsSync { try ownKey.publicPEM() }.utf8)
                let path = "keys/public/\(try mapErrorsSync { try ownKey.keyID() }).pem"
                note(path, try writer.add(path, bytes: pem), Int64(pem.count))
            }
            for name in Self.regularFiles(under: directory.keysPath) where name.hasPrefix("certificate-chain") {
                let path = "keys/\(name)"
                let source = directory.keysPath + "/" + name
                note(path, try writer.add(path, file: source), Self.fileSize(source))
            }
            let manifest = BackupLayout.manifest(listed)
            try writer.add(BackupLayout.manifest, bytes: manifest)
            try writer.add(BackupLayout.signature, bytes: try mapErrorsSync { try key.sign(manifest) })
            try writer.add(BackupLayout.signer, bytes: Array(try mapErrorsSync { try key.publicPEM() }.utf8))
            try writer.finish()
            files = listed.count
        } catch let error as ArchiveError {
            throw ServiceError(
                .refused,
                "The backup could not be written: \(error.description) Run 'dossier check' to see whether a stored file is damaged.",
                zh: "备份无法写出；请运行“dossier check”查看是否有所存文件损坏。"
            )
        }
        let packed = clock.now
        try Self.syncFile(temporary)
        guard rename(temporary, out) == 0 else {
            throw ServiceError(.setup, "Cannot move the backup to \(out).", zh: "无法将备份移至 \(out)。")
        }
        logger.debug(
            "backup written",
            metadata: [
                "backup.snapshot_seconds": "\((copied - started).seconds)",
                "backup.pack_seconds": "\((packed - copied).seconds)",
                "backup.sync_seconds": "\((clock.now - packed).seconds)",
            ]
        )
        let bytes = Self.fileSize(out)
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "node.backup",
                subject: "node",
                details: [
                    "audit_head": snapshot.auditHead.map { String($0.seq) } ?? "0",
                    "documents": String(snapshot.documents.count),
                    "key_id": keyID, "bytes": String(bytes),
                ]
            )
        }
        return BackupSummary(
            path: out,
            bytes: bytes,
            files: files,
            documents: snapshot.documents.count,
            auditHead: snapshot.auditHead?.seq,
            keyID: keyID
        )
    }

    /// Every regular file under `folder`, by path relative to it, sorted (none if it is absent).
    static func regularFiles(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        for case let relative as String in walker {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory),
                !isDirectory.boolValue
            {
                files.append(relative)
            }
        }
        return files.sorted()
    }

    static func fileSize(_ path: String) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }

    /// Flushes a file to the disk before it is renamed into place.
    static func syncFile(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            if fd >= 0 { close(fd) }
            throw ServiceError(.setup, "Cannot write \(path) to the disk.", zh: "无法将 \(path) 写入磁盘。")
        }
        close(fd)
    }
}
