/// Bounds on what a workbook may hold before it is refused: a workbook comes from outside
/// (an upload, a USB stick), and a zip can be made to expand a thousandfold.
public struct XLSXLimits: Sendable, Hashable {
    /// Entries in the zip (a workbook has a dozen or so; thousands of charts and images at most).
    public var maxEntries: Int
    /// The sheet's XML as it expands (a million rows of a dozen columns is about 300 MB).
    public var maxSheetBytes: Int64
    /// Any other part read (shared strings, styles, workbook, relationships).
    public var maxPartBytes: Int64
    /// How many times its own size the workbook may expand to, all parts read counted. Sheet XML
    /// deflates 5 to 30 times; a zip bomb (deflate reaches about 1,000:1) is stopped after
    /// reading this much, not after its gigabytes.
    public var maxExpansionRatio: Int64
    /// What any workbook may expand to whatever its ratio (a small workbook compresses more).
    public var minimumExpansionAllowance: Int64
    /// Strings in the shared-string table.
    public var maxSharedStrings: Int
    /// Cells in one row, and so the last column (Excel's own limit is 16,384, column XFD).
    public var maxCellsPerRow: Int
    /// The highest row number (Excel's own limit is 1,048,576).
    public var maxRows: Int
    /// One value's text (Excel's own limit is 32,767 characters).
    public var maxTextBytes: Int

    /// Limits that admit anything Excel itself can save, and little more.
    public init(
        maxEntries: Int = 10_000,
        maxSheetBytes: Int64 = 4 << 30,
        maxPartBytes: Int64 = 1 << 30,
        maxExpansionRatio: Int64 = 200,
        minimumExpansionAllowance: Int64 = 64 << 20,
        maxSharedStrings: Int = 10_000_000,
        maxCellsPerRow: Int = 16_384,
        maxRows: Int = 1_048_576,
        maxTextBytes: Int = 1 << 20
    ) {
        self.maxEntries = maxEntries
        self.maxSheetBytes = maxSheetBytes
        self.maxPartBytes = maxPartBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.minimumExpansionAllowance = minimumExpansionAllowance
        self.maxSharedStrings = maxSharedStrings
        self.maxCellsPerRow = maxCellsPerRow
        self.maxRows = maxRows
        self.maxTextBytes = maxTextBytes
    }

    /// The most a file of `size` bytes may expand to, all parts read counted.
    func expansionBudget(forFileOf size: Int64) -> Int64 {
        let (product, overflow) = size.multipliedReportingOverflow(by: maxExpansionRatio)
        return max(minimumExpansionAllowance, overflow ? .max : product)
    }
}
