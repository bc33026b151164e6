/// One statistical table as data (`Reports/NAME.yaml`): what it counts, broken down by what,
/// and the checks (校核式) it must pass. A statistics office adds a table by adding a file.
public struct ReportDefinition: Sendable, Hashable {
    /// The file's name without `.yaml`, as `report run NAME` takes it.
    public var name: String
    /// Its place in the list of tables (表号).
    public var number: Int
    /// 表名.
    public var title: String
    public var measure: ReportMeasure
    /// The row dimension; nil: one row (合计) only (a movements table has one row).
    public var rows: ReportDimension?
    /// Column dimensions, outer first (two make a two-level header); for headcount tables.
    public var columns: [ReportDimension]
    /// Only people whose facts match are counted.
    public var filter: ReportFilter
    /// For quota tables: rows are subtotalled by organisation level (小计), never netting one
    /// unit's 超编 against another's 空编.
    public var subtotalByOrgLevel: Bool
    public var chart: ReportChart?
    public var checks: [ReportCheck]

    public init(
        name: String,
        number: Int,
        title: String,
        measure: ReportMeasure,
        rows: ReportDimension?,
        columns: [ReportDimension] = [],
        filter: ReportFilter = [:],
        subtotalByOrgLevel: Bool = false,
        chart: ReportChart? = nil,
        checks: [ReportCheck] = []
    ) {
        self.name = name
        self.number = number
        self.title = title
        self.measure = measure
        self.rows = rows
        self.columns = columns
        self.filter = filter
        self.subtotalByOrgLevel = subtotalByOrgLevel
        self.chart = chart
        self.checks = checks
    }

    /// The facts the store must group people by for this table.
    public var facts: [ReportFact] {
        var seen: [ReportFact] = []
        for dimension in (rows.map { [$0] } ?? []) + columns {
            for fact in dimension.facts where !seen.contains(fact) { seen.append(fact) }
        }
        return seen
    }
}

/// What a table counts.
public enum ReportMeasure: Sendable, Hashable {
    /// People in post on the date (each once), by the row and column dimensions.
    case headcount
    /// 人员数量变化: in post at the start of the period, additions and reductions by reason
    /// during it, in post at its end.
    case movements(additions: [MovementReason], reductions: [MovementReason])
    /// 编制使用: approved, occupied, vacant and over per organisation and category.
    case establishment
    /// 领导职数使用: the same per leadership post.
    case leadershipPosts
    /// 职级职数使用: the same per rank band of the rank quotas.
    case rankQuotas
    /// 考核等次分布: the final grades of the year of the table's date, by the organisation level
    /// of the unit that graded, one column per grade.
    case grades
    /// 对账问题: the reconciliation cases open on the table's date, by check, by how long they
    /// have been open (`ReportDimensions.caseAges`) and how many are overdue.
    case cases

    /// The name used in definitions.
    public var name: String {
        switch self {
        case .headcount: "headcount"
        case .movements: "movements"
        case .establishment: "establishment"
        case .leadershipPosts: "leadership-posts"
        case .rankQuotas: "rank-quotas"
        case .grades: "grades"
        case .cases: "cases"
        }
    }
}

/// One reason column of the movements table: the personnel actions that count under it.
/// `isRest` takes every action no other reason of the same side names (其他).
public struct MovementReason: Sendable, Hashable {
    public var label: String
    public var kinds: Set<ActionKind>
    public var isRest: Bool

    public init(label: String, kinds: Set<ActionKind>, isRest: Bool = false) {
        self.label = label
        self.kinds = kinds
        self.isRest = isRest
    }

    /// The reason of `reasons` an action of `kind` counts under (an index), if any.
    public static func index(of kind: ActionKind, in reasons: [MovementReason]) -> Int? {
        reasons.firstIndex { $0.kinds.contains(kind) } ?? reasons.firstIndex(where: \.isRest)
    }
}

/// The chart an HTML report draws beside its table.
public enum ReportChart: String, Sendable, Hashable, Codable {
    /// One bar per row, its total (合计 column): a distribution over the rows.
    case rowBars = "row-bars"
    /// One bar per column, its total (合计 row): a distribution over the columns.
    case columnBars = "column-bars"
    /// One bar per row, split into occupied, vacant and over (编制使用).
    case stackedBars = "stacked-bars"
}

/// A consistency rule (校核式) a table must pass each time it runs.
public enum ReportCheck: Sendable, Hashable {
    /// The rows add up to the total: everyone counted once, no one left out by a grouping.
    case rowsAddUp
    /// Movements: start + additions − reductions = end, for every row.
    case balance
    /// This table's total equals the total of another table, run for the same date and scope
    /// (the end of 人员数量变化 equals the total of the level table).
    case sameTotalAs(String)
    /// Movements: the start of the period equals the end of the same table filed (`report
    /// file`) for the period before, for the same unit, when one was filed.
    case previousPeriod

    /// The name used in definitions.
    public var name: String {
        switch self {
        case .rowsAddUp: "rows-add-up"
        case .balance: "balance"
        case .sameTotalAs: "same-total-as"
        case .previousPeriod: "previous-period"
        }
    }
}
