/// What a user may do. The foundation checks the role; organisation scoping comes with the
/// lifecycle work.
public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
    /// Everything, including users, organisations and quotas.
    case admin
    /// 人事干部: keeps personnel files.
    case officer
    /// Approves personnel actions drafted by others.
    case approver
    /// Reads records.
    case viewer
    /// 统计人员: aggregates only.
    case statistician
    /// 审计/检查人员: archives and the audit log, read-only.
    case inspector
}

/// A user of Dossier, acting through the CLI or the HTTP front.
public struct User: Sendable, Hashable {
    public var name: String
    public var role: Role
    public var displayName: String
    /// Switched off by an administrator: no sign-in, no token and no command acts as them.
    public var disabled: Bool

    public init(name: String, role: Role, displayName: String, disabled: Bool = false) {
        self.name = name
        self.role = role
        self.displayName = displayName
        self.disabled = disabled
    }
}

/// One entry of the hash-chained audit log.
public struct AuditEntry: Sendable, Hashable {
    public var seq: Int64
    /// UTC time, ISO 8601 with milliseconds.
    public var at: String
    public var actor: String
    public var action: String
    public var subject: String
    /// JSON object with sorted keys; never holds identity numbers.
    public var details: String
    public var previousHash: String
    public var hash: String

    public init(
        seq: Int64,
        at: String,
        actor: String,
        action: String,
        subject: String,
        details: String,
        previousHash: String,
        hash: String
    ) {
        self.seq = seq
        self.at = at
        self.actor = actor
        self.action = action
        self.subject = subject
        self.details = details
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// The outcome of walking the audit chain.
public struct AuditVerification: Sendable, Hashable {
    /// Entries checked and found sound.
    public var checked: Int64
    /// The first entry that does not match (wrong hash, wrong link or a gap), if any.
    public var firstBroken: Int64?
    /// What is wrong with it.
    public var problem: String?
    /// The last sound entry's sequence number and hash (the head an outsider can hold).
    public var headSeq: Int64?
    public var headHash: String?
    /// Signed checkpoints found sound: their signature verifies with one of the node's keys and
    /// the entry they vouch for still has the hash they signed.
    public var checkpointsChecked: Int
    /// The first signed checkpoint that does not hold (its number), if any: the chain may walk
    /// cleanly and still have been rewritten after that checkpoint was signed.
    public var brokenCheckpoint: Int64?
    /// What is wrong with it, in a sentence that names it.
    public var checkpointProblem: String?

    public init(
        checked: Int64,
        firstBroken: Int64?,
        problem: String?,
        headSeq: Int64?,
        headHash: String?,
        checkpointsChecked: Int = 0,
        brokenCheckpoint: Int64? = nil,
        checkpointProblem: String? = nil
    ) {
        self.checked = checked
        self.firstBroken = firstBroken
        self.problem = problem
        self.headSeq = headSeq
        self.headHash = headHash
        self.checkpointsChecked = checkpointsChecked
        self.brokenCheckpoint = brokenCheckpoint
        self.checkpointProblem = checkpointProblem
    }

    /// True when every entry verified and every signed checkpoint holds.
    public var isIntact: Bool { firstBroken == nil && brokenCheckpoint == nil }
}

/// Where a user may act in their role: the whole node, or one organisation and everything
/// under it. Every reach is a grant on record; a user with none reaches nothing.
public enum Reach: Sendable, Hashable {
    case wholeNode
    case organization(CreditCode)

    /// The organisation, or nil for the whole node.
    public var org: CreditCode? {
        switch self {
        case .wholeNode: return nil
        case .organization(let code): return code
        }
    }
}
