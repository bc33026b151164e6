public import DossierCore
public import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    /// The feed of this kind already imported from a file with this SHA-256, if any.
    public func importedFeed(kind: FeedKind, sha256: String) throws -> StoredFeed? {
        try Row.fetchOne(
            db,
            sql: "SELECT \(FeedColumns.feed) FROM feed WHERE kind = ? AND sha256 = ?",
            arguments: [kind.rawValue, sha256]
        ).map(FeedColumns.decode)
    }

    /// Records a new feed (its rows follow through the filing returned), imported by `actor`.
    public func feedFiling(
        kind: FeedKind,
        asOf: CivilDate,
        fileName: String,
        sha256: String,
        encoding: String,
        by actor: String
    ) throws -> any FeedFiling {
        try db.execute(
            sql: """
                INSERT INTO feed(kind, as_of, file_name, sha256, row_count, encoding, imported_by, imported_at)
                VALUES (?, ?, ?, ?, 0, ?, ?, ?)
                """,
            arguments: [kind.rawValue, asOf.description, fileName, sha256, encoding, actor, recordedAt]
        )
        return try SQLiteFeedFiling(db, feedID: db.lastInsertedRowID)
    }
}

/// Writes the rows of one feed inside one SQLite write transaction. Rows go in 64 at a time,
/// through one prepared statement of 64 rows of values: a statement run once per row spends more
/// on starting the statement (opening the table and its index, setting up the checks) than on
/// the row, and a feed is a million rows (measured: the writer thread was the import's
/// bottleneck, two thirds of it inside SQLite). The last rows go in one by one.
final class SQLiteFeedFiling: FeedFiling {
    let feedID: Int64
    private let database: Database
    /// Rows per multi-row insert: 64 × 15 values stays far below SQLite's limit of bound values.
    private static let batchSize = 64
    private static let columns = """
        feed_row(feed_id, row_no, id_index, id_sealed, name, org_code, insurance, contribution, retired,
                 changed_on, month, gross_cents, net_cents, day, mark)
        """
    private static let values = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    private var batch: RawStatement?
    private var pending: [(row: FeedRow, identity: SealedIdentity)] = []

    init(_ database: Database, feedID: Int64) throws {
        self.database = database
        self.feedID = feedID
        pending.reserveCapacity(Self.batchSize)
    }

    func insert(_ row: FeedRow, identity: SealedIdentity) throws {
        pending.append((row, identity))
        guard pending.count == Self.batchSize else { return }
        if batch == nil {
            let rows = Array(repeating: Self.values, count: Self.batchSize).joined(separator: ", ")
            batch = try RawStatement(database, sql: "INSERT INTO \(Self.columns) VALUES \(rows)")
        }
        batch!.reset()
        for (row, identity) in pending { bind(row, identity, to: &batch!) }
        try batch!.run()
        pending.removeAll(keepingCapacity: true)
    }

    func finish(rowCount: Int) throws {
        var single = try RawStatement(database, sql: "INSERT INTO \(Self.columns) VALUES \(Self.values)")
        for (row, identity) in pending {
            single.reset()
            bind(row, identity, to: &single)
            try single.run()
        }
        pending.removeAll()
        try database.execute(
            sql: "UPDATE feed SET row_count = ? WHERE id = ?",
            arguments: [rowCount, feedID]
        )
    }

    /// Binds one row's 15 values, after those already bound to `statement`.
    private func bind(_ row: FeedRow, _ identity: SealedIdentity, to statement: inout RawStatement) {
        statement.bind(feedID)
        statement.bind(Int64(row.row))
        statement.bind(identity.index)
        statement.bind(identity.sealed)
        statement.bind(row.name)
        statement.bind(row.orgCode?.value)
        statement.bind(row.insurance?.rawValue)
        statement.bind(row.contribution?.rawValue)
        statement.bind(row.retired.map { $0 ? 1 : 0 } as Int64?)
        statement.bind(row.changedOn?.description)
        statement.bind(row.month.map { String($0.description.prefix(7)) })
        statement.bind(row.grossCents)
        statement.bind(row.netCents)
        statement.bind(row.day?.description)
        statement.bind(row.mark?.rawValue)
    }
}

extension DossierStore {
    /// One imported feed.
    public func feed(_ id: Int64) throws -> StoredFeed? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT \(FeedColumns.feed) FROM feed WHERE id = ?", arguments: [id])
                .map(FeedColumns.decode)
        }
    }

    /// The rows of a feed for the identity number with this blind index, in file order.
    public func feedRows(feedID: Int64, identityIndex: [UInt8]) throws -> [FeedRow] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT row_no, name, org_code, insurance, contribution, retired, changed_on, month,
                           gross_cents, net_cents, day, mark
                    FROM feed_row WHERE id_index = ? AND feed_id = ? ORDER BY row_no
                    """,
                arguments: [Data(identityIndex), feedID]
            ).map { try FeedColumns.decodeRow($0) }
        }
    }

    /// How many feeds and feed rows the node keeps.
    public func feedCounts() throws -> FeedCounts {
        try read { db in
            FeedCounts(
                feeds: try Int.fetchOne(db, sql: "SELECT count(*) FROM feed") ?? 0,
                rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM feed_row") ?? 0
            )
        }
    }
}

/// Reading feeds back: columns selected by position.
enum FeedColumns {
    static let feed = "id, kind, as_of, file_name, sha256, row_count, encoding, imported_by, imported_at"

    static func decode(_ row: Row) throws -> StoredFeed {
        let kind: String = row[1]
        guard let feedKind = FeedKind(rawValue: kind) else {
            throw StoreError(.invalid("The database holds an unknown feed kind '\(kind)'."))
        }
        return StoredFeed(
            id: row[0],
            kind: feedKind,
            asOf: try Decode.date(row[2]),
            fileName: row[3],
            sha256: row[4],
            rowCount: row[5],
            encoding: row[6],
            importedBy: row[7],
            importedAt: row[8]
        )
    }

    /// A feed row from the columns row_no, name, org_code, insurance, contribution, retired,
    /// changed_on, month, gross_cents, net_cents, day, mark, starting at `first`.
    static func decodeRow(_ row: some ColumnReader, from first: Int = 0) throws -> FeedRow {
        func value<T: RawRepresentable<String>>(_ type: T.Type, _ index: Int) throws -> T? {
            guard let text = row.text(first + index) else { return nil }
            guard let value = T(rawValue: text) else {
                throw StoreError(.invalid("The database holds an unknown feed value '\(text)'."))
            }
            return value
        }
        var feedRow = FeedRow(
            row: Int(try row.required(row.int64, first, "row number")),
            name: try row.required(row.text, first + 1, "name")
        )
        feedRow.orgCode = try row.text(first + 2).map { try CreditCode($0) }
        feedRow.insurance = try value(InsuranceType.self, 3)
        feedRow.contribution = try value(ContributionStatus.self, 4)
        feedRow.retired = row.int64(first + 5).map { $0 == 1 }
        feedRow.changedOn = try row.text(first + 6).map(Decode.date)
        feedRow.month = try row.text(first + 7).map { try Decode.date($0 + "-01") }
        feedRow.grossCents = row.int64(first + 8)
        feedRow.netCents = row.int64(first + 9)
        feedRow.day = try row.text(first + 10).map(Decode.date)
        feedRow.mark = try value(AttendanceMark.self, 11)
        return feedRow
    }
}
