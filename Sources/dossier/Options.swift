import ArgumentParser
import DossierCore
import DossierService
import Foundation

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $DOSSIER_DATA, else ./data).")
    var data: String?

    @Option(
        name: .customLong("as"),
        help: "The user you act as; recorded in the audit log (default: $DOSSIER_USER, else admin)."
    )
    var actor: String?

    var directory: DataDirectory { DataDirectory.resolve(data) }

    var actorName: String {
        if let actor, !actor.isEmpty { return actor }
        if let env = ProcessInfo.processInfo.environment["DOSSIER_USER"], !env.isEmpty { return env }
        return "admin"
    }

    func open() throws -> Dossier {
        try Dossier.open(directory, as: actorName)
    }
}

/// Options of commands that print listings.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "How to print: table, json or csv.")
    var format: OutputFormat = .table
}

extension OutputFormat: ExpressibleByArgument {}

/// Parses an effective date option, in YYYY-MM-DD.
func parseDate(_ text: String?, option: String) throws -> CivilDate {
    guard let text else { return .today() }
    guard let date = CivilDate(iso: text) else {
        throw ValidationError("\(option) must be a real date written YYYY-MM-DD, for example 2024-07-01.")
    }
    return date
}

func parseCode(_ text: String, option: String) throws -> CreditCode {
    do { return try CreditCode(text) } catch { throw ValidationError("\(option): \(error.description)") }
}

func parseCoded<T: CodedValue>(_ type: T.Type, _ text: String, option: String) throws -> T {
    guard let value = T(codeOrName: text) else {
        let choices = T.allCases.map { "\($0.code) (\($0.chineseName))" }.joined(separator: ", ")
        throw ValidationError("\(option): '\(text)' is not a known \(T.tableName); use one of \(choices).")
    }
    return value
}
