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
    }

    private let policy: LoginPolicy
    private let clock = ContinuousClock()
    private var records: [String: Record] = [:]

    init(policy: LoginPolicy) { self.policy = policy }

    private static func keys(user: String, client: String?) -> [String] {
        ["user:" + user.lowercased()] + (client.map { ["client:" + $0] } ?? [])
    }

    /// Whether an attempt for `user` from `client` may go ahead now. An attempt that goes ahead
    /// counts as a failure at once, until `succeeded` takes it back: attempts sent at the same
    /// moment cannot all pass before the first of them is counted.
    func begin(user: String, client: String?) -> Verdict {
        let now = clock.now
        var worstFailures = 0
        let keys = Self.keys(user: user, client: client)
        for key in keys {
            guard var record = records[key] else { continue }
            if let until = record.lockedUntil {
                if until > now { return .locked(seconds: max(1, Int((until - now).components.seconds))) }
                record = Record()
            }
            record.failures.removeAll { now - $0 >= policy.window }
            records[key] = record.failures.isEmpty ? nil : record
            worstFailures = max(worstFailures, record.failures.count)
        }
        // As many attempts under way, or failed, as would lock: wait for them to be decided.
        if worstFailures >= policy.lockAfter { return .locked(seconds: 60) }
        for key in keys { records[key, default: Record()].failures.append(now) }
        let excess = worstFailures - policy.slowAfter + 1
        return .proceed(after: excess > 0 ? policy.delay * excess : .zero)
    }

    /// The attempt `begin` let through failed (it is already counted); returns true when it
    /// locks the name or address out.
    func failed(user: String, client: String?) -> Bool {
        let now = clock.now
        var locked = false
        for key in Self.keys(user: user, client: client) {
            guard var record = records[key], record.lockedUntil == nil || record.lockedUntil! <= now else { continue }
            if record.failures.count >= policy.lockAfter {
                record.lockedUntil = now + policy.lockFor
                record.failures = []
                locked = true
            }
            records[key] = record
        }
        return locked
    }

    /// The attempt `begin` let through succeeded: clears the user's failures, and takes this
    /// attempt back from the address's (not its other failures: one good password must not let
    /// an address go on guessing others).
    func succeeded(user: String, client: String?) {
        records["user:" + user.lowercased()] = nil
        if let client, var record = records["client:" + client], !record.failures.isEmpty {
            record.failures.removeLast()
            records["client:" + client] = record.failures.isEmpty && record.lockedUntil == nil ? nil : record
        }
    }
}
