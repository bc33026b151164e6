import DossierCore
import DossierStorage
import Foundation
import Testing

@testable import DossierService
@testable import DossierStore

/// Who may act at the command line, and on what proof: the node's administrator on the data
/// directory alone, anyone else only with their own token or password; and every audit entry
/// records how its actor was proven.
@Suite struct IdentityProofTests {
    private func lastEntry(_ fixture: ServiceFixture) throws -> (entry: AuditEntry, details: [String: String]) {
        let entry = try #require(try fixture.store.auditEntries(limit: 100_000).last)
        return (entry, try JSONDecoder().decode([String: String].self, from: Data(entry.details.utf8)))
    }

    @Test func onlyTheAdministratorActsWithoutProof() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acting(as: "officer", role: .officer)
        let admin = try await Dossier.proveIdentity(claiming: nil, with: .none, in: fixture.store)
        #expect(admin.name == "admin" && admin.proof == .dataDirectory)
        let named = try await Dossier.proveIdentity(claiming: "admin", with: .none, in: fixture.store)
        #expect(named.name == "admin" && named.proof == .dataDirectory)
        let error = await #expect(throws: ServiceError.self) {
            _ = try await Dossier.proveIdentity(claiming: "officer", with: .none, in: fixture.store)
        }
        #expect(error?.kind == .forbidden && error?.message.contains("needs proof") == true)
    }

    @Test func aTokenProvesOnlyItsOwner() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        _ = try await fixture.acting(as: "approver", role: .approver)
        let secret = try await officer.issueToken(user: "officer", label: "script").secret

        for claimed in [nil, "officer"] {
            let proven = try await Dossier.proveIdentity(claiming: claimed, with: .token(secret), in: fixture.store)
            #expect(proven.name == "officer" && proven.proof == .token)
        }
        for claimed in ["approver", "admin"] {
            await #expect(throws: ServiceError.self) {
                _ = try await Dossier.proveIdentity(claiming: claimed, with: .token(secret), in: fixture.store)
            }
        }
        let forged = "dsr_" + String(repeating: "a", count: 64)
        await #expect(throws: ServiceError.self) {
            _ = try await Dossier.proveIdentity(claiming: "officer", with: .token(forged), in: fixture.store)
        }
    }

    @Test func aPasswordProvesItsUserAndAWrongOneIsRecordedAsAFailedSignIn() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acting(as: "officer", role: .officer)
        try await fixture.dossier.setPassword(user: "officer", password: "a long passphrase", cost: 4)
        let before = try fixture.store.auditEntries(limit: 100_000).count

        let error = await #expect(throws: ServiceError.self) {
            _ = try await Dossier.proveIdentity(claiming: "officer", with: .password("wrong guess!"), in: fixture.store)
        }
        #expect(error?.kind == .forbidden && error?.message.contains("wrong guess") == false)
        let failure = try lastEntry(fixture)
        #expect(try fixture.store.auditEntries(limit: 100_000).count == before + 1)
        #expect(failure.entry.action == "auth.failure" && failure.entry.subject == "user:officer")
        #expect(failure.details["client"] == "command line")

        let proven = try await Dossier.proveIdentity(
            claiming: "officer",
            with: .password("a long passphrase"),
            in: fixture.store
        )
        #expect(proven.name == "officer" && proven.proof == .password)
    }

    @Test func everyEntryANodeWritesSaysHowItsActorWasProven() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acting(as: "officer", role: .officer)
        for proof in [IdentityProof.token, .password, .session, .dataDirectory] {
            let officer = try await Dossier.acting(
                on: fixture.store,
                as: "officer",
                policies: fixture.policies,
                provenBy: proof
            )
            _ = try await officer.issueToken(user: "officer", label: "proof \(proof.rawValue)")
            let written = try lastEntry(fixture)
            #expect(written.entry.actor == "officer" && written.entry.action == "user.token")
            #expect(written.details["proven_by"] == proof.rawValue)
        }
        // Code that links Dossier and opens the node itself says nothing it does not know.
        _ = try await fixture.dossier.issueToken(user: "admin", label: "in-process")
        #expect(try lastEntry(fixture).details["proven_by"] == nil)
    }
}
