import DossierCore
import DossierHTTP
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Switching a user off, changing their password or their role ends what they are signed in
/// with at once; failed sign-ins are the anonymous client's doing, not the victim's.
@Suite("Access that ends")
struct AccessEndsTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// Signs `user` in and returns the session cookie.
    private func session(_ api: API, _ user: String) async throws -> String {
        let reply = try await api.signIn(user)
        #expect(reply.code == 201, "\(reply.text)")
        return try #require(sessionID(in: reply.setCookie))
    }

    @Test func switchingAUserOffEndsTheirSessionAndTokenAtOnceAndTheyCannotSignIn() async throws {
        let (before, disable, afterCookie, afterToken, signIn, list) = try await fixture.withAPI { api in
            let cookie = try await session(api, "viewer")
            let before = try await api.send(.get, "/api/v1/session", cookie: cookie)
            let disable = try await api.send(
                .post,
                "/api/v1/users/viewer/disable",
                as: .admin,
                body: json(["reason": "调离"])
            )
            return (
                before,
                disable,
                try await api.send(.get, "/api/v1/session", cookie: cookie),
                try await api.send(.get, "/api/v1/people/\(fixture.peopleA[0])", as: .viewer),
                try await api.signIn("viewer"),
                try await api.send(.get, "/api/v1/users", as: .admin)
            )
        }
        #expect(before.code == 200, "\(before.text)")
        #expect(disable.code == 204, "\(disable.text)")
        try expectProblem(afterCookie, 401, type: "/problems/unauthenticated")
        try expectProblem(afterToken, 401, type: "/problems/unauthenticated")
        try expectProblem(signIn, 401, type: "/problems/unauthenticated")
        let users = try #require(try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]])
        #expect(users.first { $0["name"] as? String == "viewer" }?["disabled"] as? Bool == true)
        let entry = try await #require(try fixture.audit().last { $0.action == "user.disable" })
        #expect(entry.actor == "admin" && entry.subject == "user:viewer")
    }

    @Test(arguments: ["role", "password"])
    func aRoleOrPasswordChangeEndsTheUsersSessions(change: String) async throws {
        let (changed, after, again) = try await fixture.withAPI { api in
            let cookie = try await session(api, "approver")
            let changed: Reply
            if change == "role" {
                changed = try await api.send(
                    .post,
                    "/api/v1/users/approver/role",
                    as: .admin,
                    body: json(["role": "viewer"])
                )
            } else {
                changed = try await api.send(.delete, "/api/v1/users/approver/password", as: .admin)
            }
            return (
                changed,
                try await api.send(.get, "/api/v1/session", cookie: cookie),
                try await api.send(.get, "/api/v1/session", as: .approver)
            )
        }
        #expect(changed.code == 204, "\(changed.text)")
        try expectProblem(after, 401, type: "/problems/unauthenticated")
        // The token is revoked with it.
        try expectProblem(again, 401, type: "/problems/unauthenticated")
    }

    @Test func onlyAdministratorsSwitchUsersOff() async throws {
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/users/viewer/disable", as: .officer, body: json(["reason": "x"]))
        }
        try expectProblem(reply, 403)
        await #expect(try fixture.node(.viewer).actor.disabled == false)
    }

    @Test func failedSignInsAndTheLockOutAreRecordedAsTheAnonymousClientNotTheVictim() async throws {
        let before = try await fixture.audit()
        let lockAfter = HTTPFixture.loginPolicy.lockAfter
        try await fixture.withAPI { api in
            for attempt in 1...lockAfter {
                _ = try await api.signIn("officer", password: "wrong-password-\(attempt)")
            }
        }
        let added = try await fixture.audit(since: before)
        let refused = added.filter { $0.action == "auth.failure" || $0.action == "auth.locked" }
        #expect(refused.count == lockAfter + 1, "\(added.map(\.action))")
        for entry in refused {
            #expect(entry.actor != "officer", "the victim is blamed: \(entry.action)")
            #expect(entry.actor.hasPrefix("client:"), "\(entry.actor)")
            #expect(entry.subject == "user:officer")
        }
    }
}
