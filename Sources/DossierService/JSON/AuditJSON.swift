public import DossierCore
import Foundation

/// One audit entry as the API and the command line write it. `details` is the entry's JSON
/// object as stored (its hash covers that text), so it is written as a string.
public struct AuditEntryJSON: Sendable, Encodable {
    public var seq: Int64
    public var at: String
    public var actor: String
    public var action: String
    public var subject: String
    public var details: String
    public var previousHash: String
    public var hash: String

    public init(_ entry: AuditEntry) {
        seq = entry.seq
        at = entry.at
        actor = entry.actor
        action = entry.action
        subject = entry.subject
        details = entry.details
        previousHash = entry.previousHash
        hash = entry.hash
    }

    private enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, subject, details
        case previousHash = "prev_hash"
        case hash
    }
}

/// The outcome of walking the audit chain: every key present, absent values as null.
public struct AuditVerificationJSON: Sendable, Encodable {
    public var verification: AuditVerification

    public init(_ verification: AuditVerification) { self.verification = verification }

    private enum CodingKeys: String, CodingKey {
        case intact, checked
        case firstBroken = "first_broken"
        case problem
        case headSeq = "head_seq"
        case headHash = "head_hash"
        case checkpointsChecked = "checkpoints_checked"
        case brokenCheckpoint = "broken_checkpoint"
        case checkpointProblem = "checkpoint_problem"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verification.isIntact, forKey: .intact)
        try container.encode(verification.checked, forKey: .checked)
        try container.encode(verification.firstBroken, forKey: .firstBroken)
        try container.encodeText(verification.problem, forKey: .problem)
        try container.encode(verification.headSeq, forKey: .headSeq)
        try container.encodeText(verification.headHash, forKey: .headHash)
        try container.encode(verification.checkpointsChecked, forKey: .checkpointsChecked)
        try container.encode(verification.brokenCheckpoint, forKey: .brokenCheckpoint)
        try container.encodeText(verification.checkpointProblem, forKey: .checkpointProblem)
    }
}

/// A signed audit checkpoint as the API and `dossier audit checkpoint --export` write it: the
/// exact text signed and the signature in base64, with the key that signed it.
public struct AuditCheckpointJSON: Sendable, Encodable {
    public var number: Int64
    public var seq: Int64
    public var hash: String
    public var signedAt: String
    public var madeOn: String
    public var keyID: String
    public var algorithm: String
    public var madeBy: String
    public var signedText: String
    /// Base64 of the signature bytes.
    public var signature: String

    public init(_ checkpoint: AuditCheckpoint) {
        number = checkpoint.number
        seq = checkpoint.seq
        hash = checkpoint.hash
        signedAt = checkpoint.signedAt
        madeOn = checkpoint.madeOn.description
        keyID = checkpoint.keyID
        algorithm = checkpoint.algorithm
        madeBy = checkpoint.madeBy
        signedText = checkpoint.signedText
        signature = Data(checkpoint.signature).base64EncodedString()
    }

    private enum CodingKeys: String, CodingKey {
        case number, seq, hash
        case signedAt = "signed_at"
        case madeOn = "made_on"
        case keyID = "key_id"
        case algorithm
        case madeBy = "made_by"
        case signedText = "signed_text"
        case signature
    }

    /// The checkpoint as a block of lines for an inspector: `checkpoint: N`, the key id, the
    /// algorithm, the signature (base64, one line), then the signed text exactly (it ends in a
    /// newline), then an empty line. Archives/README.md cuts it apart with `sed`.
    public static func exportBlock(_ checkpoint: AuditCheckpoint) -> String {
        let json = AuditCheckpointJSON(checkpoint)
        return "checkpoint: \(json.number)\nkey-id: \(json.keyID)\nalgorithm: \(json.algorithm)\n"
            + "signature: \(json.signature)\n\(json.signedText)"
    }
}
