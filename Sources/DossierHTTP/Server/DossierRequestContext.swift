public import DossierCore
public import DossierService
import Foundation
public import Hummingbird
import NIOCore

/// What a request carries through the router: who is signed in (set by
/// `AuthenticationMiddleware`), their session when they came through the pages, and the
/// address the request came from (for login throttling and the audit log).
public struct DossierRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, if any.
    public var user: User? { principal?.user }
    /// The signed-in user with their read scope (set by `AuthenticationMiddleware`).
    public var principal: Principal?
    /// The node acting as `principal`: set by `AuthenticationMiddleware` with it, and the only
    /// way a handler reaches a use case (`APIGroup`, the pages).
    var dossier: Dossier?
    /// The page session, when the user signed in with a password (not with an API token).
    public var session: Session?
    /// The client's IP address, when known.
    public var clientAddress: String?
    /// The client's connection: slow work watches it to stop when the client goes away.
    let channel: any Channel
    /// Who made the request, for its log line (`RequestLogMiddleware`).
    let requestLog = RequestLog()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
        channel = source.channel
    }

    /// JSON bodies are small; uploads are streamed by their own routes, with their own limits.
    public var maxUploadSize: Int { 256 * 1024 }

    /// Reads JSON bodies, and only bodies that say they are JSON.
    public var requestDecoder: JSONBodyDecoder { JSONBodyDecoder() }

    /// The signed-in user, or a 401 problem.
    func requireUser() throws -> User {
        try requirePrincipal().user
    }

    /// The signed-in principal, or a 401 problem.
    func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthenticated }
        return principal
    }

    /// The node acting as the signed-in principal, or a 401 problem.
    func requireDossier() throws -> Dossier {
        guard let dossier else { throw Problem.unauthenticated }
        return dossier
    }
}

/// Decodes a request body as JSON only when it is declared `application/json`: another site's
/// plain form can send `text/plain` that happens to be JSON, but cannot set this content type.
public struct JSONBodyDecoder: RequestDecoder {
    public func decode<T: Decodable>(
        _ type: T.Type,
        from request: Request,
        context: some RequestContext
    ) async throws
        -> T
    {
        let declared = request.headers[.contentType]?.split(separator: ";").first?
            .trimmingCharacters(in: .whitespaces).lowercased()
        guard declared == "application/json" else {
            throw Problem(.badRequest, "Send the body as JSON, with the header Content-Type: application/json.")
        }
        return try await JSONDecoder().decode(type, from: request, context: context)
    }
}
