import DossierCore
import DossierService
import DossierTestSupport
import Testing

/// A back-dated action, a correction or a cancellation re-derives the whole timeline: each
/// action must then count for what it stated, not for the placement its row also shows.
@Suite struct RefoldTests {
    let fixture: ServiceFixture
    let officer: Dossier
    let approver: Dossier

    init() async throws {
        fixture = try await ServiceFixture(policies: ServiceFixture.withoutPromotionRules)
        officer = try await fixture.acting(as: "officer", role: .officer)
        approver = try await fixture.acting(as: "approver", role: .approver)
        // The finance department gets a political-legal establishment to reassign people into.
        try await fixture.dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .category(.politicalLegal),
            approved: 5,
            effectiveOn: day("2000-01-01")
        )
    }

    private func record(_ input: ActionDraftInput) async throws -> [Int64] {
        try await drafted(input, by: officer, approvedBy: approver)
    }

    @Test func aReassignmentThatStatedOnlyACategoryDoesNotBringBackAPostRemovedBeforeIt() async throws {
        let head = try await fixture.hire(11)
        _ = try await record(
            ActionDraftInput(personID: head, kind: .appoint, effectiveOn: day("2024-03-01"), post: .divisionHead)
        )
        _ = try await record(
            ActionDraftInput(
                personID: head,
                kind: .reassign,
                effectiveOn: day("2024-09-01"),
                category: .politicalLegal
            )
        )
        // 免职, dated back before the reassignment.
        _ = try await record(plain(.remove, head, on: "2024-06-01"))
        let after = try await fixture.dossier.person(head, on: day("2025-01-01"))
        #expect(after.post == nil)
        #expect(after.category == .politicalLegal)
        await #expect(try fixture.occupied(ServiceFixture.finance, .post(.divisionHead), on: day("2025-01-01")) == 0)
        // So the one 县处级正职 post is free from the removal on: someone else may take it.
        let next = try await fixture.hire(12)
        _ = try await record(
            ActionDraftInput(personID: next, kind: .appoint, effectiveOn: day("2024-07-01"), post: .divisionHead)
        )
        await #expect(try fixture.dossier.person(next, on: day("2025-01-01")).post == .divisionHead)
    }

    @Test func aTransferThatStatedNoRankKeepsTheRankHeldOnceAnEarlierPromotionIsCancelled() async throws {
        let person = try await fixture.hire(11)
        let promotion = try await record(
            ActionDraftInput(personID: person, kind: .promote, effectiveOn: day("2024-06-01"), rank: .principal4)
        )
        _ = try await record(
            ActionDraftInput(
                personID: person,
                kind: .transferIn,
                effectiveOn: day("2024-09-01"),
                orgCode: ServiceFixture.hospital,
                category: .partiallyFundedInstitution
            )
        )
        await #expect(try fixture.dossier.person(person, on: day("2025-01-01")).rank == .principal4)
        _ = try await record(
            ActionDraftInput(
                personID: person,
                kind: .cancel,
                effectiveOn: day("2024-06-01"),
                targetActionID: try #require(promotion.first)
            )
        )
        let after = try await fixture.dossier.person(person, on: day("2025-01-01"))
        #expect(after.rank == .clerk1)
        #expect(after.org == ServiceFixture.hospital)
    }

    @Test func aHireFiledInErrorCanBeCancelledAndFreesItsSlot() async throws {
        let person = try await fixture.hire(11)
        let before = try await fixture.occupied(ServiceFixture.finance, .category(.administrative), on: today)
        let hire = try await #require(try fixture.dossier.timeline(personID: person).first?.actionID)
        _ = try await record(
            ActionDraftInput(personID: person, kind: .cancel, effectiveOn: today, targetActionID: hire)
        )
        await #expect(try fixture.dossier.person(person, on: today).org == nil)
        await #expect(try fixture.occupied(ServiceFixture.finance, .category(.administrative), on: today) == before - 1)
        await #expect(try fixture.dossier.timeline(personID: person).map(\.kind) == [.hire, .cancel])
        // The history stays as it was recorded: the audit chain still verifies.
        await #expect(try fixture.dossier.verifyAudit().firstBroken == nil)
    }

    @Test func aSecondCorrectionKeepsWhatTheFirstOneCorrected() async throws {
        let person = try await fixture.hire(11)
        let hire = try await #require(try fixture.dossier.timeline(personID: person).first?.actionID)
        // First the rank (一级科员 → 二级科员), then, separately, the date.
        _ = try await record(
            ActionDraftInput(
                personID: person,
                kind: .correct,
                effectiveOn: day("2024-01-05"),
                rank: .clerk2,
                targetActionID: hire
            )
        )
        _ = try await record(
            ActionDraftInput(personID: person, kind: .correct, effectiveOn: day("2024-02-01"), targetActionID: hire)
        )
        let after = try await fixture.dossier.person(person, on: day("2025-01-01"))
        #expect(after.rank == .clerk2)
        #expect(after.since == day("2024-02-01"))
        await #expect(try fixture.dossier.person(person, on: day("2024-01-20")).org == nil)
    }
}
