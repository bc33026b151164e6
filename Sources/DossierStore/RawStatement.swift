import DossierCore
import DossierStorage
import Foundation
internal import GRDB
internal import GRDBSQLite

/// A prepared statement driven through the SQLite C API, where GRDB's boxing of arguments and
/// rows costs more than SQLite's own work: the rows of a bulk load, and the one-row read of a
/// person look-up. Only for statements GRDB prepared (and caches) on the connection in use.
///
/// Its writes bypass GRDB, so transaction observers do not see them: it must never write a
/// table an observer watches (`PrincipalCache.tables`).
struct RawStatement {
    /// SQLite copies bound values before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    /// GRDB's statement, kept so its SQLite handle lives as long as this does.
    private let statement: Statement
    private let handle: OpaquePointer
    private let database: Database
    private var column: Int32 = 0

    init(_ database: Database, sql: String) throws {
        self.database = database
        self.statement = try database.cachedStatement(sql: sql)
        self.handle = statement.sqliteStatement
    }

    /// Starts a new row of values (and ends any result being read).
    mutating func reset() {
        sqlite3_reset(handle)
        column = 0
    }

    mutating func bind(_ value: Int64) {
        column += 1
        sqlite3_bind_int64(handle, column, value)
    }

    mutating func bind(_ value: Int64?) {
        guard let value else {
            column += 1
            sqlite3_bind_null(handle, column)
            return
        }
        bind(value as Int64)
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

    /// Steps to the next result row: false when there is none. Call `reset` when done reading,
    /// which also ends the statement's read of the database.
    func nextRow() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let extended = sqlite3_extended_errcode(sqlite3_db_handle(handle))
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(handle)))
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: extended), message: message)
        }
    }

    /// The row id of the row just inserted.
    var lastInsertedRowID: Int64 { database.lastInsertedRowID }
}

extension RawStatement: ColumnReader {
    func int64(_ index: Int) -> Int64? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        return sqlite3_column_int64(handle, column)
    }

    func text(_ index: Int) -> String? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL,
            let bytes = sqlite3_column_text(handle, column)
        else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func blob(_ index: Int) -> [UInt8]? {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        // The pointer first, then its length (SQLite's advice on the order).
        let bytes = sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: count))
    }
}

extension RawStatement {
    /// A column's text as the bytes SQLite holds, without making a `String` (nil for NULL);
    /// valid only inside `body`.
    func withText<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>?) throws -> T) rethrows -> T {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let bytes = sqlite3_column_text(handle, column)
        else { return try body(nil) }
        return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    /// A date column (YYYY-MM-DD) read from its bytes; nil for NULL, an error for anything else.
    func date(_ index: Int, _ what: String) throws -> CivilDate? {
        try withText(index) { bytes in
            guard let bytes else { return nil }
            guard let date = CivilDate(isoUTF8: bytes) else {
                throw StoreError(.invalid("The database holds an impossible \(what) date."))
            }
            return date
        }
    }

    /// An integer column the schema declares NOT NULL (no closure over the statement: this is
    /// read on every row of a long scan).
    func requiredInt64(_ index: Int, _ what: String) throws -> Int64 {
        let column = Int32(index)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else {
            throw StoreError(.invalid("The database holds a record without its \(what)."))
        }
        return sqlite3_column_int64(handle, column)
    }

    /// A date column the schema declares NOT NULL.
    func requiredDate(_ index: Int, _ what: String) throws -> CivilDate {
        guard let date = try date(index, what) else {
            throw StoreError(.invalid("The database holds a record without its \(what) date."))
        }
        return date
    }

    /// A code column decoded through `cache`, from its bytes.
    func code<T: CodedValue>(_ index: Int, _ cache: inout CodeCache<T>, _ what: String) throws -> T {
        try withText(index) { bytes in
            guard let bytes else { throw StoreError(.invalid("The database holds a record without its \(what).")) }
            return try cache.decode(bytes)
        }
    }
}

/// The columns of a result row, read by position: from a GRDB `Row`, or straight from SQLite
/// (`RawStatement`) on the hot path of a look-up. One decoder reads both.
protocol ColumnReader {
    func int64(_ index: Int) -> Int64?
    func text(_ index: Int) -> String?
    func blob(_ index: Int) -> [UInt8]?
}

extension Row: ColumnReader {
    func int64(_ index: Int) -> Int64? { self[index] }
    func text(_ index: Int) -> String? { self[index] }
    func blob(_ index: Int) -> [UInt8]? { (self[index] as Data?).map { Array($0) } }
}

extension ColumnReader {
    /// A value the schema declares NOT NULL; a clear error, not a crash, if the file says otherwise.
    func required<T>(_ read: (Int) -> T?, _ index: Int, _ what: String) throws -> T {
        guard let value = read(index) else {
            throw StoreError(.invalid("The database holds a record without its \(what)."))
        }
        return value
    }
}
