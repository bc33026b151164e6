public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
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
    /// Imports people from a UTF-8 CSV file, or the first sheet of an Excel workbook (`.xlsx`,
    /// told by its content, identity numbers typed as text), all or nothing: every row is checked (identifiers,
    /// codes, organisations, duplicates, quotas counting the rows before it) and every problem is
    /// reported through `report`, in row order; if there is any, or on a dry run, nothing is
    /// written. Streams the file, so memory stays flat whatever its size.
    ///
    /// Reading, validating and sealing run on a second thread (`ImportReader`) while this one
    /// checks quotas and writes, inside one transaction; they meet through a small bounded queue.
    public func importPeople(
        from path: String,
        encoding asked: FeedEncoding? = nil,
        dryRun: Bool,
        today: CivilDate? = nil,
        progress: (Int) -> Void = { _ in },
        report: (ImportProblem) -> Void
    ) async throws -> ImportSummary {
        try require(.writePeople)
        let today = today ?? self.today
        // A user limited to some organisations files people in those only (nil: anywhere).
        let mayFileIn = try await mapErrors { try await store.actableOrganizations(of: actor, as: actor.role) }
        let encoding = asked ?? FeedFileSurvey.encoding(ofCSV: path) ?? .utf8
        let channel = ImportChannel()
        let reader = ImportReader(
            path: path,
            encoding: encoding,
            today: today,
            ladder: policies.rankLadder,
            channel: channel,
            store: store
        )
        let thread = Thread { reader.run() }
        thread.stackSize = 1 << 20
        thread.start()
        defer { channel.cancel() }

        var batch = channel.receive()
        if let failure = batch.failure { throw failure }
        var summary = ImportSummary()
        summary.dryRun = dryRun
        let outcome: ImportSummary = try await mapErrors {
            try await withHireBatch(bulk: true) { hires in
                while true {
                    summary.rows += batch.rowCount
                    for row in batch.rows {
                        var problems: [ImportProblem]
                        switch row {
                        case .problems(let found, let orgCode, let index):
                            problems = found
                            if let number = found.first?.row {
                                problems += try hires.checkInvalidRow(orgCode: orgCode, index: index).map { problem in
                                    ImportProblem(
                                        row: number,
                                        column: problem.column,
                                        shownValue: problem.column == "org_code" ? orgCode?.value ?? "" : "",
                                        message: problem.description
                                    )
                                }
                            }
                        case .person(let number, let person, _)
                        where mayFileIn.map({ !$0.contains(person.hire.orgCode) }) ?? false:
                            problems = [
                                ImportProblem(
                                    row: number,
                                    column: "org_code",
                                    shownValue: person.hire.orgCode.value,
                                    message: "is not one of the organisations you may file people in."
                                )
                            ]
                        case .person(let number, let person, let sealed):
                            var id: Int64?
                            problems = try hires.hire(person, sealed: sealed, personID: &id).map { problem in
                                ImportProblem(
                                    row: number,
                                    column: problem.column,
                                    shownValue: Self.shown(problem.column, of: person),
                                    message: problem.description
                                )
                            }
                        }
                        if !problems.isEmpty {
                            summary.rowsWithProblems += 1
                            summary.problems += problems.count
                            for problem in problems { report(problem) }
                        }
                    }
                    progress(summary.rows)
                    if let failure = batch.failure { throw failure }
                    if let digest = batch.digest {
                        summary.fileSHA256 = digest
                        break
                    }
                    batch = channel.receive()
                }
                guard summary.problems == 0, !dryRun else { return (summary, nil) }
                summary.imported = hires.hired
                let details = [
                    "rows": String(summary.rows),
                    "file_sha256": summary.fileSHA256,
                    "first_person": hires.firstPersonID.map(String.init) ?? "",
                    "last_person": hires.lastPersonID.map(String.init) ?? "",
                ]
                return (summary, ("person.import", "import", details))
            }
        }
        if outcome.accepted, !dryRun {
            logger.info("import committed", metadata: ["import.rows": "\(outcome.rows)"])
        }
        return outcome
    }

    /// The value shown beside a store-level problem: never a clear identity number.
    static func shown(_ column: String, of person: NewPerson) -> String {
        switch column {
        case "id_number": return person.idNumber.masked
        case "org_code": return person.hire.orgCode.value
        case "category": return person.hire.category.code
        case "post": return person.hire.post?.code ?? ""
        case "rank": return person.hire.rank?.code ?? ""
        case "status": return person.hire.status.code
        default: return ""
        }
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
