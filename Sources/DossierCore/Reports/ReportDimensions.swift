/// What a table's rows or columns are broken down by (统计分组).
public enum ReportDimension: String, Sendable, Hashable, CaseIterable, Codable {
    /// 职务职级层次: the higher of post and rank (就高不就低), as `ReportDimensions.levels` groups them.
    case level
    /// 机构层级: the level of the person's organisation.
    case orgLevel = "org-level"
    /// 性别.
    case sex
    /// 年龄段, by `ReportDimensions.ageBands`.
    case ageBand = "age-band"
    /// 学历, by `ReportDimensions.education`.
    case education
    /// 民族 (汉族 / 少数民族), by `ReportDimensions.ethnicity`.
    case ethnicity
    /// 政治面貌, by `ReportDimensions.politicalStatus`.
    case politicalStatus = "political-status"
    /// 编制类别.
    case category
    /// 单位: each organisation in the report's scope, in the organisation tree's order.
    case organization

    /// The facts the store must group by for this dimension.
    public var facts: [ReportFact] {
        switch self {
        case .level: [.rank, .post]
        case .orgLevel: [.orgLevel]
        case .sex: [.sex]
        case .ageBand: [.age]
        case .education: [.education]
        case .ethnicity: [.ethnicity]
        case .politicalStatus: [.politicalStatus]
        case .category: [.category]
        case .organization: [.organization]
        }
    }

    /// The Chinese name, for headers.
    public var chineseName: String {
        switch self {
        case .level: "职务职级层次"
        case .orgLevel: "机构层级"
        case .sex: "性别"
        case .ageBand: "年龄"
        case .education: "学历"
        case .ethnicity: "民族"
        case .politicalStatus: "政治面貌"
        case .category: "编制类别"
        case .organization: "单位"
        }
    }
}

/// A group of codes shown as one row or column (研究生 = 博士 + 硕士 + 研究生); `isRest` takes
/// every code no other group of the dimension names (少数民族).
public struct CodeGroup: Sendable, Hashable {
    public var label: String
    public var codes: Set<String>
    public var isRest: Bool

    public init(label: String, codes: Set<String>, isRest: Bool = false) {
        self.label = label
        self.codes = codes
        self.isRest = isRest
    }
}

/// 职务职级层次: one level, with the ranks and leadership posts it holds.
public struct ReportLevel: Sendable, Hashable {
    public var label: String
    public var ranks: Set<String>
    public var posts: Set<String>
    /// Takes people with neither a rank nor a post of any level (未定级).
    public var isRest: Bool

    public init(label: String, ranks: Set<String>, posts: Set<String>, isRest: Bool = false) {
        self.label = label
        self.ranks = ranks
        self.posts = posts
        self.isRest = isRest
    }
}

/// 年龄段: whole years from `minimum` to `maximum`, both included (nil: open).
public struct AgeBand: Sendable, Hashable {
    public var label: String
    public var minimum: Int?
    public var maximum: Int?

    public init(label: String, minimum: Int?, maximum: Int?) {
        self.label = label
        self.minimum = minimum
        self.maximum = maximum
    }

    public func holds(_ age: Int) -> Bool {
        (minimum.map { age >= $0 } ?? true) && (maximum.map { age <= $0 } ?? true)
    }
}

/// The groupings the statistics use, from `Reports/dimensions.yaml` (dated: the age bands or
/// the level table of one year may differ from another's). The code tables give sex,
/// organisation level and establishment category; the organisation tree gives the units.
public struct ReportDimensions: Sendable, Hashable {
    /// High to low; a person counts at the highest level their post or their rank reaches.
    public var levels: [ReportLevel]
    public var ageBands: [AgeBand]
    public var education: [CodeGroup]
    public var ethnicity: [CodeGroup]
    public var politicalStatus: [CodeGroup]
    /// How long a reconciliation case has been open, in days (the bands' `minimum` and `maximum`).
    public var caseAges: [AgeBand]

    public init(
        levels: [ReportLevel],
        ageBands: [AgeBand],
        education: [CodeGroup],
        ethnicity: [CodeGroup],
        politicalStatus: [CodeGroup],
        caseAges: [AgeBand] = []
    ) {
        self.levels = levels
        self.ageBands = ageBands
        self.education = education
        self.ethnicity = ethnicity
        self.politicalStatus = politicalStatus
        self.caseAges = caseAges
    }

    /// The labels of `dimension`'s groups, in order; `units` are the organisations in scope
    /// (code and name, tree order) for `.organization`.
    public func labels(of dimension: ReportDimension, units: [ReportUnit]) -> [String] {
        switch dimension {
        case .level: levels.map(\.label)
        case .orgLevel: OrgLevel.allCases.map(\.chineseName)
        case .sex: [Sex.male.chineseName, Sex.female.chineseName]
        case .ageBand: ageBands.map(\.label)
        case .education: education.map(\.label)
        case .ethnicity: ethnicity.map(\.label)
        case .politicalStatus: politicalStatus.map(\.label)
        case .category: EstablishmentCategory.allCases.map(\.chineseName)
        case .organization: units.map(\.name)
        }
    }

    /// Which group of `dimension` a person with `facts` falls in (an index into `labels`); nil
    /// when none takes them, which the table's check then shows as people not counted.
    public func group(
        of dimension: ReportDimension,
        facts: (ReportFact) -> String,
        units: [String: Int]
    ) -> Int? {
        switch dimension {
        case .level:
            let rank = facts(.rank)
            let post = facts(.post)
            if let index = levels.firstIndex(where: {
                (!rank.isEmpty && $0.ranks.contains(rank)) || (!post.isEmpty && $0.posts.contains(post))
            }) {
                return index
            }
            return levels.firstIndex(where: \.isRest)
        case .orgLevel:
            return OrgLevel.allCases.firstIndex { $0.code == facts(.orgLevel) }
        case .sex:
            return [Sex.male, Sex.female].firstIndex { $0.code == facts(.sex) }
        case .ageBand:
            guard let age = Int(facts(.age)) else { return nil }
            return ageBands.firstIndex { $0.holds(age) }
        case .education: return Self.group(facts(.education), in: education)
        case .ethnicity: return Self.group(facts(.ethnicity), in: ethnicity)
        case .politicalStatus: return Self.group(facts(.politicalStatus), in: politicalStatus)
        case .category:
            return EstablishmentCategory.allCases.firstIndex { $0.code == facts(.category) }
        case .organization:
            return units[facts(.organization)]
        }
    }

    private static func group(_ code: String, in groups: [CodeGroup]) -> Int? {
        groups.firstIndex { $0.codes.contains(code) } ?? groups.firstIndex(where: \.isRest)
    }
}
