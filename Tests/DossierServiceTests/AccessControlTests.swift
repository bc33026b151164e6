import DossierCore
import DossierService
import Foundation
import Testing

/// Who may act on whom: one rule decides whether a user reaches a person, every reach is a
/// grant on record, and a user can be switched off.
@Suite struct AccessControlTests {
    /// A person filed for approval in the hospital by its own officer, and an officer limited to
    /// the finance department who must not be able to reach them.
    private func pendingInTheHospital() throws -> (ServiceFixture, pending: Int64, outsider: Dossier) {
        let fixture = try ServiceFixture()
        let hospitalOfficer = try fixture.scoped("officer2", role: .officer, to: ServiceFixture.hospital)
        var input = personInput(77, org: ServiceFixture.hospital, category: "inst-partial")
        input.name = "赵待批"
        input.hiredOn = "2025-03-01"
        let (pending, _) = try hospitalOfficer.addPersonForApproval(input, today: today)
        let outsider = try fixture.scoped("officer", role: .officer, to: ServiceFixture.finance)
        return (fixture, pending, outsider)
    }

    @Test func aPendingPersonCannotBeDraftedIntoAnotherUnitAndTheAnswerIsAsForNobody() throws {
        let (fixture, pending, outsider) = try pendingInTheHospital()
        let draftsBefore = try fixture.dossier.drafts(state: nil)
        let auditBefore = try fixture.dossier.auditLog(after: 0, limit: 10_000).count

        func attempt(_ person: Int64, _ kind: ActionKind) -> ServiceError? {
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
            return #expect(throws: ServiceError.self) { try outsider.draftAction(input) }
        }
        // The hire into the drafter's own unit, and a kind that names no organisation at all.
        for kind in [ActionKind.hire, .confirm] {
            let refused = try #require(attempt(pending, kind))
            let nobody = try #require(attempt(9_999_999, kind))
            #expect(refused.kind == .notFound, "\(kind)")
            // Worded exactly as for a file number that does not exist, but for the number.
            #expect(
                refused.message.replacingOccurrences(of: "\(pending)", with: "N")
                    == nobody.message.replacingOccurrences(of: "9999999", with: "N"),
                "\(kind): \(refused.message) / \(nobody.message)"
            )
        }
        // Nothing was written, and the person is still out of the outsider's reach.
        #expect(try fixture.dossier.drafts(state: nil) == draftsBefore)
        #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == auditBefore)
        #expect(throws: ServiceError.self) { _ = try outsider.person(pending, on: today) }
    }

    @Test func thePersonStaysWithTheUnitThatFiledThemWhateverIsDraftedLater() throws {
        let (fixture, pending, _) = try pendingInTheHospital()
        // Even a node-wide officer's later draft naming another unit does not move them.
        let everywhere = try fixture.acting(as: "central", role: .officer)
        _ = try everywhere.draftAction(
            ActionDraftInput(
                personID: pending,
                kind: .hire,
                effectiveOn: day("2025-04-01"),
                orgCode: ServiceFixture.finance,
                category: .administrative,
                status: .probation
            )
        )
        let financeViewer = try fixture.scoped("financeviewer", role: .viewer, to: ServiceFixture.finance)
        let hospitalViewer = try fixture.scoped("hospitalviewer", role: .viewer, to: ServiceFixture.hospital)
        #expect(throws: ServiceError.self) { _ = try financeViewer.person(pending, on: today) }
        #expect(try hospitalViewer.person(pending, on: today).name == "赵待批")
        // And an approver over the finance department alone cannot approve that draft.
        let financeApprover = try fixture.scoped("financeapprover", role: .approver, to: ServiceFixture.finance)
        let draft = try #require(try fixture.dossier.drafts().last)
        #expect(throws: ServiceError.self) { try financeApprover.approve(draft: draft.id) }
    }

    @Test func revokingTheLastGrantLeavesTheUserReachingNothing() throws {
        let fixture = try ServiceFixture()
        let viewer = try fixture.scoped("reader", role: .viewer, to: ServiceFixture.finance)
        #expect(try viewer.person(fixture.onFileID, on: today).id == fixture.onFileID)
        try fixture.dossier.revoke(user: "reader", role: .viewer, org: ServiceFixture.finance)
        let error = #expect(throws: ServiceError.self) { _ = try viewer.person(fixture.onFileID, on: today) }
        #expect(error?.kind == .notFound)
        #expect(try viewer.people(on: today).isEmpty)
        // A user added without a reach reaches nothing either, until granted.
        try fixture.dossier.addUser(User(name: "newcomer", role: .viewer, displayName: "N"), reach: nil)
        let newcomer = try Dossier.acting(on: fixture.store, as: "newcomer")
        #expect(try newcomer.people(on: today).isEmpty)
        try fixture.dossier.grant(user: "newcomer", role: .viewer, org: nil)
        #expect(try newcomer.people(on: today).map(\.id) == [fixture.onFileID])
    }

    @Test func aUserSwitchedOffCannotActAndLosesTheirTokens() throws {
        let fixture = try ServiceFixture()
        let viewer = try fixture.acting(as: "reader", role: .viewer)
        let token = try viewer.issueToken(user: "reader", label: "script")
        #expect(try fixture.dossier.principal(forToken: token.secret) != nil)

        try fixture.dossier.setDisabled(true, user: "reader", reason: "离职")
        #expect(try fixture.dossier.principal(forToken: token.secret) == nil)
        #expect(try fixture.dossier.principal(named: "reader") == nil)
        let refused = #expect(throws: ServiceError.self) { _ = try Dossier.acting(on: fixture.store, as: "reader") }
        #expect(refused?.kind == .forbidden)
        #expect(try fixture.dossier.users().first { $0.name == "reader" }?.disabled == true)

        // Switched on again: they may act, but the old token stays revoked.
        try fixture.dossier.setDisabled(false, user: "reader", reason: "返聘")
        _ = try Dossier.acting(on: fixture.store, as: "reader")
        #expect(try fixture.dossier.principal(forToken: token.secret) == nil)
        let actions = try fixture.dossier.auditLog(after: 0, limit: 10_000).filter { $0.subject == "user:reader" }
            .map(\.action)
        #expect(actions.suffix(2) == ["user.disable", "user.enable"])
    }

    @Test func aRoleOrPasswordChangeEndsTheUsersTokensAndMovesTheirSessionEpoch() throws {
        let fixture = try ServiceFixture()
        _ = try fixture.acting(as: "clerk", role: .viewer)
        let epoch0 = try #require(try fixture.dossier.principal(named: "clerk")).epoch

        let first = try fixture.dossier.issueToken(user: "clerk", label: "a")
        try fixture.dossier.setRole(.officer, user: "clerk")
        #expect(try fixture.dossier.principal(forToken: first.secret) == nil)
        let afterRole = try #require(try fixture.dossier.principal(named: "clerk"))
        #expect(afterRole.user.role == .officer)
        #expect(afterRole.epoch > epoch0)

        let second = try fixture.dossier.issueToken(user: "clerk", label: "b")
        try fixture.dossier.setPassword(user: "clerk", password: "a new password", cost: 4)
        #expect(try fixture.dossier.principal(forToken: second.secret) == nil)
        let afterPassword = try #require(try fixture.dossier.principal(named: "clerk")).epoch
        #expect(afterPassword > afterRole.epoch)

        try fixture.dossier.removePassword(user: "clerk")
        #expect(try fixture.dossier.authenticate(user: "clerk", password: "a new password") == nil)
        #expect(try #require(try fixture.dossier.principal(named: "clerk")).epoch > afterPassword)
    }

    @Test func onlyAdministratorsSwitchUsersOffAndNobodySwitchesThemselvesOff() throws {
        let fixture = try ServiceFixture()
        let officer = try fixture.acting(as: "officer", role: .officer)
        _ = try fixture.acting(as: "reader", role: .viewer)
        let forbidden = #expect(throws: ServiceError.self) {
            try officer.setDisabled(true, user: "reader", reason: "x")
        }
        #expect(forbidden?.kind == .forbidden)
        #expect(throws: ServiceError.self) { try officer.setRole(.admin, user: "officer") }
        #expect(throws: ServiceError.self) { try fixture.dossier.setDisabled(true, user: "admin", reason: "x") }
        #expect(try fixture.dossier.users().allSatisfy { !$0.disabled })
    }

    @Test func nobodyChangesTheirOwnRoleAndARefusalChangesNothing() throws {
        let fixture = try ServiceFixture()
        _ = try fixture.acting(as: "second-admin", role: .admin, reach: nil)
        let before = try ServiceSnapshot(fixture.dossier)
        let epoch = try #require(try fixture.dossier.principal(named: "admin")).epoch
        let refusal = #expect(throws: ServiceError.self) { try fixture.dossier.setRole(.viewer, user: "admin") }
        #expect(refusal?.message.contains("your own role") == true, "\(String(describing: refusal))")
        #expect(try ServiceSnapshot(fixture.dossier) == before)
        #expect(try #require(try fixture.dossier.principal(named: "admin")).user.role == .admin)
        #expect(try #require(try fixture.dossier.principal(named: "admin")).epoch == epoch)
        // Another administrator may.
        let other = try Dossier.acting(on: fixture.store, as: "second-admin")
        try other.setRole(.viewer, user: "admin")
        #expect(try #require(try fixture.dossier.principal(named: "admin")).user.role == .viewer)
    }

    /// The service-level twin of the HTTP scoping tests: every read and write a user limited to
    /// the hospital can call on a person in the finance department answers "not found", so a
    /// scope check dropped from one use case is caught here, not only over HTTP.
    @Test func everyUseCaseOnAPersonOutOfReachAnswersNotFound() throws {
        let fixture = try ServiceFixture()
        let person = fixture.onFileID
        let officer = try fixture.scoped("hospital-officer", role: .officer, to: ServiceFixture.hospital)
        let viewer = try fixture.scoped("hospital-viewer", role: .viewer, to: ServiceFixture.hospital)
        let before = try fixture.dossier.auditLog(after: 0, limit: 10_000).count
        func outOfReach(_ what: String, _ body: () throws -> Void) {
            let error = #expect(throws: ServiceError.self, "\(what)") { try body() }
            #expect(error?.kind == .notFound, "\(what): \(String(describing: error))")
        }
        for user in [officer, viewer] {
            outOfReach("person") { _ = try user.person(person) }
            outOfReach("timeline") { _ = try user.timeline(personID: person) }
            outOfReach("find") { _ = try user.findPerson(idNumber: ServiceFixture.onFile.value) }
            outOfReach("documents") { _ = try user.documents(personID: person) }
            #expect(try user.people().isEmpty)
        }
        outOfReach("reveal") { _ = try officer.person(person, reveal: true) }
        outOfReach("draft") {
            _ = try officer.draftAction(ActionDraftInput(personID: person, kind: .resign, effectiveOn: today))
        }
        outOfReach("document intake") { try officer.checkDocumentIntake(personID: person) }
        #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == before)
        // And within reach, the same calls answer.
        let insider = try fixture.scoped("finance-viewer", role: .viewer, to: ServiceFixture.finance)
        #expect(try insider.timeline(personID: person).isEmpty == false)
    }

    /// An officer who also holds a viewer's grant elsewhere reads those files masked and no more:
    /// full numbers, documents and drafts follow the grants of their own role only.
    @Test func aGrantOfAnotherRoleReadsMaskedButNeitherRevealsNorAddsDocuments() throws {
        let (fixture, pending, _) = try pendingInTheHospital()
        let hospitalPerson = try fixture.hire(61, org: ServiceFixture.hospital, category: "inst-partial")
        let officer = try fixture.scoped("alice", role: .officer, to: ServiceFixture.finance)
        try fixture.dossier.grant(user: "alice", role: .viewer, org: ServiceFixture.hospital)

        // Readable (masked) through the viewer's grant …
        #expect(try officer.person(hospitalPerson).idNumber.hasSuffix("************"))
        // … but not revealed, one by one or in a list, and the refusal is audited as nothing.
        let before = try fixture.dossier.auditLog(after: 0, limit: 10_000).count
        let refused = #expect(throws: ServiceError.self) { _ = try officer.person(hospitalPerson, reveal: true) }
        #expect(refused?.kind == .forbidden)
        #expect(try fixture.dossier.auditLog(after: 0, limit: 10_000).count == before)
        let listed = try officer.people(limit: 1000, reveal: true)
        let own = try #require(listed.first { $0.id == fixture.onFileID })
        #expect(own.idNumber == ServiceFixture.onFile.value, "the officer's own unit is revealed")
        let other = try #require(listed.first { $0.id == hospitalPerson })
        let otherMasked = other.idNumber.hasSuffix("************")
        #expect(otherMasked, "a person read through another role's grant was revealed")
        let reveal = try #require(try fixture.dossier.auditLog(after: 0, limit: 10_000).last)
        #expect(reveal.action == "person.reveal")
        #expect(!reveal.details.contains("\(hospitalPerson)"))

        // Documents follow the one rule too, for someone placed and for someone not yet placed.
        for person in [hospitalPerson, pending] {
            let error = #expect(throws: ServiceError.self) { try officer.checkDocumentIntake(personID: person) }
            #expect(error?.kind == .notFound, "\(person)")
        }
    }
}
