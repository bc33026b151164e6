public import DossierCore
public import DossierStorage
internal import GRDB

extension DossierStore {
    /// The user with this name, if any.
    public func user(_ name: String) throws -> User? {
        try read { db in try Users.find(db, name) }
    }

    /// Every user, by name.
    public func users() throws -> [User] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM app_user ORDER BY name").map(Users.user)
        }
    }
}

enum Users {
    /// The organisations `user` may read in (nil: the whole node): everything under any of their
    /// grants, whatever its role. A user with no grant reads nothing.
    static func readableOrganizations(_ db: Database, _ user: User) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        let grants = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT org_id FROM user_grant WHERE user_name = ?"),
            arguments: [user.name]
        ).map { $0["org_id"] as Int64? }
        if grants.contains(where: { $0 == nil }) { return nil }
        return try below(db, grants.compactMap { $0 })
    }

    /// The organisations where `user` may act in `role` (nil: the whole node): every
    /// organisation under a grant of that role. Node-wide reach is a grant too (no
    /// organisation); a user with no grant of the role acts nowhere.
    static func actableOrganizations(_ db: Database, _ user: User, as role: Role) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        let grants = try Row.fetchAll(
            db,
            sql: "SELECT org_id FROM user_grant WHERE user_name = ? AND role = ?",
            arguments: [user.name, role.rawValue]
        ).map { $0["org_id"] as Int64? }
        if grants.contains(where: { $0 == nil }) { return nil }
        return try below(db, grants.compactMap { $0 })
    }

    /// The organisations `roots` with every organisation under them.
    private static func below(_ db: Database, _ roots: [Int64]) throws -> Set<Int64> {
        if roots.isEmpty { return [] }
        // Organisation ids are integers from the database: safe to list inline.
        let list = roots.map(String.init).joined(separator: ",")
        return Set(
            try Int64.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE down(id) AS (
                        SELECT id FROM organization WHERE id IN (\(list))
                        UNION SELECT o.id FROM organization o JOIN down ON o.parent_id = down.id
                    ) SELECT id FROM down
                    """
            )
        )
    }

    static func find(_ db: Database, _ name: String) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM app_user WHERE name = ?"), arguments: [name]).map(user)
    }

    static func require(_ db: Database, _ name: String) throws {
        guard try find(db, name) != nil else { throw StoreError(.unknownUser(name)) }
    }

    static func user(_ row: Row) -> User {
        User(
            name: row["name"],
            role: Role(rawValue: row["role"]) ?? .viewer,
            displayName: row["display_name"],
            disabled: (row["disabled_at"] as String?) != nil
        )
    }

    /// The epoch a page session of the row's user must have been started under to stay valid.
    static func sessionEpoch(_ row: Row) -> Int64 { row["session_epoch"] }

    /// The user named `name` with their session epoch, from one read of their row.
    static func findWithEpoch(_ db: Database, _ name: String) throws -> (user: User, epoch: Int64)? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM app_user WHERE name = ?"), arguments: [name]).map {
            (user($0), sessionEpoch($0))
        }
    }

    /// Ends everything `name` is signed in with: page sessions started before now (by raising
    /// the epoch they were started under) and every live API token. Part of the caller's
    /// transaction, so the change and its consequences commit together.
    static func endAccess(_ db: Database, _ name: String, actor: String) throws {
        try db.execute(sql: "UPDATE app_user SET session_epoch = session_epoch + 1 WHERE name = ?", arguments: [name])
        try db.execute(
            sql: "UPDATE api_token SET revoked_at = ?, revoked_by = ? WHERE user_name = ? AND revoked_at IS NULL",
            arguments: [Timestamp.now(), actor, name]
        )
    }
}

extension DossierStore {
    /// A user's grants, as (role, organisation code or nil for the whole node).
    public func grants(of user: String) throws -> [(role: Role, org: CreditCode?)] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.role, o.code FROM user_grant g LEFT JOIN organization o ON o.id = g.org_id
                    WHERE g.user_name = ? ORDER BY g.role, o.code
                    """,
                arguments: [user]
            ).map { row in
                let code: String? = row["code"]
                return (Role(rawValue: row["role"]) ?? .viewer, try code.map { try CreditCode($0) })
            }
        }
    }

    /// Whether `user` may act in `role` on `org`: a grant of that role on the organisation, one
    /// above it, or the whole node.
    public func mayAct(user: User, as role: Role, on org: CreditCode) throws -> Bool {
        if user.role == .admin { return true }
        return try read { db in
            guard let actable = try Users.actableOrganizations(db, user, as: role) else { return true }
            guard let orgID = try Organizations.id(db, org) else { return false }
            return actable.contains(orgID)
        }
    }

    /// The credit codes of the organisations where `user` may act in `role` (nil: the whole
    /// node), for checking many rows against one reading of the grants.
    public func actableOrganizations(of user: User, as role: Role) throws -> Set<CreditCode>? {
        if user.role == .admin { return nil }
        return try read { db in
            guard let ids = try Users.actableOrganizations(db, user, as: role) else { return nil }
            return Set(try Organizations.all(db).filter { ids.contains($0.id) }.map(\.code))
        }
    }

    /// The organisations a user may read in: every organisation under any of their grants.
    /// nil means the whole node (administrators, and users with a node-wide grant); empty, none.
    public func readableOrganizations(of user: User) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        return try read { db in try Users.readableOrganizations(db, user) }
    }

    /// A signed-in user and the organisations they may read in, found in one read: what a
    /// request through the HTTP front acts as (`Dossier.acting(as:)`). Served from the principal
    /// cache when fresh (see `PrincipalCache`).
    public func principal(named name: String) throws -> StoredPrincipal? {
        try principals.principal(.user(name: name)) {
            try read { db in
                guard let (user, epoch) = try Users.findWithEpoch(db, name), !user.disabled else { return nil }
                return (user, try Users.readableOrganizations(db, user), epoch)
            }
        }
    }
}

extension StoreTransaction {
    /// The user with this name, if any.
    public func user(named name: String) throws -> User? {
        try Users.find(db, name)
    }

    /// Grants `role` to a user over an organisation and everything under it (nil: the whole
    /// node). Returns false when they already hold that grant.
    public func insertGrant(user: String, role: Role, org: CreditCode?, by actor: String) throws -> Bool {
        try Users.require(db, user)
        let orgID = try organizationIDOrThrow(org)
        // UNIQUE treats two NULLs as different, so a node-wide grant is looked for first.
        let held = try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM user_grant WHERE user_name = ? AND role = ? AND org_id IS ?)",
            arguments: [user, role.rawValue, orgID]
        )
        if held == true { return false }
        try db.execute(
            sql: "INSERT INTO user_grant(user_name, role, org_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [user, role.rawValue, orgID, actor, recordedAt]
        )
        return true
    }

    /// Removes a grant; returns false when the user held no such grant.
    public func deleteGrant(user: String, role: Role, org: CreditCode?) throws -> Bool {
        let orgID = try organizationIDOrThrow(org)
        try db.execute(
            sql: "DELETE FROM user_grant WHERE user_name = ? AND role = ? AND org_id IS ?",
            arguments: [user, role.rawValue, orgID]
        )
        return db.changesCount > 0
    }

    /// Switches a user off (their page sessions end and their API tokens are revoked, by
    /// `actor`) or on again.
    public func setDisabled(_ disabled: Bool, user: String, by actor: String) throws {
        try db.execute(
            sql: "UPDATE app_user SET disabled_at = ? WHERE name = ?",
            arguments: [disabled ? recordedAt : nil, user]
        )
        if disabled { try Users.endAccess(db, user, actor: actor) }
    }

    /// Changes a user's main role; their page sessions end and their API tokens are revoked.
    public func setRole(_ role: Role, user: String, by actor: String) throws {
        try db.execute(sql: "UPDATE app_user SET role = ? WHERE name = ?", arguments: [role.rawValue, user])
        try Users.endAccess(db, user, actor: actor)
    }

    private func organizationIDOrThrow(_ code: CreditCode?) throws -> Int64? {
        try code.map { code in
            guard let id = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
            return id
        }
    }
}

extension StoreTransaction {
    /// How many users the node has (none only before `init` adds the first).
    public func userCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") ?? 0
    }

    /// Adds a user; with `passwordHash` their password, and with `reach` a grant of their role
    /// over it (given by `grantedBy`). Refused when the name is taken.
    public func insertUser(_ user: User, passwordHash: String?, reach: Reach?, grantedBy: String) throws {
        if try Users.find(db, user.name) != nil { throw StoreError(.duplicateUser(user.name)) }
        try db.execute(
            sql: "INSERT INTO app_user(name, role, display_name, created_at) VALUES (?, ?, ?, ?)",
            arguments: [user.name, user.role.rawValue, user.displayName, recordedAt]
        )
        if let passwordHash {
            try db.execute(
                sql: "INSERT INTO user_credential(user_name, password_hash, changed_at) VALUES (?, ?, ?)",
                arguments: [user.name, passwordHash, recordedAt]
            )
        }
        if let reach {
            try db.execute(
                sql: "INSERT INTO user_grant(user_name, role, org_id, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [user.name, user.role.rawValue, try organizationIDOrThrow(reach.org), grantedBy, recordedAt]
            )
        }
    }
}
