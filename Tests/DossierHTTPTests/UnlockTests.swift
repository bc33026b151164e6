import DossierCore
import DossierHTTP
import DossierService
import HTTPTypes
import Testing

/// Lifting a sign-in lock-out held in the server's memory, from another `Dossier` over the same
/// database (what `dossier user unlock` is: another process).
@Suite struct UnlockTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// Wrong passwords for `officer` until the name is locked out.
    private func lockOut(_ api: API) async throws {
        for attempt in 1...HTTPFixture.loginPolicy.lockAfter {
            try expectProblem(try await api.signIn("officer", password: "wrong-password-\(attempt)"), 401)
        }
        try expectProblem(try await api.signIn("officer"), 429, type: "/problems/too-many-attempts")
    }

    @Test func aLockedNameIsLetInAfterAnUnlockRecordedByAnotherInstance() async throws {
        let fixture = self.fixture
        let before = try await fixture.audit()
        let (locked, unlocked, again) = try await fixture.withAPI { api in
            try await lockOut(api)
            let locked = try await api.signIn("officer")
            // Another node object over the same database, as the command line would be.
            let elsewhere = try await Dossier.acting(on: fixture.store, as: "admin")
            try await elsewhere.unlock(user: "officer")
            let unlocked = try await api.signIn("officer")
            // The unlock lifted that lock-out once: a new one holds again.
            try await lockOut(api)
            return (locked, unlocked, try await api.signIn("officer"))
        }
        try expectProblem(locked, 429, type: "/problems/too-many-attempts")
        #expect(unlocked.code == 201, "\(unlocked.text)")
        try expectProblem(again, 429, type: "/problems/too-many-attempts")
        let actions = try await fixture.audit(since: before).map(\.action)
        #expect(actions.filter { $0 == "user.unlock" }.count == 1)
        #expect(actions.filter { $0 == "auth.unlocked" }.count == 1)
        #expect(actions.firstIndex(of: "user.unlock")! < actions.firstIndex(of: "auth.unlocked")!)
    }

    @Test func anUnlockBeforeTheLockOutDoesNotLiftIt() async throws {
        let fixture = self.fixture
        try await fixture.admin.unlock(user: "officer")
        let reply = try await fixture.withAPI { api in
            try await lockOut(api)
            return try await api.signIn("officer")
        }
        try expectProblem(reply, 429, type: "/problems/too-many-attempts")
    }

    @Test func theAPIUnlocksForAdministratorsOnly() async throws {
        let fixture = self.fixture
        let (refused, unknown, done, signedIn) = try await fixture.withAPI { api in
            try await lockOut(api)
            let refused = try await api.send(.post, "/api/v1/users/officer/unlock", as: .approver)
            let unknown = try await api.send(.post, "/api/v1/users/nobody/unlock", as: .admin)
            let done = try await api.send(.post, "/api/v1/users/officer/unlock", as: .admin)
            return (refused, unknown, done, try await api.signIn("officer"))
        }
        try expectProblem(refused, 403, type: "/problems/forbidden")
        try expectProblem(unknown, 404)
        #expect(done.code == 204, "\(done.text)")
        #expect(signedIn.code == 201, "\(signedIn.text)")
    }
}
