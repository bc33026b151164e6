import DossierArchive
import Glibc

/// A record of an import file that could not be read as written.
enum RecordProblem: Error {
    case invalidUTF8(field: Int)
    case strayQuote(field: Int)
    case unterminatedQuote
    /// A workbook cell typed as a number where only text is right (an identity number).
    case numberNotText(field: Int)
    /// A workbook cell whose value cannot be read without changing it.
    case unreadableCell(field: Int, XLSXValueProblem)

    /// The words after "row N, column: " for the problems the two readers share; the field's
    /// 1-based position is `field`, or nil for the whole row.
    func described(encoding: String) -> (field: Int?, message: String) {
        switch self {
        case .invalidUTF8(let field):
            // Text that is not UTF-8 was most likely saved by Excel or WPS as GBK/GB18030.
            let hint =
                encoding.lowercased() == "utf-8"
                ? " Was the file saved as GBK? Save it as UTF-8, or pass --encoding gb18030." : ""
            return (field, "not valid \(encoding) text.\(hint)")
        case .strayQuote(let field):
            return (field, "a double quote inside a value must be doubled and the value quoted.")
        case .unterminatedQuote: return (nil, "a quoted value is never closed.")
        case .numberNotText(let field):
            return (
                field,
                "is typed as a number in the workbook; identity numbers must be typed as text "
                    + "(a number loses digits and the X). Format the column as Text and type them again."
            )
        case .unreadableCell(let field, let problem): return (field, "the value \(problem)")
        }
    }
}

/// One record of an import file with its row number as the person who made the file sees it:
/// the CSV record's position (the header is row 1), or the sheet's own row number.
struct SourceRecord {
    var row: Int
    var fields: Result<[String], RecordProblem>
}

/// Where the import paths (people and feeds) read records from, whatever the file's format: a
/// CSV file or the first sheet of an `.xlsx` workbook. The first record is the header.
protocol RecordSource: AnyObject {
    /// The next record, nil after the last; throws when the rest of the file cannot be read.
    /// (Not `next()`: CSVReader's own `next()` gives the bare fields, which callers that read
    /// only CSV use.)
    func nextRecord() throws(ServiceError) -> SourceRecord?
    /// Asks that values in these columns (0-based) be text as typed: a workbook cell typed as a
    /// number there is a problem. CSV holds only text.
    func requireText(inColumns columns: Set<Int>)
}

/// What an import file is, from its first bytes (and its name, for a file too short or damaged
/// to tell): a zip is a workbook, an OLE compound file a password-protected or old Excel file.
enum RecordFileFormat: Equatable {
    case csv
    case xlsx

    init(path: String) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        var head = [UInt8](repeating: 0, count: 4)
        let read = fd < 0 ? 0 : head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 4) }
        if fd >= 0 { close(fd) }
        let zip: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        let compound: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0]
        let lowered = path.lowercased()
        // The compound file goes to the workbook reader, which refuses it in plain words.
        if read == 4, head == zip || head == compound {
            self = .xlsx
        } else if lowered.hasSuffix(".xlsx") || lowered.hasSuffix(".xlsm") || lowered.hasSuffix(".xls") {
            self = .xlsx
        } else {
            self = .csv
        }
    }

    /// Opens `path` as this format, a CSV file's text read as `encoding` (a workbook's is always
    /// Unicode); `onBytes` sees every byte of the file once (for its digest).
    func open(
        path: String,
        encoding: FeedEncoding = .utf8,
        onBytes: @escaping (UnsafeRawBufferPointer) -> Void
    ) throws(ServiceError) -> any RecordSource {
        switch self {
        case .csv:
            var decoder: GB18030Decoder?
            if encoding == .gb18030 {
                guard let made = GB18030Decoder() else {
                    throw ServiceError(
                        .setup,
                        "This system cannot convert GB18030 text (iconv).",
                        zh: "本系统无法转换 GB18030 文字（iconv）。"
                    )
                }
                decoder = made
            }
            guard let reader = CSVReader(path: path, decoder: decoder, onBytes: onBytes) else {
                throw ServiceError(.notFound, "Cannot read the file \(path).", zh: "无法读取文件 \(path)。")
            }
            return reader
        case .xlsx:
            do {
                return WorkbookRecords(try XLSXReader(path: path, onFileBytes: onBytes))
            } catch {
                throw ServiceError(.invalid, error.description, zh: "文件无法读取。")
            }
        }
    }
}

extension CSVReader: RecordSource {
    func nextRecord() throws(ServiceError) -> SourceRecord? {
        guard let fields = next() else { return nil }
        records += 1
        return SourceRecord(row: records, fields: fields)
    }

    func requireText(inColumns columns: Set<Int>) {}
}

/// The first sheet of a workbook as records: each row's values as the text a CSV export would
/// hold, rows of no value passed over. The header's trailing empty cells are not columns, and a
/// row is as wide as the header (a sheet leaves out the empty cells at a row's end).
final class WorkbookRecords: RecordSource {
    private let reader: XLSXReader
    private var width: Int?
    private var textColumns: Set<Int> = []

    init(_ reader: XLSXReader) {
        self.reader = reader
    }

    func requireText(inColumns columns: Set<Int>) { textColumns = columns }

    func nextRecord() throws(ServiceError) -> SourceRecord? {
        let row: XLSXRow?
        do { row = try reader.nextRow() } catch { throw ServiceError(.invalid, error.description, zh: "文件无法读取。") }
        guard let row else { return nil }
        var values = row.values
        while values.last == .empty { values.removeLast() }
        guard let width else {
            width = values.count
            return SourceRecord(row: row.number, fields: .success(values.map(\.text)))
        }
        while values.count < width { values.append(.empty) }
        for (index, value) in values.enumerated() {
            if textColumns.contains(index) {
                var typedAsNumber = value.isNumeric
                if case .unreadable(let problem) = value, problem.isNumber { typedAsNumber = true }
                if typedAsNumber {
                    return SourceRecord(row: row.number, fields: .failure(.numberNotText(field: index + 1)))
                }
            }
            if case .unreadable(let problem) = value {
                return SourceRecord(row: row.number, fields: .failure(.unreadableCell(field: index + 1, problem)))
            }
        }
        return SourceRecord(row: row.number, fields: .success(values.map(\.text)))
    }
}
