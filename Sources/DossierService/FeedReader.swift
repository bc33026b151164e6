import DossierCore
import DossierCrypto
import DossierStorage

/// A run of feed rows after reading, checking and sealing; the last one carries the file's
/// digest, or a failure.
struct FeedBatch: Sendable {
    /// The rows found valid, sealed, in file order.
    var rows: [(row: FeedRow, identity: SealedIdentity)] = []
    /// The problems found in this batch's rows (or, with a bad header, in the header).
    var problems: [ImportProblem] = []
    /// Rows read (valid or not) in this batch.
    var rowCount = 0
    /// SHA-256 of the whole file, set on the last batch.
    var digest: String?
    /// A problem with the whole file (unreadable, empty): nothing else follows.
    var failure: ServiceError?
    /// The header is not right: `problems` are the header's.
    var headerRefused = false
}

/// Reads a feed file on its own thread: decodes and parses CSV (or reads a workbook's first
/// sheet), checks each row through the
/// feed format, finds repeated rows, seals identity numbers and hashes the file, handing
/// batches to the writer in row order. The writer only files rows: the two cores share the
/// work of a million-row import.
struct FeedReader: Sendable {
    let path: String
    let format: FeedFormat
    let asOf: CivilDate
    let encoding: FeedEncoding
    let fileFormat: RecordFileFormat
    let channel: BatchChannel<FeedBatch>
    let store: any Storage
    private static let batchSize = 1024

    func run() {
        func fail(_ error: ServiceError) { _ = channel.send(FeedBatch(failure: error)) }
        // The sealer and the decoder hold C contexts: made and used on this thread only.
        let sealer: PersonSealer
        do {
            sealer = try store.personSealer()
        } catch {
            return fail(ServiceError(.setup, "Cannot prepare encryption: \(error).", zh: "无法准备加密。"))
        }
        let hasher = Hasher(.sha256)
        let reader: any RecordSource
        do {
            reader = try fileFormat.open(path: path, encoding: encoding, onBytes: { hasher.update($0) })
        } catch {
            return fail(error)
        }
        let headerRecord: SourceRecord
        do {
            guard let first = try reader.nextRecord() else {
                let what = fileFormat == .xlsx ? "The first sheet of the workbook \(path)" : "The file \(path)"
                return fail(
                    ServiceError(.invalid, "\(what) is empty; it needs a header row.", zh: "文件 \(path) 为空；须有表头行。")
                )
            }
            headerRecord = first
        } catch {
            return fail(error)
        }
        guard case .success(let header) = headerRecord.fields else {
            let what = fileFormat == .xlsx ? "in the workbook" : "as \(encoding.rawValue) CSV"
            return fail(
                ServiceError(.invalid, "The header row of \(path) cannot be read \(what).", zh: "\(path) 的表头行无法读取。")
            )
        }
        let parser: FeedRowParser
        switch FeedRowParser.make(
            format: format,
            header: header,
            headerRow: headerRecord.row,
            asOf: asOf,
            encoding: encoding
        ) {
        case .failure(let problems):
            // Count the rows for the refusal; nothing else is checked under a wrong header.
            var batch = FeedBatch(problems: problems.all, headerRefused: true)
            do {
                while try reader.nextRecord() != nil { batch.rowCount += 1 }
            } catch {
                return fail(error)
            }
            batch.digest = Hex.encode(hasher.finish())
            _ = channel.send(batch)
            return
        case .success(let made):
            parser = made
        }
        reader.requireText(inColumns: [parser.idNumberColumn])
        var seen = FeedRowKeys()
        var batch = FeedBatch()
        do {
            while let record = try reader.nextRecord() {
                let rowNumber = record.row
                batch.rowCount += 1
                switch parser.parse(record.fields, row: rowNumber) {
                case .failure(let problems):
                    batch.problems += problems.all
                case .success(let parsed):
                    let identity = try sealer.seal(parsed.idNumber)
                    let key = FeedRowParser.duplicateKey(parsed.row, index: identity.index)
                    if let first = seen.firstRow(with: key, recordingAs: rowNumber) {
                        batch.problems.append(
                            ImportProblem(
                                row: rowNumber,
                                column: format.headers[.idNumber],
                                shownValue: parsed.idNumber.masked,
                                message: "repeats row \(first) (\(parser.duplicateWhat))."
                            )
                        )
                    } else {
                        batch.rows.append((parsed.row, identity))
                    }
                }
                if batch.rowCount == Self.batchSize {
                    guard channel.send(batch) else { return }
                    batch = FeedBatch()
                }
            }
        } catch let error as ServiceError {
            return fail(error)
        } catch {
            return fail(ServiceError(.setup, "Cannot seal identity numbers: \(error).", zh: "无法加密公民身份号码。"))
        }
        batch.digest = Hex.encode(hasher.finish())
        _ = channel.send(batch)
    }
}
