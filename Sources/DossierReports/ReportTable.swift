public import DossierCore

/// One statistical table as run: its headers, its rows of figures and how its checks (校核式)
/// came out. Every output format (CSV, XLSX, HTML, JSON) is written from this one value, so the
/// same data, date and definition give the same file byte for byte.
public struct ReportTable: Sendable, Hashable, Codable {
    /// One cell of the column headers, placed on the header grid (the row-label column left out):
    /// `column` and `row` where it starts, `width` columns and `height` header rows it covers.
    public struct HeaderCell: Sendable, Hashable, Codable {
        public var label: String
        public var column: Int
        public var row: Int
        public var width: Int
        public var height: Int

        public init(label: String, column: Int, row: Int, width: Int, height: Int) {
            self.label = label
            self.column = column
            self.row = row
            self.width = width
            self.height = height
        }
    }

    /// What a row stands for.
    public enum RowKind: String, Sendable, Hashable, Codable {
        /// A group of the row dimension, or one unit.
        case item
        /// 小计: the units of one organisation level.
        case subtotal
        /// 合计: the whole table.
        case total
    }

    public struct Row: Sendable, Hashable, Codable {
        public var label: String
        public var kind: RowKind
        public var values: [Int]
    }

    /// How one check came out: the cell it looked at and the two figures it compared.
    public struct CheckResult: Sendable, Hashable, Codable {
        /// The check's name in the definition (`balance`, `same-total-as`, …).
        public var check: String
        /// What was compared, in words (期初 + 增加 − 减少 = 期末).
        public var rule: String
        /// Row and column of the cell, "行/列".
        public var cell: String
        public var expected: Int
        public var actual: Int
        public var passed: Bool { expected == actual }

        private enum CodingKeys: String, CodingKey {
            case check, rule, cell, expected, actual, passed
        }

        public init(check: String, rule: String, cell: String, expected: Int, actual: Int) {
            self.check = check
            self.rule = rule
            self.cell = cell
            self.expected = expected
            self.actual = actual
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                check: try container.decode(String.self, forKey: .check),
                rule: try container.decode(String.self, forKey: .rule),
                cell: try container.decode(String.self, forKey: .cell),
                expected: try container.decode(Int.self, forKey: .expected),
                actual: try container.decode(Int.self, forKey: .actual)
            )
        }

        /// Written with `passed`, so a reader of the JSON need not compare the figures.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(check, forKey: .check)
            try container.encode(rule, forKey: .rule)
            try container.encode(cell, forKey: .cell)
            try container.encode(expected, forKey: .expected)
            try container.encode(actual, forKey: .actual)
            try container.encode(passed, forKey: .passed)
        }
    }

    public var name: String
    public var number: Int
    public var title: String
    /// The table's date (时点): the end of the period for movements.
    public var asOf: CivilDate
    /// The first day of the period, for movements.
    public var from: CivilDate?
    /// 填报单位: the organisation the table covers, or the node's agency for all of them.
    public var scope: String
    /// The header of the row-label column (the row dimension's name).
    public var rowHeader: String
    /// Header rows, outer first.
    public var headerRows: Int
    public var header: [HeaderCell]
    /// The leaf columns' labels, outer and inner joined with `/` (the CSV header).
    public var columns: [String]
    public var rows: [Row]
    public var chart: ReportChart?
    public var checks: [CheckResult]

    /// Whether every check held.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The figure another table's `same-total-as` compares with: everyone counted (in post at
    /// the end, for movements; occupying slots, for quota tables).
    public var total: Int {
        guard let row = rows.last(where: { $0.kind == .total }) else { return 0 }
        return row.values[totalColumn]
    }

    /// Which column holds the table's total in the 合计 row.
    public var totalColumn: Int
}
