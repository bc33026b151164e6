/// A personnel action as drafted: what it states, waiting for a second person's approval
/// (maker-checker). Drafts count against no quota until approved.
public struct ActionDraftInput: Sendable, Hashable {
    public var personID: Int64
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    public var orgCode: CreditCode?
    public var category: EstablishmentCategory?
    public var rank: Rank?
    public var post: LeadershipPost?
    /// For a hire: 试用 or 在职.
    public var status: PersonStatus?
    /// For a correction or cancellation: the action it amends.
    public var targetActionID: Int64?
    /// For a change or correction of personal details: what it states.
    public var details: DetailsChange?
    public var note: String

    public init(
        personID: Int64,
        kind: ActionKind,
        effectiveOn: CivilDate,
        orgCode: CreditCode? = nil,
        category: EstablishmentCategory? = nil,
        rank: Rank? = nil,
        post: LeadershipPost? = nil,
        status: PersonStatus? = nil,
        targetActionID: Int64? = nil,
        details: DetailsChange? = nil,
        note: String = ""
    ) {
        self.personID = personID
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.orgCode = orgCode
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.targetActionID = targetActionID
        self.details = details
        self.note = note
    }
}

/// A stored draft with its state.
public struct ActionDraft: Sendable, Hashable {
    public enum State: String, Sendable, Hashable, Codable {
        case draft, approved, rejected
        /// Taken back by the officer who drafted it, before anyone decided it (撤回).
        case withdrawn

        /// What became of the draft, as a Chinese verb (起草, 批准, 退回, 撤回).
        public var chineseVerb: String {
            switch self {
            case .draft: return "起草"
            case .approved: return "批准"
            case .rejected: return "退回"
            case .withdrawn: return "撤回"
            }
        }
    }

    public var id: Int64
    public var personID: Int64
    public var personName: String
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    public var orgCode: CreditCode?
    public var category: EstablishmentCategory?
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus?
    public var targetActionID: Int64?
    public var details: DetailsChange?
    public var note: String
    public var draftedBy: String
    public var draftedAt: String
    public var state: State
    public var decidedBy: String?
    public var decidedAt: String?
    public var reason: String?
    public var actionID: Int64?

    public init(
        id: Int64,
        personID: Int64,
        personName: String,
        kind: ActionKind,
        effectiveOn: CivilDate,
        orgCode: CreditCode?,
        category: EstablishmentCategory?,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus?,
        targetActionID: Int64?,
        details: DetailsChange? = nil,
        note: String,
        draftedBy: String,
        draftedAt: String,
        state: State,
        decidedBy: String?,
        decidedAt: String?,
        reason: String?,
        actionID: Int64?
    ) {
        self.id = id
        self.personID = personID
        self.personName = personName
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.orgCode = orgCode
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.targetActionID = targetActionID
        self.details = details
        self.note = note
        self.draftedBy = draftedBy
        self.draftedAt = draftedAt
        self.state = state
        self.decidedBy = decidedBy
        self.decidedAt = decidedAt
        self.reason = reason
        self.actionID = actionID
    }

    /// What the draft states, as an input to record or check again.
    public var input: ActionDraftInput {
        ActionDraftInput(
            personID: personID,
            kind: kind,
            effectiveOn: effectiveOn,
            orgCode: orgCode,
            category: category,
            rank: rank,
            post: post,
            status: status,
            targetActionID: targetActionID,
            details: details,
            note: note
        )
    }
}

/// What approving a draft did: the actions recorded and any rank quota warnings.
public struct ApprovalResult: Sendable, Hashable {
    public var actionIDs: [Int64]
    /// Rank quotas (职级职数) exceeded where the policy warns instead of refusing.
    public var warnings: [String]

    public init(actionIDs: [Int64], warnings: [String]) {
        self.actionIDs = actionIDs
        self.warnings = warnings
    }
}

extension ActionDraftInput {
    /// A hire or rehire of `personID` on these terms.
    public init(personID: Int64, kind: ActionKind, terms: HireTerms) {
        self.init(
            personID: personID,
            kind: kind,
            effectiveOn: terms.effectiveOn,
            orgCode: terms.orgCode,
            category: terms.category,
            rank: terms.rank,
            post: terms.post,
            status: terms.status
        )
    }
}
