public import DossierCore
import Foundation
internal import GRDB

extension DossierStore {
    /// Sets a user's password hash (bcrypt, made by the service). The old one is replaced, and
    /// the user's page sessions and API tokens end with it: whoever held the old password has
    /// nothing left.
    public func setPasswordHash(_ hash: String, for user: String, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            try Users.require(db, user)
            try db.execute(
                sql: """
                    INSERT INTO user_credential(user_name, password_hash, changed_at) VALUES (?, ?, ?)
                    ON CONFLICT(user_name) DO UPDATE SET password_hash = excluded.password_hash,
                                                         changed_at = excluded.changed_at
                    """,
                arguments: [user, hash, Timestamp.now()]
            )
            try Users.endAccess(db, user, actor: actor)
            try AuditLog.append(db, actor: actor, action: "user.password", subject: "user:\(user)", details: [:])
        }
    }

    /// Removes a user's password: they can no longer sign in to the pages (tokens and sessions
    /// end too).
    public func removePassword(of user: String, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            try Users.require(db, user)
            // An administrator who removed their own password could lock the node's pages out.
            if user == actor {
                throw StoreError(.invalid("You cannot remove your own password; set a new one instead."))
            }
            try db.execute(sql: "DELETE FROM user_credential WHERE user_name = ?", arguments: [user])
            guard db.changesCount == 1 else { throw StoreError(.invalid("User '\(user)' has no password.")) }
            try Users.endAccess(db, user, actor: actor)
            try AuditLog.append(
                db,
                actor: actor,
                action: "user.password-remove",
                subject: "user:\(user)",
                details: [:]
            )
        }
    }

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

    /// Stores a new API token for `user` by the SHA-256 of its secret; returns its id.
    public func addToken(user: String, secretSHA256: String, label: String, actor: String) throws -> Int64 {
        try transaction { db in
            try Users.require(db, actor)
            try Users.require(db, user)
            try db.execute(
                sql: """
                    INSERT INTO api_token(user_name, token_hash, label, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [user, secretSHA256, label, Timestamp.now(), actor]
            )
            let id = db.lastInsertedRowID
            try AuditLog.append(
                db,
                actor: actor,
                action: "user.token",
                subject: "user:\(user)",
                details: ["token": String(id), "label": label]
            )
            return id
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

    /// Revokes a token; it stops working at once in this process (see `PrincipalCache` for others).
    public func revokeToken(_ id: Int64, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            try db.execute(
                sql: "UPDATE api_token SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [Timestamp.now(), actor, id]
            )
            guard db.changesCount == 1 else { throw StoreError(.invalid("There is no live token \(id).")) }
            try AuditLog.append(db, actor: actor, action: "user.token-revoke", subject: "token:\(id)", details: [:])
        }
    }

    /// Records a sign-in event (login, failure, lock, logout) about the user named `user`.
    /// Only a signed-in user is the actor of their own events (login, logout); a failed attempt
    /// and the lock-out it causes are the anonymous client's doing, so their actor is
    /// `client:ADDRESS` and the user is only their subject. A name that is not a user is not
    /// recorded: it may be a password typed in the wrong field.
    public func recordSignIn(action: String, user: String?, byUser: Bool, client: String?) throws {
        try transaction { db in
            let known = try user.flatMap { try Users.find(db, $0) }?.name
            let anonymous = "client:\(client ?? "-")"
            try AuditLog.append(
                db,
                actor: byUser ? known ?? anonymous : anonymous,
                action: action,
                subject: "user:\(known ?? "(unknown)")",
                details: ["client": client ?? "-"]
            )
        }
    }
}
