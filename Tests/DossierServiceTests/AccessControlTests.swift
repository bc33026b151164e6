import DossierCore
import DossierService
import Foundation
import Testing

/// Who may act on whom: one rule decides whether a user reaches a person, every reach is a
/// grant on record, and a user can be switched off.
@Suite struct AccessControlTests {
    /// A person filed for approval in the hospital by its own officer, and an officer limited to
    /// the finance department who must not be able to reach them.
    private func pendingInTheHospital() async throws -> (ServiceFixture, pending: Int64, outsider: Dossier) {
        let fixture = try await ServiceFixture()
        let hospitalOfficer = try await fixture.scoped("officer2", role: .officer, to: ServiceFixture.hospital)
        var input = personInput(77, org: ServiceFixture.hospital, category: "inst-partial")
        input.name = "赵待批"
        input.hiredOn = "2025-03-01"
        let (pending, _) = try await hospitalOfficer.addPersonForApproval(input, today: today)
        let outsider = try await fixture.scoped("officer", role: .officer, to: ServiceFixture.finance)
        return (fixture, pending, outsider)
    }

    @Test func aPendingPersonCannotBeDraftedIntoAnotherUnitAndTheAnswerIsAsForNobody() async throws {
        let (fixture, pending, outsider) = try await pendingInTheHospital()
        let draftsBefore = try await fixture.dossier.drafts(state: nil)
        let auditBefore = try await fixture.dossier.auditLog(after: 0, limit: 10_000).count

        func attempt(_ person: Int64, _ kind: ActionKind) async -> ServiceError? {
            let input: ActionDraftInput
            if kind == .hire {
                input = ActionDraftInput(
                    personID: person,
                    kind: .hire,
                    effectiveOn: day("2025-04-01"),
                    orgCode: ServiceFixture.finance,
                    category: .administrative,
                    status: .probation
                )
            } else {
                input = ActionDraftInput(personID: person, kind: kind, effectiveOn: day("2025-04-01"))
            }
            return await #expect(throws: ServiceError.self) { try await outsider.draftAction(input) }
        }
        // The hire into the drafter's own unit, and a kind that names no organisation at all.
        for kind in [ActionKind.hire, .confirm] {
            let refused = try await #require(attempt(pending, kind))
            let nobody = try await #require(attempt(9_999_999, kind))
            #expect(refused.kind == .notFound, "\(kind)")
            // Worded exactly as for a file number that does not exist, but for the number.
            #expect(
                refused.message.replacingOccurrences(of: "\(pending)", with: "N")
                    == nobody.message.replacingOccurrences(of: "9999999", with: "N"),
                "\(kind): \(refused.message) / \(nobody.message)"
            )
        }
        // Nothing was written, and the person is still out of the outsider's reach.
        await #expect(try fixture.dossier.drafts(state: nil) == draftsBefore)
        await #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == auditBefore)
        await #expect(throws: ServiceError.self) { _ = try await outsider.person(pending, on: today) }
    }

    @Test func thePersonStaysWithTheUnitThatFiledThemWhateverIsDraftedLater() async throws {
        let (fixture, pending, _) = try await pendingInTheHospital()
        // Even a node-wide officer's later draft naming another unit does not move them.
        let everywhere = try await fixture.acting(as: "central", role: .officer)
        _ = try await everywhere.draftAction(
            ActionDraftInput(
                personID: pending,
                kind: .hire,
                effectiveOn: day("2025-04-01"),
                orgCode: ServiceFixture.finance,
                category: .administrative,
                status: .probation
            )
        )
        let financeViewer = try await fixture.scoped("financeviewer", role: .viewer, to: ServiceFixture.finance)
        let hospitalViewer = try await fixture.scoped("hospitalviewer", role: .viewer, to: ServiceFixture.hospital)
        await #expect(throws: ServiceError.self) { _ = try await financeViewer.person(pending, on: today) }
        await #expect(try hospitalViewer.person(pending, on: today).name == "赵待批")
        // And an approver over the finance department alone cannot approve that draft.
        let financeApprover = try await fixture.scoped("financeapprover", role: .approver, to: ServiceFixture.finance)
        let draft = try await #require(try fixture.dossier.drafts().last)
        await #expect(throws: ServiceError.self) { try await financeApprover.approve(draft: draft.id) }
    }

    @Test func revokingTheLastGrantLeavesTheUserReachingNothing() async throws {
        let fixture = try await ServiceFixture()
        let viewer = try await fixture.scoped("reader", role: .viewer, to: ServiceFixture.finance)
        await #expect(try viewer.person(fixture.onFileID, on: today).id == fixture.onFileID)
        try await fixture.dossier.revoke(user: "reader", role: .viewer, org: ServiceFixture.finance)
        let error = await #expect(throws: ServiceError.self) {
            _ = try await viewer.person(fixture.onFileID, on: today)
        }
        #expect(error?.kind == .notFound)
        await #expect(try viewer.people(on: today).isEmpty)
        // A user added without a reach reaches nothing either, until granted.
        try await fixture.dossier.addUser(User(name: "newcomer", role: .viewer, displayName: "N"), reach: nil)
        let newcomer = try await Dossier.acting(on: fixture.store, as: "newcomer")
        await #expect(try newcomer.people(on: today).isEmpty)
        try await fixture.dossier.grant(user: "newcomer", role: .viewer, org: nil)
        await #expect(try newcomer.people(on: today).map(\.id) == [fixture.onFileID])
    }

    @Test func aUserSwitchedOffCannotActAndLosesTheirTokens() async throws {
        let fixture = try await ServiceFixture()
        let viewer = try await fixture.acting(as: "reader", role: .viewer)
        let token = try await viewer.issueToken(user: "reader", label: "script")
        await #expect(try fixture.dossier.principal(forToken: token.secret) != nil)

        try await fixture.dossier.setDisabled(true, user: "reader", reason: "离职")
        await #expect(try fixture.dossier.principal(forToken: token.secret) == nil)
        await #expect(try fixture.dossier.principal(named: "reader") == nil)
        let refused = await #expect(throws: ServiceError.self) {
            _ = try await Dossier.acting(on: fixture.store, as: "reader")
        }
        #expect(refused?.kind == .forbidden)
        await #expect(try fixture.dossier.users().first { $0.name == "reader" }?.disabled == true)

        // Switched on again: they may act, but the old token stays revoked.
        try await fixture.dossier.setDisabled(false, user: "reader", reason: "返聘")
        _ = try await Dossier.acting(on: fixture.store, as: "reader")
        await #expect(try fixture.dossier.principal(forToken: token.secret) == nil)
        let actions = try await fixture.dossier.auditLog(after: 0, limit: 10_000).filter { $0.subject == "user:reader" }
            .map(\.action)
        #expect(actions.suffix(2) == ["user.disable", "user.enable"])
    }

    @Test func aRoleOrPasswordChangeEndsTheUsersTokensAndMovesTheirSessionEpoch() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acting(as: "clerk", role: .viewer)
        let epoch0 = try await #require(try fixture.dossier.principal(named: "clerk")).epoch

        let first = try await fixture.dossier.issueToken(user: "clerk", label: "a")
        try await fixture.dossier.setRole(.officer, user: "clerk")
        await #expect(try fixture.dossier.principal(forToken: first.secret) == nil)
        let afterRole = try await #require(try fixture.dossier.principal(named: "clerk"))
        #expect(afterRole.user.role == .officer)
        #expect(afterRole.epoch > epoch0)

        let second = try await fixture.dossier.issueToken(user: "clerk", label: "b")
        try await fixture.dossier.setPassword(user: "clerk", password: "a new password", cost: 4)
        await #expect(try fixture.dossier.principal(forToken: second.secret) == nil)
        let afterPassword = try await #require(try fixture.dossier.principal(named: "clerk")).epoch
        #expect(afterPassword > afterRole.epoch)

        try await fixture.dossier.removePassword(user: "clerk")
        await #expect(try fixture.dossier.authenticate(user: "clerk", password: "a new password") == nil)
        await #expect(try #require(try fixture.dossier.principal(named: "clerk")).epoch > afterPassword)
    }

    @Test func onlyAdministratorsSwitchUsersOffAndNobodySwitchesThemselvesOff() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        _ = try await fixture.acting(as: "reader", role: .viewer)
        let forbidden = await #expect(throws: ServiceError.self) {
            try await officer.setDisabled(true, user: "reader", reason: "x")
        }
        #expect(forbidden?.kind == .forbidden)
        await #expect(throws: ServiceError.self) { try await officer.setRole(.admin, user: "officer") }
        await #expect(throws: ServiceError.self) {
            try await fixture.dossier.setDisabled(true, user: "admin", reason: "x")
        }
        await #expect(try fixture.dossier.users().allSatisfy { !$0.disabled })
    }

    @Test func nobodyChangesTheirOwnRoleAndARefusalChangesNothing() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acting(as: "second-admin", role: .admin, reach: nil)
        let before = try await ServiceSnapshot(fixture.dossier)
        let epoch = try await #require(try fixture.dossier.principal(named: "admin")).epoch
        let refusal = await #expect(throws: ServiceError.self) {
            try await fixture.dossier.setRole(.viewer, user: "admin")
        }
        #expect(refusal?.message.contains("your own role") == true, "\(String(describing: refusal))")
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
        await #expect(try #require(try fixture.dossier.principal(named: "admin")).user.role == .admin)
        await #expect(try #require(try fixture.dossier.principal(named: "admin")).epoch == epoch)
        // Another administrator may.
        let other = try await Dossier.acting(on: fixture.store, as: "second-admin")
        try await other.setRole(.viewer, user: "admin")
        await #expect(try #require(try fixture.dossier.principal(named: "admin")).user.role == .viewer)
    }

    /// The service-level twin of the HTTP scoping tests: every read and write a user limited to
    /// the hospital can call on a person in the finance department answers "not found", so a
    /// scope check dropped from one use case is caught here, not only over HTTP.
    @Test func everyUseCaseOnAPersonOutOfReachAnswersNotFound() async throws {
        let fixture = try await ServiceFixture()
        let person = fixture.onFileID
        let officer = try await fixture.scoped("hospital-officer", role: .officer, to: ServiceFixture.hospital)
        let viewer = try await fixture.scoped("hospital-viewer", role: .viewer, to: ServiceFixture.hospital)
        let before = try await fixture.dossier.auditLog(after: 0, limit: 10_000).count
        func outOfReach(_ what: String, _ body: () async throws -> Void) async {
            let error = await #expect(throws: ServiceError.self, "\(what)") { try await body() }
            #expect(error?.kind == .notFound, "\(what): \(String(describing: error))")
        }
        for user in [officer, viewer] {
            await outOfReach("person") { _ = try await user.person(person) }
            await outOfReach("timeline") { _ = try await user.timeline(personID: person) }
            await outOfReach("find") { _ = try await user.findPerson(idNumber: ServiceFixture.onFile.value) }
            await outOfReach("documents") { _ = try await user.documents(personID: person) }
            await #expect(try user.people().isEmpty)
        }
        await outOfReach("reveal") { _ = try await officer.person(person, reveal: true) }
        await outOfReach("draft") {
            _ = try await officer.draftAction(ActionDraftInput(personID: person, kind: .resign, effectiveOn: today))
        }
        await outOfReach("document intake") { try await officer.checkDocumentIntake(personID: person) }
        await #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == before)
        // And within reach, the same calls answer.
        let insider = try await fixture.scoped("finance-viewer", role: .viewer, to: ServiceFixture.finance)
        await #expect(try insider.timeline(personID: person).isEmpty == false)
    }

    /// An officer who also holds a viewer's grant elsewhere reads those files masked and no more:
    /// full numbers, documents and drafts follow the grants of their own role only.
    @Test func aGrantOfAnotherRoleReadsMaskedButNeitherRevealsNorAddsDocuments() async throws {
        let (fixture, pending, _) = try await pendingInTheHospital()
        let hospitalPerson = try await fixture.hire(61, org: ServiceFixture.hospital, category: "inst-partial")
        let officer = try await fixture.scoped("alice", role: .officer, to: ServiceFixture.finance)
        try await fixture.dossier.grant(user: "alice", role: .viewer, org: ServiceFixture.hospital)

        // Readable (masked) through the viewer's grant …
        await #expect(try officer.person(hospitalPerson).idNumber.hasSuffix("************"))
        // … but not revealed, one by one or in a list, and the refusal is audited as nothing.
        let before = try await fixture.dossier.auditLog(after: 0, limit: 10_000).count
        let refused = await #expect(throws: ServiceError.self) {
            _ = try await officer.person(hospitalPerson, reveal: true)
        }
        #expect(refused?.kind == .forbidden)
        await #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == before)
        let listed = try await officer.people(limit: 1000, reveal: true)
        let own = try #require(listed.first { $0.id == fixture.onFileID })
        #expect(own.idNumber == ServiceFixture.onFile.value, "the officer's own unit is revealed")
        let other = try #require(listed.first { $0.id == hospitalPerson })
        let otherMasked = other.idNumber.hasSuffix("************")
        #expect(otherMasked, "a person read through another role's grant was revealed")
        let reveal = try await #require(try fixture.dossier.auditLog(after: 0, limit: 10_000).last)
        #expect(reveal.action == "person.reveal")
        #expect(!reveal.details.contains("\(hospitalPerson)"))

        // Documents follow the one rule too, for someone placed and for someone not yet placed.
        for person in [hospitalPerson, pending] {
            let error = await #expect(throws: ServiceError.self) {
                try await officer.checkDocumentIntake(personID: person)
            }
            #expect(error?.kind == .notFound, "\(person)")
        }
    }
}
