import DossierCore
import DossierCrypto
import DossierTestSupport
import Foundation
import Testing

@testable import DossierStore

/// Who a token or user name stands for is remembered briefly (`PrincipalCache`): changes made
/// through the store take effect at once, changes made by another process once the entry
/// expires.
@Suite struct PrincipalCacheTests {
    private let digest = String(repeating: "ab", count: 32)

    private func storeWithViewer(_ store: DossierStore) throws {
        try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
        try store.seedUser(User(name: "viewer", role: .viewer, displayName: "Viewer"), by: admin)
    }

    @Test func aTokenRevokedThroughTheStoreStopsWorkingAtOnce() async throws {
        let store = try DossierStore.inMemory(keys: FieldKeys.generate(), principalLifetime: .seconds(3600))
        try storeWithViewer(store)
        let id = try store.addToken(user: "viewer", secretSHA256: digest, label: "script", actor: admin)
        #expect(try store.principal(forTokenSHA256: digest)?.user.name == "viewer")
        #expect(try store.principal(forTokenSHA256: digest)?.user.name == "viewer")

        try store.revokeToken(id, actor: admin)
        #expect(try store.principal(forTokenSHA256: digest) == nil)
    }

    @Test func aGrantMadeThroughTheStoreNarrowsTheScopeAtOnce() async throws {
        let store = try DossierStore.inMemory(keys: FieldKeys.generate(), principalLifetime: .seconds(3600))
        try storeWithViewer(store)
        let org = try addOrganization(store, 1)
        let before = try #require(try store.principal(named: "viewer"))
        #expect(before.readable == [], "a user with no grant reads nothing")

        try store.seedGrant(user: "viewer", role: .viewer, org: org, by: admin)
        let after = try #require(try store.principal(named: "viewer"))
        #expect(after.readable?.count == 1)
    }

    /// A transaction that touched the users but rolled back changed nothing, so what was
    /// cached stays (the token, revoked behind the store's back, is still honoured); the next
    /// committed change clears it (and the revocation shows).
    @Test func onlyACommittedChangeClearsTheCache() async throws {
        try await withOnDiskStore(principalLifetime: .seconds(3600)) { store, path in
            let org = try addOrganization(store, 1)
            _ = try store.addToken(user: "viewer", secretSHA256: digest, label: "script", actor: admin)
            #expect(try store.principal(forTokenSHA256: digest) != nil)
            try revokeFromAnotherProcess(path)

            // Adding a user writes app_user, then fails on the malformed password hash: rolled back.
            #expect(throws: (any Error).self) {
                try store.seedUser(
                    User(name: "someone", role: .viewer, displayName: "Someone"),
                    by: admin,
                    passwordHash: "not a bcrypt hash"
                )
            }
            #expect(try store.user("someone") == nil)
            #expect(try store.principal(forTokenSHA256: digest) != nil, "a rolled-back change cleared the cache")

            try store.seedGrant(user: "viewer", role: .viewer, org: org, by: admin)
            #expect(try store.principal(forTokenSHA256: digest) == nil)
        }
    }

    /// A look-up that read the database before a change committed must not store what it read
    /// after the change cleared the cache.
    @Test func aLookUpOverlappingAChangeIsNotRemembered() {
        let cache = PrincipalCache(lifetime: .seconds(3600))
        let viewer = User(name: "viewer", role: .viewer, displayName: "Viewer")
        var loads = 0
        _ = cache.principal(.user(name: "viewer")) { () -> PrincipalCache.Principal? in
            loads += 1
            cache.clear()  // a change commits while this load is under way
            return (viewer, nil, 0)
        }
        _ = cache.principal(.user(name: "viewer")) { () -> PrincipalCache.Principal? in
            loads += 1
            return (viewer, nil, 0)
        }
        _ = cache.principal(.user(name: "viewer")) { () -> PrincipalCache.Principal? in
            loads += 1
            return (viewer, nil, 0)
        }
        #expect(loads == 2, "the overlapping load was stored, or a clean one was not")
    }

    /// Another process (here the sqlite3 shell) revokes the token: the server may honour it
    /// until its entry expires, never longer.
    @Test func aTokenRevokedByAnotherProcessStopsWhenTheEntryExpires() async throws {
        let lifetime = Duration.seconds(2)
        try await withOnDiskStore(principalLifetime: lifetime) { store, path in
            _ = try store.addToken(user: "viewer", secretSHA256: digest, label: "script", actor: admin)
            let cachedAt = ContinuousClock.now
            #expect(try store.principal(forTokenSHA256: digest) != nil)

            try revokeFromAnotherProcess(path)
            // Checked only with a good margin left before the entry expires.
            if ContinuousClock.now - cachedAt < lifetime - .milliseconds(500) {
                #expect(try store.principal(forTokenSHA256: digest) != nil, "still within the entry's lifetime")
            }
            try await Task.sleep(for: .milliseconds(2200))
            #expect(try store.principal(forTokenSHA256: digest) == nil)
        }
    }

    @Test func withNoLifetimeEveryLookUpAsksTheDatabase() async throws {
        try await withOnDiskStore(principalLifetime: .zero) { store, path in
            _ = try store.addToken(user: "viewer", secretSHA256: digest, label: "script", actor: admin)
            #expect(try store.principal(forTokenSHA256: digest) != nil)
            try revokeFromAnotherProcess(path)
            #expect(try store.principal(forTokenSHA256: digest) == nil)
        }
    }

    @Test func anUnknownTokenIsNotRememberedAsUnknown() async throws {
        try await withOnDiskStore(principalLifetime: .seconds(3600)) { store, path in
            #expect(try store.principal(forTokenSHA256: digest) == nil)
            let insert = """
                INSERT INTO api_token(user_name, token_hash, label, created_at, created_by)
                VALUES ('viewer', '\(digest)', 'from elsewhere', '2026-01-01T00:00:00Z', 'admin');
                """
            let result = try ChildProcess.run("/usr/bin/sqlite3", [path, insert])
            #expect(result.status == 0, "\(result.output)")
            #expect(try store.principal(forTokenSHA256: digest)?.user.name == "viewer")
        }
    }

    /// A store in a file (so another process can change it) with an administrator and `viewer`.
    private func withOnDiskStore(
        principalLifetime: Duration,
        _ body: (DossierStore, String) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/dossier.sqlite"
            let store = try DossierStore.open(
                path: path,
                keys: FieldKeys.generate(),
                create: true,
                principalLifetime: principalLifetime
            )
            try storeWithViewer(store)
            try await body(store, path)
        }
    }

    private func revokeFromAnotherProcess(_ path: String) throws {
        let update = "UPDATE api_token SET revoked_at = '2026-01-01T00:00:00Z', revoked_by = 'admin';"
        let result = try ChildProcess.run("/usr/bin/sqlite3", [path, update])
        #expect(result.status == 0, "\(result.output)")
    }
}
