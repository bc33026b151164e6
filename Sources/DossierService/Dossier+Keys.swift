import DossierCore
public import DossierCrypto
import DossierStore
import Foundation

/// The node's signing key as listed.
public struct SigningKeyInfo: Sendable, Hashable, Codable {
    public var keyID: String
    public var algorithm: String
    /// True for the key the node signs with now; false for earlier keys kept for verification.
    public var active: Bool
    public var path: String

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case algorithm, active, path
    }
}

extension Dossier {
    var signingKeyPath: String? { dataDirectory.map { $0.keysPath + "/signing.pem" } }

    /// Creates the node's signing key (private key file mode 0600 in DIR/keys). An existing key
    /// is replaced only when asked; it is then kept as `signing-KEYID.pem` so packages signed
    /// with it can still be checked.
    @discardableResult
    public func generateSigningKey(_ algorithm: SignatureAlgorithm, replace: Bool = false) throws -> SigningKeyInfo {
        try require(.manageUsers)
        guard let directory = dataDirectory, let path = signingKeyPath else {
            throw ServiceError(.setup, "This node has no data directory to keep a key in.")
        }
        let fileManager = FileManager.default
        if fileManager.fileExists(atPath: path) {
            guard replace else {
                throw ServiceError(.refused, "This node already has a signing key; use --replace to make a new one.")
            }
            let old = try loadKey(path)
            let kept = directory.keysPath + "/signing-\(try old.keyID()).pem"
            do { try fileManager.moveItem(atPath: path, toPath: kept) } catch {
                throw ServiceError(.setup, "Cannot keep the old key as \(kept).")
            }
        }
        let key: SigningKey
        let pem: String
        do {
            key = try SigningKey.generate(algorithm)
            pem = try key.privatePEM()
        } catch {
            throw ServiceError(.setup, error.description)
        }
        guard fileManager.createFile(atPath: path, contents: Data(pem.utf8), attributes: [.posixPermissions: 0o600])
        else { throw ServiceError(.setup, "Cannot write the key file \(path).") }
        let id = try mapErrors { try key.keyID() }
        try mapErrors {
            try store.recordEvent(
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
            throw ServiceError(.setup, "Cannot read the key file \(path).")
        }
        return try mapErrors { try SigningKey.load(pem: text) }
    }

    /// The node's signing keys: the active one and earlier ones kept.
    public func signingKeys() throws -> [SigningKeyInfo] {
        try require(.readAudit)
        return try ownKeyFiles().map { path in
            let key = try loadKey(path)
            return SigningKeyInfo(
                keyID: try mapErrors { try key.keyID() },
                algorithm: key.algorithm.rawValue,
                active: path == signingKeyPath,
                path: path
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
            throw ServiceError(.notFound, "This node has no signing key yet; run 'dossier keys generate' first.")
        }
        return try mapErrors { try loadKey(path).publicPEM() }
    }
}
