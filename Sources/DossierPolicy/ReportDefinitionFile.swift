public import DossierCore
import Yams

/// Reads one table definition (`Reports/tables/NAME.yaml`, or a node's `reports/NAME.yaml`)
/// into a `ReportDefinition`. A broken definition is refused with its file, line and reason, so
/// a statistician who added a table can mend it without reading Swift.
public enum ReportDefinitionFile {
    /// The definition's name in the envelope (`kind:`).
    public static let kind = "report"

    /// Parses and checks a definition; `name` is the file name without `.yaml`.
    public static func load(yaml text: String, name: String, file: String) throws(PolicyError) -> ReportDefinition {
        let version = try PolicyEnvelope.undated(text, kind: kind, file: file) { $0 }
        let document = try VersionDocument(version, file: file)
        try document.checkKeys(
            document.root,
            allowed: [
                "kind", "version", "number", "title", "measure", "rows", "columns", "filter", "subtotals", "chart",
                "checks", "additions", "reductions",
            ],
            in: nil
        )
        let number = try document.whole(try document.required("number", "the table's number, 表号"), "number", atLeast: 1)
        let titleNode = try document.required("title", "the table's title, 表名")
        guard let title = titleNode.scalar?.string, title.contains(where: { !$0.isWhitespace }) else {
            throw document.fail(titleNode, "title must be a line of text")
        }
        let measureNode = try document.required(
            "measure",
            "one of headcount, movements, establishment, leadership-posts, rank-quotas, grades, cases"
        )
        let measure: ReportMeasure
        switch measureNode.scalar?.string {
        case "headcount": measure = .headcount
        case "movements":
            measure = .movements(
                additions: try reasons(document, "additions"),
                reductions: try reasons(document, "reductions")
            )
        case "establishment": measure = .establishment
        case "leadership-posts": measure = .leadershipPosts
        case "rank-quotas": measure = .rankQuotas
        case "grades": measure = .grades
        case "cases": measure = .cases
        default:
            throw document.fail(
                measureNode,
                "measure '\(measureNode.scalar?.string ?? "?")' is not known (known: headcount, movements, establishment, leadership-posts, rank-quotas, grades, cases)"
            )
        }
        if measure.name != "movements" {
            for key in ["additions", "reductions"] where document.root[key] != nil {
                throw document.fail(document.key(key), "\(key) belong to a movements table only")
            }
        }

        let rows = try document.root["rows"].map { node throws(PolicyError) in try dimension(document, node) }
        var columns: [ReportDimension] = []
        if let node = document.root["columns"] {
            let items = node.sequence.map(Array.init) ?? (node.scalar != nil ? [node] : [])
            guard (1...2).contains(items.count) else {
                throw document.fail(node, "columns must name one dimension or two (outer, inner)")
            }
            for item in items { columns.append(try dimension(document, item)) }
        }
        let isQuota = [ReportMeasure.establishment, .leadershipPosts, .rankQuotas].contains(measure)
        if isQuota {
            guard rows == .organization else {
                throw document.fail(
                    document.key("rows") ?? measureNode,
                    "a quota table has one row per unit: rows: organization"
                )
            }
            guard columns.isEmpty else {
                throw document.fail(
                    document.key("columns"),
                    "a quota table's columns are fixed (核定, 实有, 空编, 超编): leave columns out"
                )
            }
        } else if case .movements = measure, !columns.isEmpty || rows != nil {
            throw document.fail(
                document.key("columns") ?? document.key("rows"),
                "a movements table has one row and its reasons as columns: leave rows and columns out"
            )
        } else if measure == .grades || measure == .cases, rows != nil || !columns.isEmpty {
            throw document.fail(
                document.key("rows") ?? document.key("columns"),
                measure == .grades
                    ? "a grades table has a row per organisation level and a column per grade: leave rows and columns out"
                    : "a cases table has a row per check and a column per band of days open: leave rows and columns out"
            )
        } else if measure == .headcount, columns.isEmpty {
            throw document.fail(measureNode, "a headcount table needs columns (one dimension or two)")
        }
        if let rows, columns.contains(rows) {
            throw document.fail(document.key("columns"), "\(rows.rawValue) is already the rows")
        }
        if columns.count == 2, columns[0] == columns[1] {
            throw document.fail(document.key("columns"), "the two column dimensions must differ")
        }

        var subtotals = false
        if let node = document.root["subtotals"] {
            guard node.scalar?.string == "org-level", isQuota else {
                throw document.fail(node, "subtotals can only be org-level, on a quota table")
            }
            subtotals = true
        }
        var chart: ReportChart?
        if let node = document.root["chart"] {
            guard let value = node.scalar.flatMap({ ReportChart(rawValue: $0.string) }) else {
                throw document.fail(node, "chart must be row-bars, column-bars or stacked-bars")
            }
            if value == .stackedBars, !isQuota {
                throw document.fail(node, "stacked-bars show establishment use: only a quota table has them")
            }
            chart = value
        }

        let filter = try self.filter(document)
        if isQuota || measure == .grades || measure == .cases, !filter.isEmpty {
            throw document.fail(
                document.key("filter"),
                "a \(measure.name) table takes no filter: leave filter out"
            )
        }
        let checks = try self.checks(document, measure: measure, name: name)
        return ReportDefinition(
            name: name,
            number: number,
            title: title,
            measure: measure,
            rows: rows,
            columns: columns,
            filter: filter,
            subtotalByOrgLevel: subtotals,
            chart: chart,
            checks: checks
        )
    }

    private static func dimension(_ document: VersionDocument, _ node: Node) throws(PolicyError) -> ReportDimension {
        guard let text = node.scalar?.string, let value = ReportDimension(rawValue: text) else {
            let known = ReportDimension.allCases.map(\.rawValue).joined(separator: ", ")
            throw document.fail(node, "'\(node.scalar?.string ?? "a list")' is not a dimension (known: \(known))")
        }
        return value
    }

    private static func reasons(_ document: VersionDocument, _ key: String) throws(PolicyError) -> [MovementReason] {
        let node = try document.required(key, "a list of { label, actions } and one { label, rest: true }")
        guard let items = node.sequence, !items.isEmpty else {
            throw document.fail(node, "\(key) must be a list of reasons")
        }
        var reasons: [MovementReason] = []
        var claimed: Set<ActionKind> = []
        for item in items {
            guard let mapping = item.mapping else { throw document.fail(item, "each reason is { label, actions }") }
            try document.checkKeys(mapping, allowed: ["label", "actions", "rest"], in: "a reason")
            guard let label = mapping["label"]?.scalar?.string, !label.isEmpty else {
                throw document.fail(item, "a reason needs a label")
            }
            if reasons.contains(where: { $0.label == label }) {
                throw document.fail(item, "the reason \(label) is listed twice")
            }
            let isRest =
                try mapping["rest"].map { node throws(PolicyError) in try document.bool(node, "rest") } ?? false
            var kinds: Set<ActionKind> = []
            for kindNode in mapping["actions"]?.sequence ?? [] {
                let text = kindNode.scalar?.string ?? ""
                guard
                    let kind = ActionKind(rawValue: text)
                        ?? ActionKind.allCases.first(where: { $0.chineseName == text })
                else {
                    throw document.fail(
                        kindNode,
                        "'\(text)' is not a personnel action (a code such as hire, or a name such as 录用)"
                    )
                }
                guard claimed.insert(kind).inserted else {
                    throw document.fail(kindNode, "\(kind.chineseName) is already counted under another reason")
                }
                kinds.insert(kind)
            }
            reasons.append(MovementReason(label: label, kinds: kinds, isRest: isRest))
        }
        if reasons.filter(\.isRest).count > 1 {
            throw document.fail(node, "only one reason of \(key) can take the rest")
        }
        return reasons
    }

    private static func filter(_ document: VersionDocument) throws(PolicyError) -> ReportFilter {
        guard let node = document.root["filter"] else { return [:] }
        guard let mapping = node.mapping else {
            throw document.fail(node, "filter must map a fact to its codes: { category: [行政编制] }")
        }
        var filter: ReportFilter = [:]
        for (key, value) in mapping {
            let name = key.string ?? ""
            let codes = value.sequence.map(Array.init) ?? [value]
            var set: Set<String> = []
            for codeNode in codes {
                let text = codeNode.scalar?.string ?? ""
                let code: String?
                let fact: ReportFact
                switch name {
                case "category":
                    fact = .category
                    code = EstablishmentCategory(codeOrName: text)?.code
                case "org-level":
                    fact = .orgLevel
                    code = OrgLevel(codeOrName: text)?.code
                case "sex":
                    fact = .sex
                    code = Sex(codeOrName: text)?.code
                case "post":
                    fact = .post
                    code = LeadershipPost(codeOrName: text)?.code
                default:
                    throw document.fail(key, "a filter can name category, org-level, sex or post, not '\(name)'")
                }
                guard let code else { throw document.fail(codeNode, "'\(text)' is not a code or name of \(name)") }
                set.insert(code)
                filter[fact, default: []].formUnion(set)
            }
        }
        return filter
    }

    private static func checks(
        _ document: VersionDocument,
        measure: ReportMeasure,
        name: String
    ) throws(PolicyError) -> [ReportCheck] {
        guard let node = document.root["checks"] else { return [] }
        guard let items = node.sequence else { throw document.fail(node, "checks must be a list") }
        var checks: [ReportCheck] = []
        let isMovements = measure.name == "movements"
        let isQuota = [ReportMeasure.establishment, .leadershipPosts, .rankQuotas].contains(measure)
        for item in items {
            if let mapping = item.mapping, mapping.count == 1, mapping["same-total-as"] != nil {
                guard let other = mapping["same-total-as"]?.scalar?.string, !other.isEmpty, other != name else {
                    throw document.fail(item, "same-total-as names another table")
                }
                checks.append(.sameTotalAs(other))
                continue
            }
            switch item.scalar?.string {
            case "rows-add-up" where measure == .headcount: checks.append(.rowsAddUp)
            case "balance" where isMovements: checks.append(.balance)
            case "previous-period" where isMovements: checks.append(.previousPeriod)
            default:
                throw document.fail(
                    item,
                    "'\(item.scalar?.string ?? "?")' is not a check of a \(measure.name) table (known: rows-add-up, same-total-as: TABLE\(isMovements ? ", balance, previous-period" : ""))"
                )
            }
        }
        return checks
    }
}
