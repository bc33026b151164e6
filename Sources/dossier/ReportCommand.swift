import ArgumentParser
import DossierCore
import DossierReports
import DossierService
import Foundation

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Statistical tables (统计报表) as of any date, checked, as CSV, Excel, a printable page or JSON.",
        discussion: """
            The tables are defined in files: those shipped with Dossier, and any the node adds in \
            its data directory under reports/ (a file there with a shipped table's name replaces \
            it). Each table runs its checks (校核式) every time; a failed check is printed on \
            standard error with the cell and both figures, and the table is still written, \
            marked, because the cause may be in the data.
            """,
        subcommands: [List.self, Run.self, File.self]
    )

    /// On screen, or one of the files a table is written as (`ReportFormat`).
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, xlsx, html, json
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tables this node can run.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                let catalog = try await global.open().reportCatalog()
                if output.format == .json {
                    print(
                        try JSONOutput.encode(
                            catalog.definitions.map {
                                [
                                    "name": $0.name, "number": String($0.number), "title": $0.title,
                                    "measure": $0.measure.name,
                                ]
                            }
                        )
                    )
                } else {
                    let listing = Listing(
                        headers: ["number", "name", "title"],
                        rows: catalog.definitions.map { [String($0.number), $0.name, $0.title] },
                        chineseHeaders: ["表号", "名称", "标题"]
                    )
                    print(listing.render(output.format))
                }
            }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run one table as of a date and write it.",
            discussion: """
                Examples:
                  dossier report run level --as-of 2026-12-31 --format xlsx --out 表2.xlsx
                  dossier report run movements --from 2026-01-01 --as-of 2026-12-31 --format html --out 表1.html
                The movements table covers --from to --as-of (by default 1 January to --as-of); \
                every other table counts on --as-of. --org limits a table to one unit and those \
                under it; without it a table covers every unit you may read.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The table's name, as 'dossier report list' shows it (e.g. level).") var name: String
        @Option(
            name: .customLong("as-of"),
            help: "The table's date (时点), YYYY-MM-DD (default today).",
            transform: Parse.date
        )
        var asOf: CivilDate?
        @Option(
            help: "The first day of the period, for the movements table (default 1 January).",
            transform: Parse.date
        )
        var from: CivilDate?
        @Option(help: "Only this unit and those under it (credit code).", transform: Parse.code) var org: CreditCode?
        @Option(help: "table (on screen), csv, xlsx, html or json.") var format: Format = .table
        @Option(help: "Write to this file instead of standard output (needed for xlsx).") var out: String?
        @Option(name: .customLong("unit-head"), help: "单位负责人, printed in the cover block of xlsx and html.")
        var unitHead: String?
        @Option(
            name: .customLong("reported-on"),
            help: "报出日期 in the cover block (default: a blank line to fill in).",
            transform: Parse.date
        )
        var reportedOn: CivilDate?

        func validate() throws {
            if format == .xlsx, out == nil { throw ValidationError("An Excel file needs --out FILE.xlsx.") }
        }

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let date = asOf ?? global.currentDate
                let table = try await dossier.runReport(name, asOf: date, from: from, org: org)
                let cover = ReportCover(for: table, principal: unitHead, reportedOn: reportedOn)
                let bytes: [UInt8]
                if let file = ReportFormat(rawValue: format.rawValue) {
                    // A JSON document ends its line on a terminal, as every JSON output here does.
                    bytes = try file.bytes(of: table, cover: cover) + (file == .json ? [10] : [])
                } else {
                    bytes = Array((ReportCommand.screen(table) + "\n").utf8)
                }
                if let out {
                    guard FileManager.default.createFile(atPath: out, contents: Data(bytes)) else {
                        throw ServiceError(.invalid, "Cannot write the file \(out).", zh: "无法写入文件 \(out)。")
                    }
                } else {
                    FileHandle.standardOutput.write(Data(bytes))
                }
                for check in table.checks where !check.passed {
                    printError(
                        "dossier: 校核未通过 (check failed) in 表\(table.number) at \(check.cell): \(check.rule); expected \(check.expected), found \(check.actual)."
                    )
                }
            }
        }
    }

    struct File: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Keep a table's figures as filed (报出), for the next period's checks.",
            discussion: """
                Run this when a table is sent to the statistics office. Next period, the \
                movements table checks its 期初 against the 期末 filed here for the same unit: a \
                back-dated action since then shows as a failed check. Filing again keeps both; the \
                newest counts.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The table's name, as 'dossier report list' shows it.") var name: String
        @Option(name: .customLong("as-of"), help: "The table's date (时点), YYYY-MM-DD.", transform: Parse.date)
        var asOf: CivilDate
        @Option(
            help: "The first day of the period, for the movements table (default 1 January).",
            transform: Parse.date
        )
        var from: CivilDate?
        @Option(help: "Only this unit and those under it (credit code).", transform: Parse.code) var org: CreditCode?

        func run() async throws {
            try await DossierCommand.perform {
                let table = try await global.open().fileReport(name, asOf: asOf, from: from, org: org)
                print("Filed 表\(table.number) \(table.title) for \(table.scope) as of \(table.asOf).")
                for check in table.checks where !check.passed {
                    printError(
                        "dossier: 校核未通过 (check failed) in 表\(table.number) at \(check.cell): \(check.rule); expected \(check.expected), found \(check.actual)."
                    )
                }
            }
        }
    }

    /// The table as aligned text for a terminal, with its checks below it.
    static func screen(_ table: ReportTable) -> String {
        var text = "表\(table.number) \(table.title)\n"
        text += "填报单位: \(table.scope)   时点: \(table.asOf)"
        if let from = table.from { text += "   统计期间: \(from) 至 \(table.asOf)" }
        text += "\n"
        let listing = Listing(
            headers: [table.rowHeader] + table.columns,
            rows: table.rows.map { [$0.label] + $0.values.map(String.init) }
        )
        text += listing.render(.table)
        for check in table.checks {
            text +=
                "\n校核 \(check.passed ? "通过" : "未通过"): \(check.rule) (\(check.cell): \(check.expected) / \(check.actual))"
        }
        return text
    }
}
