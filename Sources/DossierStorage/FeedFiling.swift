public import DossierCore

/// A feed file kept on the node (社保, 工资, 考勤 export): what it was, and who brought it in when.
public struct StoredFeed: Sendable, Hashable {
    public var id: Int64
    public var kind: FeedKind
    /// The day the export was taken.
    public var asOf: CivilDate
    /// The file's name as given (no folder).
    public var fileName: String
    /// SHA-256 of the file's bytes, in hex.
    public var sha256: String
    public var rowCount: Int
    /// `utf-8` or `gb18030`: how the file was read.
    public var encoding: String
    public var importedBy: String
    public var importedAt: String

    public init(
        id: Int64,
        kind: FeedKind,
        asOf: CivilDate,
        fileName: String,
        sha256: String,
        rowCount: Int,
        encoding: String,
        importedBy: String,
        importedAt: String
    ) {
        self.id = id
        self.kind = kind
        self.asOf = asOf
        self.fileName = fileName
        self.sha256 = sha256
        self.rowCount = rowCount
        self.encoding = encoding
        self.importedBy = importedBy
        self.importedAt = importedAt
    }
}

/// One row of a feed as the service read it through its format: typed values, the fields of
/// its kind filled and the others nil. The identity number travels beside it, sealed.
public struct FeedRow: Sendable, Hashable {
    /// The row's number in the file (the header is row 1).
    public var row: Int
    public var name: String
    /// 单位统一社会信用代码 (social insurance and payroll).
    public var orgCode: CreditCode?
    public var insurance: InsuranceType?
    public var contribution: ContributionStatus?
    public var retired: Bool?
    public var changedOn: CivilDate?
    /// 发放年月: the first day of the month paid.
    public var month: CivilDate?
    /// 应发合计 and 实发合计, in fen.
    public var grossCents: Int64?
    public var netCents: Int64?
    /// 日期 of an attendance row, and its 考勤状态.
    public var day: CivilDate?
    public var mark: AttendanceMark?

    public init(row: Int, name: String) {
        self.row = row
        self.name = name
    }
}

/// How many feeds and feed rows a node keeps.
public struct FeedCounts: Sendable, Hashable {
    public var feeds: Int
    public var rows: Int

    public init(feeds: Int, rows: Int) {
        self.feeds = feeds
        self.rows = rows
    }
}

/// Writes one feed and its rows inside a write transaction (through one prepared statement, in
/// SQLite: a feed can hold a million rows). It decides nothing about the rows; the service does.
///
/// Lives only as long as its transaction; not shareable.
public protocol FeedFiling: AnyObject {
    /// The new feed's id.
    var feedID: Int64 { get }
    /// Adds one row (it may be written later, with others: `finish` writes the last ones).
    func insert(_ row: FeedRow, identity: SealedIdentity) throws
    /// Writes any rows still held and records how many rows the feed holds.
    func finish(rowCount: Int) throws
}
