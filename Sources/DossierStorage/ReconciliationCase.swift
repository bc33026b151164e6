public import DossierCore

/// What a case rests on: the feed and its rows, the actions of the timeline, and the facts the
/// rule read from them (for people: "pension": "suspended since 2026-09-01").
public struct CaseEvidence: Sendable, Hashable {
    /// The feed the finding was read from; nil for a finding from the record alone.
    public var feedID: Int64?
    /// The rows of that feed, by their number in the file.
    public var rows: [Int]
    /// The actions of the person's timeline the finding rests on.
    public var actions: [Int64]
    /// The facts, by name, in plain words.
    public var facts: [String: String]

    public init(feedID: Int64?, rows: [Int], actions: [Int64], facts: [String: String]) {
        self.feedID = feedID
        self.rows = rows
        self.actions = actions
        self.facts = facts
    }
}

/// A case to open: one finding of one rule about one identity number.
public struct NewCase: Sendable, Hashable {
    public var rule: ReconciliationRule
    /// The blind index of the identity number the case is about (a person's, or an unknown one's).
    public var subject: [UInt8]
    /// The person on file; nil for `unknown-person`.
    public var personID: Int64?
    /// For `unknown-person`: the identity number as the feed row sealed it.
    public var sealedIdentity: [UInt8]?
    /// For `unknown-person`: the name the feed row gave.
    public var name: String?
    /// The organisation whose office the case belongs to (stored id).
    public var orgID: Int64
    public var openedOn: CivilDate
    public var dueOn: CivilDate
    public var evidence: CaseEvidence
    /// What the finding says, independent of which feed it was read from: a dismissed case
    /// keeps its rule quiet for the person while a new finding has the same fingerprint.
    public var fingerprint: String

    public init(
        rule: ReconciliationRule,
        subject: [UInt8],
        personID: Int64?,
        sealedIdentity: [UInt8]?,
        name: String?,
        orgID: Int64,
        openedOn: CivilDate,
        dueOn: CivilDate,
        evidence: CaseEvidence,
        fingerprint: String
    ) {
        self.name = name
        self.rule = rule
        self.subject = subject
        self.personID = personID
        self.sealedIdentity = sealedIdentity
        self.orgID = orgID
        self.openedOn = openedOn
        self.dueOn = dueOn
        self.evidence = evidence
        self.fingerprint = fingerprint
    }
}

/// A reconciliation case as kept: what was found, where it belongs, and how it ended.
public struct StoredCase: Sendable, Hashable {
    public var id: Int64
    public var rule: ReconciliationRule
    public var subject: [UInt8]
    public var personID: Int64?
    /// For `unknown-person`: the identity number from the feed (the caller masks it).
    public var identity: ResidentID?
    /// The name the feed row gave, for `unknown-person`; the person's name otherwise.
    public var name: String?
    public var org: CreditCode
    public var orgID: Int64
    public var openedOn: CivilDate
    public var dueOn: CivilDate
    public var status: CaseStatus
    public var evidence: CaseEvidence
    public var fingerprint: String
    public var openedBy: String
    public var openedAt: String
    /// The day of the run that cleared it, or the day it was resolved.
    public var closedOn: CivilDate?
    public var outcome: CaseOutcome?
    public var note: String?
    public var closedBy: String?
    public var closedAt: String?
    /// The draft a confirmation wrote, if any.
    public var draftID: Int64?

    public init(
        id: Int64,
        rule: ReconciliationRule,
        subject: [UInt8],
        personID: Int64?,
        identity: ResidentID?,
        name: String?,
        org: CreditCode,
        orgID: Int64,
        openedOn: CivilDate,
        dueOn: CivilDate,
        status: CaseStatus,
        evidence: CaseEvidence,
        fingerprint: String,
        openedBy: String,
        openedAt: String
    ) {
        self.id = id
        self.rule = rule
        self.subject = subject
        self.personID = personID
        self.identity = identity
        self.name = name
        self.org = org
        self.orgID = orgID
        self.openedOn = openedOn
        self.dueOn = dueOn
        self.status = status
        self.evidence = evidence
        self.fingerprint = fingerprint
        self.openedBy = openedBy
        self.openedAt = openedAt
    }

    /// Whether the case is open past its due date on `date`.
    public func isOverdue(on date: CivilDate) -> Bool { status == .open && dueOn < date }
}

/// Which cases a list shows.
public struct CaseFilter: Sendable, Hashable {
    /// nil: every status.
    public var status: CaseStatus?
    /// nil: every rule.
    public var rule: ReconciliationRule?
    /// The organisations whose cases to show, by stored id; nil: the whole node.
    public var orgs: Set<Int64>?

    public init(status: CaseStatus? = .open, rule: ReconciliationRule? = nil, orgs: Set<Int64>? = nil) {
        self.status = status
        self.rule = rule
        self.orgs = orgs
    }
}

/// How many cases of one rule an organisation has open, and how many of them are overdue.
public struct CaseCount: Sendable, Hashable {
    public var org: CreditCode
    public var rule: ReconciliationRule
    public var open: Int
    public var overdue: Int

    public init(org: CreditCode, rule: ReconciliationRule, open: Int, overdue: Int) {
        self.org = org
        self.rule = rule
        self.open = open
        self.overdue = overdue
    }
}

/// One identity number's rows in a feed, with the person it names (if on file) and their record
/// over the days the feed covers.
public struct FeedSubject: Sendable {
    /// The blind index of the identity number.
    public var subject: [UInt8]
    /// The identity number as the first of its rows sealed it (empty when the person is on
    /// file: only an unknown person's case keeps it).
    public var sealedIdentity: [UInt8]
    /// The person on file with that number, if any.
    public var personID: Int64?
    /// The rows, in file order.
    public var rows: [FeedRow]
    /// The person's record over the feed's days, oldest first.
    public var spans: [StatusSpan]

    public init(subject: [UInt8], sealedIdentity: [UInt8], personID: Int64?, rows: [FeedRow], spans: [StatusSpan]) {
        self.subject = subject
        self.sealedIdentity = sealedIdentity
        self.personID = personID
        self.rows = rows
        self.spans = spans
    }
}

/// A person whose status on a day is one of those asked for, with their whole record.
public struct StatusHistory: Sendable {
    public var personID: Int64
    /// The blind index of their identity number.
    public var subject: [UInt8]
    /// Every span of their record, oldest first.
    public var spans: [StatusSpan]

    public init(personID: Int64, subject: [UInt8], spans: [StatusSpan]) {
        self.personID = personID
        self.subject = subject
        self.spans = spans
    }
}
