public import DossierCore
internal import GRDB

extension DossierStore {
    /// Adds a user. `actor` nil only for the very first user, created by `init`.
    public func addUser(_ user: User, actor: String?) throws {
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
    static func find(_ db: Database, _ name: String) throws -> User? {
        try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE name = ?", arguments: [name]).map(user)
    }

    static func require(_ db: Database, _ name: String) throws {
        guard try find(db, name) != nil else { throw StoreError(.unknownUser(name)) }
    }

    static func user(_ row: Row) -> User {
        User(name: row["name"], role: Role(rawValue: row["role"]) ?? .viewer, displayName: row["display_name"])
    }
}
