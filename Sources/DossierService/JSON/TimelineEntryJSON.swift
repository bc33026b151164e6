public import DossierCore

/// One entry of a person's timeline as the API, the command line and an archive package's
/// `data/record.json` write it. Absent values are left out (the archive format has always
/// written them so; a change here changes every package's bytes).
public struct TimelineEntryJSON: Sendable, Encodable {
    public var actionID: Int64
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    public var orgCode: CreditCode
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus
    public var recordedBy: String
    public var recordedAt: String
    public var targetActionID: Int64?
    public var amendedBy: Int64?
    public var amendment: ActionKind?

    public init(_ entry: TimelineEntry) {
        actionID = entry.actionID
        kind = entry.kind
        effectiveOn = entry.effectiveOn
        orgCode = entry.orgCode
        category = entry.category
        rank = entry.rank
        post = entry.post
        status = entry.status
        recordedBy = entry.recordedBy
        recordedAt = entry.recordedAt
        targetActionID = entry.targetActionID
        amendedBy = entry.amendedBy
        amendment = entry.amendment
    }

    private enum CodingKeys: String, CodingKey {
        case actionID = "action_id"
        case kind
        case effectiveOn = "effective_on"
        case orgCode = "org"
        case category, rank, post
        case status
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
        case targetActionID = "target_action_id"
        case amendedBy = "amended_by"
        case amendment
    }
}
