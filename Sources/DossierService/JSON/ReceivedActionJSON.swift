public import DossierCore

/// An action received from another agency's node, as it travels in a package's record
/// (`received` in `data/record.json`) and as the API shows it: codes as text, read back with
/// the same code tables.
public struct ReceivedActionJSON: Sendable, Codable, Hashable {
    public var originAgency: String
    public var originActionID: Int64
    public var kind: String
    public var effectiveOn: String
    public var org: String
    public var orgName: String
    public var category: String
    public var rank: String?
    public var post: String?
    public var status: String
    public var stated: String
    public var targetOriginActionID: Int64?
    public var recordedAt: String
    public var recordedBy: String

    public init(_ action: ReceivedAction) {
        originAgency = action.originAgency.value
        originActionID = action.originActionID
        kind = action.kind.rawValue
        effectiveOn = action.effectiveOn.description
        org = action.orgCode.value
        orgName = action.orgName
        category = action.category.code
        rank = action.rank?.code
        post = action.post?.code
        status = action.status.code
        stated = action.stated.text
        targetOriginActionID = action.targetOriginActionID
        recordedAt = action.recordedAt
        recordedBy = action.recordedBy
    }

    /// An action as a sending node's record states it: its own timeline entry, received from
    /// `originAgency` (what `ReceivedFile` reads).
    init(
        originAgency: String,
        originActionID: Int64,
        kind: String,
        effectiveOn: String,
        org: String,
        orgName: String,
        category: String,
        rank: String?,
        post: String?,
        status: String,
        stated: String,
        targetOriginActionID: Int64?,
        recordedAt: String,
        recordedBy: String
    ) {
        self.originAgency = originAgency
        self.originActionID = originActionID
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.org = org
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

    /// The action again, refused in words when a code is not one this node knows.
    func action() throws -> ReceivedAction {
        func fail(_ what: String, _ value: String) -> ServiceError {
            ServiceError(
                .invalid,
                "A received action (\(originActionID) of \(originAgency)) has an unknown \(what) '\(value)'.",
                zh: "接收的人事行为（\(originAgency) 的 \(originActionID)）含有未知的\(what)“\(value)”。"
            )
        }
        guard let kindValue = ActionKind(rawValue: kind) else { throw fail("kind", kind) }
        guard let date = CivilDate(iso: effectiveOn) else { throw fail("date", effectiveOn) }
        guard let categoryValue = EstablishmentCategory(codeOrName: category) else { throw fail("category", category) }
        guard let statusValue = PersonStatus(codeOrName: status) else { throw fail("status", status) }
        guard let statedValue = StatedFields(text: stated) else { throw fail("list of stated fields", stated) }
        var postValue: LeadershipPost?
        if let post {
            postValue = LeadershipPost(codeOrName: post)
            if postValue == nil { throw fail("post", post) }
        }
        guard let agency = try? CreditCode(originAgency) else { throw fail("agency code", originAgency) }
        guard let orgCode = try? CreditCode(org) else { throw fail("organisation code", org) }
        return ReceivedAction(
            originAgency: agency,
            originActionID: originActionID,
            kind: kindValue,
            effectiveOn: date,
            orgCode: orgCode,
            orgName: orgName,
            category: categoryValue,
            rank: rank.map(Rank.init(code:)),
            post: postValue,
            status: statusValue,
            stated: statedValue,
            targetOriginActionID: targetOriginActionID,
            recordedAt: recordedAt,
            recordedBy: recordedBy
        )
    }

    private enum CodingKeys: String, CodingKey {
        case originAgency = "origin_agency"
        case originActionID = "origin_action_id"
        case kind
        case effectiveOn = "effective_on"
        case org
        case orgName = "org_name"
        case category, rank, post, status, stated
        case targetOriginActionID = "target_origin_action_id"
        case recordedAt = "recorded_at"
        case recordedBy = "recorded_by"
    }
}
