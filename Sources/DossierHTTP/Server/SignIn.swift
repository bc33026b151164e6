import DossierCore
import DossierService
import Foundation
import Hummingbird

/// Signing in with a password, shared by the JSON API and the pages: throttled per name and
/// per address, checked with bcrypt off the request threads, and audited (success, failure,
/// lock-out and sign-out alike).
struct SignIn: Sendable {
    let node: Dossier
    let sessions: SessionStore
    let throttle: LoginThrottle
    let settings: ServerSettings

    /// The sign-in form's own CSRF defences.
    var form: SignInForm { SignInForm(secureCookies: settings.secureCookies) }

    /// Checks the password and starts a session, or throws a problem (401 or 429).
    func signIn(user name: String, password: String, client: String?) async throws -> (User, Session) {
        var verdict = await throttle.begin(user: name, client: client)
        // The database is asked only for a name locked out, so an attempt costs no read
        // otherwise; an unlock is recorded there because `dossier user unlock` is another process.
        if case .locked = verdict, await throttle.isLocked(user: name),
            try await node.takeSignInUnlock(user: name, client: client)
        {
            await throttle.lift(user: name)
            verdict = await throttle.begin(user: name, client: client)
        }
        switch verdict {
        case .locked(let seconds):
            var refusal = Problem(
                .tooManyAttempts,
                "Too many failed sign-ins; try again in \(max(1, seconds / 60)) minute(s).",
                retryAfter: seconds
            )
            refusal.messageKey = "tooManySignIns"
            throw refusal
        case .proceed(let delay):
            // From here the attempt is pending: every way out settles it exactly once.
            var settled = false
            do {
                if delay > .zero { try await Task.sleep(for: delay) }
                let node = self.node
                // bcrypt takes a quarter second on purpose: not on the threads that serve requests.
                let checked = try await SlowWork.run { try await node.signInCheck(user: name, password: password) }
                guard let (user, epoch) = checked else {
                    settled = true
                    let locked = await throttle.failed(user: name, client: client)
                    try await node.recordSignIn(.failure, user: name, client: client)
                    if locked { try await node.recordSignIn(.locked, user: name, client: client) }
                    var refusal = Problem(.unauthenticated, "The user name or the password is wrong.")
                    refusal.messageKey = "wrongPassword"
                    throw refusal
                }
                settled = true
                await throttle.succeeded(user: name, client: client)
                // The epoch was read with the password hash that matched: a password, role or
                // switch-off committed during the check has moved it on, so the session started
                // here ends at its first request.
                try await node.recordSignIn(.login, user: user.name, client: client)
                return (user, await sessions.start(userName: user.name, epoch: epoch))
            } catch {
                if !settled { await throttle.abandoned(user: name, client: client) }
                throw error
            }
        }
    }

    /// Ends a session.
    func signOut(_ session: Session, client: String?) async throws {
        await sessions.end(session.id)
        try await node.recordSignIn(.logout, user: session.userName, client: client)
    }

    /// The cookie that carries a session (HttpOnly, SameSite=Strict, Secure when configured).
    func cookie(for session: Session) -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.cookieName,
            value: session.id,
            maxAge: Int(settings.sessionMaximumAge.components.seconds),
            path: "/",
            secure: settings.secureCookies,
            httpOnly: true,
            sameSite: .strict
        )
    }

    /// A cookie that removes the session cookie.
    func expiredCookie() -> Cookie {
        Cookie(
            name: AuthenticationMiddleware.cookieName,
            value: "",
            maxAge: 0,
            path: "/",
            secure: settings.secureCookies,
            httpOnly: true,
            sameSite: .strict
        )
    }
}
