public import DossierCore
import DossierStorage
internal import GRDB

extension StoreTransaction {
    /// Records a quota change: a new row effective from its date; earlier rows stay as history.
    public func insertQuota(
        org code: CreditCode,
        subject: Headcount.Subject,
        approved: Int,
        effectiveOn: CivilDate,
        by actor: String
    ) throws {
        guard let orgID = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
        let (table, column, value) = Quotas.columns(subject)
        try db.execute(
            sql: """
                INSERT INTO \(table)(org_id, \(column), approved, effective_on, recorded_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [orgID, value, approved, effectiveOn.description, recordedAt, actor]
        )
    }
}

extension DossierStore {
    /// Every quota change of an organisation, oldest first.
    public func quotaHistory(org code: CreditCode) throws -> [QuotaChange] {
        try read { db in
            guard let orgID = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
            var changes: [QuotaChange] = []
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT category AS subject, approved, effective_on, recorded_by, id, 0 AS table_order
                    FROM establishment_quota WHERE org_id = :org
                    UNION ALL
                    SELECT post, approved, effective_on, recorded_by, id, 1 FROM leadership_quota WHERE org_id = :org
                    UNION ALL
                    SELECT band, approved, effective_on, recorded_by, id, 2 FROM rank_quota WHERE org_id = :org
                    ORDER BY effective_on, table_order, id
                    """,
                arguments: ["org": orgID]
            ) {
                let text: String = row["subject"]
                let subject: Headcount.Subject
                switch row["table_order"] as Int {
                case 0: subject = .category(try Decode.coded(EstablishmentCategory.self, text))
                case 1: subject = .post(try Decode.coded(LeadershipPost.self, text))
                default: subject = .rankBand(text)
                }
                changes.append(
                    QuotaChange(
                        orgCode: code,
                        subject: subject,
                        approved: row["approved"],
                        effectiveOn: try Decode.date(row["effective_on"]),
                        recordedBy: row["recorded_by"]
                    )
                )
            }
            return changes
        }
    }

    /// Headcount against every quota in force on `date`, per organisation: establishment
    /// categories first, then leadership posts. Derived from the placement intervals. With
    /// `org`, that organisation's alone, or with `withUnitsBelow` also every unit under it.
    public func headcount(
        on date: CivilDate,
        org code: CreditCode? = nil,
        withUnitsBelow: Bool = false
    ) throws -> [Headcount] {
        try read { db in
            var units = ""
            var orgFilter = ""
            var arguments: StatementArguments = ["date": date.description]
            if let code {
                guard let orgID = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
                if withUnitsBelow {
                    units = """
                        RECURSIVE units(id) AS (
                            SELECT :org UNION SELECT o.id FROM organization o JOIN units ON o.parent_id = units.id
                        ),
                        """
                    orgFilter = "AND org_id IN units"
                } else {
                    orgFilter = "AND org_id = :org"
                }
                _ = arguments.append(contentsOf: ["org": orgID])
            }
            var result: [Headcount] = []
            for (subjectColumn, quotaTable, isPost) in [
                ("category", "establishment_quota", false), ("post", "leadership_quota", true),
            ] {
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        WITH \(units) quota AS (
                            SELECT org_id, \(subjectColumn) AS subject, approved,
                                   row_number() OVER (PARTITION BY org_id, \(subjectColumn)
                                                      ORDER BY effective_on DESC, id DESC) AS newest
                            FROM \(quotaTable) WHERE effective_on <= :date \(orgFilter)
                        ),
                        occupancy AS (
                            SELECT org_id, \(subjectColumn) AS subject, count(*) AS occupied
                            FROM placement
                            WHERE occupies = 1 AND valid_from <= :date
                              AND (valid_until IS NULL OR valid_until > :date)
                              AND \(subjectColumn) IS NOT NULL \(orgFilter)
                            GROUP BY org_id, \(subjectColumn)
                        ),
                        pairs AS (
                            SELECT org_id, subject FROM quota WHERE newest = 1
                            UNION SELECT org_id, subject FROM occupancy
                        )
                        SELECT o.code, o.name, pairs.subject,
                               coalesce(q.approved, 0) AS approved, coalesce(occupancy.occupied, 0) AS occupied
                        FROM pairs
                        JOIN organization o ON o.id = pairs.org_id
                        LEFT JOIN quota q ON q.org_id = pairs.org_id AND q.subject = pairs.subject AND q.newest = 1
                        LEFT JOIN occupancy ON occupancy.org_id = pairs.org_id AND occupancy.subject = pairs.subject
                        ORDER BY o.id, pairs.subject
                        """,
                    arguments: arguments
                )
                for row in rows {
                    let text: String = row["subject"]
                    let subject: Headcount.Subject =
                        isPost
                        ? .post(try Decode.coded(LeadershipPost.self, text))
                        : .category(try Decode.coded(EstablishmentCategory.self, text))
                    result.append(
                        Headcount(
                            orgCode: try CreditCode(row["code"] as String),
                            orgName: row["name"],
                            subject: subject,
                            approved: row["approved"],
                            occupied: row["occupied"]
                        )
                    )
                }
            }
            return result
        }
    }
}

enum Quotas {
    static func columns(_ subject: Headcount.Subject) -> (table: String, column: String, value: String) {
        switch subject {
        case .category(let category): return ("establishment_quota", "category", category.code)
        case .post(let post): return ("leadership_quota", "post", post.code)
        case .rankBand(let band): return ("rank_quota", "band", band)
        }
    }
}

extension DossierStore {
    /// Headcount against every rank quota (职级职数) in force on `date`: for each organisation and
    /// band with an approved number, the people in post whose rank is in the band.
    public func rankHeadcount(
        on date: CivilDate,
        bands: [RankQuotaPolicy.Band],
        org code: CreditCode? = nil
    ) throws
        -> [Headcount]
    {
        try read { db in
            var orgFilter = ""
            var arguments: StatementArguments = ["date": date.description]
            if let code {
                guard let orgID = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
                orgFilter = "AND q.org_id = :org"
                _ = arguments.append(contentsOf: ["org": orgID])
            }
            let quotas = try Row.fetchAll(
                db,
                sql: """
                    SELECT q.org_id, o.code, o.name, q.band, q.approved FROM (
                        SELECT org_id, band, approved,
                               row_number() OVER (PARTITION BY org_id, band ORDER BY effective_on DESC, id DESC) AS newest
                        FROM rank_quota WHERE effective_on <= :date
                    ) q JOIN organization o ON o.id = q.org_id
                    WHERE q.newest = 1 \(orgFilter)
                    ORDER BY o.id, q.band
                    """,
                arguments: arguments
            )
            var result: [Headcount] = []
            for row in quotas {
                let bandCode: String = row["band"]
                guard let band = bands.first(where: { $0.code == bandCode }) else { continue }
                let ranks = band.ranks.map(\.code).sorted()
                let occupied =
                    try Int.fetchOne(
                        db,
                        sql: """
                            SELECT count(*) FROM placement
                            WHERE org_id = ? AND occupies = 1 AND valid_from <= ? AND (valid_until IS NULL OR valid_until > ?)
                              AND rank IN (\(ranks.map { _ in "?" }.joined(separator: ",")))
                            """,
                        arguments: [row["org_id"] as Int64, date.description, date.description]
                            + StatementArguments(ranks)
                    ) ?? 0
                result.append(
                    Headcount(
                        orgCode: try CreditCode(row["code"] as String),
                        orgName: row["name"],
                        subject: .rankBand(bandCode),
                        approved: row["approved"],
                        occupied: occupied
                    )
                )
            }
            return result
        }
    }
}
