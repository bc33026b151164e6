public import DossierCore
public import DossierStorage
internal import GRDB

extension DossierStore {
    /// What SQLite's own checks find wrong with the database file: damaged pages or indexes
    /// (`PRAGMA integrity_check`) and rows that refer to rows that are not there
    /// (`PRAGMA foreign_key_check`, counted per table). Empty: nothing.
    public func storageProblems() throws -> [String] {
        try read { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            var missing: [String: (count: Int, parent: String)] = [:]
            let rows = try Row.fetchCursor(db, sql: "PRAGMA foreign_key_check")
            while let row = try rows.next() {
                let table: String = row[0]
                let parent: String = row[2]
                missing[table, default: (0, parent)].count += 1
            }
            for (table, found) in missing.sorted(by: { $0.key < $1.key }) {
                problems.append(
                    "\(found.count) row(s) of \(table) refer to rows of \(found.parent) that are not there"
                )
            }
            return problems
        }
    }

    /// Every person's actions and placements, person by person, from one snapshot: two cursors
    /// read side by side in person order (the placements' primary key, the actions' index), so
    /// a node of a million people is read once without holding it in memory.
    public func forEachTimeline(
        _ body: (_ personID: Int64, _ actions: [TimelineFold.Action], _ placements: [TimelineFold.Interval]) throws
            -> Void
    ) throws {
        try read { db in
            let actions = try Row.fetchCursor(
                db,
                sql: "SELECT \(ActionColumns.folded) FROM personnel_action ORDER BY person_id, id"
            )
            let placements = try Row.fetchCursor(
                db,
                sql: "SELECT \(PlacementColumns.stored) FROM placement ORDER BY person_id, valid_from, action_id"
            )
            var nextAction = try actions.next().map { (person: $0[10] as Int64, action: try ActionColumns.action($0)) }
            var nextPlacement = try placements.next().map {
                (person: $0[8] as Int64, interval: try PlacementColumns.interval($0))
            }
            while nextAction != nil || nextPlacement != nil {
                let person = min(nextAction?.person ?? .max, nextPlacement?.person ?? .max)
                var personActions: [TimelineFold.Action] = []
                while let current = nextAction, current.person == person {
                    personActions.append(current.action)
                    nextAction = try actions.next().map { ($0[10] as Int64, try ActionColumns.action($0)) }
                }
                var personPlacements: [TimelineFold.Interval] = []
                while let current = nextPlacement, current.person == person {
                    personPlacements.append(current.interval)
                    nextPlacement = try placements.next().map { ($0[8] as Int64, try PlacementColumns.interval($0)) }
                }
                try body(person, personActions, personPlacements)
            }
        }
    }

    /// Every document file the records refer to, once each (retired documents too: a document
    /// is never deleted, only retired, and its file is kept).
    public func documentBlobs() throws -> [DocumentBlob] {
        try read(Self.documentBlobs)
    }

    private static func documentBlobs(_ db: Database) throws -> [DocumentBlob] {
        try Row.fetchAll(
            db,
            sql:
                "SELECT sha256, min(sm3), min(size), max(sm3), max(size) FROM document GROUP BY sha256 ORDER BY sha256"
        ).map { row in
            // Two documents with the same SHA-256 but different recorded SM3 or size would be a
            // damaged record: the mismatch shows as a file that matches one of them only.
            DocumentBlob(
                sha256: row[0],
                sm3: (row[1] as String) == (row[3] as String) ? row[1] : "",
                size: (row[2] as Int64) == (row[4] as Int64) ? row[2] : -1
            )
        }
    }

    /// SQLite's online backup, in one step from one read transaction: a consistent copy of the
    /// whole database while writers go on (in WAL mode readers never block them), written to a
    /// new file at `path`.
    public func snapshot(to path: String) throws -> BackupSnapshot {
        // A scratch copy, read once into the backup and deleted: no rollback journal and no
        // syncs (the backup file itself is synced once whole). Syncing the copy cost a third
        // of the snapshot's time on a 400 MB database.
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = OFF")
            try db.execute(sql: "PRAGMA synchronous = OFF")
        }
        let destination = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? destination.close() }
        return try destination.writeWithoutTransaction { copy in
            try read { db in
                // The list and the copy come from the same read transaction: the same state.
                let contents = BackupSnapshot(
                    documents: try Self.documentBlobs(db),
                    auditHead: try Row.fetchOne(db, sql: "SELECT * FROM audit_entry ORDER BY seq DESC LIMIT 1")
                        .map(AuditLog.entry)
                )
                try db.backup(to: copy)
                return contents
            }
        }
    }

    /// When the last check that found nothing wrong finished.
    public func lastPassedCheck() throws -> String? {
        try readOneStatement { db in
            try String.fetchOne(db, sql: "SELECT value FROM dossier_meta WHERE key = 'last_passed_check'")
        }
    }
}
