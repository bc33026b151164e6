public import DossierCore
public import DossierStorage

/// A reconciliation case as shown to the acting user: the identity number of an unknown person
/// masked unless revealed.
public struct CaseView: Sendable, Hashable {
    public var stored: StoredCase
    /// For `unknown-person`: the identity number from the feed, masked unless revealed.
    public var identity: String?
    /// Open past its due date, on the node's today.
    public var overdue: Bool

    init(_ stored: StoredCase, today: CivilDate, reveal: Bool = false) {
        self.stored = stored
        identity = stored.identity.map { reveal ? $0.value : $0.masked }
        overdue = stored.isOverdue(on: today)
    }
}

/// A case with its evidence: the feed and the rows it was raised on, and the person's timeline.
public struct CaseDetail: Sendable {
    public var view: CaseView
    /// The feed the finding was read from, if any.
    public var feed: StoredFeed?
    /// The rows of that feed the evidence names, in file order.
    public var rows: [FeedRow]
    /// The person's timeline (empty for an unknown person); the evidence names the actions that
    /// count.
    public var timeline: [TimelineEntry]
}

/// What deciding a case did.
public struct CaseResolution: Sendable, Hashable {
    public var caseID: Int64
    public var outcome: CaseOutcome
    /// The draft a confirmation wrote, waiting for an approver; nil when the rule has nothing to
    /// draft.
    public var draftID: Int64?
}

extension Dossier {
    /// Cases in the acting user's reach, soonest due first (overdue ones lead).
    public func cases(
        status: CaseStatus? = .open,
        rule: ReconciliationRule? = nil,
        org: CreditCode? = nil,
        limit: Int = 100,
        offset: Int = 0
    ) async throws -> [CaseView] {
        try require(.readCases)
        let orgs = try await caseScope(org: org)
        let stored = try await mapErrors {
            try await store.cases(CaseFilter(status: status, rule: rule, orgs: orgs), limit: limit, offset: offset)
        }
        return stored.map { CaseView($0, today: today) }
    }

    /// How many cases `cases` lists for the same question, in all (for "100 of 3,214 shown").
    public func caseCount(
        status: CaseStatus? = .open,
        rule: ReconciliationRule? = nil,
        org: CreditCode? = nil
    ) async throws -> Int {
        try require(.readCases)
        let orgs = try await caseScope(org: org)
        return try await mapErrors { try await store.countCases(CaseFilter(status: status, rule: rule, orgs: orgs)) }
    }

    /// One case in reach, with its evidence. `reveal` shows an unknown person's identity number
    /// in full, for a user who may see full numbers (the look-up is audited).
    public func reconciliationCase(_ id: Int64, reveal: Bool = false) async throws -> CaseDetail {
        try require(.readCases)
        if reveal { try require(.revealIdentity) }
        let stored = try await caseInReach(id, scope: try await caseScope(org: nil))
        var rows: [FeedRow] = []
        var feed: StoredFeed?
        if let feedID = stored.evidence.feedID {
            feed = try await mapErrors { try await store.feed(feedID) }
            let wanted = Set(stored.evidence.rows)
            rows = try await mapErrors {
                try await store.feedRows(feedID: feedID, identityIndex: stored.subject)
            }.filter { wanted.contains($0.row) }
        }
        var timeline: [TimelineEntry] = []
        if let personID = stored.personID {
            timeline = try await mapErrors { try await store.timeline(personID: personID) }
        }
        if reveal, stored.identity != nil {
            try await mapErrors {
                try await store.recordEvent(
                    actor: actor.name,
                    action: "case.reveal",
                    subject: "case:\(id)",
                    details: [:]
                )
            }
        }
        return CaseDetail(
            view: CaseView(stored, today: today, reveal: reveal),
            feed: feed,
            rows: rows,
            timeline: timeline
        )
    }

    /// Open and overdue cases per organisation and rule, in reach: what statisticians and the
    /// staffing overview see (counts only, no names).
    public func caseCounts() async throws -> [CaseCount] {
        try require(.readAggregates)
        let scope = try await readableScope()
        return try await mapErrors { try await store.caseCounts(within: scope, today: today) }
    }

    /// Decides an open case. `confirmed` drafts the action that ends the disagreement where there
    /// is one (自离 for `contributions-stopped` and `absent-without-leave`, dated from the
    /// evidence; 退休 when the insurer counts the person retired and the record does not), for
    /// an approver to decide; `dismissed` keeps the rule quiet for this person until the
    /// evidence changes. A note is always needed. One transaction, with its audit entry
    /// (`case.resolve`) and the draft's.
    public func resolveCase(_ id: Int64, outcome: CaseOutcome, note: String) async throws -> CaseResolution {
        try require(.resolveCases)
        let note = try FreeText.checked(note, "The note", zh: "备注", maxLength: 500, required: true)
        let organizations = try await mapErrors { try await store.organizations() }
        let reach = try await actingReach(organizations)
        let stored = try await caseInReach(id, scope: reach)
        guard stored.status == .open else { throw Self.alreadyClosed(stored) }
        let draft = outcome == .confirmed ? Self.draftEnding(stored, note: note) : nil
        let actor = actor.name
        let today = today
        let draftID = try await mapErrors {
            try await store.write { tx -> Int64? in
                try tx.requireUser(actor)
                guard let current = try tx.reconciliationCase(id), current.status == .open else {
                    throw ServiceError(
                        .refused,
                        "Case \(id) was closed meanwhile; nothing was changed.",
                        zh: "案件 \(id) 已在此期间结案，未作任何更改。"
                    )
                }
                let draftID = try draft.map { try writeDraft($0, in: tx) }
                try tx.resolveCase(id, outcome: outcome, note: note, draftID: draftID, on: today, by: actor)
                var details = ["rule": stored.rule.rawValue, "outcome": outcome.rawValue]
                if let draftID { details["draft"] = String(draftID) }
                try audit(tx, action: "case.resolve", subject: "case:\(id)", details: details)
                return draftID
            }
        }
        return CaseResolution(caseID: id, outcome: outcome, draftID: draftID)
    }

    /// The action a confirmed case drafts, if its rule has one.
    static func draftEnding(_ stored: StoredCase, note: String) -> ActionDraftInput? {
        guard let personID = stored.personID, let from = stored.evidence.facts["from"].flatMap(CivilDate.init(iso:))
        else { return nil }
        let kind: ActionKind
        switch stored.rule {
        case .contributionsStopped, .absentWithoutLeave: kind = .awol
        case .retirementMismatch where stored.evidence.facts["record_retired"] == "no": kind = .retire
        case .failingGrades: kind = .dismiss
        default: return nil
        }
        return ActionDraftInput(
            personID: personID,
            kind: kind,
            effectiveOn: from,
            note: "Reconciliation case \(stored.id) (\(stored.rule.rawValue)): \(note)"
        )
    }

    private static func alreadyClosed(_ stored: StoredCase) -> ServiceError {
        let how =
            stored.status == .cleared ? "cleared by the run of" : "resolved (\(stored.outcome?.rawValue ?? "?")) on"
        return ServiceError(
            .refused,
            "Case \(stored.id) is already \(how) \(stored.closedOn?.description ?? "?").",
            zh:
                "案件 \(stored.id) 已于 \(stored.closedOn?.description ?? "?") \(stored.status == .cleared ? "自动消除" : "处理完毕")。"
        )
    }

    /// The organisations whose cases the acting user may read (nil: all), narrowed to `org` and
    /// those under it when given.
    private func caseScope(org: CreditCode?) async throws -> Set<Int64>? {
        let scope = try await readableScope()
        guard let org else { return scope }
        let organizations = try await mapErrors { try await store.organizations() }
        let below = Set(OrganizationTree(organizations).subtree(of: org).map(\.id))
        guard !below.isEmpty else {
            throw ServiceError(
                .notFound,
                "No organisation with credit code \(org) is on file.",
                zh: "统一社会信用代码为 \(org) 的机构不在档。"
            )
        }
        return scope.map { $0.intersection(below) } ?? below
    }

    /// A case whose organisation is within `scope` (nil: any); "not found" otherwise, worded as
    /// for a case that does not exist.
    private func caseInReach(_ id: Int64, scope: Set<Int64>?) async throws -> StoredCase {
        guard let stored = try await mapErrors({ try await store.reconciliationCase(id) }),
            scope?.contains(stored.orgID) ?? true
        else {
            throw ServiceError(
                .notFound,
                "There is no case \(id) within your organisations.",
                zh: "您所管辖的机构中没有编号为 \(id) 的案件。"
            )
        }
        return stored
    }
}
