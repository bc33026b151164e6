public import DossierCore

/// A drafted personnel action with its state, as the API and the command line write it;
/// absent values are left out.
public struct DraftJSON: Sendable, Encodable {
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
    public var note: String
    public var draftedBy: String
    public var draftedAt: String
    public var state: ActionDraft.State
    public var decidedBy: String?
    public var decidedAt: String?
    public var reason: String?
    public var actionID: Int64?

    public init(_ draft: ActionDraft) {
        id = draft.id
        personID = draft.personID
        personName = draft.personName
        kind = draft.kind
        effectiveOn = draft.effectiveOn
        orgCode = draft.orgCode
        category = draft.category
        rank = draft.rank
        post = draft.post
        status = draft.status
        targetActionID = draft.targetActionID
        note = draft.note
        draftedBy = draft.draftedBy
        draftedAt = draft.draftedAt
        state = draft.state
        decidedBy = draft.decidedBy
        decidedAt = draft.decidedAt
        reason = draft.reason
        actionID = draft.actionID
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case personName = "person_name"
        case kind
        case effectiveOn = "effective_on"
        case orgCode = "org"
        case category, rank, post, status
        case targetActionID = "target_action_id"
        case note
        case draftedBy = "drafted_by"
        case draftedAt = "drafted_at"
        case state
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case reason
        case actionID = "action_id"
    }
}
