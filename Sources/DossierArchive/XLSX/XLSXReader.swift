import DossierCore

/// One row of a sheet that holds at least one value.
public struct XLSXRow: Sendable, Hashable {
    /// The sheet's row number (1 is the first row), as a person sees it in the spreadsheet.
    public var number: Int
    /// The row's cells from column A, each in its column (a gap between cells is `.empty`), up
    /// to the last cell written.
    public var values: [XLSXValue]
}

/// Reads the first sheet of an untrusted `.xlsx` workbook row by row, in order, without holding
/// the sheet in memory: the sheet's XML is scanned as libarchive inflates it, and each call of
/// `nextRow` reads only as far as the next row with a value.
///
/// The first sheet is the first in tab order (`xl/workbook.xml`), found through the workbook's
/// relationships; `xl/worksheets/sheet1.xml` is read only when the workbook has none. The
/// shared-string table and the cell formats (to tell dates) are read first, whole.
///
/// Nothing in the file is trusted: the zip's entry count, each part's size and the whole
/// workbook's expansion (counting bytes actually inflated), the shared-string count, cells per
/// row, row numbers and text lengths are bounded by `XLSXLimits`, and anything else — a zip that
/// is damaged, cut short, encrypted, not a zip at all — is refused with an `ArchiveError` a
/// person who is not a programmer can act on. Messages never hold a cell's value.
///
/// Holds libarchive handles: made, used and freed on one thread.
public final class XLSXReader {
    private let file: ZipFile
    private let pass: ZipPass
    private let scanner: XMLScanner
    private let sharedStrings: SharedStrings
    private let dateStyles: DateStyles
    private let uses1904Dates: Bool
    private var lastRow = 0
    private var finished = false

    /// Opens the workbook at `path`. `onFileBytes` sees every byte of the file once, in order,
    /// before anything is read from it (the import hashes the file it records).
    public init(
        path: String,
        limits: XLSXLimits = XLSXLimits(),
        onFileBytes: (UnsafeRawBufferPointer) -> Void = { _ in }
    ) throws(ArchiveError) {
        let file = try ZipFile(path: path, limits: limits)
        try Self.observe(file, onFileBytes)
        self.file = file

        // Pass 1: the workbook and its relationships, and every part's name.
        var names: [String: String] = [:]
        var workbook: WorkbookPart?
        var relationships: Relationships?
        do {
            let pass = try ZipPass(file)
            while let name = try pass.nextEntry() {
                let key = name.lowercased()
                guard names.updateValue(name, forKey: key) == nil else {
                    throw ArchiveError("\(notAWorkbook) Dossier can read: it holds the part \(name) twice.")
                }
                if key == "xl/workbook.xml" {
                    workbook = try Self.parse(pass, name, limit: limits.maxPartBytes, limits) { try WorkbookPart($0) }
                } else if key == "xl/_rels/workbook.xml.rels" {
                    relationships = try Self.parse(pass, name, limit: limits.maxPartBytes, limits) {
                        try Relationships($0, folder: "xl")
                    }
                }
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError("\(notAWorkbook): \(error).")
        }
        guard let workbook else {
            throw ArchiveError(
                "\(notAWorkbook): it has no workbook part. Save it from the spreadsheet program as an Excel workbook or as CSV."
            )
        }
        let sheetPath: String
        if let relationships {
            guard let id = workbook.firstSheetRelationship, let sheet = relationships.byID[id] else {
                throw ArchiveError("\(notAWorkbook) Dossier can read: it has no sheet.")
            }
            guard sheet.type.hasSuffix("/worksheet") else {
                throw ArchiveError(
                    "The first sheet of the workbook is not a table (a chart or a dialog sheet, say); move the table to the first sheet."
                )
            }
            sheetPath = sheet.target
        } else {
            sheetPath = "xl/worksheets/sheet1.xml"
        }
        let sharedPath = relationships?.target(ofType: "sharedStrings") ?? "xl/sharedStrings.xml"
        let stylesPath = relationships?.target(ofType: "styles") ?? "xl/styles.xml"
        guard let sheetName = names[sheetPath.lowercased()] else {
            throw ArchiveError("\(notAWorkbook) Dossier can read: its first sheet is missing.")
        }

        // Pass 2: the shared strings and the cell formats.
        var sharedStrings = SharedStrings()
        var dateStyles = DateStyles()
        do {
            let pass = try ZipPass(file)
            while let name = try pass.nextEntry() {
                switch name.lowercased() {
                case sharedPath.lowercased():
                    sharedStrings = try Self.parse(pass, name, limit: limits.maxPartBytes, limits) {
                        try SharedStrings($0, limits: limits)
                    }
                case stylesPath.lowercased():
                    dateStyles = try Self.parse(pass, name, limit: limits.maxPartBytes, limits) { try DateStyles($0) }
                default: break
                }
            }
        } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError("\(notAWorkbook): \(error).")
        }
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        uses1904Dates = workbook.uses1904Dates

        // Pass 3: up to the sheet, which `nextRow` then reads as it is asked.
        let pass = try ZipPass(file)
        while true {
            guard let name = try pass.nextEntry() else {
                throw ArchiveError("\(notAWorkbook) Dossier can read: its first sheet is missing.")
            }
            if name == sheetName { break }
        }
        try pass.beginPart(limit: limits.maxSheetBytes)
        self.pass = pass
        scanner = XMLScanner(part: sheetName, maxTextBytes: limits.maxTextBytes) { buffer in
            try pass.read(into: buffer)
        }
    }

    /// Hands every byte of the file to `observer`, in order.
    private static func observe(_ file: ZipFile, _ observer: (UnsafeRawBufferPointer) -> Void) throws(ArchiveError) {
        var offset: Int64 = 0
        while offset < file.size {
            guard let chunk = file.read(at: offset, count: 1 << 20), !chunk.isEmpty else {
                throw ArchiveError("Cannot read the file.")
            }
            chunk.withUnsafeBytes { observer($0) }
            offset += Int64(chunk.count)
        }
    }

    /// Scans the current entry of `pass` with `body`.
    private static func parse<T>(
        _ pass: ZipPass,
        _ name: String,
        limit: Int64,
        _ limits: XLSXLimits,
        _ body: (XMLScanner) throws -> T
    ) throws -> T {
        try pass.beginPart(limit: limit)
        return try body(XMLScanner(part: name, maxTextBytes: limits.maxTextBytes) { try pass.read(into: $0) })
    }

    /// The next row that holds a value (rows of empty or formatting-only cells are passed over,
    /// as a spreadsheet program's CSV export leaves them out), or nil after the last.
    public func nextRow() throws(ArchiveError) -> XLSXRow? {
        do {
            return try readRow()
        } catch let error as ArchiveError {
            finished = true
            throw error
        } catch {
            finished = true
            throw ArchiveError("\(notAWorkbook): \(error).")
        }
    }

    private var inSheetData = false
    private var values: [XLSXValue] = []
    private var rowNumber = 0
    /// The current cell: its column (0 is A), type, format, and the text of its value.
    private var column = 0
    private var type: [UInt8] = []
    private var style = 0
    private var cellText: [UInt8] = []
    private var inCell = false
    private var collecting = false
    private var phonetic = 0
    private var sawValue = false

    private func readRow() throws -> XLSXRow? {
        guard !finished else { return nil }
        while true {
            switch try scanner.next() {
            case .finished:
                finished = true
                throw scanner.failure("ends before its rows do (the file is incomplete)")
            case .start:
                if !inSheetData {
                    if scanner.isNamed("sheetData") { inSheetData = true }
                } else if scanner.isNamed("row") {
                    try startRow()
                } else if scanner.isNamed("c") {
                    try startCell()
                } else if inCell, scanner.isNamed("v") {
                    collecting = true
                    sawValue = true
                } else if inCell, scanner.isNamed("rPh") {
                    phonetic += 1
                } else if inCell, scanner.isNamed("t") {
                    collecting = phonetic == 0
                    sawValue = true
                }
            case .end:
                guard inSheetData else { continue }
                if scanner.isNamed("v") || scanner.isNamed("t") {
                    collecting = false
                } else if scanner.isNamed("rPh") {
                    phonetic -= 1
                } else if scanner.isNamed("c") {
                    try endCell()
                } else if scanner.isNamed("row") {
                    if values.contains(where: { !$0.isEmpty }) {
                        return XLSXRow(number: rowNumber, values: values)
                    }
                } else if scanner.isNamed("sheetData") {
                    finished = true
                    return nil
                }
            case .text:
                guard collecting else { continue }
                guard cellText.count + scanner.text.count <= file.limits.maxTextBytes else {
                    throw scanner.failure("holds a text larger than the limit")
                }
                cellText.append(contentsOf: scanner.text)
            }
        }
    }

    private func startRow() throws {
        var number = lastRow + 1
        if let text = try scanner.attribute("r") {
            guard let given = Int(text), given > lastRow else {
                throw scanner.failure("holds rows out of order")
            }
            number = given
        }
        guard number <= file.limits.maxRows else {
            throw ArchiveError("The sheet goes beyond row \(file.limits.maxRows), more than Dossier reads.")
        }
        lastRow = number
        rowNumber = number
        values.removeAll(keepingCapacity: true)
    }

    private func startCell() throws {
        column = values.count
        if let reference = scanner.rawAttribute("r") {
            guard let given = Self.column(of: reference), given >= values.count else {
                throw scanner.failure("holds a cell reference that is not right or out of order in row \(rowNumber)")
            }
            column = given
        }
        guard column < file.limits.maxCellsPerRow else {
            throw ArchiveError("Row \(rowNumber) of the sheet has more than \(file.limits.maxCellsPerRow) cells.")
        }
        type = Array(scanner.rawAttribute("t") ?? [])
        style = try scanner.attribute("s").flatMap { Int($0) } ?? 0
        cellText.removeAll(keepingCapacity: true)
        inCell = true
        collecting = false
        sawValue = false
        phonetic = 0
    }

    private func endCell() throws {
        inCell = false
        collecting = false
        while values.count < column { values.append(.empty) }
        values.append(sawValue ? try value() : .empty)
    }

    /// The current cell's value, by its type (ECMA-376 Part 1, 18.18.11 ST_CellType).
    private func value() throws -> XLSXValue {
        func text() throws -> String {
            guard let decoded = OOXMLText.decode(cellText) else {
                throw scanner.failure("holds text that is not UTF-8")
            }
            return decoded
        }
        switch String(decoding: type, as: UTF8.self) {
        case "", "n":
            let raw = try text().trimmingCharacters()
            if raw.isEmpty { return .empty }
            return dateStyles.isDate(style)
                ? XLSXNumber.date(raw, uses1904Dates: uses1904Dates) : XLSXNumber.value(raw)
        case "s":
            guard let index = Int(try text().trimmingCharacters()) else { return .unreadable(.missingSharedString) }
            guard sharedStrings.strings.indices.contains(index) else { return .unreadable(.missingSharedString) }
            return .text(sharedStrings.strings[index])
        case "inlineStr", "str":
            return .text(try text())
        case "b":
            switch try text().trimmingCharacters() {
            case "1", "true": return .boolean(true)
            case "0", "false": return .boolean(false)
            default: return .unreadable(.notANumber)
            }
        case "e":
            return .unreadable(.formulaError(try text()))
        case "d":
            // Strict OOXML's ISO 8601 date cell: the day is its first ten characters.
            let raw = try text()
            guard let date = CivilDate(iso: String(raw.prefix(10))) else { return .unreadable(.dateOutOfRange) }
            return .date(date)
        default:
            throw scanner.failure("holds a cell of an unknown type")
        }
    }

    /// The column (0 for A) of a cell reference such as `C5` or `$AB$12`; nil when malformed.
    static func column(of reference: ArraySlice<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for byte in reference {
            switch byte {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                letters += 1
                guard letters <= 3 else { return nil }
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                letters += 1
                guard letters <= 3 else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard letters > 0 else { return nil }
                return column - 1
            default: return nil
            }
        }
        return nil
    }
}

extension String {
    /// Without leading and trailing XML white space.
    fileprivate func trimmingCharacters() -> String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\n" || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\n" || last == "\t" { text.removeLast() }
        return String(text)
    }
}
