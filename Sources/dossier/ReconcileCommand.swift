import ArgumentParser
import DossierCore
import DossierService

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Check the records against social-insurance, payroll and attendance exports.",
        discussion: """
            First bring in the exports with 'reconcile import', then 'reconcile run' compares the \
            records with them and opens a case for each disagreement; work the cases with \
            'dossier case list', 'case show' and 'case resolve'. Which checks run, their limits and \
            the days each office has to act are in DATA/policies/reconciliation.yaml.
            """,
        subcommands: [Import.self, Run.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the records with the latest exports and open a case for each disagreement.",
            discussion: """
                For every person within your organisations, the record as of --as-of is compared \
                with the latest export of each kind taken on or before that day. Each finding opens \
                a case, unless one is already open for the same person and check, or an earlier \
                case about the same evidence was dismissed. Open cases whose disagreement has gone \
                are marked cleared. Running it again is safe.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(
            name: .customLong("as-of"),
            help: "The day to compare the records as of (YYYY-MM-DD; default: today).",
            transform: Parse.date
        )
        var asOf: CivilDate?
        @Option(help: "How to print the result: table or json.") var format: ImportOutputFormat = .table

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let summary = try await dossier.reconcile(asOf: asOf ?? dossier.today)
                switch format {
                case .json:
                    print(try JSONOutput.encode(ReconciliationRunJSON(summary)))
                case .table:
                    let feeds = FeedKind.allCases.map { kind in
                        "\(kind.rawValue): " + (summary.feeds[kind].map { "feed \($0)" } ?? "none")
                    }
                    print("Compared as of \(summary.asOf) (\(feeds.joined(separator: ", "))).")
                    print(
                        "\(summary.opened) opened, \(summary.alreadyOpen) already open, \(summary.cleared) cleared, "
                            + "\(summary.keptQuiet) left quiet by earlier dismissals."
                    )
                }
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import one export (社保参保明细, 工资发放 or 考勤) as a snapshot taken on a date, all or nothing.",
            discussion: """
                The file is CSV, in UTF-8 or GB18030 (found out from its bytes unless you say \
                --encoding), or an Excel workbook (.xlsx), of which the first sheet is read; in a \
                workbook, type identity numbers as text. Its header must name the columns this node's feed format lists \
                (DATA/policies/feeds/KIND.yaml); other columns are ignored. Every row is checked: \
                identity numbers, codes, dates, amounts (yuan, at most two decimals), and rows that \
                repeat another (the same person and insurance type, month or day). If any row has a \
                problem, nothing is written and every problem is listed, one line each, with its row \
                number (the header is row 1). An identity number of someone not on file is not a problem. \
                The same file cannot be imported twice.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "What the file is: social-insurance, payroll or attendance.", transform: Parse.feedKind)
        var kind: FeedKind
        @Argument(help: "The CSV file, or Excel workbook (.xlsx).") var file: String
        @Option(
            name: .customLong("as-of"),
            help: "The day the export was taken (YYYY-MM-DD).",
            transform: Parse.date
        )
        var asOf: CivilDate
        @Flag(help: "Check the file and report, but write nothing.") var dryRun = false
        @Option(
            help: "How a CSV file's text is encoded: utf-8 or gb18030 (default: found out from its bytes).",
            transform: Parse.feedEncoding
        )
        var encoding: FeedEncoding?
        @Option(help: "How to print the result: table or json.") var format: ImportOutputFormat = .table

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let summary: FeedImportSummary
                do {
                    summary = try await dossier.importFeed(
                        kind: kind,
                        path: file,
                        asOf: asOf,
                        dryRun: dryRun,
                        encoding: encoding
                    )
                } catch let error as ServiceError {
                    for problem in error.problems { printError(problem.description) }
                    throw error
                }
                switch format {
                case .json:
                    print(try JSONOutput.encode(FeedImportJSON(summary, dryRun: dryRun)))
                case .table:
                    // A workbook has no text encoding to speak of: say what was read instead.
                    let read = summary.isWorkbook ? "xlsx, first sheet" : summary.encoding.rawValue
                    if dryRun {
                        print("Checked \(summary.rows) rows (\(read)): no problems. Nothing was written (dry run).")
                    } else {
                        print(
                            "Imported \(summary.rows) rows of \(summary.kind.rawValue) as of \(summary.asOf) "
                                + "(\(read)) as feed \(summary.feedID ?? 0)."
                        )
                    }
                }
            }
        }
    }
}

/// How `reconcile import` prints what it did.
enum ImportOutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table
    case json
}

extension Parse {
    static func feedKind(_ text: String) throws -> FeedKind {
        guard let kind = FeedKind(rawValue: text) else {
            let kinds = FeedKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("'\(text)' is not a kind of feed; use one of \(kinds).")
        }
        return kind
    }

    static func feedEncoding(_ text: String) throws -> FeedEncoding {
        guard let encoding = FeedEncoding(rawValue: text.lowercased()) else {
            throw ValidationError("'\(text)' is not an encoding Dossier reads; use utf-8 or gb18030.")
        }
        return encoding
    }
}
