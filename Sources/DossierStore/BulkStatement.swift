internal import GRDB
internal import GRDBSQLite

/// A prepared statement driven through the SQLite C API, for the rows of a bulk load, where
/// GRDB's argument boxing costs more than SQLite's own work. Only for statements GRDB prepared
/// (and caches) on the connection the current transaction runs on.
///
/// Its writes bypass GRDB, so transaction observers do not see them: it must never write a
/// table an observer watches (`PrincipalCache.tables`).
struct BulkStatement {
    /// SQLite copies bound values before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private let handle: OpaquePointer
    private let database: Database
    private var column: Int32 = 0

    init(_ database: Database, sql: String) throws {
        self.database = database
        self.handle = try database.cachedStatement(sql: sql).sqliteStatement
    }

    /// Starts a new row of values.
    mutating func reset() {
        sqlite3_reset(handle)
        column = 0
    }

    mutating func bind(_ value: Int64) {
        column += 1
        sqlite3_bind_int64(handle, column, value)
    }

    mutating func bind(_ value: String?) {
        column += 1
        guard var value else {
            sqlite3_bind_null(handle, column)
            return
        }
        value.withUTF8 { sqlite3_bind_text(handle, column, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    mutating func bind(_ value: [UInt8]?) {
        column += 1
        guard let value else {
            sqlite3_bind_null(handle, column)
            return
        }
        value.withUnsafeBytes { sqlite3_bind_blob(handle, column, $0.baseAddress, Int32($0.count), Self.transient) }
    }

    /// Runs the statement; throws a `DatabaseError` just as GRDB would.
    func run() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let extended = sqlite3_extended_errcode(sqlite3_db_handle(handle))
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message)
        }
    }

    /// The row id of the row just inserted.
    var lastInsertedRowID: Int64 { database.lastInsertedRowID }
}
