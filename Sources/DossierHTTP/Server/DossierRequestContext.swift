public import DossierCore
public import Hummingbird

/// What a request carries through the router: who is signed in (set by
/// `AuthenticationMiddleware`), their session when they came through the pages, and the
/// address the request came from (for login throttling and the audit log).
public struct DossierRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user, if any.
    public var user: User?
    /// The page session, when the user signed in with a password (not with an API token).
    public var session: Session?
    /// The client's IP address, when known.
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON bodies are small; uploads are streamed by their own routes, with their own limits.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The signed-in user, or a 401 problem.
    func requireUser() throws -> User {
        guard let user else { throw Problem.unauthenticated }
        return user
    }
}
