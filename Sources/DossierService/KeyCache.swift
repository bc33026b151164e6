import DossierCrypto
import Synchronization

/// Keys decoded from PEM, kept for the life of the process: a transfer asks for the node's key
/// and its trust anchors several times (export, import, receipt, each verification), and
/// decoding an SM2 key each time was a fifth of an exchange's processor time. Keyed by the PEM
/// text itself, so a replaced key file or trust-store entry is simply a new entry; a key is
/// immutable and safe to share (see `SigningKey`).
enum KeyCache {
    private static let keys = Mutex<[String: SigningKey]>([:])
    /// Bound on entries; a node holds a handful of keys, so clearing is all eviction needs.
    private static let limit = 256

    /// The key in `pem`, decoded once.
    static func key(pem: String) throws -> SigningKey {
        if let known = keys.withLock({ $0[pem] }) { return known }
        let key = try SigningKey.load(pem: pem)
        keys.withLock { cache in
            if cache.count >= limit { cache.removeAll() }
            cache[pem] = key
        }
        return key
    }

    /// The public half of the key in `pem` (itself, when it is public), decoded once.
    static func publicKey(pem: String) throws -> SigningKey {
        let key = try key(pem: pem)
        guard key.isPrivate else { return key }
        return try self.key(pem: try key.publicPEM())
    }
}
