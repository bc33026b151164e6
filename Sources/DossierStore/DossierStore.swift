internal import CSQLite
public import DossierCore
public import DossierCrypto
public import DossierStorage
internal import GRDB

/// The SQLite implementation of `Storage`, and the one database object of a process: owns the
/// SQLite connection pool, runs the migrations, and offers named reads and writes. Every write is one IMMEDIATE transaction that also appends
/// to the audit log, so concurrent writers — threads or processes — queue instead of racing.
public final class DossierStore: Sendable {
    let writer: any DatabaseWriter
    let keys: FieldKeys
    /// Waits for connections and write transactions, for monitoring.
    public let statistics = PoolStatistics()

    private static let keyCheckLabel: StaticString = "dossier.key-check"

    /// Who tokens and signed-in names stand for, remembered briefly (see `PrincipalCache`).
    let principals: PrincipalCache

    /// How long the server may honour what it learnt about a token or user before asking the
    /// database again, when the change was made by another process (changes made through this
    /// one take effect at once).
    public static let principalLifetime: Duration = .seconds(2)

    private init(writer: any DatabaseWriter, keys: FieldKeys, principalLifetime: Duration) throws {
        self.writer = writer
        self.keys = keys
        self.principals = PrincipalCache(lifetime: principalLifetime)
        try Migrations.migrator.migrate(writer)
        try checkKeys()
        writer.add(transactionObserver: PrincipalCacheInvalidator(cache: principals), extent: .databaseLifetime)
    }

    /// Opens (and migrates) the database file at `path`, creating it when `create` is true.
    public static func open(
        path: String,
        keys: FieldKeys,
        create: Bool,
        principalLifetime: Duration = principalLifetime
    ) throws -> DossierStore {
        if !create, !FileSystem.exists(path) { throw StoreError(.notInitialised(path)) }
        SQLiteSetup.once
        var configuration = Configuration()
        configuration.label = "dossier"
        configuration.foreignKeysEnabled = true
        // Writers from other processes wait their turn instead of failing at once.
        configuration.busyMode = .timeout(60)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            StoreFunctions.add(to: db)
        }
        let pool = try DatabasePool(path: path, configuration: configuration)
        return try DossierStore(writer: pool, keys: keys, principalLifetime: principalLifetime)
    }

    /// A fresh private in-memory database, for tests.
    public static func inMemory(keys: FieldKeys, principalLifetime: Duration = principalLifetime) throws -> DossierStore
    {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in StoreFunctions.add(to: db) }
        return try DossierStore(
            writer: try DatabaseQueue(configuration: configuration),
            keys: keys,
            principalLifetime: principalLifetime
        )
    }

    /// Makes sure the key file belongs to this database (its first opening records a check value).
    private func checkKeys() throws {
        let cipher = try FieldCipher(keys: keys)
        let check = Hex.encode(try cipher.blindIndex(Array("check".utf8), context: Self.keyCheckLabel))
        try writer.write { db in
            if let stored = try String.fetchOne(db, sql: "SELECT value FROM dossier_meta WHERE key = 'key_check'") {
                guard stored == check else { throw StoreError(.wrongKey) }
            } else {
                try db.execute(sql: "INSERT INTO dossier_meta(key, value) VALUES ('key_check', ?)", arguments: [check])
            }
        }
    }

    /// Runs `body` in one IMMEDIATE write transaction: committed if it returns, rolled back if it throws.
    func transaction<T>(_ body: (Database) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        return try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                statistics.write(waited: .now - asked)
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs `body` in a transaction that is always rolled back (dry runs).
    func rehearsal<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .rollback
            }
            return result!
        }
    }

    /// Runs `body` against a consistent snapshot.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        return try writer.read { db in
            statistics.read(waited: .now - asked)
            return try body(db)
        }
    }

    /// Runs `body`, which issues exactly one SQL statement, without opening a transaction around
    /// it: SQLite reads one statement from one consistent snapshot by itself, and the
    /// BEGIN/COMMIT pair costs a third of a small read (a person look-up). Anything that reads
    /// twice goes through `read`. Never call it inside a write: there it would see the write's
    /// uncommitted rows.
    func readOneStatement<T>(_ body: (Database) throws -> T) throws -> T {
        let asked = ContinuousClock.now
        return try writer.unsafeReentrantRead { db in
            statistics.read(waited: .now - asked)
            return try body(db)
        }
    }

    /// Adds the rank codes `code_rank` lacks, so the foreign keys of placements, actions and
    /// drafts accept every rank of the node's ladder. A read first: opening a node whose ladder
    /// is unchanged writes nothing.
    public func registerRanks(_ steps: [RankLadder.Step]) throws {
        let known = Set(try read { db in try String.fetchAll(db, sql: "SELECT code FROM code_rank") })
        let missing = steps.filter { !known.contains($0.rank.code) }
        guard !missing.isEmpty else { return }
        try writer.write { db in
            for step in missing {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO code_rank(code, name) VALUES (?, ?)",
                    arguments: [step.rank.code, step.name]
                )
            }
        }
    }

    /// Seals identity and phone numbers with this node's field key.
    public func personSealer() throws -> PersonSealer {
        try PersonSealer(keys: keys)
    }

    /// How long reads and writes waited for a connection, since the store was opened.
    public var waits: StorageWaits { statistics.snapshot }
}

extension DossierStore: Storage {}

/// The SQLite backend: one database file, `dossier.sqlite`, in the node's data directory.
public struct SQLiteBackend: StorageBackend {
    /// The database file's name in a data directory.
    public static let fileName = "dossier.sqlite"

    public init() {}

    public func exists(in directory: String) -> Bool {
        FileSystem.exists(directory + "/" + Self.fileName)
    }

    /// A snapshot is a whole database file, restored as the database itself.
    public var snapshotFileName: String { Self.fileName }

    public func open(in directory: String, keys: FieldKeys, create: Bool) throws -> any Storage {
        try DossierStore.open(path: directory + "/" + Self.fileName, keys: keys, create: create)
    }
}

/// Process-wide SQLite settings, applied before the first connection opens.
enum SQLiteSetup {
    /// SQLite's memory statistics take a global lock on every allocation; Dossier never reads
    /// them. (Only possible before SQLite initialises; later calls are harmless no-ops.)
    static let once: Void = {
        _ = CSQLite_disable_memory_statistics()
    }()
}

/// Tiny file-system helpers the store needs without pulling in Foundation's FileManager.
enum FileSystem {
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

#if canImport(Glibc)
import Glibc
#endif
