import ArgumentParser
import DossierCore
import DossierHTTP
import DossierService
import Foundation
import Logging

@main
struct DossierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dossier",
        abstract: "Dossier keeps real-name personnel files, staffing quotas (编制) and a tamper-evident audit log.",
        discussion: """
            Every command works on one data directory (--data, default ./data) and acts as one user \
            (--as, default admin, the node's administrator, who needs only the data directory; anyone else \
            proves who they are with their password at a terminal or their API token in DOSSIER_TOKEN). \
            Dates are written YYYY-MM-DD. Start with 'dossier init', or \
            'dossier demo' for a province of sample records.
            """,
        version: DossierVersion.text,
        subcommands: [
            InitCommand.self, DemoCommand.self, OrgCommand.self, QuotaCommand.self, PersonCommand.self,
            ActionCommand.self, DocCommand.self, ArchiveCommand.self, KeysCommand.self, UserCommand.self,
            AuditCommand.self, ReconcileCommand.self, CaseCommand.self, AssessmentCommand.self, SanctionCommand.self,
            PromotionCommand.self, PolicyCommand.self, ExchangeCommand.self, AgencyCommand.self, ReportCommand.self,
            CheckCommand.self, BackupCommand.self, RestoreCommand.self, ServeCommand.self,
        ]
    )

    /// Sets up logging (warnings and above on stderr unless DOSSIER_LOG_LEVEL says otherwise) and a
    /// UTF-8 character locale, then runs the command.
    static func main() async {
        let level = ProcessInfo.processInfo.environment["DOSSIER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:))
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level ?? .warning
            return handler
        }
        setlocale(LC_CTYPE, "C.UTF-8")
        // Only here (main thread, nothing running yet) may the server move its request handlers
        // onto its event loops.
        if CommandLine.arguments.dropFirst().first == ServeCommand.configuration.commandName,
            !runRequestHandlersOnEventLoops()
        {
            printError("dossier: note: request handlers run on Swift's own thread pool (slower).")
        }
        if let mistake = CommandSuggestion.mistake(in: Array(CommandLine.arguments.dropFirst()), root: Self.self) {
            printError("dossier: \(mistake)")
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        await main(nil)
    }

    /// Runs a command body, turning Dossier's refusals into one sentence on stderr and exit status 1.
    static func perform(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as ServiceError {
            printError("dossier: \(error.message)" + (error.cause.map { " (\($0))" } ?? ""))
            throw ExitCode.failure
        }
    }
}

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty data directory with its key file and the 'admin' user."
    )

    @OptionGroup var global: GlobalOptions
    @Option(
        help: "The unified social credit code of the agency this node speaks for in transfers.",
        transform: Parse.code
    )
    var agency: CreditCode?
    @Option(name: .customLong("agency-name"), help: "The agency's name (with --agency).")
    var agencyName: String?

    func validate() throws {
        guard (agency == nil) == (agencyName == nil) else {
            throw ValidationError("--agency and --agency-name go together.")
        }
    }

    func run() async throws {
        try await DossierCommand.perform {
            try await Dossier.initialize(
                global.directory,
                agency: agency.flatMap { code in agencyName.map { Agency(code: code, name: $0) } }
            )
            print("Created a Dossier node in \(global.directory.path).")
            print("The key file \(global.directory.fieldKeyPath) protects identity numbers: back it up separately.")
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill a new data directory with a synthetic province: organisations, quotas and people.",
        discussion: """
            The same --seed and --as-of always give the same records. Creates the data directory if needed. \
            Also imports small social-insurance, payroll and attendance feeds about a few of the people, taken \
            five days before --as-of, and compares them with the records once, so a few cases are open \
            (not with --people-csv, nor when --as-of is after today).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many people to hire.")
    var people = 2_000

    @Option(help: "The random seed.")
    var seed: UInt64 = 1

    @Option(
        name: .customLong("as-of"),
        help: "The date the province is generated as of (YYYY-MM-DD).",
        transform: Parse.date
    )
    var asOf: CivilDate = Dossier.demoReferenceDate

    @Option(
        name: .customLong("people-csv"),
        help: "Write the people to this CSV file (the import format) instead of hiring them."
    )
    var peopleCSV: String?

    @Flag(
        help: "Give every demo user a random password, written to DATA/demo-passwords.txt (readable by you only)."
    )
    var passwords = false

    func validate() throws {
        guard people >= 0 else { throw ValidationError("--people cannot be negative.") }
    }

    func run() async throws {
        try await DossierCommand.perform {
            if !global.directory.exists {
                try await Dossier.initialize(global.directory)
            }
            let dossier = try await global.open()
            let meter = ProgressMeter(label: "hiring", unit: .items("people"), total: Int64(people))
            let summary = try await dossier.loadDemo(people: people, seed: seed, today: asOf, peopleCSV: peopleCSV) {
                meter.show(Int64($0))
            }
            meter.end()
            if let peopleCSV {
                print("Loaded \(summary.organizations) organisations; wrote \(summary.people) people to \(peopleCSV).")
            } else {
                print(
                    "Loaded \(summary.organizations) organisations and \(summary.people) people; "
                        + "\(summary.overQuotaUnits) units are over quota after a quota cut."
                )
            }
            if summary.feeds > 0 {
                print(
                    "Imported \(summary.feeds) small social-insurance, payroll and attendance feeds and compared them "
                        + "with the records: \(summary.openCases) cases are open (`dossier case list`, or Cases on the web pages)."
                )
            }
            if !summary.users.isEmpty {
                print("Demo users (use with --as): \(summary.users.joined(separator: ", ")).")
            }
            if passwords {
                let path = try await dossier.writeDemoPasswords(users: ["admin"] + summary.users)
                print("Their passwords (for the web pages, and for --as at a terminal) are in \(path).")
            }
        }
    }
}
