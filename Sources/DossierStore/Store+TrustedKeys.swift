public import DossierCore
import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
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

    /// The node's own earlier signing keys revoked here: when each was revoked, by key id.
    public func ownKeyRevocations() throws -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key_id, revoked_at FROM own_key_revocation") {
                result[row[0]] = row[1]
            }
            return result
        }
    }
}

extension StoreTransaction {
    /// Adds another agency's public key to the trust store; refused when the key is there already.
    public func insertTrustedKey(_ key: TrustedKey, by actor: String) throws {
        if try String.fetchOne(db, sql: "SELECT key_id FROM trusted_key WHERE key_id = ?", arguments: [key.keyID])
            != nil
        {
            throw StoreError(.invalid("Key \(key.keyID) is already in the trust store.", zh: "密钥 \(key.keyID) 已在信任库中。"))
        }
        try db.execute(
            sql: """
                INSERT INTO trusted_key(key_id, agency_code, algorithm, public_pem, certificate_pem, subject,
                                        valid_from, valid_until, added_at, added_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                key.keyID, key.agencyCode, key.algorithm, key.publicPEM, key.certificatePEM, key.subject,
                key.validFrom.description, key.validUntil?.description, recordedAt, actor,
            ]
        )
    }

    /// Whether the trust store holds this key, and if so whether it is revoked.
    public func trustedKeyRevoked(_ keyID: String) throws -> Bool? {
        try Row.fetchOne(db, sql: "SELECT revoked_at FROM trusted_key WHERE key_id = ?", arguments: [keyID]).map {
            ($0["revoked_at"] as String?) != nil
        }
    }

    /// Revokes a trusted key: packages it signed are no longer accepted.
    public func revokeTrustedKey(_ keyID: String, reason: String, by actor: String) throws {
        try db.execute(
            sql: "UPDATE trusted_key SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE key_id = ?",
            arguments: [recordedAt, actor, reason, keyID]
        )
    }

    /// Whether one of the node's own earlier signing keys is revoked here.
    public func ownKeyRevoked(_ keyID: String) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT key_id FROM own_key_revocation WHERE key_id = ?", arguments: [keyID])
            != nil
    }

    /// Revokes one of the node's own earlier signing keys (the table refuses a second revocation
    /// of the same key, and never lets one be withdrawn).
    public func revokeOwnKey(_ keyID: String, reason: String, by actor: String) throws {
        try db.execute(
            sql: "INSERT INTO own_key_revocation(key_id, reason, revoked_by, revoked_at) VALUES (?, ?, ?, ?)",
            arguments: [keyID, reason, actor, recordedAt]
        )
    }
}
