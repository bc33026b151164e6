public import DossierCore
public import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    public func insertAssessment(_ new: NewAssessment, by actor: String) throws -> Int64 {
        let taken = try Bool.fetchOne(
            db,
            sql: "SELECT 1 FROM assessment WHERE person_id = ? AND year = ? AND state <> 'rejected'",
            arguments: [new.personID, new.year]
        )
        guard taken == nil else {
            throw StoreError(
                .invalid(
                    "The person already has a grade for \(new.year); reject it first to replace it.",
                    zh: "该人员已有 \(new.year) 年度考核等次；如需替换，请先退回原等次。"
                )
            )
        }
        try db.execute(
            sql: """
                INSERT INTO assessment(person_id, org_id, year, grade, reason, decided_on, state, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.personID, new.orgID, new.year, new.grade.code, new.reason, new.decidedOn.description,
                new.state.rawValue, actor, recordedAt,
            ]
        )
        return db.lastInsertedRowID
    }

    public func assessment(_ id: Int64) throws -> StoredAssessment? {
        try MeritColumns.assessments(db, where: "a.id = ?", arguments: [id]).first
    }

    public func assessments(of personID: Int64) throws -> [StoredAssessment] {
        try MeritColumns.assessments(db, where: "a.person_id = ?", arguments: [personID])
    }

    public func decideAssessment(_ id: Int64, state: AssessmentState, reason: String?, by actor: String) throws {
        try db.execute(
            sql: """
                UPDATE assessment SET state = ?, decided_by = ?, decided_at = ?, decision_reason = ?
                WHERE id = ? AND state = 'pending'
                """,
            arguments: [state.rawValue, actor, recordedAt, reason, id]
        )
        guard db.changesCount == 1 else {
            throw StoreError(.invalid("Assessment \(id) is not waiting for a decision.", zh: "考核等次 \(id) 不在待审批状态。"))
        }
    }

    public func gradeCount(orgID: Int64, year: Int) throws -> GradeCount {
        try MeritColumns.gradeCounts(db, year: year, where: "o.id = ?2", arguments: [year, orgID]).first
            ?? {
                throw StoreError(
                    .invalid("There is no organisation with stored id \(orgID).", zh: "没有内部编号为 \(orgID) 的机构。")
                )
            }()
    }

    public func insertSanction(_ new: NewSanction, by actor: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO sanction(person_id, kind, imposed_on, reference, document_id, recorded_by, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.personID, new.kind.code, new.on.description, new.reference, new.documentID, actor, recordedAt,
            ]
        )
        return db.lastInsertedRowID
    }

    public func sanction(_ id: Int64) throws -> StoredSanction? {
        try MeritColumns.sanctions(db, where: "id = ?", arguments: [id]).first
    }

    public func sanctions(of personID: Int64) throws -> [StoredSanction] {
        try MeritColumns.sanctions(db, where: "person_id = ?", arguments: [personID])
    }

    public func personID(identityIndex index: [UInt8]) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM person WHERE id_number_index = ?"),
            arguments: [Data(index)]
        )
    }

    public func identityIndex(ofPerson personID: Int64) throws -> [UInt8]? {
        try Row.fetchOne(db, sql: "SELECT id_number_index FROM person WHERE id = ?", arguments: [personID])
            .flatMap { ($0[0] as Data?).map { Array($0) } }
    }

    public func openCase(rule: ReconciliationRule, subject: [UInt8]) throws -> Int64? {
        try Int64.fetchOne(
            db,
            sql: "SELECT id FROM recon_case WHERE rule = ? AND subject = ? AND status = 'open'",
            arguments: [rule.rawValue, Data(subject)]
        )
    }

    public func liftSanction(_ id: Int64, on date: CivilDate, reference: String?, by actor: String) throws {
        try db.execute(
            sql: """
                UPDATE sanction SET lifted_on = ?, lift_reference = ?, lifted_by = ?, lifted_at = ?
                WHERE id = ? AND lifted_on IS NULL
                """,
            arguments: [date.description, reference, actor, recordedAt, id]
        )
        guard db.changesCount == 1 else {
            throw StoreError(.invalid("Sanction \(id) is already lifted.", zh: "处分 \(id) 已经解除。"))
        }
    }
}

extension DossierStore {
    public func assessments(of personID: Int64) throws -> [StoredAssessment] {
        try read { db in try MeritColumns.assessments(db, where: "a.person_id = ?", arguments: [personID]) }
    }

    public func assessment(_ id: Int64) throws -> StoredAssessment? {
        try read { db in try MeritColumns.assessments(db, where: "a.id = ?", arguments: [id]).first }
    }

    public func pendingAssessments(limit: Int, offset: Int) throws -> [StoredAssessment] {
        try read { db in
            try MeritColumns.assessments(
                db,
                where: "a.state = 'pending'",
                arguments: [],
                order: "a.id",
                limit: limit,
                offset: offset
            )
        }
    }

    public func gradeCounts(year: Int, within scope: Set<Int64>?) throws -> [GradeCount] {
        try read { db in
            try MeritColumns.gradeCounts(
                db,
                year: year,
                where: scope == nil
                    ? "o.id IN (SELECT org_id FROM assessment WHERE year = ?1)"
                    : "o.id IN (SELECT value FROM json_each(?2))",
                arguments: scope.map { [year, String(describing: $0.sorted())] } ?? [year]
            )
        }
    }

    public func promotionRecord(of personID: Int64) throws -> PromotionRules.Record {
        try read { db in
            PromotionRules.Record(
                placements: try PlacementColumns.fetch(db, personID: personID),
                assessments: try MeritColumns.assessments(
                    db,
                    where: "a.person_id = ? AND a.state = 'final'",
                    arguments: [personID]
                )
                .map(\.assessment),
                sanctions: try MeritColumns.sanctions(db, where: "person_id = ?", arguments: [personID]).map(\.sanction)
            )
        }
    }

    public func sanctions(of personID: Int64) throws -> [StoredSanction] {
        try read { db in try MeritColumns.sanctions(db, where: "person_id = ?", arguments: [personID]) }
    }

    public func forEachPromotionRecord(
        on date: CivilDate,
        within scope: Set<Int64>?,
        grades: Set<AssessmentGrade>,
        _ body: (_ personID: Int64, _ name: String, PromotionRules.Record) throws -> Void
    ) throws {
        try read { db in
            var scan = try PromotionScan(db, grades: grades)
            defer { scan.reset() }
            var record = PromotionRules.Record(placements: [], assessments: [], sanctions: [])
            var current: Int64?
            while let (person, placement) = try scan.nextPlacement() {
                if person != current {
                    if let current { try scan.finish(current, &record, on: date, within: scope, body) }
                    current = person
                    record.placements.removeAll(keepingCapacity: true)
                }
                record.placements.append(placement)
            }
            if let current { try scan.finish(current, &record, on: date, within: scope, body) }
        }
    }
}

/// The promotion list's one pass over a node: four scans in person order (placements, final
/// grades, sanctions, names), merged, read by position from SQLite's own buffers (no per-person
/// queries, no row dictionaries). A struct driven through mutating methods, so the hot loop
/// touches its statements in place.
private struct PromotionScan {
    private var placements: RawStatement
    private var grades: RawStatement
    private var sanctions: RawStatement
    private var people: RawStatement
    private var gradePending: Bool
    private var sanctionPending: Bool
    private var personPending: Bool
    private var categories = CodeCache<EstablishmentCategory>()
    private var statuses = CodeCache<PersonStatus>()
    private var posts = CodeCache<LeadershipPost>()
    private var gradeCodes = CodeCache<AssessmentGrade>()
    private var kinds = CodeCache<SanctionKind>()

    init(_ db: Database, grades wanted: Set<AssessmentGrade>) throws {
        placements = try RawStatement(
            db,
            sql: """
                SELECT person_id, action_id, org_id, category, rank, post, status, valid_from, valid_until
                FROM placement ORDER BY person_id, valid_from, action_id
                """
        )
        grades = try RawStatement(
            db,
            sql: """
                SELECT person_id, year, grade, decided_on FROM assessment
                WHERE state = 'final' AND grade IN (SELECT value FROM json_each(?))
                ORDER BY person_id, year
                """
        )
        sanctions = try RawStatement(
            db,
            sql: "SELECT person_id, id, kind, imposed_on, lifted_on FROM sanction ORDER BY person_id, imposed_on"
        )
        people = try RawStatement(db, sql: "SELECT id, name FROM person ORDER BY id")
        // The statements are cached per connection: start them afresh (and `reset` leaves them so).
        placements.reset()
        grades.reset()
        sanctions.reset()
        people.reset()
        let codes = wanted.map { "\"\($0.code)\"" }.sorted().joined(separator: ",")
        grades.bind("[" + codes + "]")
        gradePending = try grades.nextRow()
        sanctionPending = try sanctions.nextRow()
        personPending = try people.nextRow()
    }

    mutating func reset() {
        placements.reset()
        grades.reset()
        sanctions.reset()
        people.reset()
    }

    /// The next placement and whose it is; nil after the last.
    mutating func nextPlacement() throws -> (Int64, TimelineFold.Interval)? {
        guard try placements.nextRow() else { return nil }
        let placement = TimelineFold.Interval(
            actionID: try placements.requiredInt64(1, "action"),
            org: try placements.requiredInt64(2, "organisation"),
            category: try placements.code(3, &categories, "category"),
            rank: Decode.rank(placements.text(4)),
            post: try placements.withText(5) { bytes in try bytes.map { try posts.decode($0) } },
            status: try placements.code(6, &statuses, "status"),
            from: try placements.requiredDate(7, "placement"),
            until: try placements.date(8, "placement end")
        )
        return (try placements.requiredInt64(0, "person"), placement)
    }

    /// Hands `person`'s record to `body` when they hold a placement on `date` within `scope`,
    /// with their final grades and sanctions read up to them.
    mutating func finish(
        _ person: Int64,
        _ record: inout PromotionRules.Record,
        on date: CivilDate,
        within scope: Set<Int64>?,
        _ body: (Int64, String, PromotionRules.Record) throws -> Void
    ) throws {
        record.assessments.removeAll(keepingCapacity: true)
        record.sanctions.removeAll(keepingCapacity: true)
        let inPlace = record.placements.last { $0.from <= date && ($0.until.map { $0 > date } ?? true) }
        guard let inPlace, scope.map({ $0.contains(inPlace.org) }) ?? true else { return }
        while gradePending, try grades.requiredInt64(0, "person") < person {
            gradePending = try grades.nextRow()
        }
        while gradePending, try grades.requiredInt64(0, "person") == person {
            record.assessments.append(
                Assessment(
                    year: Int(try grades.requiredInt64(1, "year")),
                    grade: try grades.code(2, &gradeCodes, "grade"),
                    decidedOn: try grades.requiredDate(3, "decision")
                )
            )
            gradePending = try grades.nextRow()
        }
        while sanctionPending, try sanctions.requiredInt64(0, "person") < person {
            sanctionPending = try sanctions.nextRow()
        }
        while sanctionPending, try sanctions.requiredInt64(0, "person") == person {
            record.sanctions.append(
                Sanction(
                    id: try sanctions.requiredInt64(1, "id"),
                    kind: try sanctions.code(2, &kinds, "kind"),
                    on: try sanctions.requiredDate(3, "sanction"),
                    liftedOn: try sanctions.date(4, "lifting")
                )
            )
            sanctionPending = try sanctions.nextRow()
        }
        while personPending, try people.requiredInt64(0, "person") < person {
            personPending = try people.nextRow()
        }
        let name = personPending ? people.text(1) ?? "" : ""
        try body(person, name, record)
    }
}

/// Codes read over and over in one long scan, decoded once each: the few values a column holds
/// are kept with their text and found by comparing it (short texts compare in one step), not
/// through the code table's dictionary on every row.
struct CodeCache<T: CodedValue> {
    private var seen: [(bytes: [UInt8], value: T)] = []

    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> T {
        for entry in seen where entry.bytes.elementsEqual(bytes) { return entry.value }
        let value = try Decode.coded(T.self, String(decoding: bytes, as: UTF8.self))
        seen.append((Array(bytes), value))
        return value
    }
}

/// Reading grades and sanctions back: columns selected by position.
enum MeritColumns {
    /// Grades per organisation for `year`, with the people in post there on its last day.
    /// `condition` may use ?1 for the year.
    static func gradeCounts(
        _ db: Database,
        year: Int,
        where condition: String,
        arguments: StatementArguments
    ) throws
        -> [GradeCount]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT o.code,
                    (SELECT count(*) FROM assessment a WHERE a.org_id = o.id AND a.year = ?1 AND a.state <> 'rejected'),
                    (SELECT count(*) FROM assessment a WHERE a.org_id = o.id AND a.year = ?1 AND a.state <> 'rejected'
                        AND a.grade = 'excellent'),
                    (SELECT count(*) FROM placement p WHERE p.org_id = o.id AND p.occupies = 1
                        AND p.valid_from <= ?1 || '-12-31' AND (p.valid_until IS NULL OR p.valid_until > ?1 || '-12-31'))
                FROM organization o WHERE \(condition) ORDER BY o.code
                """,
            arguments: arguments
        ).map { row in
            GradeCount(
                org: try CreditCode(row[0] as String),
                year: year,
                excellent: row[2],
                assessed: row[1],
                inPost: row[3]
            )
        }
    }

    static func assessments(
        _ db: Database,
        where condition: String,
        arguments: StatementArguments,
        order: String = "a.year, a.id",
        limit: Int = -1,
        offset: Int = 0
    ) throws -> [StoredAssessment] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.person_id, a.org_id, o.code, a.year, a.grade, a.reason, a.decided_on, a.state,
                       a.recorded_by, a.recorded_at, a.decided_by, a.decided_at, a.decision_reason
                FROM assessment a JOIN organization o ON o.id = a.org_id
                WHERE \(condition) ORDER BY \(order) LIMIT \(limit) OFFSET \(offset)
                """,
            arguments: arguments
        ).map { row in
            let state: String = row[8]
            guard let known = AssessmentState(rawValue: state) else {
                throw StoreError(.invalid("The database holds an unknown assessment state '\(state)'."))
            }
            return StoredAssessment(
                id: row[0],
                personID: row[1],
                orgID: row[2],
                org: try CreditCode(row[3] as String),
                year: row[4],
                grade: try Decode.coded(AssessmentGrade.self, row[5]),
                reason: row[6],
                decidedOn: try Decode.date(row[7]),
                state: known,
                recordedBy: row[9],
                recordedAt: row[10],
                decidedBy: row[11],
                decidedAt: row[12],
                decisionReason: row[13]
            )
        }
    }

    static func sanctions(
        _ db: Database,
        where condition: String,
        arguments: StatementArguments
    ) throws
        -> [StoredSanction]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, person_id, kind, imposed_on, reference, document_id, lifted_on, lift_reference,
                       recorded_by, recorded_at
                FROM sanction WHERE \(condition) ORDER BY imposed_on, id
                """,
            arguments: arguments
        ).map { row in
            StoredSanction(
                id: row[0],
                personID: row[1],
                kind: try Decode.coded(SanctionKind.self, row[2]),
                on: try Decode.date(row[3]),
                reference: row[4],
                documentID: row[5],
                liftedOn: try (row[6] as String?).map(Decode.date),
                liftReference: row[7],
                recordedBy: row[8],
                recordedAt: row[9]
            )
        }
    }
}
