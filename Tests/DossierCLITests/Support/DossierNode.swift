import Foundation
import Synchronization
import Testing

/// The built `dossier` executable, found next to the test bundle or under the package's `.build`.
enum DossierBinary {
    static let url: Result<URL, CommandError> = locate()

    /// The executable, or a thrown error naming every place that was searched.
    static func require() throws -> URL {
        try url.get()
    }

    private static func locate() -> Result<URL, CommandError> {
        var candidates: [URL] = []
        // The test runner lives in the same build directory as the executable it depends on.
        let runner = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("dossier"))
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("dossier"))
        }
        // Tests/DossierCLITests/Support/DossierNode.swift → the package root.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let build = root.appendingPathComponent(".build")
        candidates.append(build.appendingPathComponent("debug/dossier"))
        let triples = (try? FileManager.default.contentsOfDirectory(atPath: build.path)) ?? []
        for triple in triples.sorted() {
            candidates.append(build.appendingPathComponent("\(triple)/debug/dossier"))
        }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) {
            return .success(candidate)
        }
        return .failure(
            CommandError(
                "The dossier executable was not found; run 'swift build --build-tests' first. Looked at: "
                    + candidates.map(\.path).joined(separator: ", ")
            )
        )
    }

    /// The inherited environment without Dossier's own variables, so only `--data` and `--as`
    /// decide what a command works on.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DOSSIER_") }
        environment.merge(extra) { _, new in new }
        return environment
    }
}

/// Runs `dossier` with exactly these arguments (no `--data`), in `scratch`.
func dossier(_ arguments: [String], scratch: URL) async throws -> CommandResult {
    try await runCommand(
        try DossierBinary.require(),
        arguments,
        environment: DossierBinary.environment(),
        scratch: scratch
    )
}

/// One data directory under a test's scratch directory, driven through the `dossier` executable.
struct DossierNode {
    /// Where command output files go.
    let scratch: URL
    /// The data directory passed as `--data`.
    let directory: URL

    init(scratch: URL, name: String = "data") {
        self.scratch = scratch
        self.directory = scratch.appendingPathComponent(name)
    }

    var databaseURL: URL { directory.appendingPathComponent("dossier.sqlite") }

    /// Runs `dossier ARGUMENTS --data DIR` to the end. A command acting `--as` another user than
    /// the administrator proves it with that user's API token, as a script must (issued the first
    /// time, see `token(for:)`), unless `environment` says otherwise.
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> CommandResult {
        if let user = Self.claimedUser(arguments), environment["DOSSIER_TOKEN"] == nil {
            _ = try await token(for: user)
        }
        return try await start(arguments, environment: environment).finish()
    }

    /// Starts `dossier ARGUMENTS --data DIR` without waiting for it (with the `--as` user's token
    /// when one was issued: call `token(for:)` first).
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> RunningCommand {
        var environment = environment
        if let user = Self.claimedUser(arguments), environment["DOSSIER_TOKEN"] == nil,
            let token = Self.tokens.withLock({ $0[tokenKey(user)] })
        {
            environment["DOSSIER_TOKEN"] = token
        }
        return try RunningCommand(
            executable: try DossierBinary.require(),
            arguments: arguments + ["--data", directory.path],
            environment: DossierBinary.environment(environment),
            scratch: scratch
        )
    }

    /// The API token `user` acts with on this node: issued by the administrator the first time
    /// (an audit entry: a test comparing the log before and after a command issues it first) and
    /// kept in memory; nil when it cannot be issued (no such user).
    @discardableResult
    func token(for user: String) async throws -> String? {
        if let saved = Self.tokens.withLock({ $0[tokenKey(user)] }) { return saved }
        let issued = try await start(["user", "token", user, "--label", "tests"]).finish()
        guard issued.status == 0 else { return nil }
        let secret = issued.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        Self.tokens.withLock { $0[tokenKey(user)] = secret }
        return secret
    }

    /// Tokens issued so far, by data directory and user.
    private static let tokens = Mutex<[String: String]>([:])

    private func tokenKey(_ user: String) -> String { directory.path + "\u{0}" + user }

    /// The user `--as` names, when it is not the administrator.
    private static func claimedUser(_ arguments: [String]) -> String? {
        guard let index = arguments.firstIndex(of: "--as"), index + 1 < arguments.count,
            arguments[index + 1] != "admin"
        else { return nil }
        return arguments[index + 1]
    }

    /// Runs a command that must succeed; a failure stops the test with what the command printed.
    @discardableResult
    func succeed(
        _ arguments: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> CommandResult {
        let result = try await run(arguments)
        try #require(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    // MARK: Fixtures

    func addOrganization(code: String, name: String) async throws {
        try await succeed(["org", "add", "--code", code, "--name", name, "--kind", "organ", "--level", "province"])
    }

    func setQuota(org: String, category: String = "admin", approved: Int, from: String = "2020-01-01") async throws {
        try await succeed(["quota", "set", org, "--category", category, "--approved", String(approved), "--from", from])
    }

    /// The arguments of `person add` for a minimal valid person.
    static func personAdd(idNumber: String, org: String, category: String = "admin", hiredOn: String) -> [String] {
        [
            "person", "add", "--id-number", idNumber, "--name", "张测试", "--ethnicity", "01", "--education", "20",
            "--political-status", "13", "--org", org, "--category", category, "--hired-on", hiredOn,
        ]
    }

    func addPerson(idNumber: String, org: String, category: String = "admin", hiredOn: String) async throws {
        try await succeed(Self.personAdd(idNumber: idNumber, org: org, category: category, hiredOn: hiredOn))
    }

    /// `quota show --format json`, decoded.
    func quotaRows(
        _ extra: [String] = [],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws
        -> [QuotaRow]
    {
        let result = try await succeed(["quota", "show", "--format", "json"] + extra, sourceLocation: sourceLocation)
        return try JSONDecoder().decode([QuotaRow].self, from: result.stdoutData)
    }

    /// `person list --format json` of everyone, decoded.
    func people(reveal: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [PersonRow] {
        let result = try await succeed(
            ["person", "list", "--format", "json", "--limit", "100000"] + (reveal ? ["--reveal"] : []),
            sourceLocation: sourceLocation
        )
        return try JSONDecoder().decode([PersonRow].self, from: result.stdoutData)
    }

    /// The audit head as printed by `audit head`.
    func auditHead(sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        try await succeed(["audit", "head"], sourceLocation: sourceLocation).stdout
    }
}

/// One row of `quota show --format json` (the contract's fields).
struct QuotaRow: Decodable, Hashable {
    var org: String
    var category: String
    var approved: Int
    var occupied: Int
    var vacant: Int
    var over: Int
}

/// One object of `person list --format json` (the contract's fields).
struct PersonRow: Decodable, Hashable {
    var id: Int64
    var name: String
    var idNumber: String
    var org: String?
    var category: String?
    var rank: String?
    var status: String?

    private enum CodingKeys: String, CodingKey {
        case id, name
        case idNumber = "id_number"
        case org, category, rank, status
    }
}
