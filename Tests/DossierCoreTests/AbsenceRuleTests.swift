import DossierCore
import Testing

/// 旷工 beyond the limits of 公务员法 §88, on one person's attendance: runs of more than 15 days
/// (rest days neither break nor lengthen them) and more than 30 days in a calendar year.
@Suite struct AbsenceRuleTests {
    private func date(_ iso: String) -> CivilDate {
        guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
        return date
    }

    /// `count` consecutive days from `first`, all marked `mark`.
    private func days(_ first: String, _ count: Int, _ mark: AttendanceMark) -> [(day: CivilDate, mark: AttendanceMark)]
    {
        (0..<count).map { (date(first).adding(days: $0), mark) }
    }

    /// A working week pattern from `first` for `weeks` weeks: five days `weekday`, then two rest days.
    private func weeks(
        _ first: String,
        _ weeks: Int,
        _ weekday: AttendanceMark
    ) -> [(day: CivilDate, mark: AttendanceMark)] {
        (0..<(weeks * 7)).map { offset in
            (date(first).adding(days: offset), offset % 7 < 5 ? weekday : .rest)
        }
    }

    private let law = AbsenceRule.Limits.civilServiceLaw

    @Test func sixteenDaysAbsentInARowIsAFindingAndFifteenIsNot() {
        #expect(AbsenceRule.findings(days("2026-03-02", 15, .absent), limits: law).isEmpty)
        #expect(
            AbsenceRule.findings(days("2026-03-02", 16, .absent), limits: law)
                == [.consecutive(from: date("2026-03-02"), to: date("2026-03-17"), days: 16)]
        )
    }

    @Test func restDaysNeitherBreakNorLengthenARun() {
        // Three working weeks absent (15 days absent, 6 rest days between and after): not over.
        #expect(AbsenceRule.findings(weeks("2026-03-02", 3, .absent), limits: law).isEmpty)
        // One more absent day after the weekend continues the same run: 16.
        let marks = weeks("2026-03-02", 3, .absent) + days("2026-03-23", 1, .absent)
        #expect(
            AbsenceRule.findings(marks, limits: law)
                == [.consecutive(from: date("2026-03-02"), to: date("2026-03-23"), days: 16)]
        )
    }

    @Test func aDayAtWorkOnLeaveOrOnBusinessEndsARun() {
        for breaker in [AttendanceMark.present, .leave, .business] {
            let marks =
                days("2026-03-02", 10, .absent) + days("2026-03-12", 1, breaker) + days("2026-03-13", 10, .absent)
            #expect(AbsenceRule.findings(marks, limits: law).isEmpty, "\(breaker)")
        }
    }

    @Test func aDayTheRecordDoesNotCoverEndsARun() {
        // 10 absent, a day missing from the export, 10 absent: not one run of 20.
        let marks = days("2026-03-02", 10, .absent) + days("2026-03-13", 10, .absent)
        #expect(AbsenceRule.findings(marks, limits: law).isEmpty)
    }

    @Test func moreThanThirtyDaysInACalendarYearIsAFindingDatedWhenTheLimitWasPassed() {
        // Absent every Monday and Tuesday: no run is long, but the days add up.
        var marks: [(day: CivilDate, mark: AttendanceMark)] = []
        for week in 0..<20 {
            let monday = date("2026-01-05").adding(days: week * 7)
            marks += [(monday, .absent), (monday.adding(days: 1), .absent)]
            marks += (2..<5).map { (monday.adding(days: $0), AttendanceMark.present) }
        }
        // 40 days absent; the 31st is the Monday of week 16 (2026-04-20).
        #expect(AbsenceRule.findings(marks, limits: law) == [.inYear(2026, days: 40, passedOn: date("2026-04-20"))])
        // 30 days exactly is within the limit.
        #expect(AbsenceRule.findings(Array(marks.filter { $0.mark == .absent }.prefix(30)), limits: law).isEmpty)
    }

    @Test func theYearlyCountStartsAgainOnTheFirstOfJanuary() {
        // 40 days absent from December into the new year, every other day: 15 in 2025, 25 in 2026.
        var marks: [(day: CivilDate, mark: AttendanceMark)] = []
        for offset in 0..<40 {
            let day = date("2025-12-02").adding(days: offset * 2)
            marks += [(day, .absent), (day.adding(days: 1), .present)]
        }
        let findings = AbsenceRule.findings(marks, limits: law)
        #expect(findings.isEmpty, "\(findings)")
    }

    @Test func theLimitsComeFromThePolicyAndTheMarksMayArriveInAnyOrder() {
        let marks = days("2026-05-04", 6, .absent).reversed()
        let stricter = AbsenceRule.Limits(consecutiveDays: 5, daysPerYear: 5)
        #expect(
            AbsenceRule.findings(Array(marks), limits: stricter)
                == [
                    .consecutive(from: date("2026-05-04"), to: date("2026-05-09"), days: 6),
                    .inYear(2026, days: 6, passedOn: date("2026-05-09")),
                ]
        )
        #expect(AbsenceRule.findings(Array(marks), limits: law).isEmpty)
    }
}
