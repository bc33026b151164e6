import DossierService
import Foundation
public import Hummingbird
import Logging

/// An RFC 9457 problem details answer: a stable `type` per kind of refusal, a short title, and
/// a detail sentence for the person who made the request. Never internals: unknown errors
/// become a plain 500 whose detail says only that the server failed.
public struct Problem: HTTPResponseError, Sendable {
    /// The kinds of refusal, each with its `type` path and HTTP status.
    public enum Kind: String, Sendable, CaseIterable {
        case badRequest = "bad-request"
        case invalid
        case unauthenticated
        case forbidden
        case notFound = "not-found"
        case refused
        case tooManyAttempts = "too-many-attempts"
        case payloadTooLarge = "payload-too-large"
        case methodNotAllowed = "method-not-allowed"
        case csrf = "csrf"
        case unavailable
        case internalError = "internal-error"

        public var status: HTTPResponse.Status {
            switch self {
            case .badRequest: return .badRequest
            case .invalid: return .unprocessableContent
            case .unauthenticated: return .unauthorized
            case .forbidden, .csrf: return .forbidden
            case .notFound: return .notFound
            case .refused: return .conflict
            case .tooManyAttempts: return .tooManyRequests
            case .payloadTooLarge: return .contentTooLarge
            case .methodNotAllowed: return .methodNotAllowed
            case .unavailable: return .serviceUnavailable
            case .internalError: return .internalServerError
            }
        }

        var title: String {
            switch self {
            case .badRequest: return "The request is malformed"
            case .invalid: return "The request breaks a rule"
            case .unauthenticated: return "Sign-in required"
            case .forbidden: return "Not allowed for your role"
            case .notFound: return "Not found"
            case .refused: return "Refused by a rule of the records"
            case .tooManyAttempts: return "Too many attempts"
            case .payloadTooLarge: return "The request is too large"
            case .methodNotAllowed: return "Method not allowed"
            case .csrf: return "The form has expired"
            case .unavailable: return "Not available on this node"
            case .internalError: return "The server failed"
            }
        }

        /// The key of the title in the pages' message catalogue (the JSON answer keeps `title`).
        var titleKey: String {
            switch self {
            case .badRequest: return "problemBadRequest"
            case .invalid: return "problemInvalid"
            case .unauthenticated: return "problemUnauthenticated"
            case .forbidden: return "problemForbidden"
            case .notFound: return "problemNotFound"
            case .refused: return "problemRefused"
            case .tooManyAttempts: return "problemTooManyAttempts"
            case .payloadTooLarge: return "problemPayloadTooLarge"
            case .methodNotAllowed: return "problemMethodNotAllowed"
            case .csrf: return "problemCSRF"
            case .unavailable: return "problemUnavailable"
            case .internalError: return "problemInternalError"
            }
        }

        /// The problem's `type`, relative to the server.
        public var type: String { "/problems/\(rawValue)" }
    }

    public let kind: Kind
    public let detail: String
    /// Seconds to wait, for 429 and 503 answers (sent as `Retry-After`).
    public var retryAfter: Int?
    /// Every problem found in a refused file (a feed upload), by row and column, safe to show
    /// (identity numbers masked); sent as `problems`, the first `problemsShown` of them.
    var problems: [ImportProblem] = []
    /// The most file problems one answer lists; `detail` says how many there are.
    static let problemsShown = 1_000
    /// The key of the same sentence in the pages' message catalogue, for a refusal a page shows
    /// to a person (in the pages' language; `{minutes}` filled from `retryAfter`). The JSON
    /// answer keeps `detail`.
    var messageKey: String?
    /// The same sentence in Simplified Chinese, from a service refusal, for a page in Chinese.
    /// The JSON answer keeps `detail`.
    var chineseDetail: String?

    public init(_ kind: Kind, _ detail: String, retryAfter: Int? = nil) {
        self.kind = kind
        self.detail = detail
        self.retryAfter = retryAfter
    }

    /// A refusal a page shows, with the key of its sentence in the pages' message catalogue.
    init(_ kind: Kind, _ detail: String, messageKey: String) {
        self.init(kind, detail)
        self.messageKey = messageKey
    }

    public var status: HTTPResponse.Status { kind.status }

    static let unauthenticated = Problem(
        .unauthenticated,
        "Sign in, or send an API token as 'Authorization: Bearer …'."
    )

    /// The problem for a service refusal, logging its cause (if any) on the server only.
    init(_ error: ServiceError, logger: Logger) {
        if let cause = error.cause {
            logger.error("request.failed", metadata: ["error.cause": "\(cause)"])
        }
        self.init(error)
    }

    private init(_ error: ServiceError) {
        let kind: Kind
        switch error.kind {
        case .invalid: kind = .invalid
        case .forbidden: kind = .forbidden
        case .notFound: kind = .notFound
        case .refused: kind = .refused
        case .setup: kind = .unavailable
        }
        self.init(kind, error.message)
        chineseDetail = error.chineseMessage
        problems = error.problems
    }

    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var instance: String
        var problems: [FileProblem]?
    }

    /// One problem of a refused file: its row (the header is row 1), its column (null for the
    /// whole row), the value as shown (masked where it is an identity number) and what is wrong.
    private struct FileProblem: Encodable {
        var row: Int
        var column: String?
        var value: String
        var message: String

        init(_ problem: ImportProblem) {
            row = problem.row
            column = problem.column
            value = problem.shownValue
            message = problem.message
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(row, forKey: .row)
            try container.encode(column, forKey: .column)
            try container.encode(value, forKey: .value)
            try container.encode(message, forKey: .message)
        }

        private enum CodingKeys: String, CodingKey { case row, column, value, message }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(
            type: kind.type,
            title: kind.title,
            status: Int(kind.status.code),
            detail: detail,
            instance: request.uri.path,
            problems: problems.isEmpty ? nil : problems.prefix(Self.problemsShown).map(FileProblem.init)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if kind == .unauthenticated { headers[.wwwAuthenticate] = "Bearer realm=\"dossier\"" }
        return Response(
            status: kind.status,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        )
    }
}
