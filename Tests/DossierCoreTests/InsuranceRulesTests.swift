import DossierCore
import Testing

/// The record against social insurance (rules contributions-stopped, exit-still-insured,
/// retirement-mismatch, insured-elsewhere): each planted case is found, and the decoys next to
/// it are not.
@Suite struct InsuranceRulesTests {
    private func date(_ iso: String) -> CivilDate {
        guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
        return date
    }

    private let here = CreditCode.make(
        authority: "1",
        entityType: "1",
        divisionCode: "390000",
        organizationCode: "000000001"
    )
    private let elsewhere = CreditCode.make(
        authority: "9",
        entityType: "1",
        divisionCode: "390000",
        organizationCode: "00000000X"
    )
    private let runDay = CivilDate(year: 2026, month: 12, day: 1)!
    private let law = InsuranceRules.Limits.socialInsuranceLaw

    private func row(
        _ insurance: InsuranceType = .pension,
        _ status: ContributionStatus = .contributing,
        retired: Bool = false,
        employer: CreditCode? = nil
    ) -> InsuranceRow {
        InsuranceRow(
            insurance: insurance,
            status: status,
            retired: retired,
            employer: employer ?? here,
            changedOn: date("2026-10-01")
        )
    }

    private func findings(_ status: PersonStatus, since: String = "2020-01-01", _ rows: [InsuranceRow]) -> [String] {
        let record = InsuranceRules.Record(status: status, since: date(since), organization: here)
        return InsuranceRules.findings(record, rows: rows, on: runDay, limits: law).map(\.rule.rawValue)
    }

    @Test func aPersonWhoseRecordsAgreeRaisesNothing() {
        let rows = [row(.pension), row(.medical), row(.unemployment)]
        #expect(findings(.active, rows).isEmpty)
        #expect(findings(.probation, rows).isEmpty)
    }

    @Test func inPostWhilePensionOrMedicalContributionsStopped() {
        #expect(findings(.active, [row(.pension, .suspended), row(.medical)]) == ["contributions-stopped"])
        #expect(findings(.probation, [row(.pension), row(.medical, .terminated)]) == ["contributions-stopped"])
        // Decoys: only unemployment insurance stopped; or the person is no longer in post.
        #expect(findings(.active, [row(.pension), row(.medical), row(.unemployment, .suspended)]).isEmpty)
        #expect(findings(.awol, [row(.pension, .suspended)]).isEmpty)
    }

    @Test func anExitStillInsuredAfterTheGracePeriod() {
        let rows = [row(.pension), row(.medical)]
        // 16 days after the resignation: found. 10 days after: within the period, a decoy.
        #expect(findings(.resigned, since: "2026-11-15", rows) == ["exit-still-insured"])
        #expect(findings(.resigned, since: "2026-11-21", rows).isEmpty)
        #expect(findings(.transferredOut, since: "2026-06-30", rows) == ["exit-still-insured"])
        // Decoy: the person left and now contributes under their new employer.
        #expect(findings(.resigned, since: "2026-06-30", [row(.pension, employer: elsewhere)]).isEmpty)
        // Decoy: contributions stopped when they left.
        #expect(findings(.dismissed, since: "2026-06-30", [row(.pension, .terminated)]).isEmpty)
    }

    @Test func retirementInOneSystemAndNotTheOther() {
        #expect(findings(.active, [row(.pension, retired: true), row(.medical)]) == ["retirement-mismatch"])
        #expect(
            findings(.retired, since: "2026-11-20", [row(.pension, .terminated, retired: false)])
                == ["retirement-mismatch"]
        )
        // Decoy: retired in both, contributions ended.
        #expect(findings(.retired, since: "2026-06-30", [row(.pension, .terminated, retired: true)]).isEmpty)
    }

    @Test func inPostHereWhileContributingUnderAnotherEmployer() {
        #expect(findings(.active, [row(.pension, employer: elsewhere), row(.medical)]) == ["insured-elsewhere"])
        // Decoy: a row of another employer that is no longer paid.
        #expect(
            findings(.active, [row(.pension), row(.medical), row(.unemployment, .terminated, employer: elsewhere)])
                .isEmpty
        )
    }

    @Test func contributionsUnderAnotherUnitOfTheSameNodeAreNotElsewhere() {
        // Moved inside the node: the record names the new unit, the insurer still the old one.
        let record = InsuranceRules.Record(status: .active, since: date("2026-10-15"), organization: here)
        let rows = [row(.pension, employer: elsewhere)]
        #expect(InsuranceRules.findings(record, rows: rows, on: runDay, limits: law).map(\.rule) == [.insuredElsewhere])
        #expect(
            InsuranceRules.findings(record, rows: rows, on: runDay, limits: law, employersHere: [here, elsewhere])
                .isEmpty
        )
    }

    @Test func eachRuleIsReportedOnceWithTheRowItRestsOn() {
        let stopped = row(.medical, .suspended)
        let record = InsuranceRules.Record(status: .active, since: date("2020-01-01"), organization: here)
        let found = InsuranceRules.findings(
            record,
            rows: [row(.pension), stopped, row(.pension, .terminated)],
            on: runDay,
            limits: law
        )
        #expect(found == [.contributionsStopped(stopped)])
    }
}
