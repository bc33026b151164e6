/// Headcount against one quota as of a date: approved, occupied, and the vacancy (空编) or
/// over-quota (超编) that follows.
public struct Headcount: Sendable, Hashable {
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
public struct QuotaChange: Sendable, Hashable {
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
