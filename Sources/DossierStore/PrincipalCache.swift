import DossierCore
import DossierStorage
internal import GRDB
import Synchronization

/// Who a token or a signed-in user name stands for, with the organisations they may read in,
/// remembered for a short while so that a request through the HTTP front does not pay a
/// database read just to learn who is asking.
///
/// Kept true in two ways. Every commit in this process that changes users, their grants, their
/// tokens or the organisation tree empties it at once (a `TransactionObserver` on the writer connection sees
/// them all, whichever method made them). A change made by another process — `dossier user
/// revoke-token` run beside a live server — is seen when the entry expires: `lifetime`
/// bounds how long a revoked token can still be honoured.
final class PrincipalCache: Sendable {
    typealias Principal = StoredPrincipal

    enum Key: Hashable, Sendable {
        case token(sha256: String)
        case user(name: String)
    }

    private struct Entry {
        var principal: Principal
        var expires: ContinuousClock.Instant
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        /// Bumped by every clearing, so a look-up that read the database before a change
        /// committed cannot store what it read afterwards.
        var generation = 0
    }

    /// The tables whose changes can change a principal (a grant on an organisation covers the
    /// organisations below it, so the tree counts too).
    static let tables: Set<String> = ["app_user", "user_grant", "api_token", "organization"]
    /// Entries beyond this are not kept (a flood of distinct tokens cannot grow memory).
    private static let capacity = 4096

    let lifetime: Duration
    private let state = Mutex(State())

    init(lifetime: Duration) {
        self.lifetime = lifetime
    }

    /// The cached principal for `key` if it has not expired, else the one `load` finds (which
    /// is then remembered, unless something changed meanwhile). Unknown or revoked
    /// credentials are never remembered: each asks the database again.
    func principal(_ key: Key, load: () throws -> Principal?) rethrows -> Principal? {
        guard lifetime > .zero else { return try load() }
        let now = ContinuousClock.now
        let (cached, generation) = state.withLock { state -> (Principal?, Int) in
            guard let entry = state.entries[key], entry.expires > now else { return (nil, state.generation) }
            return (entry.principal, state.generation)
        }
        if let cached { return cached }
        guard let loaded = try load() else { return nil }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.entries.count >= Self.capacity { state.entries.removeAll(keepingCapacity: true) }
            state.entries[key] = Entry(principal: loaded, expires: now + lifetime)
        }
        return loaded
    }

    /// Forgets everything (a user, grant or token changed).
    func clear() {
        state.withLock { state in
            state.entries.removeAll(keepingCapacity: true)
            state.generation += 1
        }
    }
}

/// Empties the principal cache when a committed transaction changed users, grants or tokens.
final class PrincipalCacheInvalidator: TransactionObserver, Sendable {
    private let cache: PrincipalCache
    /// Whether the transaction in progress touched one of the cache's tables. Only the writer
    /// connection's queue calls the observer, one transaction at a time.
    private let touched = Mutex(false)

    init(cache: PrincipalCache) {
        self.cache = cache
    }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        PrincipalCache.tables.contains(eventKind.tableName)
    }

    func databaseDidChange(with event: DatabaseEvent) {
        touched.withLock { $0 = true }
    }

    func databaseDidCommit(_ db: Database) {
        let changed = touched.withLock { value in
            defer { value = false }
            return value
        }
        if changed { cache.clear() }
    }

    func databaseDidRollback(_ db: Database) {
        touched.withLock { $0 = false }
    }
}
