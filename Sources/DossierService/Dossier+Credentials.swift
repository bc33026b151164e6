public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import HummingbirdBcrypt

/// How a sign-in attempt ended, for the audit log.
public enum SignInEvent: String, Sendable {
    case login = "auth.login"
    case failure = "auth.failure"
    case locked = "auth.locked"
    case logout = "auth.logout"
}

extension Dossier {
    /// The bcrypt cost for new password hashes (2^12 rounds, about a quarter second here).
    public static let passwordCost: UInt8 = 12
    /// The shortest password accepted.
    public static let minimumPasswordLength = 10

    /// Sets a user's password: administrators for anyone, everyone for themselves. Hashing is
    /// slow on purpose; servers call this off their request threads.
    public func setPassword(user: String, password: String, cost: UInt8 = Dossier.passwordCost) async throws {
        if user != actor.name { try require(.manageUsers) }
        let hash = try Self.passwordHash(password, cost: cost)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                // Whoever held the old password has nothing left: sessions and tokens end with it.
                try tx.setPasswordHash(hash, for: user, by: actor.name)
                try audit(tx, action: "user.password", subject: "user:\(user)")
            }
        }
    }

    /// Checks a new password against the rules and hashes it (slow on purpose).
    static func passwordHash(_ password: String, cost: UInt8) throws -> String {
        guard password.count >= Self.minimumPasswordLength else {
            throw ServiceError(
                .invalid,
                "A password needs at least \(Self.minimumPasswordLength) characters.",
                zh: "密码至少应有 \(Self.minimumPasswordLength) 个字符。"
            )
        }
        guard password.utf8.count <= 72 else {
            // bcrypt reads only the first 72 bytes: a longer password would be silently cut.
            throw ServiceError(
                .invalid,
                "A password may have at most 72 bytes (about 24 Chinese characters).",
                zh: "密码最多 72 个字节（约 24 个汉字）。"
            )
        }
        return Bcrypt.hash(password, cost: cost)
    }

    /// The user these credentials belong to, or nil. Takes the same time whether or not the
    /// user exists or has a password, so the answer's speed does not tell which. A disabled user
    /// has no password to check.
    public func authenticate(user name: String, password: String) async throws -> User? {
        try await signInCheck(user: name, password: password)?.user
    }

    /// `authenticate`, with the session epoch read together with the password hash that matched:
    /// what a page session must be started under (see `DossierStore.credential(of:)`).
    public func signInCheck(user name: String, password: String) async throws -> (user: User, epoch: Int64)? {
        let found = try await mapErrors { try await store.credential(of: name) }
        guard let found, let hash = found.passwordHash else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        return Bcrypt.verify(password, hash: hash) ? (found.user, found.epoch) : nil
    }

    /// A valid hash of a random password, checked against when there is no real one.
    static let decoyHash = Bcrypt.hash(Hex.encode(SecureRandom.bytes(16)), cost: passwordCost)

    /// Issues an API token for `user` (administrators for anyone, everyone for themselves). The
    /// returned secret is shown once; only its SHA-256 is stored.
    public func issueToken(user: String, label: String) async throws -> (id: Int64, secret: String) {
        if user != actor.name { try require(.manageUsers) }
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(label.count) else {
            throw ServiceError(
                .invalid,
                "A token needs a label of 1 to 100 characters saying what it is for.",
                zh: "令牌须有 1 至 100 个字符的标签，说明其用途。"
            )
        }
        let secret = "dsr_" + Hex.encode(SecureRandom.bytes(32))
        let id = try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                let id = try tx.insertToken(
                    user: user,
                    secretSHA256: Self.tokenDigest(secret),
                    label: label,
                    by: actor.name
                )
                try audit(
                    tx,
                    action: "user.token",
                    subject: "user:\(user)",
                    details: ["token": String(id), "label": label]
                )
                return id
            }
        }
        return (id, secret)
    }

    /// Who a live token belongs to (with their read scope), or nil.
    public func principal(forToken secret: String) async throws -> Principal? {
        try await Self.tokenOwner(secret, in: store).map { Principal($0, provenBy: .token) }
    }

    /// The user a token's secret stands for, with their read scope; nil for a secret that is not
    /// one of ours or not live.
    static func tokenOwner(_ secret: String, in store: any Storage) async throws -> StoredPrincipal? {
        guard secret.hasPrefix("dsr_"), secret.utf8.count == 68 else { return nil }
        return try await mapErrors { try await store.principal(forTokenSHA256: tokenDigest(secret)) }
    }

    /// A user's tokens, without secrets.
    public func tokens(of user: String) async throws -> [APIToken] {
        if user != actor.name { try require(.manageUsers) }
        return try await mapErrors { try await store.tokens(of: user) }
    }

    /// Revokes a token (administrators any, users their own).
    public func revokeToken(_ id: Int64) async throws {
        let own = try await mapErrors { try await store.tokens(of: actor.name) }.contains { $0.id == id }
        if !own { try require(.manageUsers) }
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard try tx.revokeToken(id, by: actor.name) else {
                    throw RuleRefusal.refused("There is no live token \(id).", zh: "没有编号为 \(id) 的有效令牌。")
                }
                try audit(tx, action: "user.token-revoke", subject: "token:\(id)")
            }
        }
    }

    /// Records a sign-in event in the audit log (`client`: the address it came from).
    public func recordSignIn(_ event: SignInEvent, user: String?, client: String?) async throws {
        try await Self.recordSignIn(event, user: user, client: client, in: store)
    }

    /// `recordSignIn` on a store no one acts on yet (a command line whose password was wrong).
    static func recordSignIn(_ event: SignInEvent, user: String?, client: String?, in store: any Storage) async throws {
        // Only a signed-in user is the actor of their own events (login, logout); a failed
        // attempt and the lock-out it causes are the anonymous client's doing, so their actor is
        // `client:ADDRESS` and the user is only their subject. A name that is not a user is not
        // recorded: it may be a password typed in the wrong field.
        let byUser = event == .login || event == .logout
        try await mapErrors {
            try await store.write { tx in
                let known = try user.flatMap { try tx.user(named: $0) }?.name
                let anonymous = "client:\(client ?? "-")"
                // An unlock recorded before this lock-out began was for an earlier one: it must
                // not lift this one.
                if event == .locked, let known { _ = try tx.takeSignInUnlock(user: known) }
                try tx.appendAudit(
                    actor: byUser ? known ?? anonymous : anonymous,
                    action: event.rawValue,
                    subject: "user:\(known ?? "(unknown)")",
                    details: ["client": client ?? "-"]
                )
            }
        }
    }

    /// Lifts a sign-in lock-out for `user` (administrators), audited. The lock-out is held in
    /// the memory of the server that counted the failures, and this may run in another process
    /// (`dossier user unlock`): the unlock is recorded in the database, and the server lets the
    /// name in at its next attempt (`takeSignInUnlock`).
    public func unlock(user: String) async throws {
        try require(.manageUsers)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard try tx.user(named: user) != nil else {
                    throw ServiceError(.notFound, "There is no user named '\(user)'.", zh: "没有名为“\(user)”的用户。")
                }
                try tx.recordSignInUnlock(user: user, by: actor.name)
                try audit(tx, action: "user.unlock", subject: "user:\(user)")
            }
        }
    }

    /// For a server refusing `user` as locked out: whether an administrator lifted the lock-out
    /// since it began. Takes the record (it lifts one lock-out, once), and records in the audit
    /// log that the lock-out was lifted at an attempt from `client`. The server's own node
    /// asks, for a name being signed in; it tells the client nothing but whether to go on.
    public func takeSignInUnlock(user: String, client: String?) async throws -> Bool {
        try await mapErrors {
            try await store.write { tx in
                guard let known = try tx.user(named: user)?.name, try tx.takeSignInUnlock(user: known) else {
                    return false
                }
                try tx.appendAudit(
                    actor: "client:\(client ?? "-")",
                    action: "auth.unlocked",
                    subject: "user:\(known)",
                    details: ["client": client ?? "-"]
                )
                return true
            }
        }
    }

    /// Records that the acting user saw people's full identity and phone numbers: who saw
    /// whose, and when (the entry's time).
    func recordReveal(personIDs: [Int64]) async throws {
        guard !personIDs.isEmpty else { return }
        let subject = personIDs.count == 1 ? "person:\(personIDs[0])" : "people:\(personIDs.count)"
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "person.reveal",
                subject: subject,
                details: ["people": personIDs.map(String.init).joined(separator: ",")]
            )
        }
    }

    static func tokenDigest(_ secret: String) -> String { Hex.encode(Digest.sha256(Array(secret.utf8))) }
}

extension Dossier {
    /// The user with this name and their read scope: for fronts finding out who signed in (no
    /// permission needed; it tells nothing beyond the session's own user).
    public func principal(named name: String) async throws -> Principal? {
        try await mapErrors { try await store.principal(named: name) }.map { Principal($0, provenBy: .session) }
    }
}

extension Dossier {
    /// Gives each demo user a random password and writes them to DATA/demo-passwords.txt (mode
    /// 0600); returns the file's path.
    public func writeDemoPasswords(users: [String]) async throws -> String {
        try require(.manageUsers)
        guard let directory = dataDirectory else {
            throw ServiceError(.setup, "This node has no data directory.", zh: "本节点没有数据目录。")
        }
        var lines = ["# Demo users' passwords for the web pages. Keep this file private.", ""]
        for user in users {
            let password = Hex.encode(SecureRandom.bytes(8))
            try await setPassword(user: user, password: password)
            lines.append("\(user)\t\(password)")
        }
        let path = directory.path + "/demo-passwords.txt"
        let data = Data((lines.joined(separator: "\n") + "\n").utf8)
        try? FileManager.default.removeItem(atPath: path)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw ServiceError(.setup, "Cannot write \(path).", zh: "无法写入 \(path)。") }
        return path
    }
}
