/// A personnel action recorded at another agency's node, received with the person's file when
/// they transferred here: kept exactly as it was recorded there. Its organisation and recorder
/// belong to the sender; it is part of the person's history, and holds no slot here.
public struct ReceivedAction: Sendable, Hashable {
    /// The agency whose node recorded it (its unified social credit code).
    public var originAgency: CreditCode
    /// Its number on that node.
    public var originActionID: Int64
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    /// The organisation it placed the person in, there.
    public var orgCode: CreditCode
    public var orgName: String
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    /// The status it left the person in.
    public var status: PersonStatus
    /// The fields it stated itself.
    public var stated: StatedFields
    /// For a correction or cancellation there: the number, there, of the action it amends.
    public var targetOriginActionID: Int64?
    /// When and by whom (a user of the sending node) it was recorded there.
    public var recordedAt: String
    public var recordedBy: String

    public init(
        originAgency: CreditCode,
        originActionID: Int64,
        kind: ActionKind,
        effectiveOn: CivilDate,
        orgCode: CreditCode,
        orgName: String,
        category: EstablishmentCategory,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus,
        stated: StatedFields,
        targetOriginActionID: Int64? = nil,
        recordedAt: String,
        recordedBy: String
    ) {
        self.originAgency = originAgency
        self.originActionID = originActionID
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.orgCode = orgCode
        self.orgName = orgName
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.stated = stated
        self.targetOriginActionID = targetOriginActionID
        self.recordedAt = recordedAt
        self.recordedBy = recordedBy
    }
}

/// The extra fields one kind of action carries (an assessment's grade, a sanction's period, a
/// transfer's slip), stored with the action as one JSON object under `schema`: a new kind of
/// detail is a new type, not a new column.
public protocol ActionDetails: Codable, Sendable {
    /// The name its objects are stored under (lower-case letters, digits, `.` and `-`).
    static var schema: String { get }
}
