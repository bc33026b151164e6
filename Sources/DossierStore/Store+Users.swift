public import DossierCore
internal import GRDB

extension DossierStore {
    /// Adds a user. `actor` nil only for the very first user, created by `init`.
    /// `passwordHash`, when given, is stored with the user in the same transaction.
    public func addUser(_ user: User, actor: String?, passwordHash: String? = nil) throws {
        try transaction { db in
            if let actor {
                try Users.require(db, actor)
            } else if try Int.fetchOne(db, sql: "SELECT count(*) FROM app_user") != 0 {
                // Only the very first user (created by `init`) is added without an acting user.
                throw StoreError(.invalid("A user can only be added by an existing user."))
            }
            if try Users.find(db, user.name) != nil { throw StoreError(.duplicateUser(user.name)) }
            try db.execute(
                sql: "INSERT INTO app_user(name, role, display_name, created_at) VALUES (?, ?, ?, ?)",
                arguments: [user.name, user.role.rawValue, user.displayName, Timestamp.now()]
            )
            if let passwordHash {
                try db.execute(
                    sql: "INSERT INTO user_credential(user_name, password_hash, changed_at) VALUES (?, ?, ?)",
                    arguments: [user.name, passwordHash, Timestamp.now()]
                )
            }
            try AuditLog.append(
                db,
                actor: actor ?? user.name,
                action: "user.add",
                subject: "user:\(user.name)",
                details: ["role": user.role.rawValue]
            )
        }
    }

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
    static func readableOrganizations(_ db: Database, _ user: User) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        let grants = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT org_id FROM user_grant WHERE user_name = ?"),
            arguments: [user.name]
        ).map { $0["org_id"] as Int64? }
        if grants.isEmpty || grants.contains(where: { $0 == nil }) { return nil }
        return try below(db, grants.compactMap { $0 })
    }

    /// The organisations where `user` may act in `role` (nil: the whole node): their main role
    /// with no grants at all means the whole node; otherwise every organisation under a grant of
    /// that role.
    static func actableOrganizations(_ db: Database, _ user: User, as role: Role) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        let grants = try Row.fetchAll(
            db,
            sql: "SELECT org_id FROM user_grant WHERE user_name = ? AND role = ?",
            arguments: [user.name, role.rawValue]
        ).map { $0["org_id"] as Int64? }
        if grants.isEmpty {
            let scoped =
                try Int.fetchOne(db, sql: "SELECT count(*) FROM user_grant WHERE user_name = ?", arguments: [user.name])
                != 0
            return user.role == role && !scoped ? nil : []
        }
        if grants.contains(where: { $0 == nil }) { return nil }
        return try below(db, grants.compactMap { $0 })
    }

    /// The organisations `roots` with every organisation under them.
    private static func below(_ db: Database, _ roots: [Int64]) throws -> Set<Int64> {
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
        User(name: row["name"], role: Role(rawValue: row["role"]) ?? .viewer, displayName: row["display_name"])
    }
}

extension DossierStore {
    /// Limits a user's role to an organisation and everything under it (nil: the whole node).
    public func grant(user: String, role: Role, org: CreditCode?, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            try Users.require(db, user)
            var orgID: Int64?
            if let org {
                guard let id = try Organizations.id(db, org) else { throw StoreError(.unknownOrganization(org)) }
                orgID = id
            }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO user_grant(user_name, role, org_id, granted_by, granted_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [user, role.rawValue, orgID, actor, Timestamp.now()]
            )
            try AuditLog.append(
                db,
                actor: actor,
                action: "user.grant",
                subject: "user:\(user)",
                details: ["role": role.rawValue, "org": org?.value ?? "*"]
            )
        }
    }

    /// Removes a grant.
    public func revoke(user: String, role: Role, org: CreditCode?, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            let orgID = try org.map { code -> Int64 in
                guard let id = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
                return id
            }
            try db.execute(
                sql: "DELETE FROM user_grant WHERE user_name = ? AND role = ? AND org_id IS ?",
                arguments: [user, role.rawValue, orgID]
            )
            guard db.changesCount > 0 else { throw StoreError(.invalid("User '\(user)' holds no such grant.")) }
            try AuditLog.append(
                db,
                actor: actor,
                action: "user.revoke",
                subject: "user:\(user)",
                details: ["role": role.rawValue, "org": org?.value ?? "*"]
            )
        }
    }

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

    /// Whether `user` may act in `role` on `org`: their main role with no grants means the whole
    /// node; otherwise a grant of that role on the organisation or one above it.
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
    /// nil means the whole node (administrators, and users who hold no scoped grant).
    public func readableOrganizations(of user: User) throws -> Set<Int64>? {
        if user.role == .admin { return nil }
        return try read { db in try Users.readableOrganizations(db, user) }
    }

    /// A signed-in user and the organisations they may read in, found in one read: what a
    /// request through the HTTP front acts as (`Dossier.acting(as:)`). Served from the principal
    /// cache when fresh (see `PrincipalCache`).
    public func principal(named name: String) throws -> (user: User, readable: Set<Int64>?)? {
        try principals.principal(.user(name: name)) {
            try read { db in
                guard let user = try Users.find(db, name) else { return nil }
                return (user, try Users.readableOrganizations(db, user))
            }
        }
    }
}
