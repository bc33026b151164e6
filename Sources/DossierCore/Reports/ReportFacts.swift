/// People in post on a date who share the same facts, and how many they are.
public struct FactGroup: Sendable, Hashable {
    /// One value per fact asked for, in the order asked ("" where a person has none).
    public var values: [String]
    public var count: Int

    public init(values: [String], count: Int) {
        self.values = values
        self.count = count
    }
}

/// What a headcount table is built from: people in post on its date, grouped by the facts it
/// needs, and how many are in post in all (counted on their own, so that a grouping that leaves
/// someone out shows in the table's check).
public struct HeadcountFacts: Sendable, Hashable {
    public var facts: [ReportFact]
    public var groups: [FactGroup]
    public var everyone: Int

    public init(facts: [ReportFact], groups: [FactGroup], everyone: Int) {
        self.facts = facts
        self.groups = groups
        self.everyone = everyone
    }
}

/// What a movements table is built from: those in post the day before the period and on its
/// last day, and every change during it that brought someone into post in the scope or took
/// them out of it, by the personnel action that did.
public struct MovementFacts: Sendable, Hashable {
    public struct Change: Sendable, Hashable {
        public var kind: ActionKind
        /// Into post in the scope (增加), else out of it (减少).
        public var isAddition: Bool
        public var count: Int

        public init(kind: ActionKind, isAddition: Bool, count: Int) {
            self.kind = kind
            self.isAddition = isAddition
            self.count = count
        }
    }

    public var start: Int
    public var end: Int
    public var changes: [Change]

    public init(start: Int, end: Int, changes: [Change]) {
        self.start = start
        self.end = end
        self.changes = changes
    }
}

/// One organisation a report covers, in the organisation tree's order.
public struct ReportUnit: Sendable, Hashable {
    public var code: String
    public var name: String
    public var level: OrgLevel

    public init(code: String, name: String, level: OrgLevel) {
        self.code = code
        self.name = name
        self.level = level
    }
}

/// What the reconciliation-cases table is built from: cases open on its date, by check, days
/// open and whether they are past due.
public struct CaseFacts: Sendable, Hashable {
    public struct Group: Sendable, Hashable {
        public var rule: String
        public var daysOpen: Int
        public var overdue: Bool
        public var count: Int

        public init(rule: String, daysOpen: Int, overdue: Bool, count: Int) {
            self.rule = rule
            self.daysOpen = daysOpen
            self.overdue = overdue
            self.count = count
        }
    }

    public var groups: [Group]

    public init(groups: [Group]) {
        self.groups = groups
    }
}
