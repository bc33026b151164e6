/// Counts failed sign-ins per user name and per client address (LoginPolicy): slows repeated
/// failures, then locks the name or address out for a while. Kept in memory.
actor LoginThrottle {
    enum Verdict: Equatable {
        /// Go ahead, after waiting this long.
        case proceed(after: Duration)
        /// Locked out for about this many seconds more.
        case locked(seconds: Int)
    }

    private struct Record {
        var failures: [ContinuousClock.Instant] = []
        var lockedUntil: ContinuousClock.Instant?
        /// Attempts let through whose password is still being checked.
        var pending = 0

        var isEmpty: Bool { failures.isEmpty && lockedUntil == nil && pending == 0 }
    }

    private let policy: LoginPolicy
    private let clock = ContinuousClock()
    private var records: [String: Record] = [:]

    init(policy: LoginPolicy) { self.policy = policy }

    private static func keys(user: String, client: String?) -> [String] {
        ["user:" + user.lowercased()] + (client.map { ["client:" + $0] } ?? [])
    }

    /// After how many failures a key is slowed down and locked out: a name's own limits, or an
    /// address's higher ones (many people sign in from one office address).
    private func limits(_ key: String) -> (slowAfter: Int, lockAfter: Int) {
        key.hasPrefix("user:")
            ? (policy.slowAfter, policy.lockAfter) : (policy.addressSlowAfter, policy.addressLockAfter)
    }

    /// Most attempts from one address being checked at once (an office behind one address
    /// signs many people in at nine o'clock).
    static let maxPendingPerClient = 16

    /// Whether an attempt for `user` from `client` may go ahead now; one that does is pending
    /// until `failed`, `succeeded` or `abandoned` settles it. For a name, failures and pending
    /// attempts together may not reach the lock-out limit: wrong passwords sent all at once
    /// cannot all be checked before the first is counted. Delays and locks follow failures only.
    func begin(user: String, client: String?) -> Verdict {
        let now = clock.now
        var worstExcess = 0
        let keys = Self.keys(user: user, client: client)
        for key in keys {
            guard var record = records[key] else { continue }
            if let until = record.lockedUntil {
                if until > now { return .locked(seconds: max(1, Int((until - now).components.seconds))) }
                record.lockedUntil = nil
                record.failures = []
            }
            record.failures.removeAll { now - $0 >= policy.window }
            records[key] = record.isEmpty ? nil : record
            worstExcess = max(worstExcess, record.failures.count - limits(key).slowAfter + 1)
        }
        let userRecord = records[keys[0]] ?? Record()
        if userRecord.failures.count + userRecord.pending >= policy.lockAfter {
            return .locked(seconds: 60)
        }
        if keys.count > 1, (records[keys[1]]?.pending ?? 0) >= Self.maxPendingPerClient { return .locked(seconds: 60) }
        for key in keys { records[key, default: Record()].pending += 1 }
        return .proceed(after: worstExcess > 0 ? policy.delay * worstExcess : .zero)
    }

    /// The attempt `begin` let through failed; returns true when it locks the name or address out.
    func failed(user: String, client: String?) -> Bool {
        let now = clock.now
        var locked = false
        for key in Self.keys(user: user, client: client) {
            var record = records[key] ?? Record()
            record.pending = max(0, record.pending - 1)
            record.failures.removeAll { now - $0 >= policy.window }
            record.failures.append(now)
            if record.lockedUntil.map({ $0 <= now }) ?? true, record.failures.count >= limits(key).lockAfter {
                record.lockedUntil = now + policy.lockFor
                record.failures = []
                locked = true
            }
            records[key] = record
        }
        return locked
    }

    /// The attempt `begin` let through succeeded: clears the user's failures (not the
    /// address's: one good password must not let an address go on guessing others).
    func succeeded(user: String, client: String?) {
        settle(user: user, client: client)
        records["user:" + user.lowercased()]?.failures = []
        tidy(Self.keys(user: user, client: client))
    }

    /// The attempt `begin` let through ended without a verdict on the password (the request
    /// was cancelled, or the check itself failed): it no longer counts.
    func abandoned(user: String, client: String?) {
        settle(user: user, client: client)
        tidy(Self.keys(user: user, client: client))
    }

    /// Whether the name itself (not only the address) is locked out now.
    func isLocked(user: String) -> Bool {
        let record = records["user:" + user.lowercased()]
        if let until = record?.lockedUntil, until > clock.now { return true }
        return (record?.failures.count ?? 0) + (record?.pending ?? 0) >= policy.lockAfter
    }

    /// Lifts the name's lock-out and forgets its failures (an administrator unlocked it); the
    /// address's count stays, so an address guessing passwords is still held back.
    func lift(user: String) {
        guard var record = records["user:" + user.lowercased()] else { return }
        record.lockedUntil = nil
        record.failures = []
        records["user:" + user.lowercased()] = record.isEmpty ? nil : record
    }

    /// The names locked out now (lower-cased), for the users page.
    func lockedNames() -> Set<String> {
        let now = clock.now
        return Set(
            records.compactMap { key, record in
                guard key.hasPrefix("user:"), let until = record.lockedUntil, until > now else { return nil }
                return String(key.dropFirst(5))
            }
        )
    }

    private func settle(user: String, client: String?) {
        for key in Self.keys(user: user, client: client) {
            guard var record = records[key] else { continue }
            record.pending = max(0, record.pending - 1)
            records[key] = record
        }
    }

    private func tidy(_ keys: [String]) {
        for key in keys where records[key]?.isEmpty == true { records[key] = nil }
    }
}
