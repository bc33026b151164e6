public import DossierCore
public import DossierStorage

extension Dossier {
    /// Walks the audit chain and reports the first entry that does not match, then checks every
    /// signed checkpoint against the chain and the node's keys (a chain rewritten end to end
    /// walks cleanly; its checkpoints then fail).
    public func verifyAudit() async throws -> AuditVerification {
        try require(.readAudit)
        let walked = try await mapErrors { try await store.verifyAudit() }
        return try await checkCheckpoints(walked)
    }

    /// The last audit entry (its sequence number and hash are the head to hold outside).
    public func auditHead() async throws -> AuditEntry? {
        try require(.readAudit)
        return try await mapErrors { try await store.auditHead() }
    }

    /// Audit entries after `after`, oldest first.
    public func auditLog(after: Int64 = 0, limit: Int = 100) async throws -> [AuditEntry] {
        try require(.readAudit)
        return try await mapErrors { try await store.auditEntries(after: after, limit: limit) }
    }

    /// Audit entries about a person, by a user, of an action (`action.` for a family), on days
    /// `from` to `to` (both included, in the node's time zone), newest or oldest first.
    public func auditLog(
        person: Int64? = nil,
        user: String? = nil,
        action: String? = nil,
        from: CivilDate? = nil,
        to: CivilDate? = nil,
        newestFirst: Bool = false,
        cursor: Int64? = nil,
        limit: Int = 100
    ) async throws -> [AuditEntry] {
        try require(.readAudit)
        if let from, let to, to < from {
            throw ServiceError(
                .invalid,
                "The last day (\(to)) is before the first (\(from)).",
                zh: "结束日期（\(to)）早于开始日期（\(from)）。"
            )
        }
        let filter = AuditFilter(
            person: person,
            user: user.flatMap { $0.isEmpty ? nil : $0 },
            action: action.flatMap { $0.isEmpty ? nil : $0 },
            from: from.map { AuditText.startOfDay($0) },
            until: to.map { AuditText.startOfDay($0.adding(days: 1)) },
            newestFirst: newestFirst,
            cursor: cursor
        )
        return try await mapErrors { try await store.auditEntries(filter, limit: limit) }
    }

    /// Adds a user with a role over `reach` (nil: nowhere yet, until granted; administrators
    /// reach everything without a grant), and with a password when one is given (checked and
    /// hashed first: a refused password adds nobody).
    public func addUser(
        _ user: User,
        reach: Reach?,
        password: String? = nil,
        cost: UInt8 = Dossier.passwordCost
    ) async throws {
        try require(.manageUsers)
        guard
            user.name.utf8.allSatisfy({
                ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 46 || $0 == 95 || $0 == 45
            }),
            (1...64).contains(user.name.utf8.count)
        else {
            throw ServiceError(
                .invalid,
                "A user name has 1 to 64 lower-case letters, digits, '.', '_' or '-'.",
                zh: "用户名应为 1 至 64 个小写字母、数字、“.”、“_”或“-”。"
            )
        }
        let hash = try password.map { try Self.passwordHash($0, cost: cost) }
        try await mapErrors { try await recordUser(user, passwordHash: hash, reach: reach) }
    }

    /// Adds a user once the caller is authorised, with their password and their grant, and the
    /// audit entry, in one transaction (administrators need no grant).
    func recordUser(_ user: User, passwordHash: String?, reach: Reach?) async throws {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            try Self.insert(user, passwordHash: passwordHash, reach: reach, by: author, in: tx)
        }
    }

    /// Adds the node's first user, who acts for themselves (what `init` does; tests do it on an
    /// in-memory store); refused once a user exists.
    public static func addFirstUser(_ user: User, to store: any Storage) async throws {
        try await store.write { tx in
            guard try tx.userCount() == 0 else {
                throw RuleRefusal.refused("A user can only be added by an existing user.", zh: "只有现有用户才能添加用户。")
            }
            try insert(user, passwordHash: nil, reach: nil, by: AuditAuthor(name: user.name, provenBy: nil), in: tx)
        }
    }

    private static func insert(
        _ user: User,
        passwordHash: String?,
        reach: Reach?,
        by author: AuditAuthor,
        in tx: any StorageTransaction
    ) throws {
        let grant = user.role == .admin ? nil : reach
        try tx.insertUser(user, passwordHash: passwordHash, reach: grant, grantedBy: author.name)
        var details = ["role": user.role.rawValue]
        if let grant { details["org"] = grant.org?.value ?? "*" }
        try author.append(to: tx, action: "user.add", subject: "user:\(user.name)", details: details)
    }

    /// Every user.
    public func users() async throws -> [User] {
        try require(.manageUsers)
        return try await mapErrors { try await store.users() }
    }

    /// Switches a user off, or on again (administrators): a user switched off cannot sign in,
    /// their sessions and tokens end at once, and no command acts as them.
    public func setDisabled(_ disabled: Bool, user: String, reason: String) async throws {
        try require(.manageUsers)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        try await mapErrors { try await recordSwitch(disabled, user: user, reason: reason) }
    }

    /// Changes a user's role (administrators); their sessions and tokens end at once.
    public func setRole(_ role: Role, user: String) async throws {
        try require(.manageUsers)
        try await mapErrors { try await recordRole(role, user: user) }
    }

    /// Removes a user's password (administrators), so they can no longer sign in to the pages;
    /// their sessions and tokens end at once.
    public func removePassword(user: String) async throws {
        try require(.manageUsers)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                // An administrator who removed their own password could lock the node's pages out.
                if user == actor.name {
                    throw RuleRefusal.refused(
                        "You cannot remove your own password; set a new one instead.",
                        zh: "不能删除自己的密码；请改设新密码。"
                    )
                }
                guard try tx.removePassword(of: user, by: actor.name) else {
                    throw RuleRefusal.refused("User '\(user)' has no password.", zh: "用户“\(user)”没有密码。")
                }
                try audit(tx, action: "user.password-remove", subject: "user:\(user)")
            }
        }
    }
}
