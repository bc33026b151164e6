public import DossierCore
public import DossierStorage

/// A feed kept on the node, as the API and the command line write it.
public struct FeedJSON: Sendable, Encodable {
    public var feed: StoredFeed

    public init(_ feed: StoredFeed) { self.feed = feed }

    private enum CodingKeys: String, CodingKey {
        case id, kind
        case asOf = "as_of"
        case fileName = "file_name"
        case sha256, rows, encoding
        case importedBy = "imported_by"
        case importedAt = "imported_at"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(feed.id, forKey: .id)
        try container.encode(feed.kind.rawValue, forKey: .kind)
        try container.encodeText(feed.asOf, forKey: .asOf)
        try container.encode(feed.fileName, forKey: .fileName)
        try container.encode(feed.sha256, forKey: .sha256)
        try container.encode(feed.rowCount, forKey: .rows)
        try container.encode(feed.encoding, forKey: .encoding)
        try container.encode(feed.importedBy, forKey: .importedBy)
        try container.encode(feed.importedAt, forKey: .importedAt)
    }
}

/// One row of a feed as read through its format: the row number (the header is row 1), the
/// name, and the fields its kind has (social insurance: `org`, `insurance`, `contribution`,
/// `retired`, `changed_on`; payroll: `org`, `month`, `gross_fen`, `net_fen`; attendance: `day`,
/// `mark`); fields of other kinds are left out. The identity number is never written.
public struct FeedRowJSON: Sendable, Encodable {
    public var row: FeedRow

    public init(_ row: FeedRow) { self.row = row }

    private enum CodingKeys: String, CodingKey {
        case row, name, org, insurance, contribution, retired
        case changedOn = "changed_on"
        case month
        case grossFen = "gross_fen"
        case netFen = "net_fen"
        case day, mark
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(row.row, forKey: .row)
        try container.encode(row.name, forKey: .name)
        try container.encodeIfPresent(row.orgCode?.value, forKey: .org)
        try container.encodeIfPresent(row.insurance?.rawValue, forKey: .insurance)
        try container.encodeIfPresent(row.contribution?.rawValue, forKey: .contribution)
        try container.encodeIfPresent(row.retired, forKey: .retired)
        try container.encodeIfPresent(row.changedOn?.description, forKey: .changedOn)
        try container.encodeIfPresent(row.month?.description, forKey: .month)
        try container.encodeIfPresent(row.grossCents, forKey: .grossFen)
        try container.encodeIfPresent(row.netCents, forKey: .netFen)
        try container.encodeIfPresent(row.day?.description, forKey: .day)
        try container.encodeIfPresent(row.mark?.rawValue, forKey: .mark)
    }
}

/// What a feed import did (or, on a dry run, would have done): `feed` is the stored feed's id,
/// null on a dry run.
public struct FeedImportJSON: Sendable, Encodable {
    public var summary: FeedImportSummary
    public var dryRun: Bool

    public init(_ summary: FeedImportSummary, dryRun: Bool) {
        self.summary = summary
        self.dryRun = dryRun
    }

    private enum CodingKeys: String, CodingKey {
        case kind
        case asOf = "as_of"
        case rows, encoding, feed, sha256
        case dryRun = "dry_run"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary.kind.rawValue, forKey: .kind)
        try container.encodeText(summary.asOf, forKey: .asOf)
        try container.encode(summary.rows, forKey: .rows)
        try container.encode(summary.encoding.rawValue, forKey: .encoding)
        try container.encode(summary.feedID, forKey: .feed)
        try container.encode(summary.sha256, forKey: .sha256)
        try container.encode(dryRun, forKey: .dryRun)
    }
}
