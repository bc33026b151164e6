import Dispatch
import DossierCore
import DossierCrypto
import DossierStorage
import Synchronization

/// One row of an import file after reading, validating and sealing.
enum PreparedRow: Sendable {
    /// The row's problems (already masked for display), with what could still be checked
    /// against the database: the organisation's code and the identity number's blind index.
    case problems([ImportProblem], orgCode: CreditCode? = nil, index: [UInt8]? = nil)
    /// A valid person, sealed, with the row number.
    case person(row: Int, NewPerson, SealedPerson)
}

/// A run of prepared rows; the last one carries the file's digest, or a failure.
struct PreparedBatch: Sendable {
    var rows: [PreparedRow] = []
    /// Rows read (valid or not) in this batch.
    var rowCount = 0
    /// SHA-256 of the whole file, set on the last batch.
    var digest: String?
    /// A problem with the whole file (unreadable, bad header): nothing else follows.
    var failure: ServiceError?
}

/// A bounded queue between a reader thread and the writer: at most `capacity` batches wait,
/// so memory stays flat however fast the reader is.
final class BatchChannel<Batch: Sendable>: Sendable {
    private let queue = Mutex<[Batch]>([])
    private let cancelled = Mutex(false)
    private let items = DispatchSemaphore(value: 0)
    private let slots: DispatchSemaphore

    init(capacity: Int = 4) {
        slots = DispatchSemaphore(value: capacity)
    }

    /// Waits for room and queues the batch; false once the writer has gone away.
    func send(_ batch: Batch) -> Bool {
        slots.wait()
        guard !cancelled.withLock({ $0 }) else { return false }
        queue.withLock { $0.append(batch) }
        items.signal()
        return true
    }

    /// Waits for the next batch.
    func receive() -> Batch {
        items.wait()
        let batch = queue.withLock { $0.removeFirst() }
        slots.signal()
        return batch
    }

    /// Tells the reader to stop (the writer finished or failed).
    func cancel() {
        cancelled.withLock { $0 = true }
        slots.signal()
    }
}

/// The channel of a person import.
typealias ImportChannel = BatchChannel<PreparedBatch>

/// Reads an import file on its own thread: parses CSV (or reads a workbook's first sheet), validates each row, seals valid people,
/// hashes the file, and hands batches to the writer in row order.
struct ImportReader: Sendable {
    let path: String
    /// How a CSV file's text is encoded (a workbook's is always Unicode).
    let encoding: FeedEncoding
    let today: CivilDate
    let ladder: Dated<RankLadder>
    let channel: ImportChannel
    let store: any Storage
    private static let batchSize = 512

    func run() {
        // The sealer holds OpenSSL contexts: made and used on this thread only.
        let sealer: PersonSealer
        do {
            sealer = try store.personSealer()
        } catch {
            _ = channel.send(
                PreparedBatch(failure: ServiceError(.setup, "Cannot prepare encryption: \(error).", zh: "无法准备加密。"))
            )
            return
        }
        let hasher = Hasher(.sha256)
        func fail(_ error: ServiceError) { _ = channel.send(PreparedBatch(failure: error)) }
        let fileFormat = RecordFileFormat(path: path)
        let reader: any RecordSource
        let headerRecord: SourceRecord
        do {
            reader = try fileFormat.open(path: path, encoding: encoding, onBytes: { hasher.update($0) })
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
        // Chinese headers (姓名, 公民身份号码, …) name the same columns as the English ones.
        let columns = header.map { $0.trimmingSpaces() }.map { PersonInput.chineseColumns[$0] ?? $0 }
        if let problem = Self.headerProblem(columns) {
            return fail(ServiceError(.invalid, problem, zh: "文件无法读取。"))
        }
        // An identity number typed as a number in a workbook has lost digits (or its X).
        reader.requireText(inColumns: Set(columns.indices.filter { columns[$0] == "id_number" }))
        // The writer waits for the first batch before it starts its transaction: send an empty
        // one now so a header failure and a good header are told apart at once.
        guard channel.send(PreparedBatch()) else { return }

        var batch = PreparedBatch()
        batch.rows.reserveCapacity(Self.batchSize)
        do {
            while let record = try reader.nextRecord() {
                batch.rowCount += 1
                batch.rows.append(prepare(record.fields, row: record.row, columns: columns, sealer: sealer))
                if batch.rows.count == Self.batchSize {
                    guard channel.send(batch) else { return }
                    batch = PreparedBatch()
                    batch.rows.reserveCapacity(Self.batchSize)
                }
            }
        } catch {
            // The rows read so far go with the failure, which stops the import.
            batch.failure = error
            _ = channel.send(batch)
            return
        }
        batch.digest = Hex.encode(hasher.finish())
        _ = channel.send(batch)
    }

    private func prepare(
        _ record: Result<[String], RecordProblem>,
        row: Int,
        columns: [String],
        sealer: PersonSealer
    ) -> PreparedRow {
        func problem(_ column: String?, _ shown: String, _ message: String) -> PreparedRow {
            .problems([ImportProblem(row: row, column: column, shownValue: shown, message: message)])
        }
        func columnName(_ field: Int) -> String? { columns.indices.contains(field - 1) ? columns[field - 1] : nil }
        switch record {
        case .failure(let recordProblem):
            let (field, message) = recordProblem.described(encoding: encoding.rawValue)
            return problem(field.flatMap(columnName), "", message)
        case .success(let fields) where fields.count != columns.count:
            let hint =
                fields.contains { $0.contains("，") }
                ? " Its values are separated by full-width commas (，): use ASCII commas (,)." : ""
            return problem(nil, "", "has \(fields.count) values; the header has \(columns.count).\(hint)")
        case .success(let fields):
            var input = PersonInput()
            // A `'` Dossier's own CSV writer put before a formula-like cell is not part of the value.
            for (column, value) in zip(columns, fields) { input.set(column, CSVCell.importedValue(value)) }
            switch input.validated(today: today, ladder: ladder) {
            case .failure(let problems):
                return .problems(
                    problems.all.map {
                        ImportProblem(row: row, column: $0.column, shownValue: $0.shownValue, message: $0.message)
                    },
                    orgCode: problems.orgCode,
                    index: try? problems.idNumber.map { try sealer.index($0) }
                )
            case .success(let person):
                do {
                    return .person(row: row, person, try sealer.seal(person))
                } catch {
                    return problem("id_number", person.idNumber.masked, "could not be encrypted: \(error).")
                }
            }
        }
    }

    static func headerProblem(_ columns: [String]) -> String? {
        var problems: [String] = []
        for column in columns where !PersonInput.columns.contains(column) {
            problems.append("unknown column '\(column)'")
        }
        for column in PersonInput.columns where !columns.contains(column) {
            problems.append("missing column '\(column)'")
        }
        for column in Set(columns).sorted() where columns.filter({ $0 == column }).count > 1 {
            problems.append("column '\(column)' appears twice")
        }
        guard !problems.isEmpty else { return nil }
        // A header typed with full-width commas (，) is one long column name.
        let fullWidth =
            columns.contains { $0.contains("，") }
            ? " It is separated by full-width commas (，): use ASCII commas (,)." : ""
        return
            "The header row is not right (\(problems.joined(separator: "; "))); it must name these columns in any order: "
            + PersonInput.columns.joined(separator: ",") + " (or their Chinese names, such as 公民身份号码 and 姓名)."
            + fullWidth
    }
}
