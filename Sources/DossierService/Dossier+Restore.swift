import DossierArchive
public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import Glibc
public import Logging

/// What `dossier restore` did.
public struct RestoreSummary: Sendable, Hashable {
    public var directory: String
    public var files: Int
    /// The key that signed the backup.
    public var keyID: String
    /// True when the signing key is one of the node's keys from the key backup; false when only
    /// the key the backup carries vouches for it (no key backup was given).
    public var signerIsNodeKey: Bool
    /// The consistency check of the restored node; nil when it has no keys yet.
    public var check: NodeCheck?
}

/// The two passes of a restore, for progress.
public enum RestorePhase: Sendable, Hashable {
    /// Reading the whole backup and checking it against its signed manifest.
    case checking
    /// Writing the files out, checking each again.
    case restoring
}

extension Dossier {
    /// Restores a backup into `directory`, which must be new or empty. The whole file is read
    /// and checked first — every file listed in the signed manifest with its digest, nothing
    /// else in it, the signature sound (and, with a key backup, made by one of the node's own
    /// keys) — before anything is written; then it is unpacked into a folder beside the target,
    /// each file checked again as it is written, the keys put in place from the key backup, and
    /// the node opened and checked. Only a node that passes its check is moved into place: a
    /// damaged, truncated or foreign backup leaves nothing behind.
    public static func restore(
        from file: String,
        into directory: DataDirectory,
        keyBackup: (path: String, passphrase: String)? = nil,
        logger: Logger? = nil,
        progress: (_ phase: RestorePhase, _ bytes: Int64) -> Void = { _, _ in }
    ) async throws -> RestoreSummary {
        let target = directory.path
        if let contents = try? FileManager.default.contentsOfDirectory(atPath: target), !contents.isEmpty {
            throw ServiceError(
                .refused,
                "\(target) is not empty; restore into a new or empty directory.",
                zh: "\(target) 不是空目录；请恢复到新目录或空目录。"
            )
        }
        guard FileManager.default.isReadableFile(atPath: file) else {
            throw ServiceError(.notFound, "Cannot read the backup file \(file).", zh: "无法读取备份文件 \(file)。")
        }
        let keys = try keyBackup.map { try readKeyBackup($0.path, passphrase: $0.passphrase) }

        // Pass 1: read and check everything before writing anything.
        let verified = try verifyBackup(file) { progress(.checking, $0) }
        var signerIsNodeKey = false
        if let keys {
            let nodeKeys = try keys.filter { $0.name.hasPrefix("signing") }.map { file in
                try mapErrorsSync { try KeyCache.key(pem: String(decoding: file.contents, as: UTF8.self)).keyID() }
            }
            guard nodeKeys.contains(verified.keyID) else {
                throw ServiceError(
                    .refused,
                    "The backup was signed with key \(verified.keyID), which is not one of the node's keys in \(keyBackup!.path); nothing was restored.",
                    zh: "该备份由密钥 \(verified.keyID) 签名，它不是 \(keyBackup!.path) 中本节点的密钥；未恢复任何内容。"
                )
            }
            signerIsNodeKey = true
        }

        // Pass 2: unpack beside the target, check each file again as it is written.
        let parent = (target as NSString).deletingLastPathComponent
        let staging =
            (parent.isEmpty ? "." : parent) + "/." + (target as NSString).lastPathComponent
            + ".restoring.partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: staging)
        var keep = false
        defer { if !keep { try? FileManager.default.removeItem(atPath: staging) } }
        let stagingDirectory = DataDirectory(path: staging, backend: directory.backend)
        let files = try unpack(file, into: stagingDirectory, expected: verified.digests) { progress(.restoring, $0) }
        if let keys {
            try FileManager.default.createDirectory(
                atPath: stagingDirectory.keysPath,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
            for key in keys {
                guard
                    FileManager.default.createFile(
                        atPath: stagingDirectory.keysPath + "/" + key.name,
                        contents: Data(key.contents),
                        attributes: [.posixPermissions: 0o600]
                    )
                else {
                    throw ServiceError(.setup, "Cannot write the key file \(key.name).", zh: "无法写入密钥文件 \(key.name)。")
                }
            }
        }

        var check: NodeCheck?
        if keys != nil {
            check = try await checkRestored(stagingDirectory, keyID: verified.keyID, logger: logger)
            if let check, !check.passed {
                let first = check.findings.prefix(3).map { "\($0.area.title): \($0.text)" }.joined(separator: "; ")
                throw ServiceError(
                    .refused,
                    "The backup restores to a node that does not pass its check (\(first)); nothing was restored.",
                    zh: "恢复出的节点未通过检查；未恢复任何内容。"
                )
            }
        }
        if FileManager.default.fileExists(atPath: target) {
            guard rmdir(target) == 0 else {
                throw ServiceError(.setup, "Cannot replace the empty directory \(target).", zh: "无法替换空目录 \(target)。")
            }
        }
        guard rename(staging, target) == 0 else {
            throw ServiceError(.setup, "Cannot move the restored node to \(target).", zh: "无法将恢复出的节点移至 \(target)。")
        }
        keep = true
        return RestoreSummary(
            directory: target,
            files: files,
            keyID: verified.keyID,
            signerIsNodeKey: signerIsNodeKey,
            check: check
        )
    }

    /// Reads the whole backup: the SHA-256 of every file, the manifest, its signature and the
    /// key that made it. Throws unless the manifest lists exactly the files there are, with
    /// their digests, and the signature verifies.
    private static func verifyBackup(
        _ file: String,
        progress: (Int64) -> Void
    ) throws -> (digests: [String: String], keyID: String) {
        var read: Int64 = 0
        var digests: [String: String] = [:]
        var manifest: [UInt8]?
        var signature: [UInt8]?
        var signer: [UInt8]?
        do {
            let reader = try BackupReader(path: file)
            while let entry = try reader.next() {
                switch entry.path {
                case BackupLayout.manifest: manifest = try reader.readAll()
                case BackupLayout.signature: signature = try reader.readAll(limit: 4096)
                case BackupLayout.signer: signer = try reader.readAll(limit: 65_536)
                default:
                    let hasher = Hasher(.sha256)
                    try reader.readData {
                        hasher.update($0)
                        read += Int64($0.count)
                        progress(read)
                    }
                    digests[entry.path] = Hex.encode(hasher.finish())
                }
            }
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(
                .refused,
                "The backup is damaged or truncated (\(error)); nothing was restored.",
                zh: "备份已损坏或不完整；未恢复任何内容。"
            )
        }
        guard let manifest, let signature, let signer, let listed = BackupLayout.parseManifest(manifest) else {
            throw ServiceError(
                .refused,
                "The file is not a whole Dossier backup (its signed manifest is missing or malformed); nothing was restored.",
                zh: "该文件不是完整的 Dossier 备份（其签名清单缺失或格式不正确）；未恢复任何内容。"
            )
        }
        for (path, digest) in listed.sorted(by: { $0.key < $1.key }) {
            guard let found = digests[path] else {
                throw ServiceError(
                    .refused,
                    "The backup lacks \(path), which its manifest lists; nothing was restored.",
                    zh: "备份中缺少清单所列的 \(path)；未恢复任何内容。"
                )
            }
            guard found == digest else {
                throw ServiceError(
                    .refused,
                    "\(path) in the backup does not match its digest in the manifest (it was altered or damaged); nothing was restored.",
                    zh: "备份中的 \(path) 与清单中的摘要不符（已被改动或损坏）；未恢复任何内容。"
                )
            }
        }
        if let extra = digests.keys.sorted().first(where: { listed[$0] == nil }) {
            throw ServiceError(
                .refused,
                "The backup holds \(extra), which its manifest does not list; nothing was restored.",
                zh: "备份中含有清单未列的 \(extra)；未恢复任何内容。"
            )
        }
        let key: SigningKey
        do { key = try KeyCache.key(pem: String(decoding: signer, as: UTF8.self)) } catch {
            throw ServiceError(
                .refused,
                "The backup's signing key cannot be read; nothing was restored.",
                zh: "无法读取备份的签名密钥；未恢复任何内容。"
            )
        }
        guard key.verify(signature, over: manifest) else {
            throw ServiceError(
                .refused,
                "The backup's manifest does not match its signature (it was altered); nothing was restored.",
                zh: "备份清单与其签名不符（已被改动）；未恢复任何内容。"
            )
        }
        return (listed, try mapErrorsSync { try key.keyID() })
    }

    /// Unpacks the listed files into `directory`, checking each digest again on the way (the
    /// file may have changed since it was checked); returns how many were written.
    private static func unpack(
        _ file: String,
        into directory: DataDirectory,
        expected: [String: String],
        progress: (Int64) -> Void
    ) throws -> Int {
        var written = 0
        var bytes: Int64 = 0
        do {
            let reader = try BackupReader(path: file)
            while let entry = try reader.next() {
                guard let digest = expected[entry.path] else { continue }
                guard let relative = BackupLayout.destination(of: entry.path, backend: directory.backend) else {
                    continue
                }
                let path = directory.path + "/" + relative
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o700]
                )
                let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw ServiceError(.setup, "Cannot write \(path).", zh: "无法写入 \(path)。") }
                defer { close(fd) }
                let hasher = Hasher(.sha256)
                try reader.readData { chunk in
                    hasher.update(chunk)
                    var offset = 0
                    while offset < chunk.count {
                        let count = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                        guard count > 0 else {
                            throw ServiceError(
                                .setup,
                                "Writing \(path) failed (is the disk full?).",
                                zh: "写入 \(path) 失败（磁盘是否已满？）。"
                            )
                        }
                        offset += count
                    }
                    bytes += Int64(chunk.count)
                    progress(bytes)
                }
                guard Hex.encode(hasher.finish()) == digest else {
                    throw ServiceError(
                        .refused,
                        "The backup changed while it was restored; nothing was restored.",
                        zh: "备份在恢复期间发生了变化；未恢复任何内容。"
                    )
                }
                guard fsync(fd) == 0 else {
                    throw ServiceError(.setup, "Cannot write \(path) to the disk.", zh: "无法将 \(path) 写入磁盘。")
                }
                written += 1
            }
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(
                .refused,
                "The backup is damaged or truncated (\(error)); nothing was restored.",
                zh: "备份已损坏或不完整；未恢复任何内容。"
            )
        }
        return written
    }

    /// Opens the restored node as one of its administrators, checks it, and records the restore.
    private static func checkRestored(
        _ directory: DataDirectory,
        keyID: String,
        logger: Logger?
    ) async throws -> NodeCheck {
        let keys = try mapErrorsSync { try FieldKeys.read(fromPath: directory.fieldKeyPath) }
        let store: any Storage
        do { store = try directory.backend.open(in: directory.path, keys: keys, create: false) } catch {
            throw ServiceError(
                .refused,
                "The restored database does not open with the field key from the key backup (\(error)); nothing was restored.",
                zh: "用密钥备份中的字段密钥无法打开恢复出的数据库；未恢复任何内容。"
            )
        }
        guard
            let admin = try await mapErrors({ try await store.users() }).first(where: {
                $0.role == .admin && !$0.disabled
            })
        else {
            throw ServiceError(
                .refused,
                "The backup has no administrator to open it as; nothing was restored.",
                zh: "备份中没有可用于打开它的管理员；未恢复任何内容。"
            )
        }
        let node = try await acting(
            on: store,
            as: admin.name,
            logger: logger,
            policies: try loadPolicies(directory),
            blobs: BlobStore(root: directory.blobsPath),
            dataDirectory: directory
        )
        let check = try await node.checkNode()
        if check.passed {
            try await mapErrors {
                try await store.recordEvent(
                    actor: admin.name,
                    action: "node.restore",
                    subject: "node",
                    details: ["key_id": keyID]
                )
            }
        }
        return check
    }
}
