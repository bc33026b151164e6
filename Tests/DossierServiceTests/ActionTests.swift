import DossierCore
import DossierService
import DossierTestSupport
import Testing

/// Personnel actions through the service: drafted by one user, approved by another, applied to
/// the effective-dated timeline, with every quota and the status machine re-checked on approval.
@Suite struct ActionTests {
    let fixture: ServiceFixture
    let officer: Dossier
    let approver: Dossier
    let approver2: Dossier

    init() async throws {
        fixture = try await ServiceFixture(policies: ServiceFixture.withoutPromotionRules)
        officer = try await fixture.acting(as: "officer", role: .officer)
        approver = try await fixture.acting(as: "approver", role: .approver)
        approver2 = try await fixture.acting(as: "approver2", role: .approver)
    }

    var admin: Dossier { fixture.dossier }

    /// A promotion of someone at 一级科员 to 四级主任科员.
    func promotion(_ person: Int64, on date: String) -> ActionDraftInput {
        ActionDraftInput(
            personID: person,
            kind: .promote,
            effectiveOn: day(date),
            rank: .principal4,
            note: "年度考核优秀"
        )
    }

    // MARK: - Maker-checker

    @Test func aDraftApprovedByAnotherUserTakesEffectFromItsDateOnly() async throws {
        let person = try await fixture.hire(11)
        let timelineBefore = try await admin.timeline(personID: person)
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))

        // A draft changes nothing.
        await #expect(try admin.draft(id).state == .draft)
        await #expect(try admin.draft(id).draftedBy == "officer")
        await #expect(try admin.person(person, on: day("2025-06-01")).rank == .clerk1)
        await #expect(try admin.timeline(personID: person) == timelineBefore)

        let actions = try await approver.approve(draft: id).actionIDs
        #expect(actions.count == 1)
        await #expect(try admin.person(person, on: day("2025-02-28")).rank == .clerk1)
        await #expect(try admin.person(person, on: day("2025-03-01")).rank == .principal4)
        await #expect(try admin.person(person, on: today).rank == .principal4)
        await #expect(try admin.person(person, on: today).status == .active)
        await #expect(try admin.person(person, on: today).org == ServiceFixture.finance)

        let draft = try await admin.draft(id)
        #expect(draft.state == .approved)
        #expect(draft.decidedBy == "approver")
        #expect(draft.actionID == actions.last)
        #expect(draft.reason == nil)

        let timeline = try await admin.timeline(personID: person)
        #expect(timeline.count == timelineBefore.count + 1)
        let entry = try #require(timeline.last)
        #expect(entry.actionID == actions[0])
        #expect(entry.kind == .promote)
        #expect(entry.effectiveOn == day("2025-03-01"))
        #expect(entry.rank == .principal4)
        #expect(entry.status == .active)
        #expect(entry.orgCode == ServiceFixture.finance)
    }

    @Test func theDrafterCannotApproveOrRejectTheirOwnDraftEvenAsAdministrator() async throws {
        let person = try await fixture.hire(11)
        let id = try await admin.draftAction(promotion(person, on: "2025-03-01"))
        let approval = try await fixture.refusedApproval(of: id, by: admin)
        #expect(approval?.message.contains("another person") == true, "\(String(describing: approval))")
        try await fixture.refused(kind: .refused) { try await admin.reject(draft: id, reason: "自己驳回") }
        await #expect(try admin.draft(id).state == .draft)

        // Another administrator may approve it.
        let other = try await fixture.acting(as: "admin2", role: .admin)
        await #expect(try other.approve(draft: id).actionIDs.count == 1)
        await #expect(try admin.person(person, on: today).rank == .principal4)
    }

    @Test(arguments: ["考核\u{202E}秀优", "考核\u{200B}优秀"])
    func aNoteOrAReasonWithInvisibleFormattingCharactersIsRefusedAndChangesNothing(text: String) async throws {
        let person = try await fixture.hire(13)
        var input = promotion(person, on: "2025-03-01")
        input.note = text
        let error = try await fixture.refused(kind: .invalid) { _ = try await officer.draftAction(input) }
        #expect(
            error?.message
                == "The note cannot contain invisible formatting characters (such as right-to-left marks or zero-width spaces).",
            "\(String(describing: error))"
        )
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        let refusal = try await fixture.refused(kind: .invalid) { try await approver.reject(draft: id, reason: text) }
        #expect(refusal?.message.hasPrefix("The reason cannot contain invisible formatting") == true)
    }

    @Test func aNoteOrAReasonWithControlCharactersOrTooLongIsRefusedAndChangesNothing() async throws {
        let person = try await fixture.hire(12)
        for note in ["申请\u{0}", String(repeating: "注", count: 501)] {
            var input = promotion(person, on: "2025-03-01")
            input.note = note
            let error = try await fixture.refused(kind: .invalid) { _ = try await officer.draftAction(input) }
            #expect(error?.message.hasPrefix("The note") == true, "\(String(describing: error))")
        }
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        for reason in ["", "  ", "材料\u{1B}[31m"] {
            let error = try await fixture.refused(kind: .invalid) {
                try await approver.reject(draft: id, reason: reason)
            }
            #expect(error?.message.hasPrefix("The reason") == true, "\(String(describing: error))")
        }
        try await approver.reject(draft: id, reason: "  缺少材料\n请补交  ")
        await #expect(try admin.draft(id).reason == "缺少材料\n请补交")
    }

    @Test func aRejectionKeepsTheDraftWithItsReasonAndAppliesNothing() async throws {
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        let before = try await ActionSnapshot(fixture)

        try await approver.reject(draft: id, reason: "缺少年度考核材料")
        let draft = try await admin.draft(id)
        #expect(draft.state == .rejected)
        #expect(draft.reason == "缺少年度考核材料")
        #expect(draft.decidedBy == "approver")
        #expect(draft.actionID == nil)
        #expect(draft.rank == .principal4)
        #expect(draft.effectiveOn == day("2025-03-01"))
        await #expect(try admin.drafts(state: .rejected).map(\.id) == [id])
        await #expect(try admin.drafts(state: .draft).isEmpty)

        // Nothing of the person's file or the headcount moved.
        let after = try await ActionSnapshot(fixture)
        #expect(after.node.people == before.node.people)
        #expect(after.node.timelines == before.node.timelines)
        #expect(after.people == before.people)
        #expect(after.headcounts == before.headcounts)
        await #expect(try admin.person(person, on: today).rank == .clerk1)

        // A rejected draft cannot be approved or rejected again.
        try await fixture.refusedApproval(of: id, by: approver2)
        try await fixture.refused(kind: .refused) { try await approver2.reject(draft: id, reason: "再次驳回") }
    }

    @Test func aRejectionNeedsAReason() async throws {
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        try await fixture.refused(kind: .invalid) { try await approver.reject(draft: id, reason: "  ") }
        await #expect(try admin.draft(id).state == .draft)
    }

    @Test func aDraftIsApprovedOnceOnly() async throws {
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        try await approver.approve(draft: id)
        try await fixture.refusedApproval(of: id, by: approver2)
        try await fixture.refusedApproval(of: id, by: approver)
        await #expect(try admin.draft(id).decidedBy == "approver")
        await #expect(try admin.timeline(personID: person).filter { $0.kind == .promote }.count == 1)
    }

    @Test func aDraftThatDoesNotExistIsNotFound() async throws {
        try await fixture.refusedApproval(of: 999, by: approver, kind: .notFound)
        try await fixture.refused(kind: .notFound) { try await approver.reject(draft: 999, reason: "无") }
    }

    @Test func onlyOfficersDraftAndOnlyApproversDecide() async throws {
        let person = try await fixture.hire(11)
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        let statistician = try await fixture.acting(as: "statistician", role: .statistician)
        for user in [viewer, approver, statistician] {
            try await fixture.refused(kind: .forbidden) {
                _ = try await user.draftAction(promotion(person, on: "2025-03-01"))
            }
        }
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        for user in [officer, viewer, statistician] {
            try await fixture.refusedApproval(of: id, by: user, kind: .forbidden)
            try await fixture.refused(kind: .forbidden) { try await user.reject(draft: id, reason: "不同意") }
        }
        await #expect(try admin.draft(id).state == .draft)
    }

    @Test func aDraftMustStateWhatItsKindNeedsAndNothingElse() async throws {
        let person = try await fixture.hire(11)
        // A promotion names the rank; a transfer the unit and category; an appointment the post.
        for input in [
            ActionDraftInput(personID: person, kind: .promote, effectiveOn: day("2025-03-01")),
            ActionDraftInput(
                personID: person,
                kind: .transferIn,
                effectiveOn: day("2025-03-01"),
                orgCode: ServiceFixture.hospital
            ),
            ActionDraftInput(personID: person, kind: .appoint, effectiveOn: day("2025-03-01")),
            ActionDraftInput(personID: person, kind: .resign, effectiveOn: day("2025-03-01"), rank: .clerk2),
            ActionDraftInput(personID: person, kind: .cancel, effectiveOn: day("2025-03-01")),
        ] {
            try await fixture.refused(kind: .invalid) { _ = try await officer.draftAction(input) }
        }
    }

    // MARK: - Scope

    @Test func aScopedOfficerDraftsOnlyWithinTheirSubtree() async throws {
        let scopedOfficer = try await fixture.scoped("officer-finance", role: .officer, to: ServiceFixture.finance)
        let inFinance = try await fixture.hire(11)
        let inArchives = try await fixture.hire(12, org: ServiceFixture.archives, category: "pscs")
        let inHospital = try await fixture.hire(13, org: ServiceFixture.hospital, category: "inst-partial")

        // Outside the subtree the person is not even there.
        try await fixture.refused(kind: .notFound) {
            _ = try await scopedOfficer.draftAction(promotion(inHospital, on: "2025-03-01"))
        }
        // Nor may a person inside be sent outside.
        try await fixture.refused(kind: .notFound) {
            _ = try await scopedOfficer.draftAction(
                transfer(
                    inFinance,
                    to: ServiceFixture.hospital,
                    category: .partiallyFundedInstitution,
                    on: "2025-03-01"
                )
            )
        }
        // The organisation granted and the one under it are within reach.
        let own = try await scopedOfficer.draftAction(promotion(inFinance, on: "2025-03-01"))
        let child = try await scopedOfficer.draftAction(promotion(inArchives, on: "2025-03-01"))
        await #expect(try approver.approve(draft: own).actionIDs.count == 1)
        await #expect(try approver.approve(draft: child).actionIDs.count == 1)
        await #expect(try admin.person(inArchives, on: today).rank == .principal4)
    }

    /// Someone who has moved out of the officer's subtree is out of reach, even through a draft
    /// dated back to when they were inside it: cancelling their transfer in would change the other
    /// organisation's headcount.
    @Test func aScopedOfficerCannotReachSomeoneWhoLeftTheirSubtreeWithABackDatedDraft() async throws {
        let scopedOfficer = try await fixture.scoped("officer-finance", role: .officer, to: ServiceFixture.finance)
        let person = try await fixture.hire(11)
        let actions = try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2025-06-01"),
            by: officer,
            approvedBy: approver
        )
        let transferIn = try #require(actions.last)
        // Dated today the draft concerns the hospital, and is refused.
        try await fixture.refused(kind: .notFound) {
            _ = try await scopedOfficer.draftAction(
                ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: transferIn)
            )
        }
        // Dated back to when the person was in the finance department, it must be refused too.
        try await fixture.refused(kind: .notFound) {
            _ = try await scopedOfficer.draftAction(
                ActionDraftInput(
                    personID: person,
                    kind: .cancel,
                    effectiveOn: day("2025-01-01"),
                    targetActionID: transferIn
                )
            )
        }
        try await fixture.refused(kind: .notFound) {
            _ = try await scopedOfficer.draftAction(promotion(person, on: "2025-03-01"))
        }
    }

    /// A list as of a past date must not show someone who has since left the officer's subtree:
    /// their file, numbers included, belongs to the organisation they are in now.
    @Test func aScopedOfficersListOfAPastDateLeavesOutWhoeverHasLeftTheirSubtree() async throws {
        let scopedOfficer = try await fixture.scoped("officer-finance", role: .officer, to: ServiceFixture.finance)
        let leaver = try await fixture.hire(11)
        let stayer = try await fixture.hire(12)
        let past = day("2025-01-01")
        await #expect(Set(try scopedOfficer.people(on: past).map(\.id)).isSuperset(of: [leaver, stayer]))
        _ = try await drafted(
            transfer(leaver, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2025-06-01"),
            by: officer,
            approvedBy: approver
        )
        for reveal in [false, true] {
            let listed = await Set(try scopedOfficer.people(on: past, limit: 1_000, reveal: reveal).map(\.id))
            #expect(!listed.contains(leaver), "reveal: \(reveal)")
            #expect(listed.contains(stayer), "reveal: \(reveal)")
        }
        // Consistent with a look-up of the one person; the node's own view still lists them.
        try await fixture.refused(kind: .notFound) { _ = try await scopedOfficer.person(leaver, on: past) }
        await #expect(try admin.people(on: past, limit: 1_000).map(\.id).contains(leaver))
    }

    /// A transfer approved for a later date does not move the person out of reach before it.
    @Test func someoneWhoseTransferOutIsStillToComeStaysInTheOfficersList() async throws {
        let scopedOfficer = try await fixture.scoped("officer-finance", role: .officer, to: ServiceFixture.finance)
        let person = try await fixture.hire(11)
        let later = today.adding(days: 200)
        _ = try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: later.description),
            by: officer,
            approvedBy: approver
        )
        await #expect(try scopedOfficer.people(on: today, limit: 1_000).map(\.id).contains(person))
        await #expect(try scopedOfficer.person(person, on: today).org == ServiceFixture.finance)
    }

    @Test func aScopedApproverDecidesOnlyWithinTheirSubtree() async throws {
        let financeApprover = try await fixture.scoped("approver-finance", role: .approver, to: ServiceFixture.finance)
        let hospitalApprover = try await fixture.scoped(
            "approver-hospital",
            role: .approver,
            to: ServiceFixture.hospital
        )
        let inArchives = try await fixture.hire(12, org: ServiceFixture.archives, category: "pscs")
        let inHospital = try await fixture.hire(13, org: ServiceFixture.hospital, category: "inst-partial")
        let hospitalDraft = try await officer.draftAction(promotion(inHospital, on: "2025-03-01"))
        let archivesDraft = try await officer.draftAction(promotion(inArchives, on: "2025-03-01"))

        try await fixture.refusedApproval(of: hospitalDraft, by: financeApprover, kind: .notFound)
        try await fixture.refused(kind: .notFound) {
            try await financeApprover.reject(draft: hospitalDraft, reason: "不同意")
        }
        try await fixture.refusedApproval(of: archivesDraft, by: hospitalApprover, kind: .notFound)

        await #expect(try financeApprover.approve(draft: archivesDraft).actionIDs.count == 1)
        await #expect(try hospitalApprover.approve(draft: hospitalDraft).actionIDs.count == 1)
        await #expect(try admin.person(inHospital, on: today).rank == .principal4)
    }

    @Test func aTransferNeedsTheApproverToReachBothOrganisations() async throws {
        let financeApprover = try await fixture.scoped("approver-finance", role: .approver, to: ServiceFixture.finance)
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2025-06-01")
        )
        try await fixture.refusedApproval(of: id, by: financeApprover, kind: .notFound)
        await #expect(try approver.approve(draft: id).actionIDs.count == 2)
    }

    @Test func aScopedApproverListsOnlyTheDraftsWithinTheirSubtree() async throws {
        let financeApprover = try await fixture.scoped("approver-finance", role: .approver, to: ServiceFixture.finance)
        let inArchives = try await fixture.hire(12, org: ServiceFixture.archives, category: "pscs")
        let inHospital = try await fixture.hire(13, org: ServiceFixture.hospital, category: "inst-partial")
        let visible = try await officer.draftAction(promotion(inArchives, on: "2025-03-01"))
        let hidden = try await officer.draftAction(promotion(inHospital, on: "2025-03-01"))
        await #expect(try financeApprover.drafts().map(\.id) == [visible])
        await #expect(try approver.drafts().map(\.id) == [visible, hidden])
        try await fixture.refused(kind: .notFound) { _ = try await financeApprover.draft(hidden) }
        await #expect(try financeApprover.draft(visible).personID == inArchives)
    }

    // MARK: - Transfers

    @Test func aTransferRecordsBothSidesAndMovesTheHeadcountFromItsDate() async throws {
        let person = try await fixture.hire(11)
        let finance = Headcount.Subject.category(.administrative)
        let hospital = Headcount.Subject.category(.partiallyFundedInstitution)
        let dayBefore = day("2025-05-31")
        let date = day("2025-06-01")
        let financeBefore = try await fixture.occupied(ServiceFixture.finance, finance, on: dayBefore)
        let hospitalBefore = try await fixture.occupied(ServiceFixture.hospital, hospital, on: dayBefore)
        await #expect(try fixture.occupied(ServiceFixture.finance, finance, on: date) == financeBefore)

        let actions = try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2025-06-01"),
            by: officer,
            approvedBy: approver
        )
        #expect(actions.count == 2)
        let timeline = try await admin.timeline(personID: person)
        let pair = timeline.filter { actions.contains($0.actionID) }
        #expect(pair.map(\.kind) == [.transferOut, .transferIn])
        #expect(pair.map(\.orgCode) == [ServiceFixture.finance, ServiceFixture.hospital])
        #expect(pair.map(\.status) == [.transferredOut, .active])
        #expect(pair.allSatisfy { $0.effectiveOn == date })
        #expect(pair.last?.category == .partiallyFundedInstitution)

        await #expect(try fixture.occupied(ServiceFixture.finance, finance, on: dayBefore) == financeBefore)
        await #expect(try fixture.occupied(ServiceFixture.hospital, hospital, on: dayBefore) == hospitalBefore)
        await #expect(try fixture.occupied(ServiceFixture.finance, finance, on: date) == financeBefore - 1)
        await #expect(try fixture.occupied(ServiceFixture.hospital, hospital, on: date) == hospitalBefore + 1)
        await #expect(try fixture.occupied(ServiceFixture.finance, finance, on: today) == financeBefore - 1)

        await #expect(try admin.person(person, on: dayBefore).org == ServiceFixture.finance)
        let moved = try await admin.person(person, on: date)
        #expect(moved.org == ServiceFixture.hospital)
        #expect(moved.category == .partiallyFundedInstitution)
        #expect(moved.status == .active)
        #expect(moved.rank == .clerk1)
        await #expect(
            try admin.people(on: date, org: ServiceFixture.finance, limit: 1_000).allSatisfy { $0.id != person }
        )
    }

    /// The rank carried across a transfer is the rank on the transfer's date, not the latest one.
    @Test func aBackDatedTransferBeforeALaterPromotionKeepsTheRankOfItsDate() async throws {
        let person = try await fixture.hire(11)
        try await drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver)
        let actions = try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2024-06-01"),
            by: officer,
            approvedBy: approver
        )
        #expect(actions.count == 2)
        let moved = try await admin.person(person, on: day("2024-06-01"))
        #expect(moved.org == ServiceFixture.hospital)
        #expect(moved.rank == .clerk1)
        let promoted = try await admin.person(person, on: day("2025-03-01"))
        #expect(promoted.org == ServiceFixture.hospital)
        #expect(promoted.rank == .principal4)
    }

    /// A transfer dated while the person is in post is a 调出/调入 pair even when an exit is
    /// already scheduled after it; the exit then happens in the new organisation.
    @Test func aTransferBeforeAScheduledResignationMovesThePerson() async throws {
        let person = try await fixture.hire(11)
        try await drafted(plain(.resign, person, on: "2027-03-01"), by: officer, approvedBy: approver)
        let actions = try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2026-12-01"),
            by: officer,
            approvedBy: approver
        )
        #expect(actions.count == 2)
        await #expect(try admin.person(person, on: day("2026-12-01")).org == ServiceFixture.hospital)
        let resigned = try await admin.person(person, on: day("2027-03-01"))
        #expect(resigned.org == ServiceFixture.hospital)
        #expect(resigned.status == .resigned)
        await #expect(
            try fixture.occupied(ServiceFixture.finance, .category(.administrative), on: day("2026-12-01"))
                == fixture.occupied(ServiceFixture.finance, .category(.administrative), on: day("2026-11-30")) - 1
        )
    }

    @Test func aTransferIntoAFullOrganisationIsRefusedAndChangesNothing() async throws {
        // 东海省档案馆 has 2 参公 slots: both taken.
        _ = try await fixture.hire(12, org: ServiceFixture.archives, category: "pscs")
        let leaving = try await fixture.hire(14, org: ServiceFixture.archives, category: "pscs")
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(
            transfer(person, to: ServiceFixture.archives, category: .civilServiceManagedInstitution, on: "2025-06-01")
        )
        let error = try await fixture.refusedApproval(of: id, by: approver)
        #expect(error?.message.contains("东海省档案馆") == true, "\(String(describing: error))")

        // A slot freed later does not make room earlier; from that day on it does.
        try await drafted(plain(.resign, leaving, on: "2025-09-01"), by: officer, approvedBy: approver)
        try await fixture.refusedApproval(of: id, by: approver)
        let later = try await officer.draftAction(
            transfer(person, to: ServiceFixture.archives, category: .civilServiceManagedInstitution, on: "2025-09-01")
        )
        await #expect(try approver.approve(draft: later).actionIDs.count == 2)
        await #expect(
            try fixture.occupied(ServiceFixture.archives, .category(.civilServiceManagedInstitution), on: today) == 2
        )
    }

    @Test func draftsCountAgainstNoQuotaAndApprovalChecksAgain() async throws {
        _ = try await fixture.hire(12, org: ServiceFixture.archives, category: "pscs")
        let first = try await fixture.hire(11)
        let second = try await fixture.hire(13)
        let one = try await officer.draftAction(
            transfer(first, to: ServiceFixture.archives, category: .civilServiceManagedInstitution, on: "2025-06-01")
        )
        let two = try await officer.draftAction(
            transfer(second, to: ServiceFixture.archives, category: .civilServiceManagedInstitution, on: "2025-06-01")
        )
        await #expect(
            try fixture.occupied(ServiceFixture.archives, .category(.civilServiceManagedInstitution), on: today) == 1
        )
        try await approver.approve(draft: one)
        try await fixture.refusedApproval(of: two, by: approver)
        await #expect(
            try fixture.occupied(ServiceFixture.archives, .category(.civilServiceManagedInstitution), on: today) == 2
        )
    }

    // MARK: - Effective dating

    @Test func aFutureResignationKeepsTheSlotUntilItsDate() async throws {
        let person = try await fixture.hire(11)
        let subject = Headcount.Subject.category(.administrative)
        let now = try await fixture.occupied(ServiceFixture.finance, subject, on: today)
        try await drafted(plain(.resign, person, on: "2027-03-01"), by: officer, approvedBy: approver)

        await #expect(try fixture.occupied(ServiceFixture.finance, subject, on: today) == now)
        await #expect(try fixture.occupied(ServiceFixture.finance, subject, on: day("2027-02-28")) == now)
        await #expect(try fixture.occupied(ServiceFixture.finance, subject, on: day("2027-03-01")) == now - 1)
        await #expect(try admin.person(person, on: today).status == .active)
        await #expect(try admin.person(person, on: day("2027-03-01")).status == .resigned)
        await #expect(try admin.overview(on: today).people == 2)
    }

    @Test func aBackDatedHireIntoAUnitThatIsFullLaterIsRefused() async throws {
        // The hospital's 5 slots are all taken from 2025-01-01.
        for sequence in 21...25 {
            _ = try await fixture.hire(
                sequence,
                org: ServiceFixture.hospital,
                category: "inst-partial",
                hiredOn: "2025-01-01"
            )
        }
        var input = personInput(31, org: ServiceFixture.hospital, category: "inst-partial")
        input.hiredOn = "2024-06-01"
        let error = try await fixture.refused(kind: .refused) { _ = try await admin.addPerson(input, today: today) }
        #expect(error?.message.contains("2025-01-01") == true, "\(String(describing: error))")

        // The same through a back-dated transfer.
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2024-06-01")
        )
        let refusal = try await fixture.refusedApproval(of: id, by: approver)
        #expect(refusal?.message.contains("2025-01-01") == true, "\(String(describing: refusal))")
    }

    @Test func aBackDatedActionThatBreaksALaterOneIsRefusedWhenDrafted() async throws {
        let person = try await fixture.hire(11)
        try await drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver)
        let error = try await fixture.refused(kind: .refused) {
            _ = try await officer.draftAction(plain(.resign, person, on: "2025-01-01"))
        }
        #expect(error?.message.contains("辞职") == true, "\(String(describing: error))")
        #expect(error?.message.contains("职级晋升") == true, "\(String(describing: error))")
    }

    @Test func anActionTheStatusMachineForbidsIsRefusedWhenDraftedNamingStatusAndAction() async throws {
        let person = try await fixture.hire(11, status: "试用")
        let error = try await fixture.refused(kind: .refused) {
            _ = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        }
        #expect(error?.message.contains("试用") == true, "\(String(describing: error))")
        #expect(error?.message.contains("promote") == true, "\(String(describing: error))")

        // 转正 first, then the promotion may be drafted and approved.
        try await drafted(plain(.confirm, person, on: "2024-07-05"), by: officer, approvedBy: approver)
        let id = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        await #expect(try approver.approve(draft: id).actionIDs.count == 1)
    }

    @Test func aPromotionDraftedDownwardsOrTwoStepsUpIsRefusedAtOnceAndNoDraftIsWritten() async throws {
        let person = try await fixture.hire(11)  // 一级科员 (L1-clerk)
        for rank in ["L2-clerk", "L3-principal"] {
            var input = promotion(person, on: "2025-03-01")
            input.rank = Rank(code: rank)
            let error = try await fixture.refused(kind: .refused) { _ = try await officer.draftAction(input) }
            #expect(error != nil, "a promotion to \(rank) was drafted")
        }
        #expect(try await approver.drafts().isEmpty)
    }

    @Test func theQueueShowsWhereThePersonStandsWhatApprovingWouldChangeAndWhatWouldBeRefused() async throws {
        let person = try await fixture.hire(11)  // 一级科员 at the finance department, 在职
        let promotionDraft = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        let resignation = try await officer.draftAction(plain(.resign, person, on: "2025-01-01"))
        let before = try await ServiceSnapshot(fixture.dossier)
        let drafts = try await approver.drafts()
        let previews = try await approver.previews(of: drafts)
        #expect(try await ServiceSnapshot(fixture.dossier) == before, "a preview writes nothing")

        let rankName = approver.rankLadder(on: day("2025-03-01")).name(of:)
        let promoted = try #require(previews[promotionDraft])
        #expect(promoted.current?.rank == Rank(code: "L1-clerk") && promoted.current?.status == .active)
        #expect(promoted.refusal == nil)
        #expect(
            promoted.changes(rankName: rankName).map { "\($0.field) \($0.from) → \($0.to)" } == ["职级 一级科员 → 四级主任科员"]
        )
        let resigned = try #require(previews[resignation])
        #expect(resigned.changes(rankName: rankName).map(\.field) == ["状态"])
        #expect(resigned.after?.status == .resigned)

        // Once the resignation is approved, the promotion dated after it would be refused: the queue says so.
        _ = try await approver.approve(draft: resignation)
        let later = try await approver.previews(of: try await approver.drafts())
        #expect(later[promotionDraft]?.refusal?.contains("辞职") == true, "\(String(describing: later))")
        #expect(later[promotionDraft]?.after == nil)
    }

    @Test func theDraftingOfficerWithdrawsADraftWhichStaysMarkedAndCanNoLongerBeDecided() async throws {
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(plain(.resign, person, on: "2025-06-01"))
        let secondOfficer = try await fixture.acting(as: "officer2", role: .officer)

        // Nobody but its officer withdraws it, and a refusal writes nothing: an approver may not
        // draft (nor withdraw) at all; another officer, or the administrator, rejects it instead.
        try await fixture.refused(kind: .forbidden) { try await approver.withdraw(draft: id, reason: "不需要了") }
        for other in [secondOfficer, admin] {
            let error = try await fixture.refused(kind: .refused) {
                try await other.withdraw(draft: id, reason: "不需要了")
            }
            #expect(error?.message.contains("only they may withdraw it") == true, "\(String(describing: error))")
        }
        try await fixture.refused(kind: .invalid) { try await officer.withdraw(draft: id, reason: "  ") }

        try await officer.withdraw(draft: id, reason: "重复起草")
        let withdrawn = try await approver.draft(id)
        #expect(withdrawn.state == .withdrawn && withdrawn.decidedBy == "officer" && withdrawn.reason == "重复起草")
        #expect(try await approver.drafts().isEmpty, "the queue no longer holds it")
        let entry = try #require(try await admin.auditLog(after: 0, limit: 100_000).last)
        #expect(entry.action == "action.withdraw" && entry.actor == "officer" && entry.subject == "draft:\(id)")

        // Withdrawn is final: neither approved nor withdrawn again.
        try await fixture.refusedApproval(of: id, by: approver)
        try await fixture.refused(kind: .refused) { try await officer.withdraw(draft: id, reason: "again") }
    }

    @Test func aDecidedDraftCannotBeWithdrawn() async throws {
        let person = try await fixture.hire(11)
        let id = try await officer.draftAction(plain(.resign, person, on: "2025-06-01"))
        _ = try await approver.approve(draft: id)
        let error = try await fixture.refused(kind: .refused) {
            try await officer.withdraw(draft: id, reason: "晚了")
        }
        #expect(error?.message.contains("already approved") == true, "\(String(describing: error))")
    }

    @Test func aDraftThatTurnsInvalidBeforeApprovalIsStillRefusedAtApproval() async throws {
        // Drafting checks what it can; approval checks everything again, against the timeline
        // as it is then (here a resignation approved meanwhile).
        let person = try await fixture.hire(11)
        let promotionDraft = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        try await drafted(plain(.resign, person, on: "2025-01-01"), by: officer, approvedBy: approver)
        let error = try await fixture.refusedApproval(of: promotionDraft, by: approver)
        #expect(error?.message.contains("辞职") == true, "\(String(describing: error))")
    }

    @Test func absenceWithoutLeaveCannotEndInRetirement() async throws {
        let person = try await fixture.hire(11)
        try await drafted(plain(.awol, person, on: "2025-03-01"), by: officer, approvedBy: approver)
        let error = try await fixture.refused(kind: .refused) {
            _ = try await officer.draftAction(plain(.retire, person, on: "2025-06-01"))
        }
        #expect(error?.message.contains("自离") == true, "\(String(describing: error))")
        // The slot is held until the dismissal.
        let subject = Headcount.Subject.category(.administrative)
        let held = try await fixture.occupied(ServiceFixture.finance, subject, on: day("2025-05-31"))
        try await drafted(plain(.dismiss, person, on: "2025-06-01"), by: officer, approvedBy: approver)
        await #expect(try fixture.occupied(ServiceFixture.finance, subject, on: day("2025-05-31")) == held)
        await #expect(try fixture.occupied(ServiceFixture.finance, subject, on: day("2025-06-01")) == held - 1)
    }

    // MARK: - Corrections and cancellations

    @Test func aCancelledPromotionStaysOnTheTimelineAndTheRankReverts() async throws {
        let person = try await fixture.hire(11)
        let promoted = try await drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver)
        let promotionID = try #require(promoted.first)
        let before = try await admin.timeline(personID: person)

        let cancel = ActionDraftInput(
            personID: person,
            kind: .cancel,
            effectiveOn: day("2025-09-01"),
            targetActionID: promotionID,
            note: "考核结果撤销"
        )
        let cancelled = try await drafted(cancel, by: officer, approvedBy: approver)
        #expect(cancelled.count == 1)

        let timeline = try await admin.timeline(personID: person)
        #expect(timeline.count == before.count + 1)
        let original = try #require(timeline.first { $0.actionID == promotionID })
        #expect(original.kind == .promote)
        #expect(original.rank == .principal4)
        #expect(original.effectiveOn == day("2025-03-01"))
        // The original is marked as cancelled, and the cancellation names what it cancels.
        #expect(original.amendedBy == cancelled[0])
        #expect(original.amendment == .cancel)
        let entry = try #require(timeline.first { $0.actionID == cancelled[0] })
        #expect(entry.kind == .cancel)
        #expect(entry.targetActionID == promotionID)

        for date in ["2025-03-01", "2025-06-01", "2025-09-01", "2026-11-27"] {
            await #expect(try admin.person(person, on: day(date)).rank == .clerk1, "\(date)")
        }
    }

    @Test func aCorrectedDateMovesThePromotionAndTheLatestCorrectionWins() async throws {
        let person = try await fixture.hire(11)
        let promotionID = try await #require(
            try drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver).first
        )
        let correction = ActionDraftInput(
            personID: person,
            kind: .correct,
            effectiveOn: day("2025-09-01"),
            targetActionID: promotionID,
            note: "任职时间更正"
        )
        let corrected = try await drafted(correction, by: officer, approvedBy: approver)
        await #expect(try admin.person(person, on: day("2025-03-01")).rank == .clerk1)
        await #expect(try admin.person(person, on: day("2025-08-31")).rank == .clerk1)
        await #expect(try admin.person(person, on: day("2025-09-01")).rank == .principal4)
        await #expect(try admin.person(person, on: today).rank == .principal4)

        let timeline = try await admin.timeline(personID: person)
        let original = try #require(timeline.first { $0.actionID == promotionID })
        #expect(original.effectiveOn == day("2025-03-01"))
        #expect(original.kind == .promote)
        let entry = try #require(timeline.first { $0.actionID == corrected.first })
        #expect(entry.kind == .correct)
        #expect(entry.effectiveOn == day("2025-09-01"))
        #expect(entry.rank == .principal4)
        #expect(entry.targetActionID == promotionID)
        #expect(original.amendedBy == corrected.first)
        #expect(original.amendment == .correct)

        var again = correction
        again.effectiveOn = day("2025-07-01")
        let latest = try await drafted(again, by: officer, approvedBy: approver2)
        await #expect(try admin.person(person, on: day("2025-06-30")).rank == .clerk1)
        await #expect(try admin.person(person, on: day("2025-07-01")).rank == .principal4)
        let final = try await admin.timeline(personID: person)
        #expect(final.count == timeline.count + 1)
        #expect(final.first { $0.actionID == promotionID }?.amendedBy == latest.first)
    }

    /// A cancelled action is gone from the reckoning: correcting or cancelling it again would be
    /// recorded and marked on the timeline while changing nothing, so it is refused, when drafted
    /// or, if it was drafted before the cancellation, when approved.
    @Test func aCancelledActionCannotBeCorrectedOrCancelledAgain() async throws {
        let person = try await fixture.hire(11)
        let promotionID = try await #require(
            try drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver).first
        )
        // Drafted while the promotion still counted.
        let correction = try await officer.draftAction(
            ActionDraftInput(
                personID: person,
                kind: .correct,
                effectiveOn: day("2025-09-01"),
                targetActionID: promotionID
            )
        )
        try await drafted(
            ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: promotionID),
            by: officer,
            approvedBy: approver
        )
        try await fixture.refusedApproval(of: correction, by: approver)
        try await refusedAmendment(
            ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: promotionID)
        )
        try await refusedAmendment(
            ActionDraftInput(
                personID: person,
                kind: .correct,
                effectiveOn: day("2025-09-01"),
                targetActionID: promotionID
            )
        )
        await #expect(try admin.person(person, on: today).rank == .clerk1)
    }

    /// Cancelling a cancellation either restores the action or is refused; it may not be
    /// approved and then change nothing.
    @Test func cancellingACancellationRestoresTheActionOrIsRefused() async throws {
        let person = try await fixture.hire(11)
        let promotionID = try await #require(
            try drafted(promotion(person, on: "2025-03-01"), by: officer, approvedBy: approver).first
        )
        let cancelID = try await #require(
            try drafted(
                ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: promotionID),
                by: officer,
                approvedBy: approver
            ).first
        )
        let undo = ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: cancelID)
        let before = try await ActionSnapshot(fixture)
        let id: Int64
        do {
            id = try await officer.draftAction(undo)
        } catch {
            // Refused at drafting: nothing at all was written.
            await #expect(try ActionSnapshot(fixture).differences(from: before).isEmpty)
            return
        }
        let pending = try await ActionSnapshot(fixture)
        do {
            try await approver.approve(draft: id)
            await #expect(
                try admin.person(person, on: today).rank == .principal4,
                "the cancellation of the cancellation was approved but the promotion stays cancelled"
            )
        } catch {
            await #expect(try ActionSnapshot(fixture).differences(from: pending).isEmpty)
        }
    }

    /// An amendment that must not happen: refused when drafted (nothing written) or, if the
    /// draft is taken, when approved (nothing but the draft written).
    func refusedAmendment(_ input: ActionDraftInput, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let before = try await ActionSnapshot(fixture)
        let id: Int64
        do {
            id = try await officer.draftAction(input)
        } catch {
            #expect(error is ServiceError, "\(error)", sourceLocation: sourceLocation)
            let changed = try await ActionSnapshot(fixture).differences(from: before)
            #expect(changed.isEmpty, "a refused draft changed \(changed)", sourceLocation: sourceLocation)
            return
        }
        try await fixture.refusedApproval(of: id, by: approver, sourceLocation: sourceLocation)
    }

    // MARK: - Quotas

    @Test func occupancyEqualsThePeopleInPostOnEveryDateTouched() async throws {
        let f1 = try await fixture.hire(11)
        let f2 = try await fixture.hire(12, status: "试用", hiredOn: "2024-03-01")
        let f3 = try await fixture.hire(13, hiredOn: "2024-09-01")
        let f4 = try await fixture.hire(14, hiredOn: "2025-02-01")
        let a1 = try await fixture.hire(21, org: ServiceFixture.archives, category: "pscs")
        let h1 = try await fixture.hire(31, org: ServiceFixture.hospital, category: "inst-partial")
        let h2 = try await fixture.hire(
            32,
            org: ServiceFixture.hospital,
            category: "inst-partial",
            hiredOn: "2025-04-01"
        )

        let steps: [ActionDraftInput] = [
            transfer(f1, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2025-03-01"),
            transfer(a1, to: ServiceFixture.finance, category: .administrative, on: "2025-05-01"),
            ActionDraftInput(personID: a1, kind: .appoint, effectiveOn: day("2025-06-01"), post: .divisionHead),
            plain(.resign, f2, on: "2025-07-01"),
            plain(.awol, f3, on: "2025-08-01"),
            plain(.dismiss, f3, on: "2026-02-01"),
            plain(.unpaidLeave, h1, on: "2025-04-15"),
            plain(.transferOut, h2, on: "2025-10-01"),
            plain(.retire, f4, on: "2027-01-01"),
            transfer(f1, to: ServiceFixture.archives, category: .civilServiceManagedInstitution, on: "2025-11-01"),
            plain(.resign, a1, on: "2026-06-01"),
            ActionDraftInput(
                personID: f2,
                kind: .rehire,
                effectiveOn: day("2026-01-01"),
                orgCode: ServiceFixture.hospital,
                category: .partiallyFundedInstitution,
                status: .probation
            ),
            plain(.returnFromLeave, h1, on: "2026-03-01"),
        ]
        var recorded: [[Int64]] = []
        for step in steps {
            await recorded.append(try drafted(step, by: officer, approvedBy: approver))
        }
        // History rewritten: f3's dismissal brought forward, h2's transfer out cancelled.
        let amendments = [
            ActionDraftInput(
                personID: f3,
                kind: .correct,
                effectiveOn: day("2025-12-01"),
                targetActionID: recorded[5][0]
            ),
            ActionDraftInput(personID: h2, kind: .cancel, effectiveOn: today, targetActionID: recorded[7][0]),
        ]
        for amendment in amendments {
            try await drafted(amendment, by: officer, approvedBy: approver2)
        }
        await #expect(try admin.timeline(personID: f1).filter { $0.kind == .transferIn }.count == 2)

        var dates: Set<CivilDate> = [today, day("2099-12-31"), day("2024-01-05"), day("2020-03-01")]
        for step in steps + amendments {
            dates.insert(step.effectiveOn)
            dates.insert(step.effectiveOn.adding(days: -1))
        }
        for date in dates.sorted() {
            var expected: [String: Int] = [:]
            for person in try await admin.people(on: date, limit: 1_000_000) {
                guard let status = person.status, status.occupiesSlot, let org = person.org else { continue }
                if let category = person.category { expected["\(org) \(category.code)", default: 0] += 1 }
                if let post = person.post { expected["\(org) \(post.code)", default: 0] += 1 }
            }
            var counted: [String: Int] = [:]
            for headcount in try await admin.headcount(on: date) where headcount.occupied > 0 {
                switch headcount.subject {
                case .category(let category): counted["\(headcount.orgCode) \(category.code)"] = headcount.occupied
                case .post(let post): counted["\(headcount.orgCode) \(post.code)"] = headcount.occupied
                default: continue
                }
            }
            #expect(counted == expected, "\(date)")
        }
        // Spot checks of the sequence.
        await #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2025-06-01")) == 1)
        await #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2026-06-01")) == 0)
        await #expect(try admin.person(f3, on: day("2025-11-30")).status == .awol)
        await #expect(try admin.person(h2, on: today).status == .active)
        await #expect(try admin.person(h2, on: today).org == ServiceFixture.hospital)
        await #expect(try admin.person(f3, on: day("2025-12-01")).status == .dismissed)
        await #expect(try admin.person(f2, on: today).org == ServiceFixture.hospital)
        await #expect(try admin.person(f2, on: today).status == .probation)
    }

    @Test func aLeadershipPostQuotaIsEnforcedAndAnExitFreesThePost() async throws {
        // 东海省财政厅 has one 县处级正职.
        let first = try await fixture.hire(11)
        let second = try await fixture.hire(12)
        func appointment(_ person: Int64, on date: String) -> ActionDraftInput {
            ActionDraftInput(personID: person, kind: .appoint, effectiveOn: day(date), post: .divisionHead)
        }
        try await drafted(appointment(first, on: "2025-01-01"), by: officer, approvedBy: approver)
        let full = try await officer.draftAction(appointment(second, on: "2025-06-01"))
        let error = try await fixture.refusedApproval(of: full, by: approver)
        #expect(
            error?.message.contains(LeadershipPost.divisionHead.chineseName) == true,
            "\(String(describing: error))"
        )

        try await drafted(plain(.resign, first, on: "2025-09-01"), by: officer, approvedBy: approver)
        await #expect(try admin.person(first, on: day("2025-09-01")).post == nil)
        await #expect(try admin.person(first, on: day("2025-08-31")).post == .divisionHead)
        // Still full before the resignation takes effect.
        try await fixture.refusedApproval(of: full, by: approver)
        try await fixture.refusedApproval(
            of: try officer.draftAction(appointment(second, on: "2025-08-31")),
            by: approver
        )
        try await drafted(appointment(second, on: "2025-09-01"), by: officer, approvedBy: approver)
        await #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2025-08-31")) == 1)
        await #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2025-09-01")) == 1)
        await #expect(try admin.person(second, on: day("2025-09-01")).post == .divisionHead)
    }

    @Test func aReassignmentToAFullLeadershipPostIsRefused() async throws {
        let holder = try await fixture.hire(11)
        let other = try await fixture.hire(12)
        try await drafted(
            ActionDraftInput(personID: holder, kind: .appoint, effectiveOn: day("2025-01-01"), post: .divisionHead),
            by: officer,
            approvedBy: approver
        )
        let id = try await officer.draftAction(
            ActionDraftInput(personID: other, kind: .reassign, effectiveOn: day("2025-06-01"), post: .divisionHead)
        )
        try await fixture.refusedApproval(of: id, by: approver)
    }

    // MARK: - Audit

    @Test func draftsApprovalsAndRejectionsAreAuditedAndTheChainVerifies() async throws {
        let person = try await fixture.hire(11)
        let start = try await #require(try admin.auditHead()).seq
        let approvedDraft = try await officer.draftAction(promotion(person, on: "2025-03-01"))
        let actions = try await approver.approve(draft: approvedDraft).actionIDs
        let rejectedDraft = try await officer.draftAction(plain(.resign, person, on: "2025-09-01"))
        try await approver2.reject(draft: rejectedDraft, reason: "未提交辞职申请")
        // A refused approval leaves no entry.
        try await fixture.refusedApproval(of: rejectedDraft, by: approver)

        // Changes only: the state snapshots of the refusal check read with reveal, which is
        // audited as reads.
        let entries = try await admin.auditLog(after: start, limit: 100).filter { $0.action != "person.reveal" }
        #expect(entries.map(\.action) == ["action.draft", "action.approve", "action.draft", "action.reject"])
        #expect(entries.map(\.actor) == ["officer", "approver", "officer", "approver2"])
        #expect(
            entries.map(\.subject) == [
                "draft:\(approvedDraft)", "draft:\(approvedDraft)", "draft:\(rejectedDraft)", "draft:\(rejectedDraft)",
            ]
        )
        #expect(entries[1].details.contains(String(actions[0])))
        await #expect(try admin.verifyAudit().isIntact)
    }
}
