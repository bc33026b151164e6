public import DossierCore
public import DossierStorage

/// A reconciliation case as the API and the command line write it: every key present, absent
/// values as null. `person` is the file number (null for `unknown-person`, whose identity
/// number is in `identity`, masked unless revealed); `evidence` is what the case rests on.
public struct CaseJSON: Sendable, Encodable {
    public var view: CaseView

    public init(_ view: CaseView) { self.view = view }

    private enum CodingKeys: String, CodingKey {
        case id, person, name, identity, rule, org
        case openedOn = "opened_on"
        case dueOn = "due_on"
        case status, overdue, outcome, note
        case closedOn = "closed_on"
        case draft, evidence
    }

    private enum EvidenceKeys: String, CodingKey {
        case feed, rows, actions, facts
    }

    public func encode(to encoder: any Encoder) throws {
        let stored = view.stored
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stored.id, forKey: .id)
        try container.encode(stored.personID, forKey: .person)
        try container.encodeText(stored.name, forKey: .name)
        try container.encodeText(view.identity, forKey: .identity)
        try container.encode(stored.rule.rawValue, forKey: .rule)
        try container.encodeText(stored.org, forKey: .org)
        try container.encodeText(stored.openedOn, forKey: .openedOn)
        try container.encodeText(stored.dueOn, forKey: .dueOn)
        try container.encode(stored.status.rawValue, forKey: .status)
        try container.encode(view.overdue, forKey: .overdue)
        try container.encodeText(stored.outcome?.rawValue, forKey: .outcome)
        try container.encodeText(stored.note, forKey: .note)
        try container.encodeText(stored.closedOn, forKey: .closedOn)
        try container.encode(stored.draftID, forKey: .draft)
        var evidence = container.nestedContainer(keyedBy: EvidenceKeys.self, forKey: .evidence)
        try evidence.encode(stored.evidence.feedID, forKey: .feed)
        try evidence.encode(stored.evidence.rows, forKey: .rows)
        try evidence.encode(stored.evidence.actions, forKey: .actions)
        try evidence.encode(stored.evidence.facts, forKey: .facts)
    }
}

/// A case with its evidence, as the API and the command line write it: the keys of `CaseJSON`,
/// then `feed_file` (the feed the finding was read from, null when it came from the record
/// alone), `feed_rows` (the rows of that feed the evidence names, each with the fields of its
/// kind) and `timeline` (the person's, empty for an unknown person).
public struct CaseDetailJSON: Sendable, Encodable {
    public var detail: CaseDetail

    public init(_ detail: CaseDetail) { self.detail = detail }

    private enum CodingKeys: String, CodingKey {
        case feedFile = "feed_file"
        case feedRows = "feed_rows"
        case timeline
    }

    public func encode(to encoder: any Encoder) throws {
        try CaseJSON(detail.view).encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(detail.feed.map(FeedJSON.init), forKey: .feedFile)
        try container.encode(detail.rows.map(FeedRowJSON.init), forKey: .feedRows)
        try container.encode(detail.timeline.map(TimelineEntryJSON.init), forKey: .timeline)
    }
}

/// How many cases of one rule an organisation has open, and how many of them are overdue: what
/// statisticians and the staffing overview see.
public struct CaseCountJSON: Sendable, Encodable {
    public var count: CaseCount

    public init(_ count: CaseCount) { self.count = count }

    private enum CodingKeys: String, CodingKey {
        case org, rule, open, overdue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeText(count.org, forKey: .org)
        try container.encode(count.rule.rawValue, forKey: .rule)
        try container.encode(count.open, forKey: .open)
        try container.encode(count.overdue, forKey: .overdue)
    }
}

/// What a reconciliation run did: cases opened, findings already open, cases cleared, findings
/// kept quiet by an earlier decision, the feed read for each kind (by kind) and the rules that
/// ran.
public struct ReconciliationRunJSON: Sendable, Encodable {
    public var summary: ReconciliationSummary

    public init(_ summary: ReconciliationSummary) { self.summary = summary }

    private enum CodingKeys: String, CodingKey {
        case asOf = "as_of"
        case opened
        case alreadyOpen = "already_open"
        case cleared
        case keptQuiet = "kept_quiet"
        case feeds, rules
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeText(summary.asOf, forKey: .asOf)
        try container.encode(summary.opened, forKey: .opened)
        try container.encode(summary.alreadyOpen, forKey: .alreadyOpen)
        try container.encode(summary.cleared, forKey: .cleared)
        try container.encode(summary.keptQuiet, forKey: .keptQuiet)
        try container.encode(
            Dictionary(uniqueKeysWithValues: summary.feeds.map { ($0.key.rawValue, $0.value) }),
            forKey: .feeds
        )
        try container.encode(summary.rulesRun.map(\.rawValue), forKey: .rules)
    }
}
