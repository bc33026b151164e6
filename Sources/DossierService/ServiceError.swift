/// Why Dossier refused a request, in one plain sentence for the person who made it.
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
    /// What a lower layer reported (SQLite's words, say), for the server log and the operator's
    /// command line; never sent to a web client, which gets `message` alone.
    public let cause: String?

    public init(_ kind: Kind, _ message: String, cause: String? = nil) {
        self.kind = kind
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
