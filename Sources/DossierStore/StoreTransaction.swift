public import DossierCore
import DossierCrypto
public import DossierStorage
import Foundation
internal import GRDB

/// One SQLite write transaction, opened by `DossierStore.write`: the `StorageTransaction` of this
/// backend. Valid only inside the closure it was given to; it must not escape it.
public struct StoreTransaction {
    let db: Database
    let store: DossierStore
    /// Prepared statements for the rows every placement change writes.
    private let rows: TimelineRows
    /// When this transaction records things (one time for everything it writes).
    public let recordedAt: String

    init(db: Database, store: DossierStore) {
        self.db = db
        self.store = store
        self.rows = TimelineRows(db)
        self.recordedAt = Timestamp.now()
    }
}

extension StoreTransaction: StorageTransaction {}

extension DossierStore {
    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    /// Writers queue (other threads and processes wait their turn), so what `body` reads it can
    /// rely on until it returns.
    public func write<T>(_ body: (any StorageTransaction) throws -> T) throws -> T {
        try transaction { db in try body(StoreTransaction(db: db, store: self)) }
    }

    /// Runs `body` in one write transaction that it commits or rolls back (problems found in a
    /// bulk input, a dry run). `bulk` gives the transaction a larger page cache, for loads of
    /// many rows.
    public func write<T>(bulk: Bool, _ body: (any StorageTransaction) throws -> StorageOutcome<T>) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            let asked = ContinuousClock.now
            try db.inTransaction(.immediate) {
                statistics.write(waited: .now - asked)
                if bulk {
                    // A bulk load wants a larger page cache than the default 2 MB (16 MB measured
                    // as fast as 64 MB for a million rows, at 50 MB less peak memory).
                    try db.execute(sql: "PRAGMA cache_size = -16384")
                }
                defer { if bulk { try? db.execute(sql: "PRAGMA cache_size = -2000") } }
                switch try body(StoreTransaction(db: db, store: self)) {
                case .commit(let value):
                    result = value
                    return .commit
                case .rollBack(let value):
                    result = value
                    return .rollback
                }
            }
            return result!
        }
    }
}

// MARK: - Users, organisations, people

extension StoreTransaction {
    /// Throws unless a user of that name exists.
    public func requireUser(_ name: String) throws {
        try Users.require(db, name)
    }

    /// The stored id of an organisation.
    public func organizationID(_ code: CreditCode) throws -> Int64? {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM organization WHERE code = ?"),
            arguments: [code.value]
        )
    }

    /// An organisation's credit code and name by its stored id.
    public func organization(id: Int64) throws -> (code: String, name: String)? {
        try Row.fetchOne(db, sql: "SELECT code, name FROM organization WHERE id = ?", arguments: [id]).map {
            ($0["code"], $0["name"])
        }
    }

    /// Whether a person with this file number is on file.
    public func personExists(_ id: Int64) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id = ?", arguments: [id]) != nil
    }

    /// Appends one entry to the audit chain. `details` must never hold an identity or phone number.
    public func appendAudit(actor: String, action: String, subject: String, details: [String: String] = [:]) throws {
        try AuditLog.append(db, actor: actor, action: action, subject: subject, details: details)
    }

    public func notePassedCheck() throws {
        try db.execute(
            sql:
                "INSERT INTO dossier_meta(key, value) VALUES ('last_passed_check', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            arguments: [recordedAt]
        )
    }
}

// MARK: - Actions and placements

extension StoreTransaction {
    /// A person's recorded actions in the order they were recorded, as the fold reads them:
    /// what each stated, not the placement its row also shows.
    public func recordedActions(of personID: Int64) throws -> [TimelineFold.Action] {
        try Row.fetchAll(
            db,
            sql: "SELECT \(ActionColumns.folded) FROM personnel_action WHERE person_id = ? ORDER BY id",
            arguments: [personID]
        ).map { try ActionColumns.action($0) }
    }

    /// The record of one stored action (what its row shows).
    public func actionRecord(_ id: Int64) throws -> ActionRecord? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT person_id, kind, effective_on, org_id, category, rank, post, status, target_action_id, stated
                    FROM personnel_action WHERE id = ?
                    """,
                arguments: [id]
            )
        else { return nil }
        var record = ActionRecord(
            personID: row["person_id"],
            kind: try Decode.actionKind(row["kind"]),
            effectiveOn: try Decode.date(row["effective_on"]),
            org: row["org_id"],
            category: try Decode.coded(EstablishmentCategory.self, row["category"]),
            rank: Decode.rank(row["rank"]),
            post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
            status: try Decode.coded(PersonStatus.self, row["status"]),
            target: row["target_action_id"],
            stated: []
        )
        // No list: the action states every field its row shows.
        record.stated = try (row["stated"] as String?).map(Decode.stated) ?? record.shown
        return record
    }

    /// Records an action; returns its id.
    public func insertAction(_ record: ActionRecord, by actor: String) throws -> Int64 {
        try rows.insertAction(record, recordedAt: recordedAt, by: actor)
    }

    /// A person's placements, in date order.
    public func placements(of personID: Int64) throws -> [TimelineFold.Interval] {
        try PlacementColumns.fetch(db, personID: personID)
    }

    /// Replaces a person's placements with `intervals` (the fold of their whole timeline).
    public func replacePlacements(of personID: Int64, with intervals: [TimelineFold.Interval]) throws {
        try db.execute(sql: "DELETE FROM placement WHERE person_id = ?", arguments: [personID])
        for interval in intervals { try rows.insertPlacement(interval, of: personID) }
    }

    /// Adds one placement of a person who had none (a new hire).
    public func insertPlacement(_ interval: TimelineFold.Interval, of personID: Int64) throws {
        try rows.insertPlacement(interval, of: personID)
    }

    /// The approved numbers of a quota in date order (for equal dates, the later entry last).
    public func quotaHistory(_ slot: QuotaSlot) throws -> [(CivilDate, Int)] {
        try slot.quotas(db)
    }

    /// The occupied intervals of a quota, leaving out one person's when asked.
    public func occupancy(_ slot: QuotaSlot, excludingPerson person: Int64? = nil) throws -> [QuotaSlot.Span] {
        try slot.occupancy(db, excludingPerson: person)
    }
}

// MARK: - Drafts

extension StoreTransaction {
    /// One draft.
    public func draft(_ id: Int64) throws -> ActionDraft? {
        try Drafts.find(db, id, cipher: try FieldCipher(keys: store.keys))
    }

    /// Records a draft; returns its number.
    public func insertDraft(_ input: ActionDraftInput, orgID: Int64?, by actor: String) throws -> Int64 {
        try Drafts.insert(
            db,
            input,
            orgID: orgID,
            actor: actor,
            at: recordedAt,
            cipher: try FieldCipher(keys: store.keys)
        )
    }

    /// Marks a waiting draft approved, pointing at the (last) action it recorded.
    public func markApproved(_ id: Int64, by actor: String, action: Int64?) throws {
        try db.execute(
            sql: """
                UPDATE action_draft SET state = 'approved', decided_by = ?, decided_at = ?, action_id = ?
                WHERE id = ? AND state = 'draft'
                """,
            arguments: [actor, recordedAt, action, id]
        )
    }

    public func markRejected(_ id: Int64, by actor: String, reason: String) throws {
        try closeDraft(id, as: .rejected, by: actor, reason: reason)
    }

    public func markWithdrawn(_ id: Int64, by actor: String, reason: String) throws {
        try closeDraft(id, as: .withdrawn, by: actor, reason: reason)
    }

    /// Closes a waiting draft without recording an action: rejected or withdrawn, with the reason.
    private func closeDraft(_ id: Int64, as state: ActionDraft.State, by actor: String, reason: String) throws {
        try db.execute(
            sql: """
                UPDATE action_draft SET state = ?, decided_by = ?, decided_at = ?, reason = ?
                WHERE id = ? AND state = 'draft'
                """,
            arguments: [state.rawValue, actor, recordedAt, reason, id]
        )
    }
}

/// The two inserts every placement change makes, prepared once per transaction: a bulk import
/// writes a million of each, an approval a handful, through the same statements.
private final class TimelineRows {
    private let db: Database
    private var action: RawStatement?
    private var placement: RawStatement?

    init(_ db: Database) { self.db = db }

    func insertAction(_ record: ActionRecord, recordedAt: String, by actor: String) throws -> Int64 {
        if action == nil {
            action = try RawStatement(
                db,
                sql: """
                    INSERT INTO personnel_action(person_id, kind, effective_on, org_id, category, rank, post, status,
                                                 recorded_at, recorded_by, target_action_id, stated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
        }
        action!.reset()
        action!.bind(record.personID)
        action!.bind(record.kind.rawValue)
        action!.bind(record.effectiveOn.description)
        action!.bind(record.org)
        action!.bind(record.category.code)
        action!.bind(record.rank?.code)
        action!.bind(record.post?.code)
        action!.bind(record.status.code)
        action!.bind(recordedAt)
        action!.bind(actor)
        action!.bind(record.target)
        action!.bind(record.storedStated?.text)
        try action!.run()
        return db.lastInsertedRowID
    }

    func insertPlacement(_ interval: TimelineFold.Interval, of personID: Int64) throws {
        if placement == nil {
            placement = try RawStatement(
                db,
                sql: """
                    INSERT INTO placement(person_id, action_id, org_id, category, rank, post, status, occupies,
                                          valid_from, valid_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
        }
        placement!.reset()
        placement!.bind(personID)
        placement!.bind(interval.actionID)
        placement!.bind(interval.org)
        placement!.bind(interval.category.code)
        placement!.bind(interval.rank?.code)
        placement!.bind(interval.post?.code)
        placement!.bind(interval.status.code)
        placement!.bind(Int64(interval.status.occupiesSlot ? 1 : 0))
        placement!.bind(interval.from.description)
        placement!.bind(interval.until?.description)
        try placement!.run()
    }
}

/// Reading a person's placements back, oldest first.
/// The columns of an action the fold reads, and their reading.
enum ActionColumns {
    /// What `action` reads, in its order (by position: GRDB's look-up by name lower-cases every
    /// column name); `person_id` last, for readers of many people's actions.
    static let folded =
        "id, kind, effective_on, org_id, category, rank, post, status, target_action_id, stated, person_id"

    /// An action as the fold reads it: what it stated, not the placement its row also shows.
    static func action(_ row: Row) throws -> TimelineFold.Action {
        let stated = try (row[9] as String?).map(Decode.stated)
        func ifStated<T>(_ field: StatedFields, _ value: T?) -> T? {
            stated.map { $0.contains(field) } ?? true ? value : nil
        }
        return TimelineFold.Action(
            id: row[0],
            kind: try Decode.actionKind(row[1]),
            effectiveOn: try Decode.date(row[2]),
            org: ifStated(.org, row[3] as Int64?),
            category: ifStated(.category, try Decode.codedOptional(EstablishmentCategory.self, row[4])),
            rank: ifStated(.rank, Decode.rank(row[5])),
            post: ifStated(.post, try Decode.codedOptional(LeadershipPost.self, row[6])),
            status: ifStated(.status, try Decode.codedOptional(PersonStatus.self, row[7])),
            target: row[8]
        )
    }
}

enum PlacementColumns {
    /// What `interval` reads, in its order; `person_id` last.
    static let stored = "action_id, org_id, category, rank, post, status, valid_from, valid_until, person_id"

    static func interval(_ row: Row) throws -> TimelineFold.Interval {
        TimelineFold.Interval(
            actionID: row[0],
            org: row[1],
            category: try Decode.coded(EstablishmentCategory.self, row[2]),
            rank: Decode.rank(row[3]),
            post: try Decode.codedOptional(LeadershipPost.self, row[4]),
            status: try Decode.coded(PersonStatus.self, row[5]),
            from: try Decode.date(row[6]),
            until: try (row[7] as String?).map(Decode.date)
        )
    }

    static func fetch(_ db: Database, personID: Int64) throws -> [TimelineFold.Interval] {
        try Row.fetchAll(
            db,
            sql: "SELECT \(stored) FROM placement WHERE person_id = ? ORDER BY valid_from, action_id",
            arguments: [personID]
        ).map(interval)
    }
}
