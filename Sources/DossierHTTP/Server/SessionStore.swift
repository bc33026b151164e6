import DossierCrypto
import Foundation

/// A signed-in page session: whose it is, its CSRF token, and when it ends.
public struct Session: Sendable, Hashable {
    public var id: String
    public var userName: String
    /// Sent back by every form; a form without it is refused.
    public var csrfToken: String
    /// The user's session epoch when it started: once their access changes (switched off,
    /// password, role) the epoch moves on and this session is over.
    var epoch: Int64
    var started: ContinuousClock.Instant
    var lastSeen: ContinuousClock.Instant
}

/// Page sessions, kept in memory: a restart signs everyone out, which is the safe direction.
/// A session ends after an idle time and in any case after a maximum age.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    private let idleTimeout: Duration
    private let maximumAge: Duration
    private let clock = ContinuousClock()

    init(idleTimeout: Duration, maximumAge: Duration) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
    }

    /// Starts a session for `userName` under their current `epoch`; the id is 256 random bits.
    func start(userName: String, epoch: Int64) -> Session {
        let now = clock.now
        let session = Session(
            id: Hex.encode(SecureRandom.bytes(32)),
            userName: userName,
            csrfToken: Hex.encode(SecureRandom.bytes(32)),
            epoch: epoch,
            started: now,
            lastSeen: now
        )
        sessions[session.id] = session
        if sessions.count % 256 == 0 { sweep(now) }
        return session
    }

    /// The live session with this id (touching it), or nil when unknown or expired.
    func session(_ id: String) -> Session? {
        let now = clock.now
        guard var session = sessions[id] else { return nil }
        guard now - session.lastSeen < idleTimeout, now - session.started < maximumAge else {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = now
        sessions[id] = session
        return session
    }

    func end(_ id: String) { sessions[id] = nil }

    private func sweep(_ now: ContinuousClock.Instant) {
        sessions = sessions.filter { now - $0.value.lastSeen < idleTimeout && now - $0.value.started < maximumAge }
    }
}
