public import DossierCore
import Foundation

/// One kind of policy file read into its domain value: the one shape every loader in this module
/// has, so that a file can be checked by the kind it names (`dossier policy validate FILE`) and
/// every kind listed, without a list of special cases at each caller.
public protocol PolicyAdapter {
    /// What the file reads into (a `Dated` value for a dated policy).
    associatedtype Policy: Sendable

    /// The policy's name in the envelope (`kind:`).
    static var kind: String { get }
    /// The shipped files of this kind, relative to `Policies/` (feed formats have one per feed).
    static var fileNames: [String] { get }
    /// Whether each version carries an `effective_from` (all but the document policy).
    static var isDated: Bool { get }

    /// Parses and checks the whole file, or refuses it with the file, the line and the reason;
    /// what a kind needs besides its own text (the rank ladder, the policies local rules change)
    /// comes from `context`.
    static func load(yaml text: String, file: String, context: PolicyContext) throws(PolicyError) -> Policy

    /// The versions of the file as written (its envelope only, not their content).
    static func versions(of text: String, file: String) throws(PolicyError) -> [PolicyEnvelope.Version]
}

/// What a policy file may need besides its own text to be checked.
public struct PolicyContext: Sendable {
    /// The rank ladder, every version: ranks are read by code or name with the one in force on
    /// a version's date.
    public var ladder: Dated<RankLadder>
    /// The feed a format file is for; nil: the one its first version names.
    public var feed: FeedKind?
    /// The policies local rules change, before any change; nil: local rules are checked alone
    /// (ranks and figures, not whether a changed step exists).
    public var promotion: Dated<PromotionPolicy>?
    public var publicInstitution: Dated<AssessmentPolicy>?

    public init(
        ladder: Dated<RankLadder>,
        feed: FeedKind? = nil,
        promotion: Dated<PromotionPolicy>? = nil,
        publicInstitution: Dated<AssessmentPolicy>? = nil
    ) {
        self.ladder = ladder
        self.feed = feed
        self.promotion = promotion
        self.publicInstitution = publicInstitution
    }
}

extension PolicyAdapter {
    /// Loads the file (refusing it as `load` does) and returns its versions as written, for a
    /// summary that does not need the kind's own value.
    public static func check(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> [PolicyEnvelope.Version]
    {
        _ = try load(yaml: text, file: file, context: context)
        return try versions(of: text, file: file)
    }

    /// The envelope's versions, dated or not as the kind is.
    public static func versions(of text: String, file: String) throws(PolicyError) -> [PolicyEnvelope.Version] {
        try PolicyEnvelope.versions(of: text, kind: kind, dated: isDated, file: file)
    }
}

/// Every kind of policy file Dossier reads, and the choice of one by the `kind:` a file names.
public enum PolicyKinds {
    /// In the order a node reads them (the ladder before what names ranks; the policies local
    /// rules change before the local rules).
    public static var all: [any PolicyAdapter.Type] {
        [
            StatusMachinePolicy.self, RankLadderFile.self, RankQuotaPolicyFile.self, DocumentPolicyFile.self,
            FeedFormatFile.self, ReconciliationPolicyFile.self, ExchangePolicyFile.self, CivilServiceRanksFile.self,
            PublicInstitutionStaffFile.self, LocalRulesFile.self,
        ]
    }

    /// The adapter of `kind`, or nil.
    public static func adapter(kind: String) -> (any PolicyAdapter.Type)? {
        all.first { $0.kind == kind }
    }

    /// The adapter of a shipped file name (`feeds/payroll.yaml`), or nil.
    public static func adapter(fileName: String) -> (any PolicyAdapter.Type)? {
        all.first { $0.fileNames.contains(fileName) }
    }

    /// The adapter for `text` by the `kind:` of its first version; a file holding no version
    /// (comments only: a node's empty local rules) is taken by its name. An unknown or missing
    /// kind is refused with the file, the line and the kinds there are.
    public static func adapter(for text: String, file: String) throws(PolicyError) -> any PolicyAdapter.Type {
        let base = file.split(separator: "/").last.map(String.init) ?? file
        switch choose(text, base: base) {
        case .success(let chosen): return chosen
        case .failure(let error): throw PolicyError(file: file, reason: error.reason)
        }
    }

    /// The shipped files of `kind`, or nil for a kind Dossier does not know. (Plain values for
    /// callers: Swift 6.3 crashes compiling a `throw` made while an opened adapter type is live.)
    public static func fileNames(kind: String) -> [String]? {
        adapter(kind: kind).map { $0.fileNames }
    }

    /// The kind of a shipped file name, or nil.
    public static func kind(fileName: String) -> String? {
        adapter(fileName: fileName).map { $0.kind }
    }

    /// The names of every kind, for messages.
    public static var kindNames: String {
        all.map { $0.kind }.joined(separator: ", ")
    }

    /// Why no adapter could be chosen (the file is added by the caller).
    private struct Unchosen: Error {
        var reason: String
    }

    /// The choice itself, without typed throws: kept apart so the opened existentials stay in
    /// plain code (Swift 6.3's SIL generation crashes on them inside a `throws(PolicyError)`
    /// function).
    private static func choose(_ text: String, base: String) -> Result<any PolicyAdapter.Type, Unchosen> {
        guard let found = firstKind(in: text) else {
            if isCommentsOnly(text), let byName = adapter(fileName: base) { return .success(byName) }
            return .failure(Unchosen(reason: "it does not say its kind (a line 'kind: …' naming one of \(kindNames))"))
        }
        guard let chosen = adapter(kind: found.kind) else {
            return .failure(
                Unchosen(
                    reason: "line \(found.line): kind '\(found.kind)' is not a policy Dossier knows (\(kindNames))"
                )
            )
        }
        return .success(chosen)
    }

    /// The value and line of the first top-level `kind:` line.
    private static func firstKind(in text: String) -> (kind: String, line: Int)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix("kind:") {
            var value = line.dropFirst("kind:".count)
            if let comment = value.firstIndex(of: "#") { value = value[..<comment] }
            let trimmed = value.trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\"'")
            )
            return (trimmed, index + 1)
        }
        return nil
    }

    private static func isCommentsOnly(_ text: String) -> Bool {
        text.split(separator: "\n").allSatisfy {
            let content = $0.trimmingCharacters(in: .whitespaces)
            return content.isEmpty || content.hasPrefix("#") || content == "---"
        }
    }
}
