import ArgumentParser
import DossierService

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the whole node: database, audit log, document files, placements, quotas, policies.",
        discussion: """
            Looks at everything and changes nothing (unless --repair): SQLite's own integrity and \
            foreign-key checks; the audit log's chain; every document file present and matching its \
            recorded digests, and files on disk that no record refers to; every person's placements \
            against their actions folded again; every quota's occupancy today against a recount; the \
            policy files and statistical tables. Exits 0 when all hold, 1 with each finding named. \
            The check is recorded in the audit log. Administrators only.
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(name: .long, help: "How to print: table or json.") var format: OutputFormat = .table
    @Flag(help: "Remove document files that no record refers to (nothing else is ever changed).")
    var repair = false

    func run() async throws {
        try await DossierCommand.perform {
            let meter = ProgressMeter(label: "checking timelines", unit: .items("people"), quiet: format == .json)
            let result = try await global.open().checkNode(repair: repair) { meter.show(Int64($0)) }
            meter.end()
            if format == .json {
                print(try JSONOutput.encode(NodeCheckJSON(result)))
            } else {
                for area in NodeCheck.Area.allCases {
                    let findings = result.findings.filter { $0.area == area }
                    let examined = result.examined[area].map { " (\($0) looked at)" } ?? ""
                    print("\(findings.isEmpty ? "ok    " : "FAILED") \(area.title)\(examined)")
                    for finding in findings { print("       - \(finding.text)") }
                    for note in result.notes where note.area == area { print("       note: \(note.text)") }
                }
                for line in result.repaired { print("repaired: \(line)") }
                print(
                    result.passed
                        ? "The node is consistent."
                        : "The node is not consistent: \(result.findings.count) finding(s) above."
                )
            }
            if !result.passed { throw ExitCode.failure }
        }
    }
}
