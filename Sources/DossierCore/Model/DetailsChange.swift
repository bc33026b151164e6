/// What a change (信息变更) or correction (信息更正) of personal details states: each field it
/// gives replaces the one in force; the fields it leaves out stay as they were. Sex and date of
/// birth are not here: they follow from the identity number, which only an administrator changes.
public struct DetailsChange: Sendable, Hashable {
    /// 姓名
    public var name: String?
    /// 民族
    public var ethnicity: Ethnicity?
    /// 学历: the highest education from this date (a new degree, with its date).
    public var education: Education?
    /// 政治面貌: from this date (joining the Party, say).
    public var politicalStatus: PoliticalStatus?
    /// 联系电话
    public var phone: String?

    public init(
        name: String? = nil,
        ethnicity: Ethnicity? = nil,
        education: Education? = nil,
        politicalStatus: PoliticalStatus? = nil,
        phone: String? = nil
    ) {
        self.name = name
        self.ethnicity = ethnicity
        self.education = education
        self.politicalStatus = politicalStatus
        self.phone = phone
    }

    /// True when it states nothing at all.
    public var isEmpty: Bool {
        name == nil && ethnicity == nil && education == nil && politicalStatus == nil && phone == nil
    }

    /// A personal detail a change may state.
    public enum Field: String, Sendable, CaseIterable {
        case name
        case ethnicity
        case education
        case politicalStatus = "political_status"
        case phone

        /// The label on a 干部任免审批表 and on Dossier's screens.
        public var chineseName: String {
            switch self {
            case .name: "姓名"
            case .ethnicity: "民族"
            case .education: "学历"
            case .politicalStatus: "政治面貌"
            case .phone: "联系电话"
            }
        }
    }

    /// The value it states for `field`, as shown (coded values by their Chinese names); nil when
    /// it leaves that field as it was.
    public func shown(_ field: Field) -> String? {
        switch field {
        case .name: name
        case .ethnicity: ethnicity?.chineseName
        case .education: education?.chineseName
        case .politicalStatus: politicalStatus?.chineseName
        case .phone: phone
        }
    }

    /// "姓名 张珊; 政治面貌 中共党员": what it states, in one line (the phone as held here:
    /// callers mask it where the reader may not see it).
    public var text: String {
        Field.allCases.compactMap { field in shown(field).map { "\(field.chineseName) \($0)" } }
            .joined(separator: "; ")
    }
}

/// The personal details a person's file holds on a date: as filed, with every correction of a
/// filing error applied, then every change in force on that date, in date order. The one rule
/// for "the details in force", used by every read of a person.
public struct PersonDetails: Sendable, Hashable {
    public var name: String
    public var ethnicity: Ethnicity
    public var education: Education
    public var politicalStatus: PoliticalStatus
    public var phone: String?

    public init(
        name: String,
        ethnicity: Ethnicity,
        education: Education,
        politicalStatus: PoliticalStatus,
        phone: String?
    ) {
        self.name = name
        self.ethnicity = ethnicity
        self.education = education
        self.politicalStatus = politicalStatus
        self.phone = phone
    }

    /// One recorded change or correction, as the rule reads it.
    public struct Entry: Sendable, Hashable {
        public var actionID: Int64
        public var kind: ActionKind
        public var effectiveOn: CivilDate
        public var change: DetailsChange

        public init(actionID: Int64, kind: ActionKind, effectiveOn: CivilDate, change: DetailsChange) {
            self.actionID = actionID
            self.kind = kind
            self.effectiveOn = effectiveOn
            self.change = change
        }
    }

    /// These details (as filed) with `entries` applied as of `date`: corrections first, in the
    /// order they were recorded (each says what should have been filed), then the changes in
    /// force on `date`, by date and, on one date, in the order they were recorded.
    public func applying(_ entries: [Entry], on date: CivilDate) -> PersonDetails {
        var details = self
        let corrections = entries.filter { $0.kind == .correctDetails }.sorted { $0.actionID < $1.actionID }
        let changes = entries.filter { $0.kind == .changeDetails && $0.effectiveOn <= date }
            .sorted { ($0.effectiveOn, $0.actionID) < ($1.effectiveOn, $1.actionID) }
        for entry in corrections + changes { details.apply(entry.change) }
        return details
    }

    private mutating func apply(_ change: DetailsChange) {
        if let name = change.name { self.name = name }
        if let ethnicity = change.ethnicity { self.ethnicity = ethnicity }
        if let education = change.education { self.education = education }
        if let politicalStatus = change.politicalStatus { self.politicalStatus = politicalStatus }
        if let phone = change.phone { self.phone = phone }
    }
}
