import DossierCore
import Testing

/// `inactive-holds-slot` and `paid-not-in-post`, read from a person's status spans.
@Suite struct RecordRulesTests {
    private func date(_ iso: String) -> CivilDate {
        guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
        return date
    }

    private func span(
        _ status: PersonStatus,
        _ from: String,
        _ until: String? = nil,
        org: Int64 = 1,
        action: Int64 = 1
    )
        -> StatusSpan
    {
        StatusSpan(status: status, orgID: org, from: date(from), until: until.map(date), actionID: action)
    }

    private let limits: [PersonStatus: Int] = [.awol: 30, .leaving: 90, .unpaidLeave: 1095]

    @Test func absentWithoutLeaveLongerThanAllowedIsFoundWithTheDayItBegan() throws {
        let spans = [span(.active, "2020-01-01", "2026-09-01"), span(.awol, "2026-09-01", action: 2)]
        let found = try #require(RecordRules.inactiveTooLong(spans, on: date("2026-10-02"), limits: limits))
        #expect(found.status == .awol)
        #expect(found.since == date("2026-09-01"))
        #expect(found.days == 31)
        // Decoy: exactly the days allowed is not longer than allowed.
        #expect(RecordRules.inactiveTooLong(spans, on: date("2026-10-01"), limits: limits) == nil)
    }

    @Test func aChangeInsideTheSameStatusDoesNotRestartItsClock() throws {
        let spans = [
            span(.active, "2020-01-01", "2022-01-01"),
            span(.unpaidLeave, "2022-01-01", "2023-06-01", action: 2),
            span(.unpaidLeave, "2023-06-01", action: 3),  // a rank change while on leave
        ]
        let found = try #require(RecordRules.inactiveTooLong(spans, on: date("2025-01-02"), limits: limits))
        #expect(found.since == date("2022-01-01"))
        #expect(found.days == 1097)
    }

    @Test func statusesTheLimitsDoNotNameAreNotChecked() {
        let spans = [span(.active, "2000-01-01")]
        #expect(RecordRules.inactiveTooLong(spans, on: date("2026-01-01"), limits: limits) == nil)
        let awol = [span(.awol, "2000-01-01")]
        #expect(RecordRules.inactiveTooLong(awol, on: date("2026-01-01"), limits: [:]) == nil)
    }

    @Test func salaryForAMonthWithoutAnyDayInPostHereIsPaidWithoutPost() {
        let resigned = [span(.active, "2020-01-01", "2026-09-01"), span(.resigned, "2026-09-01", action: 2)]
        #expect(RecordRules.paidWithoutPost(month: date("2026-10-01"), spans: resigned, organizations: [1]))
        // Decoy: the month of the exit had days in post.
        #expect(!RecordRules.paidWithoutPost(month: date("2026-08-01"), spans: resigned, organizations: [1]))
        // Decoy: moved to another unit of the node, in post there.
        let moved = [span(.active, "2020-01-01", "2026-10-15", org: 1), span(.active, "2026-10-15", org: 2)]
        #expect(!RecordRules.paidWithoutPost(month: date("2026-10-01"), spans: moved, organizations: [1, 2]))
        // In post, but at an organisation that is not this node's.
        #expect(RecordRules.paidWithoutPost(month: date("2026-10-01"), spans: moved, organizations: [3]))
        // Unpaid leave the whole month, and never on file at all.
        let onLeave = [span(.unpaidLeave, "2026-01-01")]
        #expect(RecordRules.paidWithoutPost(month: date("2026-10-01"), spans: onLeave, organizations: [1]))
        #expect(RecordRules.paidWithoutPost(month: date("2026-10-01"), spans: [], organizations: [1]))
    }
}
