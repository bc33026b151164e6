import ArgumentParser
import DossierCore
import DossierService
import DossierStore
import Foundation
import Logging

/// Options every command shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The data directory (default: $DOSSIER_DATA, else ./data).")
    var data: String?

    @Option(
        name: .customLong("as"),
        help: ArgumentHelp(
            "The user you act as; recorded in the audit log (default: $DOSSIER_USER, else the token's owner, else admin).",
            discussion: """
                Acting as anyone but admin needs proof: one of that user's API tokens in $DOSSIER_TOKEN, \
                or their password, typed when asked at a terminal.
                """
        )
    )
    var actor: String?

    /// Runs the node "on" a fixed date, for scripts replaying a day and for tests: every answer
    /// that depends on today is computed as of this date. `$DOSSIER_TODAY` does the same for every
    /// command a script runs. Hidden: not for everyday use.
    @Option(
        name: .long,
        help: ArgumentHelp("Act as if today were this date (YYYY-MM-DD; default $DOSSIER_TODAY).", visibility: .hidden),
        transform: Parse.date
    )
    var today: CivilDate?

    /// `$DOSSIER_TODAY`, checked once the options are read, so a mistyped one stops the command.
    var dayFromEnvironment: CivilDate? {
        ProcessInfo.processInfo.environment["DOSSIER_TODAY"].flatMap { $0.isEmpty ? nil : CivilDate(iso: $0) }
    }

    func validate() throws {
        if let text = ProcessInfo.processInfo.environment["DOSSIER_TODAY"], !text.isEmpty, CivilDate(iso: text) == nil {
            throw ValidationError("DOSSIER_TODAY: '\(text)' is not a date written YYYY-MM-DD, for example 2024-07-01.")
        }
    }

    var directory: DataDirectory { DataDirectory.resolve(data, backend: SQLiteBackend()) }

    /// The node's clock: the fixed date of `--today` or `$DOSSIER_TODAY`, else the system's.
    var clock: DayClock { (today ?? dayFromEnvironment).map(DayClock.fixed) ?? .system }

    /// Today by that clock.
    var currentDate: CivilDate { clock.today() }

    /// The user named by `--as`, else by `$DOSSIER_USER`; nil: none named.
    var claimedName: String? {
        if let actor, !actor.isEmpty { return actor }
        if let env = ProcessInfo.processInfo.environment["DOSSIER_USER"], !env.isEmpty { return env }
        return nil
    }

    /// The proof offered that the user is who they claim: `$DOSSIER_TOKEN`, else a password typed
    /// at the terminal when someone other than the node's administrator is named, else nothing
    /// (the administrator, who holds the data directory, needs none).
    func credential() throws -> Credential {
        if let token = ProcessInfo.processInfo.environment["DOSSIER_TOKEN"], !token.isEmpty {
            return .token(token.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        guard let name = claimedName, name != Dossier.nodeAdministrator else { return .none }
        guard PasswordPrompt.isAvailable else {
            throw ServiceError(
                .forbidden,
                """
                Acting as '\(name)' needs proof that you are \(name): set DOSSIER_TOKEN to one of their API tokens \
                ('dossier user token \(name) --label …' makes one), or run the command at a terminal and type their \
                password. Without --as you act as the node's administrator, which needs only this data directory.
                """,
                zh:
                    "以“\(name)”身份操作，须证明您就是 \(name)：将 DOSSIER_TOKEN 设为其 API 令牌之一，或在终端运行命令并输入其密码。不带 --as 时，您以节点管理员身份操作，只需本数据目录。"
            )
        }
        guard let password = PasswordPrompt.read("Password for \(name): "), !password.isEmpty else {
            throw ServiceError(.invalid, "No password was typed; nothing was done.", zh: "未输入密码；未作任何操作。")
        }
        return .password(password)
    }

    func open() async throws -> Dossier {
        try await Dossier.open(
            directory,
            claiming: claimedName,
            with: try credential(),
            logger: Logger(label: "dossier"),
            clock: clock
        )
    }
}

/// Options of commands that print listings.
struct FormatOptions: ParsableArguments {
    @Option(name: .long, help: "How to print: table, json or csv.")
    var format: OutputFormat = .table
}

extension OutputFormat: ExpressibleByArgument {}

/// The header row of a CSV of people: Chinese for the person opening it in Excel (with the
/// byte-order mark Excel needs), English column names for scripts.
enum HeaderLanguage: String, CaseIterable, ExpressibleByArgument {
    case zh, en
}

/// How a list of people is printed: the format, and for CSV its header row.
struct PeopleFormatOptions: ParsableArguments {
    @Option(name: .long, help: "How to print: table, json or csv.")
    var format: OutputFormat = .table
    @Option(
        help: ArgumentHelp(
            "CSV headers: zh (Chinese, and a byte-order mark so that Excel reads the file as UTF-8; the default) "
                + "or en (id, name, id_number, …, and no mark: for scripts)."
        )
    )
    var headers: HeaderLanguage = .zh
}

/// Turns option text into domain values while ArgumentParser reads the command line, so a bad
/// value is reported with the right command's usage, in one sentence, with exit status 64.
enum Parse {
    static func date(_ text: String) throws -> CivilDate {
        guard let date = CivilDate(iso: text) else {
            throw ValidationError("'\(text)' is not a date written YYYY-MM-DD, for example 2024-07-01.")
        }
        return date
    }

    static func code(_ text: String) throws -> CreditCode {
        do { return try CreditCode(text) } catch { throw ValidationError("'\(text)': \(error.description)") }
    }

    static func action(_ text: String) throws -> ActionKind {
        guard let kind = ActionKind(codeOrName: text) else {
            let kinds = ActionKind.allCases.map { "\($0.rawValue) (\($0.chineseName))" }.joined(separator: ", ")
            throw ValidationError("'\(text)' is not a personnel action; use one of \(kinds).")
        }
        return kind
    }

    static func exit(_ text: String) throws -> ActionKind {
        guard let kind = ActionKind(codeOrName: text), kind.exitStatus != nil else {
            throw ValidationError(
                "'\(text)' is not an exit; use transfer-out (调出), resign (辞职), retire (退休), dismiss (辞退) or expel (开除)."
            )
        }
        return kind
    }

    static func coded<T: CodedValue>(_ type: T.Type) -> @Sendable (String) throws -> T {
        { text in
            guard let value = T(codeOrName: text) else {
                let choices = T.allCases.map { "\($0.code) (\($0.chineseName))" }.joined(separator: ", ")
                throw ValidationError("'\(text)' is not a known \(T.tableName); use one of \(choices).")
            }
            return value
        }
    }
}
