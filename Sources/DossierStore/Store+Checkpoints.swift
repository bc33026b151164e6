public import DossierCore
import DossierStorage
import Foundation
internal import GRDB

/// Rows of `audit_checkpoint` and `sign_in_unlock`.
enum Checkpoints {
    static let columns = "id, seq, hash, signed_at, made_on, key_id, algorithm, signed_text, signature, made_by"

    static func checkpoint(_ row: Row) throws -> AuditCheckpoint {
        let signature: Data = row[8]
        return AuditCheckpoint(
            number: row[0],
            seq: row[1],
            hash: row[2],
            signedAt: row[3],
            madeOn: try Decode.date(row[4]),
            keyID: row[5],
            algorithm: row[6],
            signedText: row[7],
            signature: Array(signature),
            madeBy: row[9]
        )
    }
}

extension DossierStore {
    /// The audit entry with this sequence number, if the chain holds one.
    public func auditEntry(seq: Int64) throws -> AuditEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit_entry WHERE seq = ?", arguments: [seq]).map(AuditLog.entry)
        }
    }

    /// Every signed audit checkpoint, oldest first.
    public func auditCheckpoints() throws -> [AuditCheckpoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Checkpoints.columns) FROM audit_checkpoint ORDER BY id")
                .map(Checkpoints.checkpoint)
        }
    }
}

extension StoreTransaction {
    /// The last audit entry, read in this transaction.
    public func auditHead() throws -> AuditEntry? {
        try Row.fetchOne(db, sql: "SELECT * FROM audit_entry ORDER BY seq DESC LIMIT 1").map(AuditLog.entry)
    }

    /// Whether a signed audit checkpoint was made on `date`.
    public func checkpointMade(on date: CivilDate) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM audit_checkpoint WHERE made_on = ?)",
            arguments: [date.description]
        ) ?? false
    }

    /// Keeps a signed audit checkpoint; returns its number.
    public func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO audit_checkpoint(seq, hash, signed_at, made_on, key_id, algorithm, signed_text, signature, made_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                checkpoint.seq, checkpoint.hash, checkpoint.signedAt, checkpoint.madeOn.description,
                checkpoint.keyID, checkpoint.algorithm, checkpoint.signedText, Data(checkpoint.signature),
                checkpoint.madeBy,
            ]
        )
        return db.lastInsertedRowID
    }

    /// Records that `user`'s sign-in lock-out is to be lifted, replacing an earlier record.
    public func recordSignInUnlock(user: String, by actor: String) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO sign_in_unlock(user_name, unlocked_by, unlocked_at) VALUES (?, ?, ?)",
            arguments: [user, actor, recordedAt]
        )
    }

    /// Removes the record of a lifted lock-out for `user`; false when there was none.
    public func takeSignInUnlock(user: String) throws -> Bool {
        try db.execute(sql: "DELETE FROM sign_in_unlock WHERE user_name = ?", arguments: [user])
        return db.changesCount > 0
    }
}
