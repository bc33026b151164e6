public import DossierCore
import Foundation
internal import GRDB

extension DossierStore {
    /// Adds another agency's public key to the trust store.
    public func trust(_ key: TrustedKey, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            if try String.fetchOne(db, sql: "SELECT key_id FROM trusted_key WHERE key_id = ?", arguments: [key.keyID])
                != nil
            {
                throw StoreError(.invalid("Key \(key.keyID) is already in the trust store."))
            }
            try db.execute(
                sql: """
                    INSERT INTO trusted_key(key_id, agency_code, algorithm, public_pem, certificate_pem, subject,
                                            valid_from, valid_until, added_at, added_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    key.keyID, key.agencyCode, key.algorithm, key.publicPEM, key.certificatePEM, key.subject,
                    key.validFrom.description, key.validUntil?.description, Timestamp.now(), actor,
                ]
            )
            try AuditLog.append(
                db,
                actor: actor,
                action: "keys.trust",
                subject: "key:\(key.keyID)",
                details: [
                    "agency": key.agencyCode, "algorithm": key.algorithm, "valid_from": key.validFrom.description,
                    "valid_until": key.validUntil?.description ?? "",
                    "kind": key.certificatePEM == nil ? "key" : "root certificate",
                ]
            )
        }
    }

    /// Revokes a trusted key: packages it signed are no longer accepted.
    public func revokeTrustedKey(_ keyID: String, reason: String, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            guard
                let revoked = try Row.fetchOne(
                    db,
                    sql: "SELECT revoked_at FROM trusted_key WHERE key_id = ?",
                    arguments: [keyID]
                )
            else { throw StoreError(.invalid("Key \(keyID) is not in the trust store.")) }
            guard (revoked["revoked_at"] as String?) == nil else {
                throw StoreError(.invalid("Key \(keyID) is already revoked."))
            }
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw StoreError(.invalid("Revoking a key needs a reason."))
            }
            try db.execute(
                sql: "UPDATE trusted_key SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE key_id = ?",
                arguments: [Timestamp.now(), actor, reason, keyID]
            )
            try AuditLog.append(db, actor: actor, action: "keys.revoke", subject: "key:\(keyID)", details: [:])
        }
    }

    /// The trust store.
    public func trustedKeys() throws -> [TrustedKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trusted_key ORDER BY agency_code, valid_from").map { row in
                let until: String? = row["valid_until"]
                return TrustedKey(
                    keyID: row["key_id"],
                    agencyCode: row["agency_code"],
                    algorithm: row["algorithm"],
                    publicPEM: row["public_pem"],
                    certificatePEM: row["certificate_pem"],
                    subject: row["subject"],
                    validFrom: try Decode.date(row["valid_from"]),
                    validUntil: try until.map(Decode.date),
                    revokedAt: row["revoked_at"],
                    revokeReason: row["revoke_reason"]
                )
            }
        }
    }
}
