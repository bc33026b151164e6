/// Why Dossier refused a request, in one plain sentence for the person who made it, written in
/// English (the command line, the JSON API) and in Simplified Chinese (the admin pages). A site
/// cannot throw one without giving both: the Chinese is a required argument.
///
/// `kind` lets each front choose its answer (exit status, HTTP status) without parsing text.
public struct ServiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The broad reason, stable for callers.
    public enum Kind: String, Sendable, Hashable {
        /// The input is malformed or breaks a rule (bad identity number, unknown code …).
        case invalid
        /// The acting user may not do this.
        case forbidden
        /// The thing asked for is not on file.
        case notFound
        /// A domain rule refuses it now (no vacancy, already exited …).
        case refused
        /// The data directory or its files are missing or unusable.
        case setup
    }

    public let kind: Kind
    public let message: String
    /// The same sentence in Simplified Chinese (简体中文), for the admin pages; like `message`,
    /// never an identity or phone number.
    public let chineseMessage: String
    /// What a lower layer reported (SQLite's words, say), for the server log and the operator's
    /// command line; never sent to a web client, which gets `message` alone.
    public let cause: String?
    /// Every problem found in an input file that was refused (a feed import), in row order; each
    /// is safe to show (identity numbers masked). Empty for other refusals.
    public let problems: [ImportProblem]

    public init(
        _ kind: Kind,
        _ message: String,
        zh chineseMessage: String,
        cause: String? = nil,
        problems: [ImportProblem] = []
    ) {
        self.kind = kind
        self.message = message
        self.chineseMessage = chineseMessage
        self.cause = cause
        self.problems = problems
    }

    public var description: String { message }
}
