public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
    /// A person's file with their placement as of `date`.
    public func person(_ id: Int64, on date: CivilDate) throws -> PersonRecord? {
        try readOneStatement { db in
            let reader = try PersonReader(db: db, keys: keys)
            return try reader.person(id: id, on: date)
        }
    }

    /// Finds a person by identity number through the blind index (no decryption of other rows).
    public func findPerson(idNumber: ResidentID, on date: CivilDate) throws -> PersonRecord? {
        try read { db in
            let reader = try PersonReader(db: db, keys: keys)
            let index = try reader.cipher.blindIndex(Array(idNumber.value.utf8), context: PersonColumns.idNumber)
            guard
                let id = try Int64.fetchOne(
                    db,
                    sql: "SELECT id FROM person WHERE id_number_index = ?",
                    arguments: [Data(index)]
                )
            else { return nil }
            return try reader.person(id: id, on: date)
        }
    }

    /// The organisation a person belongs to, as SQL over `person` (the expression's person id)
    /// and `today` (an expression, normally a bound parameter: the node's clock, never SQLite's):
    /// that of their latest placement begun by today (current, or the last one before they
    /// left; a transfer approved for a later date does not move them yet); for someone never
    /// placed (a hire awaiting approval),
    /// the organisation that filed them: that of their first draft, the hire drafted with the
    /// filing. A later draft never moves them, so nobody can draft a person into their own
    /// reach. Scope checks on one person, on lists and on drafting read this one rule.
    static func homeOrganization(of person: String, today: String) -> String {
        """
        coalesce(
            (SELECT h.org_id FROM placement h WHERE h.person_id = \(person)
             ORDER BY h.valid_from <= \(today) DESC, h.valid_from DESC, h.action_id DESC LIMIT 1),
            (SELECT d.org_id FROM action_draft d WHERE d.person_id = \(person) AND d.org_id IS NOT NULL
             ORDER BY d.id LIMIT 1)
        )
        """
    }

    /// The credit code of the organisation a person belongs to on `today` (see
    /// `homeOrganization`); nil when there is no such person (or they belong nowhere).
    public func homeOrganization(ofPerson id: Int64, today: CivilDate) throws -> CreditCode? {
        try read { db in
            let code = try String.fetchOne(
                db.cachedStatement(
                    sql: "SELECT code FROM organization WHERE id = \(Self.homeOrganization(of: "?", today: "?"))"
                ),
                arguments: [id, today.description, id]
            )
            return try code.map { try CreditCode($0) }
        }
    }

    /// Whether a person belongs to one of `organizations` on `today` (see `homeOrganization`).
    public func person(_ id: Int64, isWithin organizations: Set<Int64>, today: CivilDate) throws -> Bool {
        try read { db in
            let home = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT \(Self.homeOrganization(of: "?", today: "?"))"),
                arguments: [id, today.description, id]
            )
            return home.map(organizations.contains) ?? false
        }
    }

    /// People with their placement as of `date`, by file number, optionally within one
    /// organisation, and within `scope` (nil: everyone): placed on `date` in one of those
    /// organisations and belonging to one of them still (`homeOrganization`), so someone who has
    /// moved out is out of reach in lists as in a look-up; `after` and `limit` page through them.
    public func people(
        on date: CivilDate,
        org: CreditCode? = nil,
        subtree: Bool = false,
        within scope: Set<Int64>? = nil,
        today: CivilDate,
        after: Int64 = 0,
        limit: Int = 100
    ) throws
        -> [PersonRecord]
    {
        try read { db in
            let reader = try PersonReader(db: db, keys: keys)
            var (sql, arguments) = try Self.peopleQuery(
                db,
                columns: PersonReader.columns,
                on: date,
                org: org,
                subtree: subtree,
                within: scope,
                today: today
            )
            sql += " WHERE p.id > ? ORDER BY p.id LIMIT ?"
            arguments += [after, limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try reader.record($0, on: date) }
        }
    }

    /// How many people `people` lists for the same question.
    public func peopleCount(
        on date: CivilDate,
        org: CreditCode? = nil,
        subtree: Bool = false,
        within scope: Set<Int64>? = nil,
        today: CivilDate
    ) throws -> Int {
        try read { db in
            let (sql, arguments) = try Self.peopleQuery(
                db,
                columns: "count(DISTINCT p.id)",
                on: date,
                org: org,
                subtree: subtree,
                within: scope,
                today: today
            )
            return try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
        }
    }

    /// The people of `people`: everyone on file, or those placed on `date` in `org` (and every
    /// unit under it with `subtree`), within `scope`. One question for the list and its count.
    private static func peopleQuery(
        _ db: Database,
        columns: String,
        on date: CivilDate,
        org: CreditCode?,
        subtree: Bool,
        within scope: Set<Int64>?,
        today: CivilDate
    ) throws -> (String, StatementArguments) {
        var sql = "SELECT \(columns) FROM person p"
        var arguments: StatementArguments = []
        if let org {
            guard let orgID = try Organizations.id(db, org) else { throw StoreError(.unknownOrganization(org)) }
            let units =
                subtree
                ? """
                (WITH RECURSIVE units(id) AS (
                    SELECT ? UNION SELECT o.id FROM organization o JOIN units ON o.parent_id = units.id
                ) SELECT id FROM units)
                """ : "(?)"
            sql += """
                 JOIN placement pl ON pl.person_id = p.id AND pl.org_id IN \(units) AND pl.valid_from <= ?
                   AND (pl.valid_until IS NULL OR pl.valid_until > ?)
                """
            arguments += [orgID, date.description, date.description]
        }
        if let scope {
            // Organisation ids are integers from the database: safe to list inline.
            let ids = scope.sorted().map(String.init).joined(separator: ",")
            sql += """
                 JOIN placement ps ON ps.person_id = p.id AND ps.org_id IN (\(ids)) AND ps.valid_from <= ?
                   AND (ps.valid_until IS NULL OR ps.valid_until > ?)
                   AND \(Self.homeOrganization(of: "p.id", today: "?")) IN (\(ids))
                """
            arguments += [date.description, date.description, today.description]
        }
        return (sql, arguments)
    }

    /// A person's timeline, oldest action first.
    public func timeline(personID: Int64) throws -> [TimelineEntry] {
        let cipher = try FieldCipher(keys: keys)
        return try read { db in
            guard try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id = ?", arguments: [personID]) != nil else {
                throw StoreError(.unknownPerson(personID))
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT \(DetailsColumns.columns("c")), a.*, o.code AS org_code,
                           (SELECT m.id FROM personnel_action m WHERE m.target_action_id = a.id
                            ORDER BY m.id DESC LIMIT 1) AS amended_by,
                           (SELECT m.kind FROM personnel_action m WHERE m.target_action_id = a.id
                            ORDER BY m.id DESC LIMIT 1) AS amendment
                    FROM personnel_action a JOIN organization o ON o.id = a.org_id
                    LEFT JOIN person_details_change c ON c.action_id = a.id
                    WHERE a.person_id = ? ORDER BY a.effective_on, a.id
                    """,
                arguments: [personID]
            ).map { row in
                let amendment: String? = row["amendment"]
                return TimelineEntry(
                    actionID: row["id"],
                    kind: try Decode.actionKind(row["kind"]),
                    effectiveOn: try Decode.date(row["effective_on"]),
                    orgCode: try CreditCode(row["org_code"] as String),
                    category: try Decode.coded(EstablishmentCategory.self, row["category"]),
                    rank: Decode.rank(row["rank"]),
                    post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
                    status: try Decode.coded(PersonStatus.self, row["status"]),
                    recordedBy: row["recorded_by"],
                    recordedAt: row["recorded_at"],
                    targetActionID: row["target_action_id"],
                    amendedBy: row["amended_by"],
                    amendment: try amendment.map(Decode.actionKind),
                    details: try DetailsColumns.decode(row, from: 0, cipher: cipher)
                )
            }
        }
    }

    /// Number of people on file.
    public func personCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM person") ?? 0 }
    }
}

/// Decrypts and assembles person records inside one read.
struct PersonReader {
    let db: Database
    let cipher: FieldCipher

    init(db: Database, keys: FieldKeys) throws {
        self.db = db
        self.cipher = try FieldCipher(keys: keys)
    }

    /// The person columns a read selects, in this order: rows are read by position, because
    /// GRDB's look-up by name lower-cases every column name on each call (measured as a tenth
    /// of a person look-up).
    enum Column: Int, CaseIterable {
        case id, idNumberSealed, phoneSealed, name, sex, birthDate, ethnicity, education, politicalStatus
        /// Whether any change of personal details is on file for the person: most people keep the
        /// details they were filed with, and their read skips the look-up of changes (one index
        /// probe in the same statement tells).
        case detailsChanged

        var name: String {
            switch self {
            case .id: "id"
            case .idNumberSealed: "id_number_sealed"
            case .phoneSealed: "phone_sealed"
            case .name: "name"
            case .sex: "sex"
            case .birthDate: "birth_date"
            case .ethnicity: "ethnicity"
            case .education: "education"
            case .politicalStatus: "political_status"
            case .detailsChanged: "details_changed"
            }
        }

        /// What the select list reads for it, from table alias `p`.
        var selected: String {
            switch self {
            case .detailsChanged: "EXISTS (SELECT 1 FROM person_details_change c WHERE c.person_id = p.id)"
            default: "p." + name
            }
        }
    }

    /// The select list for a person row from table alias `p`.
    static let columns = Column.allCases.map(\.selected).joined(separator: ", ")

    /// One statement for the record and its placement on `date`, stepped and read straight from
    /// SQLite: the hot path of every look-up.
    func person(id: Int64, on date: CivilDate) throws -> PersonRecord? {
        var statement = try RawStatement(
            db,
            sql: """
                SELECT \(Self.columns), \(Placements.columns)
                FROM person p
                LEFT JOIN placement pl ON pl.person_id = p.id AND pl.valid_from <= ?2
                                       AND (pl.valid_until IS NULL OR pl.valid_until > ?2)
                LEFT JOIN organization o ON o.id = pl.org_id
                WHERE p.id = ?1
                ORDER BY pl.valid_from DESC, pl.action_id DESC LIMIT 1
                """
        )
        statement.reset()
        defer { statement.reset() }
        statement.bind(id)
        statement.bind(date.description)
        guard try statement.nextRow() else { return nil }
        return try record(statement, placement: PlacementRow(statement, from: Column.allCases.count), on: date)
    }

    /// A row selected with `columns`, with the person's placement on `date`.
    func record(_ row: Row, on date: CivilDate) throws -> PersonRecord {
        try record(row, placement: try Placements.on(db, personID: row[Column.id.rawValue], date: date), on: date)
    }

    /// The person's details in force on `date` (as filed, corrected and changed).
    private func record(_ row: some ColumnReader, placement: PlacementRow?, on date: CivilDate) throws -> PersonRecord {
        func text(_ column: Column) throws -> String { try row.required(row.text, column.rawValue, column.name) }
        let idSealed = try row.required(row.blob, Column.idNumberSealed.rawValue, "identity number")
        let idBytes = try cipher.open(idSealed, context: PersonColumns.idNumber)
        let phone = try row.blob(Column.phoneSealed.rawValue).map {
            String(decoding: try cipher.open($0, context: PersonColumns.phone), as: UTF8.self)
        }
        let id = try row.required(row.int64, Column.id.rawValue, "file number")
        var details = PersonDetails(
            name: try text(.name),
            ethnicity: try Decode.coded(Ethnicity.self, try text(.ethnicity)),
            education: try Decode.coded(Education.self, try text(.education)),
            politicalStatus: try Decode.coded(PoliticalStatus.self, try text(.politicalStatus)),
            phone: phone
        )
        if row.int64(Column.detailsChanged.rawValue) == 1 {
            details = details.applying(try DetailsColumns.entries(db, personID: id, cipher: cipher), on: date)
        }
        return PersonRecord(
            id: id,
            idNumber: try ResidentID(String(decoding: idBytes, as: UTF8.self)),
            name: details.name,
            sex: try Decode.coded(Sex.self, try text(.sex)),
            birthDate: try Decode.date(try text(.birthDate)),
            ethnicity: details.ethnicity,
            education: details.education,
            politicalStatus: details.politicalStatus,
            phone: details.phone,
            placement: try placement?.placement()
        )
    }
}
