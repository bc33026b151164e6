import DossierCore
import DossierService
import Testing

/// A back-dated action, a correction or a cancellation re-derives the whole timeline: each
/// action must then count for what it stated, not for the placement its row also shows.
@Suite struct RefoldTests {
    let fixture: ServiceFixture
    let officer: Dossier
    let approver: Dossier

    init() throws {
        fixture = try ServiceFixture()
        officer = try fixture.acting(as: "officer", role: .officer)
        approver = try fixture.acting(as: "approver", role: .approver)
        // The finance department gets a political-legal establishment to reassign people into.
        try fixture.dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .category(.politicalLegal),
            approved: 5,
            effectiveOn: day("2000-01-01")
        )
    }

    private func record(_ input: ActionDraftInput) throws -> [Int64] {
        try drafted(input, by: officer, approvedBy: approver)
    }

    @Test func aReassignmentThatStatedOnlyACategoryDoesNotBringBackAPostRemovedBeforeIt() throws {
        let head = try fixture.hire(11)
        _ = try record(
            ActionDraftInput(personID: head, kind: .appoint, effectiveOn: day("2024-03-01"), post: .divisionHead)
        )
        _ = try record(
            ActionDraftInput(
                personID: head,
                kind: .reassign,
                effectiveOn: day("2024-09-01"),
                category: .politicalLegal
            )
        )
        // 免职, dated back before the reassignment.
        _ = try record(plain(.remove, head, on: "2024-06-01"))
        let after = try fixture.dossier.person(head, on: day("2025-01-01"))
        #expect(after.post == nil)
        #expect(after.category == .politicalLegal)
        #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2025-01-01")) == 0)
        // So the one 县处级正职 post is free from the removal on: someone else may take it.
        let next = try fixture.hire(12)
        _ = try record(
            ActionDraftInput(personID: next, kind: .appoint, effectiveOn: day("2024-07-01"), post: .divisionHead)
        )
        #expect(try fixture.dossier.person(next, on: day("2025-01-01")).post == .divisionHead)
    }

    @Test func aTransferThatStatedNoRankKeepsTheRankHeldOnceAnEarlierPromotionIsCancelled() throws {
        let person = try fixture.hire(11)
        let promotion = try record(
            ActionDraftInput(personID: person, kind: .promote, effectiveOn: day("2024-06-01"), rank: .principal4)
        )
        _ = try record(
            ActionDraftInput(
                personID: person,
                kind: .transferIn,
                effectiveOn: day("2024-09-01"),
                orgCode: ServiceFixture.hospital,
                category: .partiallyFundedInstitution
            )
        )
        #expect(try fixture.dossier.person(person, on: day("2025-01-01")).rank == .principal4)
        _ = try record(
            ActionDraftInput(
                personID: person,
                kind: .cancel,
                effectiveOn: day("2024-06-01"),
                targetActionID: try #require(promotion.first)
            )
        )
        let after = try fixture.dossier.person(person, on: day("2025-01-01"))
        #expect(after.rank == .clerk1)
        #expect(after.org == ServiceFixture.hospital)
    }

    @Test func aHireFiledInErrorCanBeCancelledAndFreesItsSlot() throws {
        let person = try fixture.hire(11)
        let before = try fixture.occupied(ServiceFixture.finance, .category(.administrative), on: today)
        let hire = try #require(try fixture.dossier.timeline(personID: person).first?.actionID)
        _ = try record(
            ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: hire)
        )
        #expect(try fixture.dossier.person(person, on: today).org == nil)
        #expect(try fixture.occupied(ServiceFixture.finance, .category(.administrative), on: today) == before - 1)
        #expect(try fixture.dossier.timeline(personID: person).map(\.kind) == [.hire, .cancel])
        // The history stays as it was recorded: the audit chain still verifies.
        #expect(try fixture.dossier.verifyAudit().firstBroken == nil)
    }

    @Test func aSecondCorrectionKeepsWhatTheFirstOneCorrected() throws {
        let person = try fixture.hire(11)
        let hire = try #require(try fixture.dossier.timeline(personID: person).first?.actionID)
        // First the rank (一级科员 → 二级科员), then, separately, the date.
        _ = try record(
            ActionDraftInput(
                personID: person,
                kind: .correct,
                effectiveOn: day("2024-01-05"),
                rank: .clerk2,
                targetActionID: hire
            )
        )
        _ = try record(
            ActionDraftInput(personID: person, kind: .correct, effectiveOn: day("2024-02-01"), targetActionID: hire)
        )
        let after = try fixture.dossier.person(person, on: day("2025-01-01"))
        #expect(after.rank == .clerk2)
        #expect(after.since == day("2024-02-01"))
        #expect(try fixture.dossier.person(person, on: day("2024-01-20")).org == nil)
    }
}
