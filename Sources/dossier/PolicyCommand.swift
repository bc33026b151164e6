import ArgumentParser
import DossierCore
import DossierPolicy
import DossierService
import Foundation

/// `dossier policy`: the rule files a node runs under (ranks, promotion, assessment, status
/// changes, feeds), for a personnel officer who wants to see what is in force, or to check an
/// edited file before putting it in place. Reading files needs no user and no database: these
/// commands look at the node's `policies/` folder when there is one, else at the shipped files.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "See the rule files in force, and check an edited one before using it.",
        discussion: """
            A node reads its rules from DATA/policies (copies made by 'dossier init', which you may edit); a \
            file the node has no copy of is read from the files shipped with Dossier. These commands show the \
            node's copies when DATA/policies exists (--data, else $DOSSIER_DATA, else ./data), and the shipped \
            files otherwise. Each file holds versions, each in force from its effective_from date; \
            local-rules.yaml changes single figures from a date.
            """,
        subcommands: [List.self, Show.self, Validate.self]
    )

    /// The node's policy folder when it exists, else the shipped files.
    static func source(_ global: GlobalOptions) -> PolicySource {
        var isFolder: ObjCBool = false
        let folder = global.directory.policiesPath
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            return .shipped
        }
        return PolicySource(folder: folder)
    }

    /// Runs a body, turning a policy file's refusal into one sentence on stderr and exit status 1.
    static func perform(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as PolicyError {
            printError("dossier: \(error.description)")
            throw ExitCode.failure
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each rule file: its kind, where it is read from, and its versions with their dates.",
            discussion: """
                'node' means the node's own copy in DATA/policies, 'shipped' the file that comes with Dossier. \
                A file that would stop the node from starting is listed with the reason. With --format json: \
                one object per file with kind, file, source, versions (effective_from, line) and problem. Exit \
                status 1 when a file does not load.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            let entries = PolicyCommand.source(global).entries()
            if output.format == .json {
                print(try JSONOutput.encode(entries.map(PolicyFileJSON.init)))
            } else {
                print(
                    Listing(
                        headers: ["kind", "file", "source", "versions", "state"],
                        rows: entries.map { entry in
                            [
                                entry.kind, entry.source.file, entry.source.isNodeCopy ? "node" : "shipped",
                                PolicyFileJSON.versionsText(entry.versions),
                                entry.problem.map { "does not load: \($0.reason)" } ?? "ok",
                            ]
                        }
                    ).render(output.format)
                )
            }
            if entries.contains(where: { $0.problem != nil }) { throw ExitCode.failure }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print the version of a rule file in force on a date, as written, and the local rules changing it.",
            discussion: """
                KIND is a kind from 'dossier policy list' (civil-service-ranks-2019, rank-ladder, …) or a file \
                name (feeds/payroll.yaml); feed formats are named by file.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The kind of rule file, or its file name.") var kind: String
        @Option(help: "The date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?

        func validate() throws {
            _ = try fileName()
        }

        /// The file KIND names, or a usage error listing what may be named.
        func fileName() throws -> String {
            if PolicyKinds.kind(fileName: kind) != nil { return kind }
            if let files = PolicyKinds.fileNames(kind: kind) {
                guard files.count == 1 else {
                    throw ValidationError(
                        "'\(kind)' has one file per feed; name one: \(files.joined(separator: ", "))."
                    )
                }
                return files[0]
            }
            throw ValidationError(
                "'\(kind)' is not a kind of rule file; use one of \(PolicyKinds.kindNames), or a file name."
            )
        }

        func run() async throws {
            let name = try fileName()
            let day = date ?? global.currentDate
            try PolicyCommand.perform {
                let found = try PolicyCommand.source(global).inForce(name, on: day)
                let origin = found.source.isNodeCopy ? "the node's copy" : "shipped with Dossier"
                guard let version = found.version else {
                    print("# \(found.source.file) (\(origin)) holds no version: it changes nothing.")
                    return
                }
                let since = version.effectiveFrom.map { "in force on \(day), since \($0)" } ?? "not dated"
                print("# \(found.source.file) (\(origin)), line \(version.line): the version \(since)")
                print(version.text.trimmingCharacters(in: .newlines))
                if let rule = found.localRule {
                    print("")
                    print(
                        "# changed on \(day) by the local rule from \(rule.from) (local-rules.yaml, line \(rule.line)):"
                    )
                    print(rule.text.trimmingCharacters(in: .newlines))
                }
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Check a rule file before putting it in DATA/policies: exit 0 if it can be used, else the line and what is wrong.",
            discussion: """
                The file is read by the kind it names on its 'kind:' line. Ranks are checked against the node's \
                rank ladder when DATA/policies exists, else against the shipped one; local rules are checked \
                against the policies they change.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The rule file to check (YAML).") var file: String

        func run() async throws {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                printError("dossier: Cannot read \(file); check the path and that it is UTF-8 text.")
                throw ExitCode.failure
            }
            try PolicyCommand.perform {
                let checked = try PolicyCommand.source(global).validate(text, file: file)
                let versions = checked.versions
                let summary: String
                if versions.isEmpty {
                    summary = "no versions (it changes nothing)"
                } else if let first = versions[0].effectiveFrom {
                    summary = "\(versions.count) version\(versions.count == 1 ? "" : "s") from \(first)"
                } else {
                    summary = "1 version (not dated)"
                }
                print("valid: \(checked.kind), \(summary)")
            }
        }
    }
}

/// One file of `dossier policy list --format json`.
struct PolicyFileJSON: Encodable {
    struct Version: Encodable {
        var effectiveFrom: CivilDate?
        var line: Int

        private enum CodingKeys: String, CodingKey {
            case effectiveFrom = "effective_from"
            case line
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            // Written out even when nil: an undated policy says so.
            try container.encode(effectiveFrom, forKey: .effectiveFrom)
            try container.encode(line, forKey: .line)
        }
    }

    var kind: String
    var file: String
    var source: String
    var versions: [Version]
    var problem: String?

    init(_ entry: PolicySource.Entry) {
        kind = entry.kind
        file = entry.source.file
        source = entry.source.isNodeCopy ? "node" : "shipped"
        versions = entry.versions.map { Version(effectiveFrom: $0.effectiveFrom, line: $0.line) }
        problem = entry.problem?.description
    }

    private enum CodingKeys: String, CodingKey {
        case kind, file, source, versions, problem
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(file, forKey: .file)
        try container.encode(source, forKey: .source)
        try container.encode(versions, forKey: .versions)
        try container.encode(problem, forKey: .problem)
    }

    /// The dates for the table: "2019-06-01, 2025-01-01", "not dated", or "none".
    static func versionsText(_ versions: [PolicyEnvelope.Version]) -> String {
        guard !versions.isEmpty else { return "none" }
        let dates = versions.compactMap(\.effectiveFrom).map(\.description)
        return dates.isEmpty ? "not dated" : dates.joined(separator: ", ")
    }
}
