import DossierCore
import DossierHTTP
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Password sign-in: the session cookie, CSRF on writes, sign-out, failures, lock-out, and the
/// audit entries of each.
@Suite("Sessions")
struct SessionTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// Signs `user` in; returns the session id and the CSRF token.
    private func signedIn(_ api: API, _ user: String) async throws -> (cookie: String, csrf: String) {
        let reply = try await api.signIn(user)
        #expect(reply.code == 201, "\(reply.text)")
        let cookie = try #require(sessionID(in: reply.setCookie), "no session cookie in \(reply.headers)")
        let csrf = try #require(reply.object()["csrf_token"] as? String)
        return (cookie, csrf)
    }

    @Test func signingInAnswers201WithAnHttpOnlyStrictCookieThatIsNotSecureByDefault() async throws {
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in try await api.signIn("officer") }
        #expect(reply.code == 201, "\(reply.text)")
        let setCookie = try #require(reply.setCookie)
        let attributes = cookieAttributes(setCookie).map { $0.lowercased() }
        #expect(attributes.contains("httponly"), "\(setCookie)")
        #expect(attributes.contains("samesite=strict"), "\(setCookie)")
        #expect(attributes.contains("path=/"), "\(setCookie)")
        #expect(!attributes.contains("secure"), "\(setCookie)")
        let session = try #require(sessionID(in: setCookie))
        #expect(session.count >= 32)

        let body = try reply.object()
        #expect(body["user"] as? String == "officer")
        #expect(body["role"] as? String == "officer")
        #expect((body["csrf_token"] as? String)?.isEmpty == false)
        #expect(!reply.text.contains(HTTPFixture.password))

        let added = try await fixture.audit(since: before)
        #expect(added.map(\.action) == ["auth.login"])
        #expect(added.first?.actor == "officer")
        #expect(added.first?.subject == "user:officer")
    }

    @Test func theCookieIsSecureWhenTheSettingsSaySo() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(secureCookies: true))
        let reply = try await fixture.withAPI { api in try await api.signIn("viewer") }
        #expect(reply.code == 201, "\(reply.text)")
        let setCookie = try #require(reply.setCookie)
        #expect(cookieAttributes(setCookie).map { $0.lowercased() }.contains("secure"), "\(setCookie)")
        #expect(cookieAttributes(setCookie).map { $0.lowercased() }.contains("httponly"), "\(setCookie)")
    }

    @Test func theSessionCookieIdentifiesTheSignedInUser() async throws {
        let (me, csrf, anonymous, forged) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "approver")
            return (
                try await api.send(.get, "/api/v1/session", cookie: cookie),
                csrf,
                try await api.send(.get, "/api/v1/session"),
                try await api.send(.get, "/api/v1/session", cookie: String(repeating: "a", count: 64))
            )
        }
        #expect(me.code == 200, "\(me.text)")
        let body = try me.object()
        #expect(body["user"] as? String == "approver")
        #expect(body["role"] as? String == "approver")
        #expect(body["csrf_token"] as? String == csrf)
        try expectProblem(anonymous, 401, type: "/problems/unauthenticated")
        try expectProblem(forged, 401, type: "/problems/unauthenticated")
    }

    @Test func aWriteWithTheCookieNeedsTheSessionsCSRFToken() async throws {
        let person = fixture.peopleA[0]
        let draft = json(["person_id": person, "kind": "resign", "effective_on": "2025-06-01"])
        let (without, wrong, with) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "officer")
            return (
                try await api.send(.post, "/api/v1/actions", cookie: cookie, body: draft),
                try await api.send(
                    .post,
                    "/api/v1/actions",
                    cookie: cookie,
                    csrf: String(csrf.reversed()),
                    body: draft
                ),
                try await api.send(.post, "/api/v1/actions", cookie: cookie, csrf: csrf, body: draft)
            )
        }
        try expectProblem(without, 403, type: "/problems/csrf")
        try expectProblem(wrong, 403, type: "/problems/csrf")
        #expect(with.code == 201, "\(with.text)")
        // Only the write with the token made a draft, and it is the signed-in user's.
        let drafts = try await fixture.admin.drafts(state: nil, limit: 100)
        #expect(drafts.count == 1)
        #expect(drafts.first?.draftedBy == "officer")
    }

    @Test func eachEntryMadeOverHTTPSaysWhetherASessionOrATokenProvedItsActor() async throws {
        let person = fixture.peopleA[0]
        let draft = json(["person_id": person, "kind": "resign", "effective_on": "2025-06-01"])
        let before = try await fixture.audit()
        let (bySession, byToken) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "officer")
            return (
                try await api.send(.post, "/api/v1/actions", cookie: cookie, csrf: csrf, body: draft),
                try await api.send(.post, "/api/v1/actions", as: .officer, body: draft)
            )
        }
        #expect(bySession.code == 201 && byToken.code == 201, "\(bySession.text) \(byToken.text)")
        let drafted = try await fixture.audit(since: before).filter { $0.action == "action.draft" }
        let proofs = try drafted.map {
            try JSONDecoder().decode([String: String].self, from: Data($0.details.utf8))["proven_by"]
        }
        #expect(drafted.map(\.actor) == ["officer", "officer"])
        #expect(proofs == ["session", "token"])
    }

    /// The router ignores empty path segments, so `//api/…` and `///api/…` reach the API too.
    @Test(arguments: ["//api/v1/users", "///api/v1/users", "/api//v1/users"])
    func aWriteToAnyPathThatReachesTheAPINeedsTheCSRFToken(path: String) async throws {
        let body = json(["name": "intruder", "role": "admin", "display_name": "x", "password": "long enough password"])
        let (without, with) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "admin")
            return (
                try await api.send(.post, path, cookie: cookie, body: body),
                try await api.send(.post, path, cookie: cookie, csrf: csrf, body: body)
            )
        }
        try expectProblem(without, 403, type: "/problems/csrf")
        // The same request with the token is a real API call: the path did reach the API.
        #expect(with.code == 201, "\(with.text)")
    }

    @Test func aJSONBodyThatDoesNotSayItIsJSONIsRefusedAndChangesNothing() async throws {
        let users = try await fixture.admin.users().count
        let body = json(["name": "intruder", "role": "admin", "display_name": "x", "password": "long enough password"])
        let replies = try await fixture.withAPI { api in
            var replies: [Reply] = []
            for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                replies.append(
                    try await api.send(.post, "/api/v1/users", as: .admin, body: body, headers: [.contentType: type])
                )
            }
            replies.append(try await api.send(.post, "/api/v1/users", as: .admin, body: body))
            return replies
        }
        for reply in replies.dropLast() { try expectProblem(reply, 400, type: "/problems/bad-request") }
        #expect(replies.last?.code == 201, "\(replies.last?.text ?? "")")
        await #expect(try fixture.admin.users().count == users + 1)
    }

    @Test func aCookieSessionHasOnlyItsUsersPermissions() async throws {
        let draft = json(["person_id": fixture.peopleA[0], "kind": "resign", "effective_on": "2025-06-01"])
        let reply = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "viewer")
            return try await api.send(.post, "/api/v1/actions", cookie: cookie, csrf: csrf, body: draft)
        }
        try expectProblem(reply, 403, type: "/problems/forbidden")
    }

    @Test func signingOutEndsTheSessionAndIsAudited() async throws {
        let before = try await fixture.audit()
        let (noToken, out, after) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "viewer")
            return (
                try await api.send(.delete, "/api/v1/session", cookie: cookie),
                try await api.send(.delete, "/api/v1/session", cookie: cookie, csrf: csrf),
                try await api.send(.get, "/api/v1/session", cookie: cookie)
            )
        }
        try expectProblem(noToken, 403, type: "/problems/csrf")
        #expect(out.code == 204, "\(out.text)")
        let expired = try #require(out.setCookie)
        #expect(sessionID(in: expired) == "")
        #expect(cookieAttributes(expired).map { $0.lowercased() }.contains("max-age=0"), "\(expired)")
        try expectProblem(after, 401)
        let actions = try await fixture.audit(since: before).map(\.action)
        #expect(actions == ["auth.login", "auth.logout"])
        await #expect(try fixture.audit(since: before).last?.actor == "viewer")
    }

    @Test func aWrongPasswordAnswers401AndIsAuditedAsAFailure() async throws {
        let before = try await fixture.audit()
        let wrong = "not-the-password-1"
        let reply = try await fixture.withAPI { api in try await api.signIn("viewer", password: wrong) }
        try expectProblem(reply, 401, type: "/problems/unauthenticated")
        #expect(reply.setCookie == nil)
        #expect(reply.headers[.wwwAuthenticate] != nil)
        let added = try await fixture.audit(since: before)
        #expect(added.map(\.action) == ["auth.failure"])
        #expect(added.first?.subject == "user:viewer")
        for entry in try await fixture.audit() {
            #expect(!entry.details.contains(wrong) && !entry.subject.contains(wrong))
        }
    }

    @Test func anUnknownUserIsRefusedLikeAWrongPassword() async throws {
        let before = try await fixture.audit()
        let (unknown, wrong) = try await fixture.withAPI { api in
            (
                try await api.signIn("nobody-here", password: "whatever-password"),
                try await api.signIn("viewer", password: "whatever-password")
            )
        }
        let unknownProblem = try expectProblem(unknown, 401)
        let wrongProblem = try expectProblem(wrong, 401)
        #expect(unknownProblem["detail"] as? String == wrongProblem["detail"] as? String)
        await #expect(try fixture.audit(since: before).map(\.action) == ["auth.failure", "auth.failure"])
    }

    @Test func afterTooManyFailuresEvenTheRightPasswordGets429WithRetryAfter() async throws {
        let before = try await fixture.audit()
        let lockAfter = HTTPFixture.loginPolicy.lockAfter
        let (failures, locked, otherUser) = try await fixture.withAPI { api in
            var failures: [Reply] = []
            for attempt in 1...lockAfter {
                failures.append(try await api.signIn("officer", password: "wrong-password-\(attempt)"))
            }
            return (failures, try await api.signIn("officer"), try await api.signIn("viewer"))
        }
        for failure in failures { try expectProblem(failure, 401) }
        try expectProblem(locked, 429, type: "/problems/too-many-attempts")
        #expect(locked.setCookie == nil)
        let retryAfter = try #require(locked.headers[.retryAfter].flatMap { Int($0) }, "\(locked.headers)")
        #expect(retryAfter > 0)
        #expect(retryAfter <= 600)
        // The lock is on the name: another user still signs in.
        #expect(otherUser.code == 201, "\(otherUser.text)")

        let actions = try await fixture.audit(since: before).map(\.action)
        #expect(actions.filter { $0 == "auth.failure" }.count == lockAfter)
        #expect(actions.filter { $0 == "auth.locked" }.count == 1)
        await #expect(try fixture.audit(since: before).first { $0.action == "auth.locked" }?.subject == "user:officer")
        await #expect(try fixture.audit(since: before).filter { $0.action == "auth.login" }.map(\.actor) == ["viewer"])
    }

    @Test func wrongPasswordsSentAllAtOnceAreCheckedNoMoreOftenThanTheLockOutAllows() async throws {
        let lockAfter = HTTPFixture.loginPolicy.lockAfter
        let attempts = lockAfter * 4
        let before = try await fixture.audit()
        let codes = try await fixture.withAPI { api in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for attempt in 1...attempts {
                    group.addTask { try await api.signIn("approver", password: "wrong-password-\(attempt)").code }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        // Every attempt past the limit is refused before its password is checked.
        #expect(codes.filter { $0 == 401 }.count <= lockAfter, "\(codes.sorted())")
        #expect(codes.filter { $0 == 429 }.count >= attempts - lockAfter, "\(codes.sorted())")
        #expect(Set(codes).isSubset(of: [401, 429]), "\(codes.sorted())")
        let failures = try await fixture.audit(since: before).filter { $0.action == "auth.failure" }
        #expect(failures.count == codes.filter { $0 == 401 }.count)
    }

    @Test func noPasswordEverAppearsInTheAuditLog() async throws {
        let wrong = "wrong-password-xyz"
        try await fixture.withAPI { api in
            let (cookie, csrf) = try await signedIn(api, "officer")
            _ = try await api.signIn("viewer", password: wrong)
            _ = try await api.send(.delete, "/api/v1/session", cookie: cookie, csrf: csrf)
        }
        let entries = try await fixture.audit()
        #expect(entries.contains { $0.action == "auth.login" })
        #expect(entries.contains { $0.action == "auth.failure" })
        #expect(entries.contains { $0.action == "auth.logout" })
        for entry in entries {
            for secret in [HTTPFixture.password, wrong] {
                #expect(!entry.details.contains(secret), "\(entry.action) details hold a password")
                #expect(!entry.subject.contains(secret), "\(entry.action) subject holds a password")
            }
        }
    }

    @Test func theCookieLastsTheSessionsMaximumAge() async throws {
        let reply = try await fixture.withAPI { api in try await api.signIn("viewer") }
        let setCookie = try #require(reply.setCookie)
        let seconds = fixture.settings.sessionMaximumAge.components.seconds
        #expect(cookieAttributes(setCookie).map { $0.lowercased() }.contains("max-age=\(seconds)"), "\(setCookie)")
    }

    @Test func anIdleSessionEnds() async throws {
        var settings = HTTPFixture.settings()
        settings.sessionIdleTimeout = .seconds(5)
        let fixture = try await HTTPFixture(settings: settings)
        let clock = ContinuousClock()
        let (fresh, freshWithin, idle) = try await fixture.withAPI { api in
            let asked = clock.now
            let reply = try await api.signIn("viewer")
            let cookie = try #require(sessionID(in: reply.setCookie))
            let fresh = try await api.send(.get, "/api/v1/session", cookie: cookie)
            // Everything from before the sign-in to the answer: an upper bound of the session's
            // idle time at that request (a starved CI machine can stretch it past the timeout).
            let freshWithin = clock.now - asked
            try await Task.sleep(for: .seconds(7))
            return (fresh, freshWithin, try await api.send(.get, "/api/v1/session", cookie: cookie))
        }
        // Only then is the fresh request surely within the idle time (after it, it may or may
        // not be, depending on when the server started the session).
        if freshWithin < settings.sessionIdleTimeout {
            #expect(fresh.code == 200, "\(fresh.text)")
        }
        try expectProblem(idle, 401)
    }
}
