/// A signed audit checkpoint: the node's signature over the audit chain's head as it stood
/// (an entry's number and hash), kept beside the chain. Whoever rewrites the chain after it,
/// recomputing every hash so that the chain walks cleanly, cannot make the signature vouch for
/// the new hash without the node's private key.
public struct AuditCheckpoint: Sendable, Hashable {
    /// The checkpoint's number (1 for the node's first); 0 for one not stored yet.
    public var number: Int64
    /// The audit entry it vouches for.
    public var seq: Int64
    /// That entry's hash when it was signed.
    public var hash: String
    /// When it was signed (UTC, ISO 8601 with milliseconds).
    public var signedAt: String
    /// The node's day it was made on, by the node's clock (one a day is made by the server).
    public var madeOn: CivilDate
    /// The signing key's id (the first 16 hex digits of the SHA-256 of its DER public key).
    public var keyID: String
    /// The signature's label as in archive packages: `SM2-SM3`, `Ed25519`, `ECDSA-P256-SHA256`.
    public var algorithm: String
    /// The exact text signed (UTF-8), which names the entry, its hash, the time and the node.
    public var signedText: String
    /// The signature over `signedText`.
    public var signature: [UInt8]
    /// The user who made it.
    public var madeBy: String

    public init(
        number: Int64 = 0,
        seq: Int64,
        hash: String,
        signedAt: String,
        madeOn: CivilDate,
        keyID: String,
        algorithm: String,
        signedText: String,
        signature: [UInt8],
        madeBy: String
    ) {
        self.number = number
        self.seq = seq
        self.hash = hash
        self.signedAt = signedAt
        self.madeOn = madeOn
        self.keyID = keyID
        self.algorithm = algorithm
        self.signedText = signedText
        self.signature = signature
        self.madeBy = madeBy
    }
}
