/// Headcount against one quota as of a date: approved, occupied, and the vacancy (空编) or
/// over-quota (超编) that follows.
public struct Headcount: Sendable, Hashable, Codable {
    /// What the quota counts: an establishment category or a leadership post level.
    public enum Subject: Sendable, Hashable {
        case category(EstablishmentCategory)
        case post(LeadershipPost)
        /// A rank band of the rank quotas (职级职数), by its code in `rank-quotas.yaml`.
        case rankBand(String)
    }

    public var orgCode: CreditCode
    public var orgName: String
    public var subject: Subject
    public var approved: Int
    public var occupied: Int

    public init(orgCode: CreditCode, orgName: String, subject: Subject, approved: Int, occupied: Int) {
        self.orgCode = orgCode
        self.orgName = orgName
        self.subject = subject
        self.approved = approved
        self.occupied = occupied
    }

    /// 空编: approved minus occupied, when positive.
    public var vacant: Int { max(approved - occupied, 0) }
    /// 超编: occupied minus approved, when positive.
    public var over: Int { max(occupied - approved, 0) }

    private enum CodingKeys: String, CodingKey {
        case org
        case orgName = "org_name"
        case category, post, band, approved, occupied, vacant, over
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(orgCode, forKey: .org)
        try container.encode(orgName, forKey: .orgName)
        switch subject {
        case .category(let category): try container.encode(category, forKey: .category)
        case .post(let post): try container.encode(post, forKey: .post)
        case .rankBand(let band): try container.encode(band, forKey: .band)
        }
        try container.encode(approved, forKey: .approved)
        try container.encode(occupied, forKey: .occupied)
        try container.encode(vacant, forKey: .vacant)
        try container.encode(over, forKey: .over)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        orgCode = try container.decode(CreditCode.self, forKey: .org)
        orgName = try container.decode(String.self, forKey: .orgName)
        if let category = try container.decodeIfPresent(EstablishmentCategory.self, forKey: .category) {
            subject = .category(category)
        } else if let band = try container.decodeIfPresent(String.self, forKey: .band) {
            subject = .rankBand(band)
        } else {
            subject = .post(try container.decode(LeadershipPost.self, forKey: .post))
        }
        approved = try container.decode(Int.self, forKey: .approved)
        occupied = try container.decode(Int.self, forKey: .occupied)
    }
}

/// Headcount figures added up over several rows (units, categories): vacancies (空编) and
/// over-quota (超编) are added row by row, never netted, so one unit's vacancies never hide
/// another's over-quota.
public struct HeadcountSums: Sendable, Hashable {
    public var approved = 0
    public var occupied = 0
    /// 空编, added up row by row.
    public var vacant = 0
    /// 超编, added up row by row.
    public var over = 0

    public init() {}

    /// One row's figures.
    public init(_ row: Headcount) {
        add(row)
    }

    /// Adds one row's figures.
    public mutating func add(_ row: Headcount) {
        approved += row.approved
        occupied += row.occupied
        vacant += row.vacant
        over += row.over
    }

    /// Adds figures already added up elsewhere.
    public mutating func add(_ other: HeadcountSums) {
        approved += other.approved
        occupied += other.occupied
        vacant += other.vacant
        over += other.over
    }
}

/// One row of an organisation's quota history: a new row for every change, history kept.
public struct QuotaChange: Sendable, Hashable, Codable {
    public var orgCode: CreditCode
    public var subject: Headcount.Subject
    public var approved: Int
    public var effectiveOn: CivilDate
    public var recordedBy: String

    public init(
        orgCode: CreditCode,
        subject: Headcount.Subject,
        approved: Int,
        effectiveOn: CivilDate,
        recordedBy: String
    ) {
        self.orgCode = orgCode
        self.subject = subject
        self.approved = approved
        self.effectiveOn = effectiveOn
        self.recordedBy = recordedBy
    }
}

extension Headcount.Subject: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        if let category = EstablishmentCategory(codeOrName: text) {
            self = .category(category)
        } else if let post = LeadershipPost(codeOrName: text) {
            self = .post(post)
        } else if text.hasPrefix("band:") {
            self = .rankBand(String(text.dropFirst(5)))
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "not an establishment category or a leadership post"
            )
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .category(let category): try container.encode(category.code)
        case .post(let post): try container.encode(post.code)
        case .rankBand(let band): try container.encode("band:" + band)
        }
    }
}
