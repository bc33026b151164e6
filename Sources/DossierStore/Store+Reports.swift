public import DossierCore
import DossierStorage
internal import GRDB

/// The counts the statistical tables are built from, as plain `GROUP BY` queries over the
/// placement timeline: the store counts, the report definitions decide what the counts mean.
extension DossierStore {
    /// People in post on `date`, grouped by `facts`, and how many in all (its own count, so a
    /// grouping that leaves someone out shows in the table's check).
    public func reportHeadcount(
        on date: CivilDate,
        facts: [ReportFact],
        filter: ReportFilter,
        organizations: Set<Int64>?
    ) throws -> HeadcountFacts {
        let scope = ReportSQL(date: date, facts: facts, filter: filter, organizations: organizations)
        return try read { db in
            var groups: [FactGroup] = []
            let columns = facts.map(scope.column)
            let grouping =
                columns.isEmpty ? "" : "GROUP BY " + (1...columns.count).map(String.init).joined(separator: ", ")
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \((columns + ["count(*)"]).joined(separator: ", "))
                    FROM placement p \(scope.joins)
                    WHERE p.occupies = 1 AND p.valid_from <= :date AND (p.valid_until IS NULL OR p.valid_until > :date)
                      \(scope.conditions)
                    \(grouping)
                    """,
                arguments: scope.arguments
            )
            while let row = try rows.next() {
                groups.append(
                    FactGroup(values: (0..<columns.count).map { row[$0] as String? ?? "" }, count: row[columns.count])
                )
            }
            let everyone = try Self.count(db, on: date, filter: filter, organizations: organizations)
            return HeadcountFacts(facts: facts, groups: groups, everyone: everyone)
        }
    }

    /// How many people are in post on `date`, each once.
    public func reportCount(on date: CivilDate, filter: ReportFilter, organizations: Set<Int64>?) throws -> Int {
        try read { db in try Self.count(db, on: date, filter: filter, organizations: organizations) }
    }

    /// People in post on `date`, each once (someone with two placements in force at once, data
    /// edited by hand, is counted twice in a table's groups and once here: the check shows it).
    private static func count(
        _ db: Database,
        on date: CivilDate,
        filter: ReportFilter,
        organizations: Set<Int64>?
    ) throws -> Int {
        let scope = ReportSQL(date: date, facts: [], filter: filter, organizations: organizations)
        return try Int.fetchOne(
            db,
            sql: """
                SELECT count(DISTINCT p.person_id) FROM placement p \(scope.joins)
                WHERE p.occupies = 1 AND p.valid_from <= :date AND (p.valid_until IS NULL OR p.valid_until > :date)
                  \(scope.conditions)
                """,
            arguments: scope.arguments
        ) ?? 0
    }

    /// Those in post the day before `from` and on `to`, and each change in between that took
    /// someone into post in the scope or out of it: a placement whose being in post there
    /// differs from the placement before it (the same person's, by date).
    public func reportMovements(
        from: CivilDate,
        to: CivilDate,
        filter: ReportFilter,
        organizations: Set<Int64>?
    ) throws -> MovementFacts {
        let before = from.adding(days: -1)
        return try read { db in
            let scope = ReportSQL(date: nil, facts: [], filter: filter, organizations: organizations)
            let inside = "(p.occupies = 1 \(scope.conditions))"
            var changes: [MovementFacts.Change] = []
            // Only people with a placement starting in the period can have changed; their whole
            // history is read so each such placement is compared with the one before it.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    WITH changed AS (
                        SELECT DISTINCT person_id FROM placement WHERE valid_from BETWEEN :from AND :to
                    ),
                    history AS (
                        SELECT p.valid_from, a.kind, \(inside) AS inside,
                               lag(\(inside), 1, 0) OVER (PARTITION BY p.person_id ORDER BY p.valid_from, p.action_id)
                                   AS was_inside
                        FROM placement p JOIN changed c ON c.person_id = p.person_id
                        JOIN personnel_action a ON a.id = p.action_id \(scope.joins)
                        -- A placement ended the day it began (two actions the same day) was never in force.
                        WHERE p.valid_until IS NULL OR p.valid_until > p.valid_from
                    )
                    SELECT kind, inside, count(*) AS n FROM history
                    WHERE valid_from BETWEEN :from AND :to AND inside <> was_inside
                    GROUP BY kind, inside ORDER BY kind, inside
                    """,
                arguments: scope.arguments + ["from": from.description, "to": to.description]
            )
            for row in rows {
                let code: String = row["kind"]
                guard let kind = ActionKind(rawValue: code) else {
                    throw StoreError(.invalid("The database holds a personnel action of an unknown kind (\(code))."))
                }
                changes.append(MovementFacts.Change(kind: kind, isAddition: row["inside"] as Int == 1, count: row["n"]))
            }
            return MovementFacts(
                start: try Self.count(db, on: before, filter: filter, organizations: organizations),
                end: try Self.count(db, on: to, filter: filter, organizations: organizations),
                changes: changes
            )
        }
    }
}

/// The SQL pieces a report count shares: the columns of each fact, the joins they need, and
/// the scope and filter conditions (organisation ids are integers from the database, listed
/// inline; codes are bound).
struct ReportSQL {
    var joins = ""
    var conditions = ""
    var arguments: StatementArguments
    /// The date personal details are read as of: the `:date` parameter, or where the query has
    /// none (movements), the date each placement began.
    let detailsDate: String

    /// `date`: the day the `:date` parameter stands for (nil: the query has none).
    init(date: CivilDate?, facts: [ReportFact], filter: ReportFilter, organizations: Set<Int64>?) {
        arguments = date.map { ["date": $0.description] } ?? [:]
        detailsDate = date == nil ? "p.valid_from" : ":date"
        let needed = Set(facts).union(filter.keys)
        if !needed.isDisjoint(with: [.sex, .ethnicity, .education, .politicalStatus, .age]) {
            joins += " JOIN person ps ON ps.id = p.person_id"
        }
        if !needed.isDisjoint(with: [.orgLevel, .organization]) {
            joins += " JOIN organization o ON o.id = p.org_id"
        }
        if let organizations { conditions += " AND p.org_id IN \(Self.list(organizations))" }
        for (index, (fact, codes)) in filter.sorted(by: { $0.key.rawValue < $1.key.rawValue }).enumerated() {
            let names = codes.sorted().enumerated().map { ":f\(index)_\($0.offset)" }
            conditions += " AND \(column(fact)) IN (\(names.joined(separator: ",")))"
            for (name, code) in zip(names, codes.sorted()) {
                _ = arguments.append(contentsOf: [String(name.dropFirst()): code])
            }
        }
    }

    /// Organisation ids as an SQL list, `(1,2,3)`: integers from the database, safe inline.
    static func list(_ ids: Set<Int64>) -> String {
        "(" + ids.sorted().map(String.init).joined(separator: ",") + ")"
    }

    /// Whole years of age on `:date` of someone born on `birthDate` (a column): the difference of
    /// the years, less one before the birthday. The tables and the people search both count so.
    static func age(birthDate: String) -> String {
        "(CAST(substr(:date, 1, 4) AS INTEGER) - CAST(substr(\(birthDate), 1, 4) AS INTEGER)"
            + " - (substr(\(birthDate), 6) > substr(:date, 6)))"
    }

    /// The SQL expression of a fact ("" where a person has none); personal details as in force
    /// on the table's date.
    func column(_ fact: ReportFact) -> String {
        switch fact {
        case .sex: "ps.sex"
        case .ethnicity: DossierStore.detailInForce("ethnicity", of: "ps", on: detailsDate)
        case .education: DossierStore.detailInForce("education", of: "ps", on: detailsDate)
        case .politicalStatus: DossierStore.detailInForce("political_status", of: "ps", on: detailsDate)
        case .category: "p.category"
        case .rank: "coalesce(p.rank, '')"
        case .post: "coalesce(p.post, '')"
        case .orgLevel: "o.level"
        case .organization: "o.code"
        case .age: "CAST(\(Self.age(birthDate: "ps.birth_date")) AS TEXT)"
        }
    }
}

extension DossierStore {
    /// The final grades of `year`, by the organisation level of the unit that graded and grade.
    public func reportGrades(year: Int, organizations: Set<Int64>?) throws -> [FactGroup] {
        let scope =
            organizations.map { " AND a.org_id IN \(ReportSQL.list($0))" } ?? ""
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.level, a.grade, count(*) AS n FROM assessment a JOIN organization o ON o.id = a.org_id
                    WHERE a.year = ? AND a.state = 'final'\(scope) GROUP BY 1, 2
                    """,
                arguments: [year]
            ).map { FactGroup(values: [$0[0], $0[1]], count: $0[2]) }
        }
    }

    /// The reconciliation cases open on `date` (opened by then, not closed by then), by check,
    /// days open and whether past due.
    public func reportCases(on date: CivilDate, organizations: Set<Int64>?) throws -> CaseFacts {
        let scope =
            organizations.map { " AND org_id IN \(ReportSQL.list($0))" } ?? ""
        return try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT rule, CAST(julianday(:date) - julianday(opened_on) AS INTEGER) AS days, due_on < :date AS overdue,
                           count(*) AS n
                    FROM recon_case
                    WHERE opened_on <= :date AND (closed_on IS NULL OR closed_on > :date)\(scope)
                    GROUP BY 1, 2, 3
                    """,
                arguments: ["date": date.description]
            )
            return CaseFacts(
                groups: rows.map {
                    CaseFacts.Group(
                        rule: $0["rule"],
                        daysOpen: $0["days"],
                        overdue: $0["overdue"] as Int == 1,
                        count: $0["n"]
                    )
                }
            )
        }
    }
}

extension DossierStore {
    public func filedReport(name: String, asOf: CivilDate, org: CreditCode?, scope: String) throws -> String? {
        try read { db in
            let orgID = try org.flatMap { try Organizations.id(db, $0) }
            return try String.fetchOne(
                db,
                sql: """
                    SELECT figures FROM report_filing
                    WHERE name = ? AND as_of = ? AND org_id IS ? AND scope = ? ORDER BY id DESC LIMIT 1
                    """,
                arguments: [name, asOf.description, orgID, scope]
            )
        }
    }
}

extension StoreTransaction {
    public func insertReportFiling(
        name: String,
        asOf: CivilDate,
        from: CivilDate?,
        org: CreditCode?,
        scope: String,
        figures: String,
        by actor: String
    ) throws {
        let orgID = try org.map { code in
            guard let id = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
            return id
        }
        try db.execute(
            sql: """
                INSERT INTO report_filing(name, as_of, period_from, org_id, scope, figures, filed_by, filed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [name, asOf.description, from?.description, orgID, scope, figures, actor, recordedAt]
        )
    }
}
