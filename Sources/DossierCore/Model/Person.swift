/// Where a person stands on a date: organisation, establishment slot, rank, post and status.
public struct Placement: Sendable, Hashable {
    public var orgCode: CreditCode
    public var orgName: String
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus
    /// The effective date of the action that put the person here.
    public var since: CivilDate

    public init(
        orgCode: CreditCode,
        orgName: String,
        category: EstablishmentCategory,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus,
        since: CivilDate
    ) {
        self.orgCode = orgCode
        self.orgName = orgName
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.since = since
    }
}

/// The terms of a hire (录用): where the new slot is, from when, and the starting status.
public struct HireTerms: Sendable, Hashable {
    public var orgCode: CreditCode
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    /// 试用 (probation) or 在职 (active).
    public var status: PersonStatus
    public var effectiveOn: CivilDate

    public init(
        orgCode: CreditCode,
        category: EstablishmentCategory,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus,
        effectiveOn: CivilDate
    ) {
        self.orgCode = orgCode
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.effectiveOn = effectiveOn
    }
}

/// A validated real-name record (实名制) ready to be filed, with the hire that places it.
public struct NewPerson: Sendable, Hashable {
    public var idNumber: ResidentID
    public var name: String
    public var ethnicity: Ethnicity
    public var education: Education
    public var politicalStatus: PoliticalStatus
    public var phone: String?
    public var hire: HireTerms

    public init(
        idNumber: ResidentID,
        name: String,
        ethnicity: Ethnicity,
        education: Education,
        politicalStatus: PoliticalStatus,
        phone: String?,
        hire: HireTerms
    ) {
        self.idNumber = idNumber
        self.name = name
        self.ethnicity = ethnicity
        self.education = education
        self.politicalStatus = politicalStatus
        self.phone = phone
        self.hire = hire
    }

    /// 性别, derived from the identity number.
    public var sex: Sex { idNumber.sex }
    /// 出生日期, derived from the identity number.
    public var birthDate: CivilDate { idNumber.birthDate }
}

/// A person's real-name file as read back: the record and the placement as of the date asked.
public struct PersonRecord: Sendable, Hashable {
    public var id: Int64
    public var idNumber: ResidentID
    public var name: String
    public var sex: Sex
    public var birthDate: CivilDate
    public var ethnicity: Ethnicity
    public var education: Education
    public var politicalStatus: PoliticalStatus
    public var phone: String?
    /// Nil when the person had no placement on the date asked (not yet hired).
    public var placement: Placement?

    public init(
        id: Int64,
        idNumber: ResidentID,
        name: String,
        sex: Sex,
        birthDate: CivilDate,
        ethnicity: Ethnicity,
        education: Education,
        politicalStatus: PoliticalStatus,
        phone: String?,
        placement: Placement?
    ) {
        self.id = id
        self.idNumber = idNumber
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.education = education
        self.politicalStatus = politicalStatus
        self.phone = phone
        self.placement = placement
    }
}
