public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import Logging

/// What a feed import did (or, on a dry run, would have done).
public struct FeedImportSummary: Sendable, Hashable {
    public var kind: FeedKind
    /// The day the export was taken.
    public var asOf: CivilDate
    /// Rows read (the header not counted).
    public var rows: Int
    /// How the file's text was read: as asked, or as detected (a workbook's text is always
    /// Unicode, recorded as UTF-8).
    public var encoding: FeedEncoding
    /// The stored feed's id; nil for a dry run.
    public var feedID: Int64?
    /// SHA-256 of the file's bytes, in hex.
    public var sha256: String
    /// True when the file was an Excel workbook (`.xlsx`), read from its first sheet.
    public var isWorkbook = false
}

extension Dossier {
    /// Throws unless the acting user may import feeds: asked before a feed sent over the network
    /// is received.
    public func requireMayImportFeeds() throws {
        try require(.writePeople)
    }

    /// Imports a social-insurance, payroll or attendance export taken on `asOf`, read through
    /// this node's feed format in force that day: all or nothing. Every row is checked (identity
    /// numbers, codes, dates, amounts, repeated rows); if anything is wrong the import is
    /// refused with a `ServiceError` that carries every problem, by row and column, and nothing
    /// is written. A valid identity number Dossier does not know is not a problem: comparing is
    /// the reconciliation run's work. Identity numbers are stored sealed with their blind index,
    /// as a person's are. The same file (same SHA-256) cannot be imported twice as the same kind.
    ///
    /// The file is CSV, or an Excel workbook (`.xlsx`, told by its content), whose first sheet is
    /// read as the CSV would be; in a workbook the identity numbers must be typed as text.
    /// `encoding` nil: UTF-8 when the bytes are UTF-8, else GB18030 (a workbook takes none). `fileName` is the name the
    /// feed is kept under, for a file received under another one (an upload); nil: the path's
    /// own name. One transaction, with one audit entry (`reconcile.import`); a dry run checks
    /// everything and writes nothing.
    public func importFeed(
        kind: FeedKind,
        path: String,
        asOf: CivilDate,
        dryRun: Bool = false,
        encoding asked: FeedEncoding? = nil,
        fileName: String? = nil
    ) async throws -> FeedImportSummary {
        try require(.writePeople)
        // The name alone: a client's folders (either slash) are no business of the node.
        let givenName = try fileName.map { given in
            let name = given.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
            return try FreeText.checked(name, "The file name", zh: "文件名", maxLength: 200)
        }
        guard let format = policies.feeds[kind]?.at(asOf) else {
            throw ServiceError(
                .setup,
                "This node has no \(kind.rawValue) feed format in force on \(asOf).",
                zh: "本节点在 \(asOf) 没有有效的 \(kind.rawValue) 数据源格式。"
            )
        }
        guard let survey = FeedFileSurvey(path: path) else {
            throw ServiceError(.notFound, "Cannot read the file \(path).", zh: "无法读取文件 \(path)。")
        }
        let fileFormat = RecordFileFormat(path: path)
        let encoding: FeedEncoding
        if fileFormat == .xlsx {
            // A workbook's XML is Unicode whatever the computer that saved it.
            guard asked == nil || asked == .utf8 else {
                throw ServiceError(
                    .invalid,
                    "The file is an Excel workbook (.xlsx), whose text is always Unicode: leave out the encoding "
                        + "(\(asked?.rawValue ?? "") is for CSV files only).",
                    zh: "该文件是 Excel 工作簿（.xlsx），其文字总是 Unicode：请不要指定编码（\(asked?.rawValue ?? "") 只适用于 CSV 文件）。"
                )
            }
            encoding = .utf8
        } else {
            encoding = asked ?? (survey.isUTF8 ? .utf8 : .gb18030)
        }
        let fileName = givenName ?? URL(fileURLWithPath: path).lastPathComponent
        let actor = actor.name
        let outcome: Result<FeedImportSummary, ServiceError> = try await mapErrors {
            try await store.write(bulk: true) { tx in
                try tx.requireUser(actor)
                if let earlier = try tx.importedFeed(kind: kind, sha256: survey.sha256) {
                    throw ServiceError(
                        .refused,
                        "This file was already imported as the \(kind.rawValue) feed of \(earlier.asOf), on "
                            + "\(earlier.importedAt) by \(earlier.importedBy) (feed \(earlier.id)); it is not imported again.",
                        zh:
                            "该文件已于 \(earlier.importedAt) 由 \(earlier.importedBy) 作为截至 \(earlier.asOf) 的 \(kind.rawValue) 数据源导入（数据源 \(earlier.id)）；不再重复导入。"
                    )
                }
                let filing = try tx.feedFiling(
                    kind: kind,
                    asOf: asOf,
                    fileName: fileName,
                    sha256: survey.sha256,
                    encoding: encoding.rawValue,
                    by: actor
                )
                let read = try Self.readFeed(
                    path: path,
                    format: format,
                    asOf: asOf,
                    encoding: encoding,
                    fileFormat: fileFormat,
                    store: store,
                    filing: filing
                )
                guard read.problems.isEmpty else {
                    let rowsWithProblems = Set(read.problems.map(\.row)).count
                    let found =
                        read.headerRefused
                        ? "its header row is not right"
                        : "\(Self.counted(read.problems.count, "problem")) in \(rowsWithProblems) of \(Self.counted(read.rows, "row"))"
                    return .rollBack(
                        .failure(
                            ServiceError(
                                .invalid,
                                "The \(kind.rawValue) file was refused: \(found); nothing was written.",
                                zh:
                                    "\(kind.rawValue) 文件不予接受：\(read.headerRefused ? "表头行不正确" : "\(rowsWithProblems) 行中共有 \(read.problems.count) 处问题")；未写入任何内容。",
                                problems: read.problems
                            )
                        )
                    )
                }
                guard read.sha256 == survey.sha256 else {
                    throw ServiceError(
                        .refused,
                        "The file \(path) changed while it was read; nothing was written.",
                        zh: "文件 \(path) 在读取期间发生了变化；未写入任何内容。"
                    )
                }
                var summary = FeedImportSummary(
                    kind: kind,
                    asOf: asOf,
                    rows: read.rows,
                    encoding: encoding,
                    feedID: nil,
                    sha256: survey.sha256,
                    isWorkbook: fileFormat == .xlsx
                )
                // The last rows go in here, for a dry run too: it checks every row as the import would.
                try filing.finish(rowCount: read.rows)
                if dryRun { return .rollBack(.success(summary)) }
                summary.feedID = filing.feedID
                try audit(
                    tx,
                    action: "reconcile.import",
                    subject: "feed:\(filing.feedID)",
                    details: [
                        "kind": kind.rawValue,
                        "as_of": asOf.description,
                        "rows": String(read.rows),
                        "sha256": survey.sha256,
                    ]
                )
                return .commit(.success(summary))
            }
        }
        let summary = try outcome.get()
        if !dryRun {
            logger.info(
                "feed imported",
                metadata: ["feed.kind": "\(kind.rawValue)", "feed.rows": "\(summary.rows)"]
            )
        }
        return summary
    }

    /// What reading a feed file found: the rows, every problem, and the file's digest as read.
    private struct FeedReading {
        var rows = 0
        var problems: [ImportProblem] = []
        var sha256 = ""
        var headerRefused = false
    }

    /// Files every row the reader thread (`FeedReader`) checked and sealed; once a problem is
    /// found it keeps receiving (to report every problem) but files nothing more, since the
    /// transaction will be rolled back.
    private static func readFeed(
        path: String,
        format: FeedFormat,
        asOf: CivilDate,
        encoding: FeedEncoding,
        fileFormat: RecordFileFormat,
        store: any Storage,
        filing: any FeedFiling
    ) throws -> FeedReading {
        let channel = BatchChannel<FeedBatch>()
        let reader = FeedReader(
            path: path,
            format: format,
            asOf: asOf,
            encoding: encoding,
            fileFormat: fileFormat,
            channel: channel,
            store: store
        )
        let thread = Thread { reader.run() }
        thread.stackSize = 1 << 20
        thread.start()
        defer { channel.cancel() }
        var reading = FeedReading()
        while true {
            let batch = channel.receive()
            if let failure = batch.failure { throw failure }
            reading.rows += batch.rowCount
            reading.problems += batch.problems
            reading.headerRefused = reading.headerRefused || batch.headerRefused
            if reading.problems.isEmpty {
                for (row, identity) in batch.rows { try filing.insert(row, identity: identity) }
            }
            if let digest = batch.digest {
                reading.sha256 = digest
                return reading
            }
        }
    }
}

extension Dossier {
    /// "1 problem", "3 problems": a count with its noun.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }
}
