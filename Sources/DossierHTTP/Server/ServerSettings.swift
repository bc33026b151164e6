public import DossierService
import Foundation

/// How the HTTP front runs.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Marks cookies `Secure` (when served over TLS, directly or behind a proxy).
    public var secureCookies: Bool
    /// A page session ends after this long without a request …
    public var sessionIdleTimeout: Duration
    /// … and in any case this long after sign-in.
    public var sessionMaximumAge: Duration
    /// When repeated failed sign-ins are slowed and then locked.
    public var loginPolicy: LoginPolicy
    /// The bcrypt cost for passwords set over HTTP.
    public var passwordCost: UInt8
    /// The language of the pages: Simplified Chinese unless English is asked for.
    public var english: Bool
    /// Who may read `/metrics`.
    public var metricsAccess: MetricsAccess
    /// How many uploaded packages may be checked at once (`VerificationSlots`); by default one
    /// per core, as a check keeps a core busy decompressing and hashing.
    public var maximumConcurrentVerifications: Int

    var language: Pages.Language { english ? .english : .chinese }

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        secureCookies: Bool = false,
        sessionIdleTimeout: Duration = .seconds(30 * 60),
        sessionMaximumAge: Duration = .seconds(10 * 60 * 60),
        loginPolicy: LoginPolicy = LoginPolicy(),
        passwordCost: UInt8 = Dossier.passwordCost,
        english: Bool = false,
        metricsAccess: MetricsAccess = .loopback,
        maximumConcurrentVerifications: Int? = nil
    ) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionIdleTimeout = sessionIdleTimeout
        self.sessionMaximumAge = sessionMaximumAge
        self.loginPolicy = loginPolicy
        self.passwordCost = passwordCost
        self.english = english
        self.metricsAccess = metricsAccess
        self.maximumConcurrentVerifications =
            maximumConcurrentVerifications ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// Who may read `/metrics`. The figures hold no personal data, but they tell an outsider how
/// busy the node is and which routes it answers, so by default only a scraper on the same
/// machine reads them.
public enum MetricsAccess: String, Sendable, CaseIterable {
    /// Only clients on this machine (127.0.0.0/8, ::1).
    case loopback
    /// Clients on this machine, and anyone signed in (an API token or a page session), so a
    /// scraper elsewhere uses a token of its own.
    case signedIn = "signed-in"
    /// Everyone, without signing in (only behind a proxy that restricts it).
    case open
}

/// Failed sign-ins, counted per user name and per client address: after `slowAfter` failures
/// of one name in `window` each further attempt waits `delay` longer; after `lockAfter` the name
/// is locked out for `lockFor`. An address counts the failures of every name tried from it, and
/// an office signs in from one address, so its limits are higher (`addressSlowAfter`,
/// `addressLockAfter`): one person mistyping their password five times locks their own name, not
/// their colleagues.
public struct LoginPolicy: Sendable {
    public var window: Duration
    public var slowAfter: Int
    public var delay: Duration
    public var lockAfter: Int
    public var lockFor: Duration
    public var addressSlowAfter: Int
    public var addressLockAfter: Int

    public init(
        window: Duration = .seconds(15 * 60),
        slowAfter: Int = 3,
        delay: Duration = .milliseconds(500),
        lockAfter: Int = 5,
        lockFor: Duration = .seconds(15 * 60),
        addressSlowAfter: Int = 20,
        addressLockAfter: Int = 50
    ) {
        self.addressSlowAfter = addressSlowAfter
        self.addressLockAfter = addressLockAfter
        self.window = window
        self.slowAfter = slowAfter
        self.delay = delay
        self.lockAfter = lockAfter
        self.lockFor = lockFor
    }
}
