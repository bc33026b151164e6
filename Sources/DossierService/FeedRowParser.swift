import DossierCore
import DossierStorage

/// Reads the rows of one feed file through its format (`Policies/feeds/KIND.yaml`): finds each
/// field's column in the header, then turns each row into typed values or the problems that
/// stop it — every problem of the row, each with its column, never a clear identity number.
struct FeedRowParser {
    let format: FeedFormat
    /// The day the export was taken: no one in it can be born after it.
    let asOf: CivilDate
    let encoding: FeedEncoding
    /// The position of each field's column in the header.
    private let positions: [FeedField: Int]
    private let width: Int

    /// Checks the header (row `headerRow`: 1 in CSV, the first row with a value in a sheet):
    /// every column the format names, once; other columns are ignored. Returns the problems
    /// instead when it is not right.
    static func make(
        format: FeedFormat,
        header: [String],
        headerRow: Int = 1,
        asOf: CivilDate,
        encoding: FeedEncoding
    ) -> Result<FeedRowParser, RowProblems> {
        let columns = header.map { $0.trimmingSpaces() }
        var positions: [FeedField: Int] = [:]
        var problems: [ImportProblem] = []
        let needed = format.kind.fields.map { "'\(format.headers[$0]!)'" }.joined(separator: ", ")
        for field in format.kind.fields {
            let name = format.headers[field]!
            let found = columns.indices.filter { columns[$0] == name }
            if found.isEmpty {
                problems.append(
                    ImportProblem(
                        row: headerRow,
                        column: name,
                        shownValue: "",
                        message: "this column is missing; a \(format.kind.rawValue) file needs the columns \(needed)."
                    )
                )
            } else if found.count > 1 {
                problems.append(
                    ImportProblem(row: headerRow, column: name, shownValue: "", message: "this column appears twice.")
                )
            } else {
                positions[field] = found[0]
            }
        }
        guard problems.isEmpty else { return .failure(RowProblems(all: problems)) }
        return .success(
            FeedRowParser(format: format, asOf: asOf, encoding: encoding, positions: positions, width: columns.count)
        )
    }

    private init(
        format: FeedFormat,
        asOf: CivilDate,
        encoding: FeedEncoding,
        positions: [FeedField: Int],
        width: Int
    ) {
        self.format = format
        self.asOf = asOf
        self.encoding = encoding
        self.positions = positions
        self.width = width
    }

    /// The column (0-based) of the identity number, which must be text as typed.
    var idNumberColumn: Int { positions[.idNumber]! }

    /// A row that reads: its typed values and the identity number.
    struct Parsed {
        var row: FeedRow
        var idNumber: ResidentID
    }

    /// The values of one row, or every problem in it.
    func parse(_ record: Result<[String], RecordProblem>, row: Int) -> Result<Parsed, RowProblems> {
        var problems: [ImportProblem] = []
        func problem(_ column: String?, _ shown: String, _ message: String) {
            problems.append(
                ImportProblem(
                    row: row,
                    column: column,
                    shownValue: PersonInput.safeToShow(shown),
                    message: message
                )
            )
        }
        let fields: [String]
        switch record {
        case .failure(let recordProblem):
            let (field, message) = recordProblem.described(encoding: encoding.rawValue)
            problem(field.flatMap { columnName($0 - 1) }, "", message)
            return .failure(RowProblems(all: problems))
        case .success(let values) where values.count != width:
            problem(nil, "", "has \(values.count) values; the header has \(width).")
            return .failure(RowProblems(all: problems))
        case .success(let values):
            fields = values
        }

        /// The trimmed value of a field, or nil (with a problem) when it is empty.
        func required(_ field: FeedField) -> String? {
            let value = fields[positions[field]!].trimmingSpaces()
            if value.isEmpty { problem(format.headers[field]!, "", "a value is required.") }
            return value.isEmpty ? nil : value
        }
        /// What a coded value means in this format.
        func meaning(_ field: FeedField) -> String? {
            guard let code = required(field) else { return nil }
            guard let meaning = format.meaning(of: code, in: field) else {
                let known = (format.codes[field] ?? [:]).keys.sorted().joined(separator: ", ")
                problem(format.headers[field]!, code, "not a code of this column (the codes are \(known)).")
                return nil
            }
            return meaning
        }
        func date(_ field: FeedField) -> CivilDate? {
            guard let text = required(field), let dateFormat = format.dateFormats[field] else { return nil }
            guard let date = dateFormat.parse(text) else {
                let what = dateFormat.unit == .day ? "a date" : "a month"
                problem(format.headers[field]!, text, "not \(what) written \(dateFormat.rawValue).")
                return nil
            }
            return date
        }
        func amount(_ field: FeedField) -> Int64? {
            guard let text = required(field) else { return nil }
            guard let cents = Self.cents(text) else {
                problem(format.headers[field]!, text, "not an amount in yuan with at most two decimals (1234.50).")
                return nil
            }
            return cents
        }

        var idNumber: ResidentID?
        if let text = required(.idNumber) {
            do {
                let parsed = try ResidentID(text)
                try parsed.validate(notAfter: asOf)
                idNumber = parsed
            } catch {
                problem(format.headers[.idNumber]!, ResidentID.mask(text), error.description)
            }
        }
        var feedRow = FeedRow(row: row, name: required(.name) ?? "")
        if format.kind.fields.contains(.orgCode), let text = required(.orgCode) {
            do { feedRow.orgCode = try CreditCode(text) } catch {
                problem(format.headers[.orgCode]!, text, error.description)
            }
        }
        switch format.kind {
        case .socialInsurance:
            feedRow.insurance = meaning(.insuranceType).flatMap(InsuranceType.init(rawValue:))
            feedRow.contribution = meaning(.contributionStatus).flatMap(ContributionStatus.init(rawValue:))
            feedRow.retired = meaning(.retired).map { $0 == "retired" }
            feedRow.changedOn = date(.changedOn)
        case .payroll:
            feedRow.month = date(.month)
            feedRow.grossCents = amount(.gross)
            feedRow.netCents = amount(.net)
        case .attendance:
            feedRow.day = date(.date)
            feedRow.mark = meaning(.attendance).flatMap(AttendanceMark.init(rawValue:))
        }
        guard problems.isEmpty, let idNumber else { return .failure(RowProblems(all: problems)) }
        return .success(Parsed(row: feedRow, idNumber: idNumber))
    }

    /// What a row repeats if another row has it too: the same person and insurance type (social
    /// insurance), month (payroll) or day (attendance).
    static func duplicateKey(_ row: FeedRow, index: [UInt8]) -> FeedRowKey {
        let second: Int32
        if let insurance = row.insurance {
            second = Int32(InsuranceType.allCases.firstIndex(of: insurance)!)
        } else if let date = row.month ?? row.day {
            second = Int32(date.year * 10_000 + date.month * 100 + date.day)
        } else {
            second = -1
        }
        return FeedRowKey(index: index, second: second)
    }

    /// What the duplicate key of this kind is, in words.
    var duplicateWhat: String {
        switch format.kind {
        case .socialInsurance: return "the same identity number and insurance type"
        case .payroll: return "the same identity number and month"
        case .attendance: return "the same identity number and day"
        }
    }

    private func columnName(_ index: Int) -> String? {
        positions.first { $0.value == index }.map { format.headers[$0.key]! }
    }

    /// An amount in yuan (`1234.50`, `1234.5`, `1234`, `-12.00`) in fen; nil when it is not one
    /// or has more than two decimals.
    static func cents(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        let whole = bytes[..<(point ?? bytes.endIndex)]
        let fraction = point.map { bytes[($0 + 1)...] } ?? []
        func isDigits(_ part: ArraySlice<UInt8>) -> Bool {
            part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard !whole.isEmpty, whole.count <= 13, isDigits(whole), isDigits(fraction),
            point == nil || (1...2).contains(fraction.count)
        else { return nil }
        var value: Int64 = 0
        for digit in whole { value = value * 10 + Int64(digit - UInt8(ascii: "0")) }
        var fen: Int64 = 0
        for digit in fraction { fen = fen * 10 + Int64(digit - UInt8(ascii: "0")) }
        if fraction.count == 1 { fen *= 10 }
        let total = value * 100 + fen
        return negative ? -total : total
    }
}

/// The problems that stop a header or a row, in the order found.
struct RowProblems: Error {
    var all: [ImportProblem]
}

/// A row's duplicate key: the identity number's blind index (as two words, to keep a million
/// keys small) and the kind's second part (the insurance type's position, or a day or month as
/// YYYYMMDD).
struct FeedRowKey: Hashable {
    var identity: IdentityKey
    var second: Int32

    init(index: [UInt8], second: Int32) {
        identity = IdentityKey(index)
        self.second = second
    }
}

/// A blind index as two words.
struct IdentityKey: Hashable {
    var high: UInt64
    var low: UInt64

    init(_ index: [UInt8]) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for byte in index.prefix(8) { high = high << 8 | UInt64(byte) }
        for byte in index.dropFirst(8).prefix(8) { low = low << 8 | UInt64(byte) }
        self.high = high
        self.low = low
    }
}

/// The keys of the rows read so far, to find repeated rows with little memory: one dictionary
/// entry per identity number, and each of its rows a 12-byte entry chained in one flat array
/// (an attendance file holds 22 rows per person: a dictionary entry per row took 230 MB for 4.4
/// million rows, this about 60).
struct FeedRowKeys {
    private struct Entry {
        var second: Int32
        var row: Int32
        /// The identity's previous entry, or -1.
        var next: Int32
    }

    private var latest: [IdentityKey: Int32] = [:]
    private var entries: [Entry] = []

    /// The row that first had `key`, if one did; otherwise records `key` as seen on `row`.
    mutating func firstRow(with key: FeedRowKey, recordingAs row: Int) -> Int? {
        let head = latest[key.identity] ?? -1
        var index = head
        while index >= 0 {
            let entry = entries[Int(index)]
            if entry.second == key.second { return Int(entry.row) }
            index = entry.next
        }
        latest[key.identity] = Int32(entries.count)
        entries.append(Entry(second: key.second, row: Int32(clamping: row), next: head))
        return nil
    }
}
