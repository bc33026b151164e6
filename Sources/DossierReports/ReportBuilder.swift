public import DossierCore

/// Builds a `ReportTable` from a definition and the facts the store counted: sorts the groups
/// into rows and columns, adds the totals and runs the checks that need nothing but the table
/// itself. Pure: the same facts give the same table.
public struct ReportBuilder: Sendable {
    public var definition: ReportDefinition
    public var dimensions: ReportDimensions
    /// The organisations in scope, tree order.
    public var units: [ReportUnit]
    public var asOf: CivilDate
    public var from: CivilDate?
    /// 填报单位.
    public var scope: String

    public init(
        definition: ReportDefinition,
        dimensions: ReportDimensions,
        units: [ReportUnit],
        asOf: CivilDate,
        from: CivilDate? = nil,
        scope: String
    ) {
        self.definition = definition
        self.dimensions = dimensions
        self.units = units
        self.asOf = asOf
        self.from = from
        self.scope = scope
    }

    static let totalLabel = "合计"

    private func table(
        rowHeader: String,
        headerRows: Int,
        header: [ReportTable.HeaderCell],
        columns: [String],
        rows: [ReportTable.Row],
        totalColumn: Int,
        checks: [ReportTable.CheckResult]
    ) -> ReportTable {
        ReportTable(
            name: definition.name,
            number: definition.number,
            title: definition.title,
            asOf: asOf,
            from: from,
            scope: scope,
            rowHeader: rowHeader,
            headerRows: headerRows,
            header: header,
            columns: columns,
            rows: rows,
            chart: definition.chart,
            checks: checks,
            totalColumn: totalColumn
        )
    }

    // MARK: Headcount tables

    /// A headcount table: 合计 first, then each column group (outer × inner).
    public func headcount(_ facts: HeadcountFacts) -> ReportTable {
        let unitIndex = Dictionary(units.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { first, _ in first })
        let rowLabels = definition.rows.map { dimensions.labels(of: $0, units: units) } ?? []
        let outer = definition.columns.first.map { dimensions.labels(of: $0, units: units) } ?? []
        let inner = definition.columns.count > 1 ? dimensions.labels(of: definition.columns[1], units: units) : []
        let width = max(inner.count, 1)

        var header = [
            ReportTable.HeaderCell(label: Self.totalLabel, column: 0, row: 0, width: 1, height: inner.isEmpty ? 1 : 2)
        ]
        var columns = [Self.totalLabel]
        for (o, outerLabel) in outer.enumerated() {
            let start = 1 + o * width
            header.append(.init(label: outerLabel, column: start, row: 0, width: width, height: 1))
            if inner.isEmpty {
                columns.append(outerLabel)
            } else {
                for (i, innerLabel) in inner.enumerated() {
                    header.append(.init(label: innerLabel, column: start + i, row: 1, width: 1, height: 1))
                    columns.append(outerLabel + "/" + innerLabel)
                }
            }
        }

        let rowCount = max(rowLabels.count, 1)
        var cells = Array(repeating: Array(repeating: 0, count: columns.count), count: rowCount)
        let position = Dictionary(uniqueKeysWithValues: facts.facts.enumerated().map { ($1, $0) })
        for group in facts.groups {
            let value = { (fact: ReportFact) in position[fact].map { group.values[$0] } ?? "" }
            let row: Int?
            if let dimension = definition.rows {
                row = dimensions.group(of: dimension, facts: value, units: unitIndex)
            } else {
                row = 0
            }
            guard let row,
                let o = dimensions.group(of: definition.columns[0], facts: value, units: unitIndex)
            else { continue }
            var column = 1 + o * width
            if definition.columns.count > 1 {
                guard let i = dimensions.group(of: definition.columns[1], facts: value, units: unitIndex) else {
                    continue
                }
                column += i
            }
            cells[row][column] += group.count
            cells[row][0] += group.count
        }

        var rows = (0..<(definition.rows == nil ? 0 : rowCount)).map {
            ReportTable.Row(label: rowLabels[$0], kind: .item, values: cells[$0])
        }
        let totals = (0..<columns.count).map { column in cells.reduce(0) { $0 + $1[column] } }
        rows.append(ReportTable.Row(label: Self.totalLabel, kind: .total, values: totals))

        var checks: [ReportTable.CheckResult] = []
        for check in definition.checks where check == .rowsAddUp {
            checks.append(
                .init(
                    check: check.name,
                    rule: "合计 = 在岗人数（每人计一次）",
                    cell: "\(Self.totalLabel)/\(Self.totalLabel)",
                    expected: facts.everyone,
                    actual: totals[0]
                )
            )
        }
        return table(
            rowHeader: definition.rows?.chineseName ?? "项目",
            headerRows: inner.isEmpty ? 1 : 2,
            header: header,
            columns: columns,
            rows: rows,
            totalColumn: 0,
            checks: checks
        )
    }

    // MARK: Movements

    /// 人员数量变化: 期初, additions by reason with their 小计, reductions by reason with their
    /// 小计, 期末; one row.
    public func movements(_ facts: MovementFacts) -> ReportTable {
        guard case .movements(let additions, let reductions) = definition.measure else {
            preconditionFailure("movements(_:) builds a movements table")
        }
        var header = [ReportTable.HeaderCell(label: "期初人数", column: 0, row: 0, width: 1, height: 2)]
        var columns = ["期初人数"]
        func side(_ title: String, _ reasons: [MovementReason]) {
            header.append(.init(label: title, column: columns.count, row: 0, width: reasons.count + 1, height: 1))
            for reason in reasons + [MovementReason(label: "小计", kinds: [])] {
                header.append(.init(label: reason.label, column: columns.count, row: 1, width: 1, height: 1))
                columns.append(title + "/" + reason.label)
            }
        }
        side("增加", additions)
        side("减少", reductions)
        header.append(.init(label: "期末人数", column: columns.count, row: 0, width: 1, height: 2))
        columns.append("期末人数")

        var values = Array(repeating: 0, count: columns.count)
        values[0] = facts.start
        values[columns.count - 1] = facts.end
        let additionStart = 1
        let reductionStart = additionStart + additions.count + 1
        for change in facts.changes {
            let reasons = change.isAddition ? additions : reductions
            let first = change.isAddition ? additionStart : reductionStart
            // An action no reason names and no 其他 takes is left out of the reasons but kept in
            // the 小计, so the balance still holds and the table shows the gap.
            if let index = MovementReason.index(of: change.kind, in: reasons) {
                values[first + index] += change.count
            }
            values[first + reasons.count] += change.count
        }
        let added = values[additionStart + additions.count]
        let removed = values[reductionStart + reductions.count]

        var checks: [ReportTable.CheckResult] = []
        for check in definition.checks where check == .balance {
            checks.append(
                .init(
                    check: check.name,
                    rule: "期初人数 + 增加小计 − 减少小计 = 期末人数",
                    cell: "\(Self.totalLabel)/期末人数",
                    expected: facts.start + added - removed,
                    actual: facts.end
                )
            )
        }
        for (side, first, reasons) in [("增加", additionStart, additions), ("减少", reductionStart, reductions)] {
            let named = values[first..<(first + reasons.count)].reduce(0, +)
            let subtotal = values[first + reasons.count]
            if named != subtotal {
                checks.append(
                    .init(
                        check: "reasons",
                        rule: "\(side)各项之和 = \(side)小计（有人事行为未归入任何原因）",
                        cell: "\(Self.totalLabel)/\(side)/小计",
                        expected: subtotal,
                        actual: named
                    )
                )
            }
        }
        return table(
            rowHeader: "项目",
            headerRows: 2,
            header: header,
            columns: columns,
            rows: [ReportTable.Row(label: Self.totalLabel, kind: .total, values: values)],
            totalColumn: columns.count - 1,
            checks: checks
        )
    }

    // MARK: Quota tables

    /// 编制使用, 领导职数使用, 职级职数使用: per unit (and 小计 per organisation level), for the
    /// 合计 and each subject, 核定 / 实有 / 空编 / 超编. Vacancies and excess are added unit by
    /// unit, never netted.
    ///
    /// - Parameter subjects: the subjects' codes and names, in the order to show them.
    public func quota(_ rows: [Headcount], subjects: [(code: String, name: String)]) -> ReportTable {
        let present = Set(rows.map { Self.code(of: $0.subject) })
        let shown = subjects.filter { present.contains($0.code) }
        let figures = ["核定", "实有", "空缺", "超出"]
        var header: [ReportTable.HeaderCell] = []
        var columns: [String] = []
        for (index, group) in ([(code: "", name: Self.totalLabel)] + shown).enumerated() {
            header.append(.init(label: group.name, column: index * 4, row: 0, width: 4, height: 1))
            for (f, figure) in figures.enumerated() {
                header.append(.init(label: figure, column: index * 4 + f, row: 1, width: 1, height: 1))
                columns.append(group.name + "/" + figure)
            }
        }
        let subjectIndex = Dictionary(uniqueKeysWithValues: shown.enumerated().map { ($1.code, $0 + 1) })

        var byUnit: [String: [Int]] = [:]
        for row in rows {
            guard let group = subjectIndex[Self.code(of: row.subject)] else { continue }
            var values = byUnit[row.orgCode.description] ?? Array(repeating: 0, count: columns.count)
            for (base, figure) in [(group * 4, row), (0, row)] {
                values[base] += figure.approved
                values[base + 1] += figure.occupied
                values[base + 2] += figure.vacant
                values[base + 3] += figure.over
            }
            byUnit[row.orgCode.description] = values
        }
        func add(_ a: [Int], _ b: [Int]) -> [Int] { zip(a, b).map(+) }
        let zero = Array(repeating: 0, count: columns.count)
        var tableRows: [ReportTable.Row] = []
        var total = zero
        for level in OrgLevel.allCases {
            let unitsOfLevel = units.filter { $0.level == level && byUnit[$0.code] != nil }
            guard !unitsOfLevel.isEmpty else { continue }
            var subtotal = zero
            for unit in unitsOfLevel {
                let values = byUnit[unit.code]!
                tableRows.append(.init(label: unit.name, kind: .item, values: values))
                subtotal = add(subtotal, values)
            }
            if definition.subtotalByOrgLevel {
                tableRows.append(.init(label: "\(level.chineseName)小计", kind: .subtotal, values: subtotal))
            }
            total = add(total, subtotal)
        }
        tableRows.append(.init(label: Self.totalLabel, kind: .total, values: total))
        return table(
            rowHeader: "单位",
            headerRows: 2,
            header: header,
            columns: columns,
            rows: tableRows,
            totalColumn: 1,
            checks: []
        )
    }

    // MARK: Grades and cases

    /// A table of one row per `rowKeys` entry and one column per `columnKeys` entry, after a 合计
    /// column, from counts keyed by (row, column); a key that names no row or column is left out.
    private func grid(
        rowHeader: String,
        rows rowKeys: [(key: String, label: String)],
        columns columnKeys: [(key: String, label: String)],
        extra: [(label: String, values: [String: Int])] = [],
        counts: [(row: String, column: String, count: Int)]
    ) -> ReportTable {
        let columns = [Self.totalLabel] + columnKeys.map(\.label) + extra.map(\.label)
        let header = columns.enumerated().map {
            ReportTable.HeaderCell(label: $1, column: $0, row: 0, width: 1, height: 1)
        }
        let rowIndex = Dictionary(uniqueKeysWithValues: rowKeys.enumerated().map { ($1.key, $0) })
        let columnIndex = Dictionary(uniqueKeysWithValues: columnKeys.enumerated().map { ($1.key, $0 + 1) })
        var cells = Array(repeating: Array(repeating: 0, count: columns.count), count: rowKeys.count)
        for count in counts {
            guard let row = rowIndex[count.row], let column = columnIndex[count.column] else { continue }
            cells[row][column] += count.count
            cells[row][0] += count.count
        }
        for (offset, column) in extra.enumerated() {
            for (key, value) in column.values {
                if let row = rowIndex[key] { cells[row][1 + columnKeys.count + offset] += value }
            }
        }
        var rows = rowKeys.enumerated().map { ReportTable.Row(label: $1.label, kind: .item, values: cells[$0]) }
        let totals = (0..<columns.count).map { column in cells.reduce(0) { $0 + $1[column] } }
        rows.append(ReportTable.Row(label: Self.totalLabel, kind: .total, values: totals))
        return table(
            rowHeader: rowHeader,
            headerRows: 1,
            header: header,
            columns: columns,
            rows: rows,
            totalColumn: 0,
            checks: []
        )
    }

    /// 考核等次分布: final grades of the year by the grading unit's organisation level.
    public func grades(_ groups: [FactGroup]) -> ReportTable {
        grid(
            rowHeader: "机构层级",
            rows: OrgLevel.allCases.map { ($0.code, $0.chineseName) },
            columns: AssessmentGrade.allCases.map { ($0.code, $0.chineseName) },
            counts: groups.map { ($0.values[0], $0.values[1], $0.count) }
        )
    }

    /// Open reconciliation cases by check and days open, with those past due.
    public func cases(_ facts: CaseFacts) -> ReportTable {
        let bands = dimensions.caseAges
        var overdue: [String: Int] = [:]
        var counts: [(row: String, column: String, count: Int)] = []
        for group in facts.groups {
            if group.overdue { overdue[group.rule, default: 0] += group.count }
            if let band = bands.firstIndex(where: { $0.holds(group.daysOpen) }) {
                counts.append((group.rule, String(band), group.count))
            }
        }
        return grid(
            rowHeader: "对账规则",
            rows: ReconciliationRule.allCases.map { ($0.rawValue, $0.chineseName) },
            columns: bands.enumerated().map { (String($0), $1.label) },
            extra: [("其中逾期", overdue)],
            counts: counts
        )
    }

    private static func code(of subject: Headcount.Subject) -> String {
        switch subject {
        case .category(let category): category.code
        case .post(let post): post.code
        case .rankBand(let band): band
        }
    }

    /// The result of a `same-total-as` check: this table's total against the other table's.
    public static func sameTotal(
        _ table: ReportTable,
        as other: ReportDefinition,
        total: Int
    ) -> ReportTable.CheckResult {
        .init(
            check: "same-total-as",
            rule: "本表合计 = 表\(other.number)（\(other.title)）合计",
            cell: "\(totalLabel)/\(table.columns[table.totalColumn])",
            expected: total,
            actual: table.total
        )
    }
}
