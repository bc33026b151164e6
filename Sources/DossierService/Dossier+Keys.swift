import DossierCore
public import DossierCrypto
import DossierStorage
import Foundation

/// The node's signing key as listed.
public struct SigningKeyInfo: Sendable, Hashable {
    public var keyID: String
    public var algorithm: String
    /// True for the key the node signs with now; false for earlier keys kept for verification.
    public var active: Bool
    public var path: String
    /// Who the node's certificate names, when the active key has one.
    public var certificate: String?
    /// The last day the certificate is valid (UTC), when there is one.
    public var certificateExpires: String?
    /// When this earlier key was revoked on this node (`keys revoke`), if it was: packages it
    /// signed are then refused here.
    public var revokedAt: String?
}

extension Dossier {
    var signingKeyPath: String? { dataDirectory.map { $0.keysPath + "/signing.pem" } }
    /// The certificate chain of the active key, when an authority has certified it.
    var certificateChainPath: String? { dataDirectory.map { $0.keysPath + "/certificate-chain.pem" } }

    /// Creates the node's signing key (private key file mode 0600 in DIR/keys). An existing key
    /// is replaced only when asked; it is then kept as `signing-KEYID.pem` so packages signed
    /// with it can still be checked.
    @discardableResult
    public func generateSigningKey(
        _ algorithm: SignatureAlgorithm,
        replace: Bool = false
    ) async throws -> SigningKeyInfo {
        try require(.manageUsers)
        guard let directory = dataDirectory, let path = signingKeyPath else {
            throw ServiceError(.setup, "This node has no data directory to keep a key in.", zh: "本节点没有可存放密钥的数据目录。")
        }
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            guard replace else {
                throw ServiceError(
                    .refused,
                    "This node already has a signing key; use --replace to make a new one.",
                    zh: "本节点已有签名密钥；如需新密钥，请使用 --replace。"
                )
            }
            let old = try loadKey(path)
            let kept = directory.keysPath + "/signing-\(try old.keyID()).pem"
            do { try fileManager.moveItem(atPath: path, toPath: kept) } catch {
                throw ServiceError(.setup, "Cannot keep the old key as \(kept).", zh: "无法将旧密钥保存为 \(kept)。")
            }
            // The certificate was for the old key: keep it beside it, the new key needs its own.
            if let chain = certificateChainPath, fileManager.fileExists(atPath: chain) {
                try? fileManager.moveItem(
                    atPath: chain,
                    toPath: directory.keysPath + "/certificate-chain-\(try old.keyID()).pem"
                )
            }
        }
        let key: SigningKey
        let pem: String
        do {
            key = try SigningKey.generate(algorithm)
            pem = try key.privatePEM()
        } catch {
            throw ServiceError(.setup, error.description, zh: "签名密钥无法生成。")
        }
        guard fileManager.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        else { throw ServiceError(.setup, "Cannot write the key file \(path).", zh: "无法写入密钥文件 \(path)。") }
        let id = try mapErrorsSync { try key.keyID() }
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "keys.generate",
                subject: "key:\(id)",
                details: ["algorithm": algorithm.rawValue]
            )
        }
        return SigningKeyInfo(keyID: id, algorithm: algorithm.rawValue, active: true, path: path)
    }

    func loadKey(_ path: String) throws -> SigningKey {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError(.setup, "Cannot read the key file \(path).", zh: "无法读取密钥文件 \(path)。")
        }
        return try mapErrorsSync { try KeyCache.key(pem: text) }
    }

    /// The node's signing keys: the active one and earlier ones kept, with when each earlier
    /// one was revoked here, if it was.
    public func signingKeys() async throws -> [SigningKeyInfo] {
        try require(.readAudit)
        let leaf = try nodeCertificateChain().first
        let revocations = try await mapErrors { try await store.ownKeyRevocations() }
        return try ownKeyFiles().map { path in
            let key = try loadKey(path)
            let keyID = try mapErrorsSync { try key.keyID() }
            let active = path == signingKeyPath
            return SigningKeyInfo(
                keyID: keyID,
                algorithm: key.algorithm.rawValue,
                active: active,
                path: path,
                certificate: active ? leaf?.subject : nil,
                certificateExpires: active ? leaf?.validity.map { Self.utcDay($0.notAfter) } : nil,
                revokedAt: revocations[keyID]
            )
        }
    }

    /// The node's key files, the active `signing.pem` and the kept `signing-KEYID.pem`.
    func ownKeyFiles() -> [String] {
        guard let directory = dataDirectory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.keysPath)) ?? []
        return names.filter { $0.hasPrefix("signing") && $0.hasSuffix(".pem") }.sorted().map {
            directory.keysPath + "/" + $0
        }
    }

    /// The active key's public half, as PEM, for other agencies and inspectors.
    public func exportPublicKey() throws -> String {
        guard let path = signingKeyPath, FileManager.default.fileExists(atPath: path) else {
            throw ServiceError(
                .notFound,
                "This node has no signing key yet; run 'dossier keys generate' first.",
                zh: "本节点尚无签名密钥；请先运行“dossier keys generate”。"
            )
        }
        return try mapErrorsSync { try loadKey(path).publicPEM() }
    }

    /// A certificate signing request for the active key, to send to the certificate authority
    /// inspectors trust. `organization` is the agency's name; `name` names the key.
    public func certificateRequest(organization: String, name: String, country: String = "CN") async throws -> String {
        try require(.manageUsers)
        guard let path = signingKeyPath, FileManager.default.fileExists(atPath: path) else {
            throw ServiceError(
                .notFound,
                "This node has no signing key yet; run 'dossier keys generate' first.",
                zh: "本节点尚无签名密钥；请先运行“dossier keys generate”。"
            )
        }
        let key = try loadKey(path)
        let request = try mapErrorsSync {
            try key.certificateRequest(subject: [("C", country), ("O", organization), ("CN", name)])
        }
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "keys.request",
                subject: "key:\(try key.keyID())",
                details: ["organization": organization, "name": name]
            )
        }
        return request
    }

    /// Installs the certificate chain an authority issued for the active key (PEM: the node's
    /// certificate first, then any intermediates). Packages signed from now on carry it.
    @discardableResult
    public func installCertificate(file path: String) async throws -> SigningKeyInfo {
        try require(.manageUsers)
        guard let keyPath = signingKeyPath, let chainPath = certificateChainPath,
            FileManager.default.fileExists(atPath: keyPath)
        else {
            throw ServiceError(
                .notFound,
                "This node has no signing key yet; run 'dossier keys generate' first.",
                zh: "本节点尚无签名密钥；请先运行“dossier keys generate”。"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ServiceError(.notFound, "Cannot read the certificate file \(path).", zh: "无法读取证书文件 \(path)。")
        }
        let chain: [Certificate]
        do { chain = try Certificate.loadAll(pem: text) } catch {
            throw ServiceError(.invalid, "\(path): \(error)", zh: "\(path) 无法使用。")
        }
        let key = try loadKey(keyPath)
        let keyID = try mapErrorsSync { try key.keyID() }
        let leaf = chain[0]
        guard (try? leaf.publicKey().keyID()) == keyID else {
            throw ServiceError(
                .invalid,
                "The first certificate in \(path) is not for this node's key \(keyID); it must come first in the file.",
                zh: "\(path) 中的第一份证书不是本节点密钥 \(keyID) 的证书；该证书须放在文件最前面。"
            )
        }
        guard leaf.allowsSigning else {
            throw ServiceError(
                .invalid,
                "The certificate in \(path) does not allow digital signatures.",
                zh: "\(path) 中的证书不允许数字签名。"
            )
        }
        let now = Int64(Date().timeIntervalSince1970)
        guard let validity = leaf.validity, validity.notBefore <= now, now <= validity.notAfter else {
            throw ServiceError(.invalid, "The certificate in \(path) is not valid today.", zh: "\(path) 中的证书今天不在有效期内。")
        }
        let pem = try mapErrorsSync { try chain.map { try $0.pem() }.joined() }
        let temporary = chainPath + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(pem.utf8)),
            rename(temporary, chainPath) == 0
        else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(.setup, "Cannot write the certificate file \(chainPath).", zh: "无法写入证书文件 \(chainPath)。")
        }
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "keys.certificate",
                subject: "key:\(keyID)",
                details: ["subject": leaf.subject, "issuer": leaf.issuer, "fingerprint": try leaf.fingerprint()]
            )
        }
        return try await signingKeys().first { $0.active }!
    }

    /// The active key's certificate chain, empty when it has none.
    func nodeCertificateChain() throws -> [Certificate] {
        guard let path = certificateChainPath, let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return []
        }
        do { return try Certificate.loadAll(pem: text) } catch {
            throw ServiceError(
                .setup,
                "The node's certificate file \(path) cannot be read: \(error)",
                zh: "本节点的证书文件 \(path) 无法读取。"
            )
        }
    }

    static func utcDay(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
    }
}
