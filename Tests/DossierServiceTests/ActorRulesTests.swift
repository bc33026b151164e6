import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

/// Every write names an actor on file, and only a node's first user acts for themselves: the
/// service's write paths refuse anyone else, past whatever checked the request before them.
@Suite struct ActorRulesTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
    }

    @Test func unknownActorCannotAddOrganisations() async throws {
        let error = try await fixture.refusedWrite(as: StoreError.self) {
            _ = try await fixture.rules(as: "nobody").recordOrganization(
                NewOrganization(code: bureauCode(1), name: "Bureau", kind: .organ, level: .county)
            )
        }
        #expect(error == StoreError(.unknownUser("nobody")))
    }

    @Test func unknownActorCannotAddUsers() async throws {
        let error = try await fixture.refusedWrite(as: StoreError.self) {
            try await fixture.rules(as: "nobody").recordUser(
                User(name: "clerk", role: .officer, displayName: "Clerk"),
                passwordHash: nil,
                reach: nil
            )
        }
        #expect(error == StoreError(.unknownUser("nobody")))
    }

    /// Adding the first user (what `init` does) needs no actor; once users exist, it would let
    /// anyone create an administrator recorded as acting for themselves.
    @Test func aFirstUserIsRefusedOnceAUserExists() async throws {
        let error = try await fixture.refusedWrite {
            try await Dossier.addFirstUser(
                User(name: "intruder", role: .admin, displayName: "Intruder"),
                to: fixture.store
            )
        }
        #expect(error != nil)
    }
}
