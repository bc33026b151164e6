public import DossierCore

/// An organisation as the API and the command line write it: every key present, `parent` null
/// for a root.
public struct OrganizationJSON: Sendable, Encodable {
    public var id: Int64
    public var code: CreditCode
    public var name: String
    public var kind: OrgKind
    public var level: OrgLevel
    public var parent: CreditCode?

    public init(_ organization: Organization) {
        id = organization.id
        code = organization.code
        name = organization.name
        kind = organization.kind
        level = organization.level
        parent = organization.parentCode
    }

    private enum CodingKeys: String, CodingKey {
        case id, code, name, kind, level, parent
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(code, forKey: .code)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(level, forKey: .level)
        try container.encodeText(parent, forKey: .parent)
    }
}

/// Headcount against one quota as of a date, as the API and the command line write it: the
/// organisation, what the quota counts (one of `category`, `post` or `band`), and the
/// approved, occupied, vacant (空编) and over (超编) figures.
public struct HeadcountJSON: Sendable, Encodable {
    public var headcount: Headcount

    public init(_ headcount: Headcount) { self.headcount = headcount }

    private enum CodingKeys: String, CodingKey {
        case org
        case orgName = "org_name"
        case category, post, band, approved, occupied, vacant, over
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(headcount.orgCode, forKey: .org)
        try container.encode(headcount.orgName, forKey: .orgName)
        switch headcount.subject {
        case .category(let category): try container.encode(category, forKey: .category)
        case .post(let post): try container.encode(post, forKey: .post)
        case .rankBand(let band): try container.encode(band, forKey: .band)
        }
        try container.encode(headcount.approved, forKey: .approved)
        try container.encode(headcount.occupied, forKey: .occupied)
        try container.encode(headcount.vacant, forKey: .vacant)
        try container.encode(headcount.over, forKey: .over)
    }
}
