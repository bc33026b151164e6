import DossierCore
import DossierService
import HTTPTypes
import Hummingbird
import Logging

/// Finds who is making the request: an API token (`Authorization: Bearer dsr_…`) or a page
/// session cookie. It does not refuse anyone; routes that need a user ask for one.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext
    let node: Dossier
    let sessions: SessionStore
    static let cookieName = "dossier_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer "),
                let principal = try await node.principal(forToken: String(authorization.dropFirst(7)))
            else {
                // A wrong token is an error, not an anonymous request: the script must know.
                throw Problem(.unauthenticated, "The API token is not valid (revoked, or mistyped).")
            }
            signIn(principal, &context)
        } else if let id = request.cookies[Self.cookieName]?.value, let session = await sessions.session(id) {
            // A user switched off, or whose password or role changed since the session began,
            // no longer has it: it ends here and the request goes on as anonymous.
            guard let principal = try await node.principal(named: session.userName), principal.epoch == session.epoch
            else {
                await sessions.end(session.id)
                return try await next(request, context)
            }
            signIn(principal, &context)
            context.session = session
            // A write made with the cookie must carry the session's CSRF token: the cookie
            // alone could come from another site's form. The admin pages check the token their
            // forms carry; every other write needs it in the header, whatever the path looks
            // like (the router ignores empty segments, so `//api/…` reaches the API too).
            if ![.get, .head, .options].contains(request.method), !Self.isPage(request.uri.path),
                request.headers[Self.csrfHeader] != session.csrfToken
            {
                throw Problem(.csrf, "Send the session's csrf_token as the X-CSRF-Token header with every change.")
            }
        }
        return try await next(request, context)
    }

    /// Makes the request act as `principal`: the node acting as them, logging with the request's
    /// logger (its request id) and their name.
    private func signIn(_ principal: Principal, _ context: inout Context) {
        context.principal = principal
        context.logger[metadataKey: "principal"] = "\(principal.user.name)"
        context.requestLog.principal = principal.user.name
        context.dossier = node.acting(as: principal).logging(to: context.logger)
    }

    /// True for a path the admin pages answer, read segment by segment as the router reads it.
    static func isPage(_ path: String) -> Bool {
        path.split(separator: "/").first == "admin"
    }
}
