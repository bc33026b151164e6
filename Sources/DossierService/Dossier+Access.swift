import DossierCore
import DossierStorage

/// Who may act where: grants, switching users off and on, roles. Each is one transaction the
/// service opens, with its rules and its audit entry here; callers have checked the permission.
extension Dossier {
    /// Grants `role` over an organisation and everything under it (nil: the whole node).
    /// Granting what the user already holds changes nothing and records nothing.
    func recordGrant(user: String, role: Role, org: CreditCode?) async throws {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            guard try tx.insertGrant(user: user, role: role, org: org, by: actor.name) else { return }
            try audit(
                tx,
                action: "user.grant",
                subject: "user:\(user)",
                details: ["role": role.rawValue, "org": org?.value ?? "*"]
            )
        }
    }

    /// Removes a grant; refused when the user holds no such grant.
    func recordRevocation(user: String, role: Role, org: CreditCode?) async throws {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            guard try tx.deleteGrant(user: user, role: role, org: org) else {
                throw RuleRefusal.refused("User '\(user)' holds no such grant.", zh: "用户“\(user)”没有这项授权。")
            }
            try audit(
                tx,
                action: "user.revoke",
                subject: "user:\(user)",
                details: ["role": role.rawValue, "org": org?.value ?? "*"]
            )
        }
    }

    /// Switches a user off (their sessions and tokens end at once) or on again. Nobody switches
    /// themselves off, so a node always keeps an administrator who can switch others back on.
    func recordSwitch(_ disabled: Bool, user: String, reason: String) async throws {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            guard let target = try tx.user(named: user) else { throw RuleRefusal.unknownUser(user) }
            if disabled, user == actor.name {
                throw RuleRefusal.refused("You cannot switch yourself off.", zh: "不能停用自己的账号。")
            }
            guard target.disabled != disabled else {
                throw RuleRefusal.refused(
                    "User '\(user)' is already \(disabled ? "switched off" : "switched on").",
                    zh: "用户“\(user)”已经\(disabled ? "停用" : "启用")。"
                )
            }
            try tx.setDisabled(disabled, user: user, by: actor.name)
            try audit(
                tx,
                action: disabled ? "user.disable" : "user.enable",
                subject: "user:\(user)",
                details: ["reason": reason]
            )
        }
    }

    /// Changes a user's main role; their sessions and tokens end, so nothing they hold still
    /// carries the old role. Nobody changes their own.
    func recordRole(_ role: Role, user: String) async throws {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            guard let target = try tx.user(named: user) else { throw RuleRefusal.unknownUser(user) }
            guard target.role != role else {
                throw RuleRefusal.refused(
                    "User '\(user)' already has the role \(role.rawValue).",
                    zh: "用户“\(user)”的角色已经是 \(role.rawValue)。"
                )
            }
            if user == actor.name { throw RuleRefusal.refused("You cannot change your own role.", zh: "不能更改自己的角色。") }
            try tx.setRole(role, user: user, by: actor.name)
            try audit(
                tx,
                action: "user.role",
                subject: "user:\(user)",
                details: ["from": target.role.rawValue, "to": role.rawValue]
            )
        }
    }
}
