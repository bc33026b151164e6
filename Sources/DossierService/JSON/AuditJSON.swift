public import DossierCore

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
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(verification.isIntact, forKey: .intact)
        try container.encode(verification.checked, forKey: .checked)
        try container.encode(verification.firstBroken, forKey: .firstBroken)
        try container.encodeText(verification.problem, forKey: .problem)
        try container.encode(verification.headSeq, forKey: .headSeq)
        try container.encodeText(verification.headHash, forKey: .headHash)
    }
}
