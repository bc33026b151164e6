public import DossierCore
public import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
    /// A user with their password hash, when they have one (never for a disabled user), and
    /// their session epoch, read in the same snapshot: a session started from this check carries
    /// the epoch of the very password it checked, so a change committed while the (slow) check
    /// runs ends that session too.
    public func credential(of name: String) throws -> (user: User, passwordHash: String?, epoch: Int64)? {
        try read { db in
            guard let (user, epoch) = try Users.findWithEpoch(db, name) else { return nil }
            if user.disabled { return (user, nil, epoch) }
            let hash = try String.fetchOne(
                db,
                sql: "SELECT password_hash FROM user_credential WHERE user_name = ?",
                arguments: [name]
            )
            return (user, hash, epoch)
        }
    }

    /// The user a live (not revoked) token belongs to, with the organisations they may read in.
    /// Served from the principal cache when fresh (see `PrincipalCache`).
    public func principal(forTokenSHA256 digest: String) throws -> StoredPrincipal? {
        try principals.principal(.token(sha256: digest)) {
            try read { db in
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT u.* FROM api_token t JOIN app_user u ON u.name = t.user_name
                            WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL
                            """
                    ),
                    arguments: [digest]
                )
                guard let row else { return nil }
                let user = Users.user(row)
                return (user, try Users.readableOrganizations(db, user), Users.sessionEpoch(row))
            }
        }
    }

    /// A user's tokens (no secrets).
    public func tokens(of user: String) throws -> [APIToken] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM api_token WHERE user_name = ? ORDER BY id",
                arguments: [user]
            ).map {
                APIToken(
                    id: $0["id"],
                    user: $0["user_name"],
                    label: $0["label"],
                    createdAt: $0["created_at"],
                    revokedAt: $0["revoked_at"]
                )
            }
        }
    }

}

extension StoreTransaction {
    /// Sets a user's password hash (bcrypt, made by the service), replacing the old one; their
    /// page sessions end and their API tokens are revoked, by `actor`.
    public func setPasswordHash(_ hash: String, for user: String, by actor: String) throws {
        try Users.require(db, user)
        try db.execute(
            sql: """
                INSERT INTO user_credential(user_name, password_hash, changed_at) VALUES (?, ?, ?)
                ON CONFLICT(user_name) DO UPDATE SET password_hash = excluded.password_hash,
                                                     changed_at = excluded.changed_at
                """,
            arguments: [user, hash, recordedAt]
        )
        try Users.endAccess(db, user, actor: actor)
    }

    /// Removes a user's password (sessions and tokens end too); false when they had none.
    public func removePassword(of user: String, by actor: String) throws -> Bool {
        try Users.require(db, user)
        try db.execute(sql: "DELETE FROM user_credential WHERE user_name = ?", arguments: [user])
        guard db.changesCount == 1 else { return false }
        try Users.endAccess(db, user, actor: actor)
        return true
    }

    /// Stores a new API token for `user` by the SHA-256 of its secret; returns its id.
    public func insertToken(user: String, secretSHA256: String, label: String, by actor: String) throws -> Int64 {
        try Users.require(db, user)
        try db.execute(
            sql: "INSERT INTO api_token(user_name, token_hash, label, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
            arguments: [user, secretSHA256, label, recordedAt, actor]
        )
        return db.lastInsertedRowID
    }

    /// Revokes a live token; false when there is no live token of that id. It stops working at
    /// once in this process (see `PrincipalCache` for others).
    public func revokeToken(_ id: Int64, by actor: String) throws -> Bool {
        try db.execute(
            sql: "UPDATE api_token SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
            arguments: [recordedAt, actor, id]
        )
        return db.changesCount == 1
    }
}
