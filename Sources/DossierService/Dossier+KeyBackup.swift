import DossierCore
import DossierCrypto
import DossierStorage
import Foundation

extension Dossier {
    /// The shortest passphrase a key backup takes.
    public static let minimumPassphraseLength = 12

    /// Writes the node's secret keys — the field key and every signing key, with the
    /// certificate chains — to `out`, sealed under `passphrase` in the format of `openssl enc`
    /// (`PassphraseBox`), so they can be opened with `openssl` and the passphrase alone. The
    /// opened file is text: each key file as `=== NAME (N bytes) ===`, a line break, its exact
    /// bytes and a line break. Returns the names of the files it holds.
    @discardableResult
    public func backUpKeys(to out: String, passphrase: String) async throws -> [String] {
        try require(.operateNode)
        guard let directory = dataDirectory else {
            throw ServiceError(.setup, "This node has no data directory.", zh: "本节点没有数据目录。")
        }
        guard passphrase.count >= Self.minimumPassphraseLength else {
            throw ServiceError(
                .invalid,
                "The passphrase must have at least \(Self.minimumPassphraseLength) characters; a long sentence is best.",
                zh: "口令至少应有 \(Self.minimumPassphraseLength) 个字符；最好用一个长句子。"
            )
        }
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ServiceError(
                .refused,
                "\(out) already exists; name a new file for the key backup.",
                zh: "\(out) 已经存在；请为密钥备份另取一个新文件名。"
            )
        }
        let names = Self.regularFiles(under: directory.keysPath).filter {
            !$0.contains("/") && !$0.contains(".partial-")
        }
        guard names.contains("field.key") else {
            throw ServiceError(.setup, "This node has no field key to back up.", zh: "本节点没有可备份的字段密钥。")
        }
        var bundle = Array("Dossier node keys (dossier keys backup). Keep apart from the backups.\n".utf8)
        for name in names {
            guard let contents = FileManager.default.contents(atPath: directory.keysPath + "/" + name) else {
                throw ServiceError(.setup, "Cannot read the key file \(name).", zh: "无法读取密钥文件 \(name)。")
            }
            bundle += Array("=== \(name) (\(contents.count) bytes) ===\n".utf8) + [UInt8](contents) + [0x0A]
        }
        let sealed = try mapErrorsSync { try PassphraseBox.seal(bundle, passphrase: passphrase) }
        let temporary = out + ".partial-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        guard
            FileManager.default.createFile(
                atPath: temporary,
                contents: Data(sealed),
                attributes: [.posixPermissions: 0o600]
            )
        else { throw ServiceError(.setup, "Cannot write \(out).", zh: "无法写入 \(out)。") }
        try Self.syncFile(temporary)
        guard rename(temporary, out) == 0 else {
            throw ServiceError(.setup, "Cannot write \(out).", zh: "无法写入 \(out)。")
        }
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "keys.backup",
                subject: "node",
                details: ["files": names.joined(separator: ",")]
            )
        }
        return names
    }

    /// Opens a key backup: the key files it holds, by name. A wrong passphrase or a damaged
    /// file is refused in one sentence.
    static func readKeyBackup(_ path: String, passphrase: String) throws -> [(name: String, contents: [UInt8])] {
        guard let sealed = FileManager.default.contents(atPath: path) else {
            throw ServiceError(.notFound, "Cannot read the key backup \(path).", zh: "无法读取密钥备份 \(path)。")
        }
        let bundle: [UInt8]
        do { bundle = try PassphraseBox.open([UInt8](sealed), passphrase: passphrase) } catch {
            throw ServiceError(
                .refused,
                "The key backup does not open with that passphrase (or it is damaged).",
                zh: "用该口令无法打开密钥备份（或备份已损坏）。"
            )
        }
        var files: [(name: String, contents: [UInt8])] = []
        var index = bundle.firstIndex(of: 0x0A).map { $0 + 1 } ?? bundle.count
        while index < bundle.count {
            guard let end = bundle[index...].firstIndex(of: 0x0A) else { break }
            let header = String(decoding: bundle[index..<end], as: UTF8.self)
            let parts = header.split(separator: " ")
            guard parts.count == 5, parts[0] == "===", parts[4] == "===", parts[3] == "bytes)",
                parts[2].hasPrefix("("), let count = Int(parts[2].dropFirst()),
                !parts[1].contains("/"), parts[1] != "..", end + 1 + count < bundle.count
            else {
                throw ServiceError(
                    .refused,
                    "The key backup opened but its contents are not Dossier's key files.",
                    zh: "密钥备份已打开，但其内容不是 Dossier 的密钥文件。"
                )
            }
            files.append((String(parts[1]), Array(bundle[(end + 1)..<(end + 1 + count)])))
            index = end + 1 + count + 1
        }
        guard files.contains(where: { $0.name == "field.key" }) else {
            throw ServiceError(.refused, "The key backup holds no field key.", zh: "密钥备份中没有字段密钥。")
        }
        return files
    }
}
