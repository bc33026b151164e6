public import DossierCore

/// A drafted personnel action with its state, as the API and the command line write it;
/// absent values are left out.
public struct DraftJSON: Sendable, Encodable {
    public var draft: ActionDraft

    public init(_ draft: ActionDraft) { self.draft = draft }

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case personName = "person_name"
        case kind
        case effectiveOn = "effective_on"
        case orgCode = "org"
        case category
        case rank
        case post
        case status
        case targetActionID = "target_action_id"
        case note
        case draftedBy = "drafted_by"
        case draftedAt = "drafted_at"
        case state
        case decidedBy = "decided_by"
        case decidedAt = "decided_at"
        case reason
        case actionID = "action_id"
        case details
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(draft.id, forKey: .id)
        try container.encode(draft.personID, forKey: .personID)
        try container.encode(draft.personName, forKey: .personName)
        try container.encode(draft.kind, forKey: .kind)
        try container.encode(draft.effectiveOn, forKey: .effectiveOn)
        try container.encodeIfPresent(draft.orgCode, forKey: .orgCode)
        try container.encodeIfPresent(draft.category, forKey: .category)
        try container.encodeIfPresent(draft.rank, forKey: .rank)
        try container.encodeIfPresent(draft.post, forKey: .post)
        try container.encodeIfPresent(draft.status, forKey: .status)
        try container.encodeIfPresent(draft.targetActionID, forKey: .targetActionID)
        try container.encode(draft.note, forKey: .note)
        try container.encode(draft.draftedBy, forKey: .draftedBy)
        try container.encode(draft.draftedAt, forKey: .draftedAt)
        try container.encode(draft.state, forKey: .state)
        try container.encodeIfPresent(draft.decidedBy, forKey: .decidedBy)
        try container.encodeIfPresent(draft.decidedAt, forKey: .decidedAt)
        try container.encodeIfPresent(draft.reason, forKey: .reason)
        try container.encodeIfPresent(draft.actionID, forKey: .actionID)
        try container.encodeIfPresent(draft.details.map(DetailsChangeJSON.init), forKey: .details)
    }
}
