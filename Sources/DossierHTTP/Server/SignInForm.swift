import DossierCrypto
import Foundation
import HTTPTypes
import Hummingbird

/// Defences against login CSRF: another site making a visitor's browser sign in to Dossier under
/// the attacker's account, so that what the visitor then files or reads goes on record as the
/// attacker's. The session's CSRF token cannot help here (there is no session yet), so the
/// sign-in form gets two checks of its own:
///
/// - The form carries a random token that also travels in a short-lived cookie (the double-submit
///   pattern); the POST must carry both, equal (compared in constant time). Another site can
///   neither read the page's token nor set the cookie: it is HttpOnly, SameSite=Strict, and,
///   when cookies are `Secure`, named with the `__Host-` prefix, which browsers accept only
///   from this very host over HTTPS (no sibling subdomain can plant one).
/// - A POST a browser says comes from another site is refused (`requireSameOrigin`: the
///   browser's `Sec-Fetch-Site`, `Origin` and `Referer`, compared with the request's own host,
///   `Host` or `X-Forwarded-Host` set by a proxy in front). Scripts and `curl` send none of
///   these and are let through (to the token check, for the form).
///
/// The JSON sign-in (`POST /api/v1/session`) gets the origin check only: scripts use it, and
/// another site's form cannot send `application/json` (`JSONBodyDecoder`).
struct SignInForm: Sendable {
    let secureCookies: Bool
    /// How long a sign-in page stays usable.
    static let tokenLifetime = 3600

    /// The cookie's name: `__Host-` only where browsers accept it (a `Secure` cookie).
    var cookieName: String { secureCookies ? "__Host-dossier_signin" : "dossier_signin" }

    /// A new token for a sign-in form, and the cookie that carries it.
    func issue() -> (token: String, cookie: Cookie) {
        let token = Hex.encode(SecureRandom.bytes(32))
        return (
            token,
            Cookie(
                name: cookieName,
                value: token,
                maxAge: Self.tokenLifetime,
                path: "/",
                secure: secureCookies,
                httpOnly: true,
                sameSite: .strict
            )
        )
    }

    /// Refuses (403) a form whose token is missing or differs from its cookie's.
    func requireToken(_ submitted: String?, _ request: Request) throws {
        guard let submitted, !submitted.isEmpty, let expected = request.cookies[cookieName]?.value,
            Self.constantTimeEquals(submitted, expected)
        else {
            var refusal = Problem(
                .csrf,
                "The sign-in form has expired or did not come from Dossier; reload the page and sign in again."
            )
            refusal.messageKey = "signInFormExpired"
            throw refusal
        }
    }

    /// Refuses (403) a request a browser says came from another site. In order:
    ///
    /// 1. `Sec-Fetch-Site` (sent by every current browser, and no page can set or change it)
    ///    must be `same-origin`, or `none` (typed or bookmarked: no site started it).
    /// 2. `Origin`, when sent, must name this server; `null` is refused unless step 1 vouched
    ///    for the request: Dossier's pages say `Referrer-Policy: no-referrer`, under which
    ///    browsers send `Origin: null` even from Dossier's own form, and so would a sandboxed
    ///    frame on another site.
    /// 3. Without `Origin`, `Referer`, when sent, must name this server.
    ///
    /// A request with none of these headers is not a browser's cross-site form (browsers send
    /// `Origin` with every cross-site POST): scripts and `curl` pass, to the token check for the
    /// form.
    static func requireSameOrigin(_ request: Request) throws {
        var refusal = Problem(.csrf, "Signing in is only possible from Dossier's own sign-in page.")
        refusal.messageKey = "signInFromOwnPage"
        var vouched = false
        if let site = request.headers[Self.fetchSite]?.lowercased() {
            guard site == "same-origin" || site == "none" else { throw refusal }
            vouched = true
        }
        let own = [request.head.authority, request.headers[Self.forwardedHost]].compactMap { $0?.lowercased() }
        func isOwn(_ claimed: String) -> Bool {
            guard let url = URL(string: claimed), let host = url.host?.lowercased() else { return false }
            return own.contains(url.port.map { "\(host):\($0)" } ?? host)
        }
        if let origin = request.headers[.origin] {
            if origin == "null" {
                guard vouched else { throw refusal }
            } else {
                guard isOwn(origin) else { throw refusal }
            }
        } else if let referer = request.headers[.referer] {
            guard isOwn(referer) else { throw refusal }
        }
    }

    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    static let forwardedHost = HTTPField.Name("X-Forwarded-Host")!

    /// Equal strings, compared without stopping at the first difference (the time taken does
    /// not tell how much of a guess was right).
    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
