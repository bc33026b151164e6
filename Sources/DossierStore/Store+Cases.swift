public import DossierCore
import DossierCrypto
public import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    public func latestFeed(kind: FeedKind, notAfter date: CivilDate) throws -> StoredFeed? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT \(FeedColumns.feed) FROM feed WHERE kind = ? AND as_of <= ?
                ORDER BY as_of DESC, id DESC LIMIT 1
                """,
            arguments: [kind.rawValue, date.description]
        ).map(FeedColumns.decode)
    }

    public func feedDates(_ feedID: Int64) throws -> ClosedRange<CivilDate>? {
        let row = try Row.fetchOne(
            db,
            sql: """
                SELECT min(coalesce(day, changed_on, month || '-01')), max(coalesce(day, changed_on, month || '-01')),
                       max(month)
                FROM feed_row WHERE feed_id = ?
                """,
            arguments: [feedID]
        )
        guard let row, let first = row[0] as String?, let last = row[1] as String? else { return nil }
        var through = try Decode.date(last)
        // A payroll month speaks of every day of it.
        if let month = row[2] as String?, month + "-01" == last {
            through = through.adding(months: 1).adding(days: -1)
        }
        return try Decode.date(first)...through
    }

    public func forEachFeedSubject(
        feedID: Int64,
        days: ClosedRange<CivilDate>,
        _ body: (FeedSubject) throws -> Void
    ) throws {
        // One pass in blind-index order (the feed_row_identity index), so a subject's rows
        // arrive together; the person and their placements are looked up once per subject, not
        // once per row (an attendance feed holds 22 rows a person).
        var rows = try RawStatement(
            db,
            sql: """
                SELECT id_index, id_sealed, row_no, name, org_code, insurance, contribution, retired, changed_on,
                       month, gross_cents, net_cents, day, mark
                FROM feed_row WHERE feed_id = ? ORDER BY id_index, row_no
                """
        )
        var person = try RawStatement(db, sql: "SELECT id FROM person WHERE id_number_index = ?")
        var placements = try RawStatement(
            db,
            sql: """
                SELECT status, org_id, valid_from, valid_until, action_id FROM placement
                WHERE person_id = ?1 AND valid_from <= ?3 AND (valid_until IS NULL OR valid_until > ?2)
                ORDER BY valid_from, action_id
                """
        )
        // The statements are cached per connection: start them afresh, and leave them reset.
        rows.reset()
        defer {
            rows.reset()
            person.reset()
            placements.reset()
        }
        rows.bind(feedID)
        let from = days.lowerBound.description
        let through = days.upperBound.description
        var current: FeedSubject?
        while try rows.nextRow() {
            let subject = try rows.required(rows.blob, 0, "blind index")
            if current?.subject != subject {
                if let done = current { try body(done) }
                person.reset()
                person.bind(subject)
                let personID = try person.nextRow() ? person.int64(0) : nil
                var spans: [StatusSpan] = []
                if let personID {
                    placements.reset()
                    placements.bind(personID)
                    placements.bind(from)
                    placements.bind(through)
                    while try placements.nextRow() { spans.append(try CaseColumns.span(placements, from: 0)) }
                }
                current = FeedSubject(
                    subject: subject,
                    // Only an unknown person's case keeps the sealed number.
                    sealedIdentity: personID == nil ? try rows.required(rows.blob, 1, "sealed identity") : [],
                    personID: personID,
                    rows: [],
                    spans: spans
                )
            }
            current!.rows.append(try FeedColumns.decodeRow(rows, from: 2))
        }
        if let done = current { try body(done) }
    }

    public func statusHistories(holding statuses: Set<PersonStatus>, on date: CivilDate) throws -> [StatusHistory] {
        guard !statuses.isEmpty else { return [] }
        let list = statuses.map { "'\($0.code)'" }.sorted().joined(separator: ", ")
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.id_number_index, pl.status, pl.org_id, pl.valid_from, pl.valid_until, pl.action_id
                FROM placement cur
                JOIN person p ON p.id = cur.person_id
                JOIN placement pl ON pl.person_id = cur.person_id
                WHERE cur.status IN (\(list)) AND cur.valid_from <= ?1
                  AND (cur.valid_until IS NULL OR cur.valid_until > ?1)
                ORDER BY p.id, pl.valid_from, pl.action_id
                """,
            arguments: [date.description]
        )
        var histories: [StatusHistory] = []
        for row in rows {
            let personID: Int64 = row[0]
            let span = try CaseColumns.span(row, from: 2)
            if histories.last?.personID == personID {
                histories[histories.count - 1].spans.append(span)
            } else {
                histories.append(StatusHistory(personID: personID, subject: Array(row[1] as Data), spans: [span]))
            }
        }
        return histories
    }

    public func casesNotCleared() throws -> [StoredCase] {
        try CaseColumns.fetch(db, store: store, where: "c.status <> 'cleared'", arguments: [])
    }

    public func reconciliationCase(_ id: Int64) throws -> StoredCase? {
        try CaseColumns.fetch(db, store: store, where: "c.id = ?", arguments: [id]).first
    }

    public func insertCase(_ new: NewCase, by actor: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO recon_case(rule, subject, person_id, id_sealed, name, org_id, opened_on, due_on, status,
                                       evidence, fingerprint, opened_by, opened_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)
                """,
            arguments: [
                new.rule.rawValue, Data(new.subject), new.personID, new.sealedIdentity.map { Data($0) }, new.name,
                new.orgID, new.openedOn.description, new.dueOn.description,
                try CaseColumns.encode(new.evidence), new.fingerprint, actor, recordedAt,
            ]
        )
        return db.lastInsertedRowID
    }

    public func clearCase(_ id: Int64, on date: CivilDate, by actor: String) throws {
        try db.execute(
            sql: """
                UPDATE recon_case SET status = 'cleared', closed_on = ?, closed_by = ?, closed_at = ?
                WHERE id = ? AND status = 'open'
                """,
            arguments: [date.description, actor, recordedAt, id]
        )
    }

    public func resolveCase(
        _ id: Int64,
        outcome: CaseOutcome,
        note: String,
        draftID: Int64?,
        on date: CivilDate,
        by actor: String
    ) throws {
        try db.execute(
            sql: """
                UPDATE recon_case SET status = 'resolved', outcome = ?, note = ?, draft_id = ?, closed_on = ?,
                                      closed_by = ?, closed_at = ?
                WHERE id = ? AND status = 'open'
                """,
            arguments: [outcome.rawValue, note, draftID, date.description, actor, recordedAt, id]
        )
    }
}

extension DossierStore {
    public func cases(_ filter: CaseFilter, limit: Int, offset: Int) throws -> [StoredCase] {
        let (condition, arguments) = Self.condition(filter)
        return try read { db in
            try CaseColumns.fetch(
                db,
                store: self,
                where: condition,
                arguments: arguments,
                order: "c.due_on, c.id",
                limit: limit,
                offset: offset
            )
        }
    }

    public func countCases(_ filter: CaseFilter) throws -> Int {
        let (condition, arguments) = Self.condition(filter)
        return try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM recon_case c WHERE \(condition)", arguments: arguments) ?? 0
        }
    }

    /// The WHERE clause of a case list (table alias `c`), and its arguments: the one place a
    /// filter becomes SQL, for the list and its count.
    private static func condition(_ filter: CaseFilter) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let status = filter.status {
            conditions.append("c.status = ?")
            arguments.append(status.rawValue)
        }
        if let rule = filter.rule {
            conditions.append("c.rule = ?")
            arguments.append(rule.rawValue)
        }
        if let orgs = filter.orgs {
            conditions.append("c.org_id IN (SELECT value FROM json_each(?))")
            arguments.append(String(describing: orgs.sorted()))
        }
        return (conditions.isEmpty ? "1" : conditions.joined(separator: " AND "), StatementArguments(arguments))
    }

    public func reconciliationCase(_ id: Int64) throws -> StoredCase? {
        try read { db in try CaseColumns.fetch(db, store: self, where: "c.id = ?", arguments: [id]).first }
    }

    public func caseCounts(within scope: Set<Int64>?, today: CivilDate) throws -> [CaseCount] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.code, c.rule, count(*), sum(c.due_on < ?)
                    FROM recon_case c JOIN organization o ON o.id = c.org_id
                    WHERE c.status = 'open' \(scope == nil ? "" : "AND c.org_id IN (SELECT value FROM json_each(?))")
                    GROUP BY o.code, c.rule ORDER BY o.code, c.rule
                    """,
                arguments: scope.map { [today.description, String(describing: $0.sorted())] } ?? [today.description]
            ).map { row in
                let rule: String = row[1]
                guard let known = ReconciliationRule(rawValue: rule) else {
                    throw StoreError(.invalid("The database holds an unknown reconciliation rule '\(rule)'."))
                }
                return CaseCount(org: try CreditCode(row[0] as String), rule: known, open: row[2], overdue: row[3])
            }
        }
    }
}

/// Reading cases back: columns selected by position.
enum CaseColumns {
    static func fetch(
        _ db: Database,
        store: DossierStore,
        where condition: String,
        arguments: StatementArguments,
        order: String = "c.id",
        limit: Int = -1,
        offset: Int = 0
    ) throws -> [StoredCase] {
        let cipher = try FieldCipher(keys: store.keys)
        return try Row.fetchAll(
            db,
            sql: """
                SELECT c.id, c.rule, c.subject, c.person_id, c.id_sealed, coalesce(p.name, c.name), o.code, c.org_id,
                       c.opened_on, c.due_on, c.status, c.evidence, c.fingerprint, c.opened_by, c.opened_at,
                       c.closed_on, c.outcome, c.note, c.closed_by, c.closed_at, c.draft_id
                FROM recon_case c
                JOIN organization o ON o.id = c.org_id
                LEFT JOIN person p ON p.id = c.person_id
                WHERE \(condition)
                ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
                """,
            arguments: arguments
        ).map { row in
            func coded<T: RawRepresentable<String>>(_ type: T.Type, _ index: Int) throws -> T {
                let text: String = row[index]
                guard let value = T(rawValue: text) else {
                    throw StoreError(.invalid("The database holds an unknown case value '\(text)'."))
                }
                return value
            }
            let identity = try (row[4] as Data?).map { sealed in
                try ResidentID(
                    String(decoding: try cipher.open(Array(sealed), context: PersonColumns.idNumber), as: UTF8.self)
                )
            }
            var stored = StoredCase(
                id: row[0],
                rule: try coded(ReconciliationRule.self, 1),
                subject: Array(row[2] as Data),
                personID: row[3],
                identity: identity,
                name: row[5],
                org: try CreditCode(row[6] as String),
                orgID: row[7],
                openedOn: try Decode.date(row[8]),
                dueOn: try Decode.date(row[9]),
                status: try coded(CaseStatus.self, 10),
                evidence: try decode(row[11]),
                fingerprint: row[12],
                openedBy: row[13],
                openedAt: row[14]
            )
            stored.closedOn = try (row[15] as String?).map(Decode.date)
            stored.outcome = try (row[16] as String?).map { text in
                guard let outcome = CaseOutcome(rawValue: text) else {
                    throw StoreError(.invalid("The database holds an unknown case outcome '\(text)'."))
                }
                return outcome
            }
            stored.note = row[17]
            stored.closedBy = row[18]
            stored.closedAt = row[19]
            stored.draftID = row[20]
            return stored
        }
    }

    /// A placement's status span, from the columns status, org_id, valid_from, valid_until,
    /// action_id starting at `first`.
    static func span(_ row: some ColumnReader, from first: Int) throws -> StatusSpan {
        StatusSpan(
            status: try Decode.coded(PersonStatus.self, try row.required(row.text, first, "status")),
            orgID: try row.required(row.int64, first + 1, "organisation"),
            from: try Decode.date(try row.required(row.text, first + 2, "valid_from")),
            until: try row.text(first + 3).map(Decode.date),
            actionID: try row.required(row.int64, first + 4, "action")
        )
    }

    static func encode(_ evidence: CaseEvidence) throws -> String {
        var object: [String: Any] = ["rows": evidence.rows, "actions": evidence.actions, "facts": evidence.facts]
        if let feed = evidence.feedID { object["feed"] = feed }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String) throws -> CaseEvidence {
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw StoreError(.invalid("A case's evidence is not a JSON object."))
        }
        return CaseEvidence(
            feedID: (object["feed"] as? NSNumber)?.int64Value,
            rows: (object["rows"] as? [NSNumber])?.map(\.intValue) ?? [],
            actions: (object["actions"] as? [NSNumber])?.map(\.int64Value) ?? [],
            facts: object["facts"] as? [String: String] ?? [:]
        )
    }
}
