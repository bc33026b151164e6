import DossierCore
import DossierService
import Hummingbird

/// `/api/v1/session`: sign in with a password (a session cookie for browser clients), see who
/// is signed in, sign out. Scripts use API tokens instead (`dossier user token`).
struct SessionController {
    let signIn: SignIn

    struct Credentials: Decodable {
        var user: String
        var password: String
    }

    struct SessionResponse: ResponseEncodable {
        var user: String
        var role: Role
        var displayName: String
        /// To send back as `X-CSRF-Token` on writes made with the cookie.
        var csrfToken: String?

        private enum CodingKeys: String, CodingKey {
            case user, role
            case displayName = "display_name"
            case csrfToken = "csrf_token"
        }

        init(_ user: User, session: Session?) {
            self.user = user.name
            role = user.role
            displayName = user.displayName
            csrfToken = session?.csrfToken
        }
    }

    func addRoutes(to group: APIGroup) {
        group.unauthenticated.on(.post, "session") { request, context -> EditedResponse<SessionResponse> in
            // Login CSRF: a browser on another site is refused by its Origin (`SignInForm`).
            try SignInForm.requireSameOrigin(request)
            let credentials = try await request.decode(as: Credentials.self, context: context)
            let (user, session) = try await signIn.signIn(
                user: credentials.user,
                password: credentials.password,
                client: context.clientAddress
            )
            return EditedResponse(
                status: .created,
                headers: [.setCookie: signIn.cookie(for: session).description],
                response: SessionResponse(user, session: session)
            )
        }
        group.unauthenticated.on(.get, "session") { _, context -> SessionResponse in
            SessionResponse(try context.requireUser(), session: context.session)
        }
        group.unauthenticated.on(.delete, "session") { _, context -> Response in
            _ = try context.requireUser()
            var response = Response(status: .noContent)
            if let session = context.session {
                try await signIn.signOut(session, client: context.clientAddress)
                response.setCookie(signIn.expiredCookie())
            }
            return response
        }
    }
}
