public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
internal import GRDB

/// The hash-chained audit log. Every write appends one entry in its own transaction; the entry's
/// hash covers its fields and the previous entry's hash, so editing, removing or reordering any
/// entry breaks the chain from there on. Holding the head (last sequence number and hash)
/// outside the database also exposes a truncated tail.
enum AuditLog {
    static let genesis = String(repeating: "0", count: 64)

    /// Appends an entry. `details` must never hold an identity or phone number.
    @discardableResult
    static func append(
        _ db: Database,
        actor: String,
        action: String,
        subject: String,
        details: [String: String] = [:]
    ) throws -> AuditEntry {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] ?? 0) + 1
        let previous: String = last?["hash"] ?? genesis
        let at = Timestamp.now()
        let detailText = canonicalJSON(details)
        let hash = entryHash(
            seq: seq,
            at: at,
            actor: actor,
            action: action,
            subject: subject,
            details: detailText,
            previous: previous
        )
        try db.execute(
            sql: """
                INSERT INTO audit_entry(seq, at, actor, action, subject, details, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [seq, at, actor, action, subject, detailText, previous, hash]
        )
        return AuditEntry(
            seq: seq,
            at: at,
            actor: actor,
            action: action,
            subject: subject,
            details: detailText,
            previousHash: previous,
            hash: hash
        )
    }

    /// SHA-256 over the length-prefixed fields, so no two different entries hash the same text.
    static func entryHash(
        seq: Int64,
        at: String,
        actor: String,
        action: String,
        subject: String,
        details: String,
        previous: String
    ) -> String {
        let hasher = Hasher(.sha256)
        for field in [String(seq), at, actor, action, subject, details, previous] {
            hasher.update("\(field.utf8.count):")
            hasher.update(field)
            hasher.update("\n")
        }
        return Hex.encode(hasher.finish())
    }

    /// A JSON object with sorted keys: the same details always give the same text and hash.
    static func canonicalJSON(_ details: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(details) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func entry(_ row: Row) -> AuditEntry {
        AuditEntry(
            seq: row["seq"],
            at: row["at"],
            actor: row["actor"],
            action: row["action"],
            subject: row["subject"],
            details: row["details"],
            previousHash: row["prev_hash"],
            hash: row["hash"]
        )
    }
}

extension DossierStore {
    /// Walks the whole chain from the first entry and reports the first that does not match.
    public func verifyAudit() throws -> AuditVerification {
        try read { db in
            var previous = AuditLog.genesis
            var expectedSeq: Int64 = 1
            var checked: Int64 = 0
            var headSeq: Int64?
            var headHash: String?
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM audit_entry ORDER BY seq")
            while let row = try cursor.next() {
                let entry = AuditLog.entry(row)
                var problem: String?
                if entry.seq != expectedSeq {
                    problem = "entry \(expectedSeq) is missing"
                } else if entry.previousHash != previous {
                    problem = "it does not link to the entry before it"
                } else {
                    let recomputed = AuditLog.entryHash(
                        seq: entry.seq,
                        at: entry.at,
                        actor: entry.actor,
                        action: entry.action,
                        subject: entry.subject,
                        details: entry.details,
                        previous: entry.previousHash
                    )
                    if recomputed != entry.hash { problem = "its content does not match its hash" }
                }
                if let problem {
                    let broken = entry.seq != expectedSeq ? expectedSeq : entry.seq
                    return AuditVerification(
                        checked: checked,
                        firstBroken: broken,
                        problem: problem,
                        headSeq: headSeq,
                        headHash: headHash
                    )
                }
                checked += 1
                previous = entry.hash
                expectedSeq += 1
                headSeq = entry.seq
                headHash = entry.hash
            }
            return AuditVerification(
                checked: checked,
                firstBroken: nil,
                problem: nil,
                headSeq: headSeq,
                headHash: headHash
            )
        }
    }

    /// The last entry's sequence number and hash.
    public func auditHead() throws -> AuditEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM audit_entry ORDER BY seq DESC LIMIT 1").map(AuditLog.entry)
        }
    }

    /// Entries in sequence order, newest last; `after` and `limit` page through them.
    public func auditEntries(after: Int64 = 0, limit: Int = 100) throws -> [AuditEntry] {
        try auditEntries(AuditFilter(cursor: after), limit: limit)
    }

    /// Entries matching `filter`, in its order, at most `limit`. A person matches by subject or
    /// by the `person` named in the details (drafts, documents, cases).
    public func auditEntries(_ filter: AuditFilter, limit: Int) throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let person = filter.person {
            conditions.append("(subject = ? OR json_extract(details, '$.person') = ?)")
            _ = arguments.append(contentsOf: ["person:\(person)", String(person)])
        }
        if let user = filter.user {
            conditions.append("actor = ?")
            _ = arguments.append(contentsOf: [user])
        }
        if let action = filter.action {
            if action.hasSuffix(".") {
                conditions.append("substr(action, 1, ?) = ?")
                _ = arguments.append(contentsOf: [action.count, action])
            } else {
                conditions.append("action = ?")
                _ = arguments.append(contentsOf: [action])
            }
        }
        if let from = filter.from {
            conditions.append("at >= ?")
            _ = arguments.append(contentsOf: [from])
        }
        if let until = filter.until {
            conditions.append("at < ?")
            _ = arguments.append(contentsOf: [until])
        }
        if let cursor = filter.cursor {
            conditions.append(filter.newestFirst ? "seq < ?" : "seq > ?")
            _ = arguments.append(contentsOf: [cursor])
        }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        _ = arguments.append(contentsOf: [limit])
        return try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM audit_entry \(condition) ORDER BY seq \(filter.newestFirst ? "DESC" : "") LIMIT ?",
                arguments: arguments
            ).map(AuditLog.entry)
        }
    }
}

extension DossierStore {
    /// Records an event that changes nothing in the database but must be on the record (a key
    /// generated, an identity number revealed …), as its own audit entry.
    public func recordEvent(actor: String, action: String, subject: String, details: [String: String]) throws {
        try transaction { db in
            try Users.require(db, actor)
            try AuditLog.append(db, actor: actor, action: action, subject: subject, details: details)
        }
    }
}
