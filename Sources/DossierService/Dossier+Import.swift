public import DossierCore
import DossierCrypto
import DossierStore
import Logging

/// One problem found in an import file, safe to print: identity and phone numbers are masked.
public struct ImportProblem: Sendable, Hashable, CustomStringConvertible {
    /// The spreadsheet row: the header is row 1, the first person row 2.
    public var row: Int
    /// The column concerned, or nil for a problem with the whole row.
    public var column: String?
    public var shownValue: String
    public var message: String

    public var description: String {
        var text = "row \(row)"
        if let column { text += ", \(column)" }
        if !shownValue.isEmpty { text += " \"\(shownValue)\"" }
        return text + ": " + message
    }
}

/// What an import did (or, when refused or rehearsed, would have done).
public struct ImportSummary: Sendable, Hashable {
    /// Person rows read (the header not counted).
    public var rows = 0
    /// Rows with at least one problem.
    public var rowsWithProblems = 0
    /// Problems found, all of them.
    public var problems = 0
    /// People filed (zero unless the import was committed).
    public var imported = 0
    public var dryRun = false
    /// SHA-256 of the file as read, recorded in the audit log.
    public var fileSHA256 = ""

    /// True when the file was accepted (and written, unless a dry run).
    public var accepted: Bool { problems == 0 }
}

extension Dossier {
    /// Imports people from a UTF-8 CSV file, all or nothing: every row is checked (identifiers,
    /// codes, organisations, duplicates, quotas counting the rows before it) and every problem is
    /// reported through `report` as it is found; if there is any, or on a dry run, nothing is
    /// written. Streams the file, so memory stays flat whatever its size.
    public func importPeople(
        from path: String,
        dryRun: Bool,
        today: CivilDate = .today(),
        report: (ImportProblem) -> Void
    ) throws -> ImportSummary {
        try require(.writePeople)
        let hasher = Hasher(.sha256)
        guard let reader = CSVReader(path: path, onBytes: { hasher.update($0) }) else {
            throw ServiceError(.notFound, "Cannot read the file \(path).")
        }
        var summary = ImportSummary()
        summary.dryRun = dryRun

        // The header decides the column order.
        guard let headerResult = reader.next() else {
            throw ServiceError(.invalid, "The file \(path) is empty; it needs a header row.")
        }
        guard case .success(let header) = headerResult else {
            throw ServiceError(.invalid, "The header row of \(path) cannot be read as UTF-8 CSV.")
        }
        let columns = header.map { $0.trimmingSpaces() }
        var headerProblems: [String] = []
        for column in columns where !PersonInput.columns.contains(column) {
            headerProblems.append("unknown column '\(column)'")
        }
        for column in PersonInput.columns where !columns.contains(column) {
            headerProblems.append("missing column '\(column)'")
        }
        for column in Set(columns) where columns.filter({ $0 == column }).count > 1 {
            headerProblems.append("column '\(column)' appears twice")
        }
        guard headerProblems.isEmpty else {
            throw ServiceError(
                .invalid,
                "The header row is not right (\(headerProblems.joined(separator: "; "))); it must name these columns in any order: \(PersonInput.columns.joined(separator: ","))."
            )
        }

        let actorName = actor.name
        let outcome: ImportSummary = try mapErrors {
            try store.withHireBatch(actor: actorName) { batch in
                var rowNumber = 1
                while let record = reader.next() {
                    rowNumber += 1
                    summary.rows += 1
                    var rowProblems: [ImportProblem] = []
                    func add(_ column: String?, _ shown: String, _ message: String) {
                        rowProblems.append(ImportProblem(row: rowNumber, column: column, shownValue: shown, message: message))
                    }
                    switch record {
                    case .failure(let problem):
                        switch problem {
                        case .invalidUTF8(let field):
                            add(columns.indices.contains(field - 1) ? columns[field - 1] : nil, "", "not valid UTF-8 text.")
                        case .strayQuote(let field):
                            add(
                                columns.indices.contains(field - 1) ? columns[field - 1] : nil,
                                "",
                                "a double quote inside a value must be doubled and the value quoted."
                            )
                        case .unterminatedQuote:
                            add(nil, "", "a quoted value is never closed.")
                        }
                    case .success(let fields) where fields.count != columns.count:
                        add(nil, "", "has \(fields.count) values; the header has \(columns.count).")
                    case .success(let fields):
                        var input = PersonInput()
                        for (column, value) in zip(columns, fields) { input.set(column, value) }
                        switch input.validated(today: today) {
                        case .failure(let problems):
                            for problem in problems.all { add(problem.column, problem.shownValue, problem.message) }
                        case .success(let person):
                            var id: Int64?
                            for problem in try batch.hire(person, personID: &id) {
                                let shown: String
                                switch problem.column {
                                case "id_number": shown = person.idNumber.masked
                                case "org_code": shown = person.hire.orgCode.value
                                case "category": shown = person.hire.category.code
                                case "post": shown = person.hire.post?.code ?? ""
                                default: shown = ""
                                }
                                add(problem.column, shown, problem.description)
                            }
                        }
                    }
                    if !rowProblems.isEmpty {
                        summary.rowsWithProblems += 1
                        summary.problems += rowProblems.count
                        for problem in rowProblems { report(problem) }
                    }
                }
                summary.fileSHA256 = Hex.encode(hasher.finish())
                guard summary.problems == 0, !dryRun else { return (summary, nil) }
                summary.imported = batch.hired
                let details = [
                    "rows": String(summary.rows),
                    "file_sha256": summary.fileSHA256,
                    "first_person": batch.firstPersonID.map(String.init) ?? "",
                    "last_person": batch.lastPersonID.map(String.init) ?? "",
                ]
                return (summary, ("person.import", "import", details))
            }
        }
        if outcome.accepted, !dryRun {
            logger.info("import committed", metadata: ["import.rows": "\(outcome.rows)"])
        }
        return outcome
    }
}

extension String {
    func trimmingSpaces() -> String {
        var text = Substring(self)
        while text.first == " " || text.first == "\t" { text.removeFirst() }
        while text.last == " " || text.last == "\t" { text.removeLast() }
        return String(text)
    }
}
