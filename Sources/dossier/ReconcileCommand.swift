import ArgumentParser
import DossierCore
import DossierService

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Bring in social-insurance, payroll and attendance exports to check the records against.",
        subcommands: [Import.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import one export (社保参保明细, 工资发放 or 考勤) as a snapshot taken on a date, all or nothing.",
            discussion: """
                The file is CSV, in UTF-8 or GB18030 (found out from its bytes unless you say \
                --encoding). Its header must name the columns this node's feed format lists \
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
        @Argument(help: "The CSV file.") var file: String
        @Option(
            name: .customLong("as-of"),
            help: "The day the export was taken (YYYY-MM-DD).",
            transform: Parse.date
        )
        var asOf: CivilDate
        @Flag(help: "Check the file and report, but write nothing.") var dryRun = false
        @Option(
            help: "How the file's text is encoded: utf-8 or gb18030 (default: found out from its bytes).",
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
                    if dryRun {
                        print(
                            "Checked \(summary.rows) rows (\(summary.encoding.rawValue)): no problems. Nothing was written (dry run)."
                        )
                    } else {
                        print(
                            "Imported \(summary.rows) rows of \(summary.kind.rawValue) as of \(summary.asOf) "
                                + "(\(summary.encoding.rawValue)) as feed \(summary.feedID ?? 0)."
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
