import DossierCore
import DossierTestSupport
import Testing

// Worked cases for `PromotionRules.explain`, each computed by hand from the rules as issue 13
// states them, not from the code:
//
// - time in the current rank counts from the first day of the month in which the promotion took
//   effect, in whole months (a month counts once it has ended: on 2025-03-01 the months up to
//   February 2025 are counted);
// - the months of a calendar year whose final grade is 基本称职, 不称职 or 不定等次 do not count;
// - each final 优秀 for a year spent wholly in the current rank shortens the wait by six months,
//   usable from the day that grade was approved;
// - no promotion while a sanction's period runs (警告 6, 记过 12, 记大过 18, 降级/撤职 24 months),
//   and a 警告 year cannot be graded 优秀;
// - promotion goes one step at a time; a leadership post held counts as the rank the table names.

/// A date from its ISO text.
private func civil(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
    return date
}

/// The shipped assessment rules of the civil-service scale (`civil-service-ranks-2019.yaml`):
/// 优秀 share warned above 20 %, refused above 25 %.
private let civilServiceAssessment = AssessmentPolicy(
    scale: .civilService,
    excellentWarnPercent: 20,
    excellentRefusePercent: 25,
    consecutiveFailuresForCase: 2,
    failureDraftsDemotion: true
)

/// The shipped `Policies/civil-service-ranks-2019.yaml`, written out by hand (DossierCore reads no
/// YAML), with the minimum months of one step replaced when a case needs another figure.
private func promotionPolicy(months overrides: [Rank: Int] = [:]) -> PromotionPolicy {
    let figures: [(to: Rank, from: Rank, months: Int)] = [
        (.inspector1, .inspector2, 48),
        (.inspector2, .researcher1, 48),
        (.researcher1, .researcher2, 36),
        (.researcher2, .researcher3, 24),
        (.researcher3, .researcher4, 24),
        (.researcher4, .principal1, 24),
        (.principal1, .principal2, 24),
        (.principal2, .principal3, 24),
        (.principal3, .principal4, 24),
        (.principal4, .clerk1, 24),
        (.clerk1, .clerk2, 24),
    ]
    var steps: [Rank: PromotionPolicy.Step] = [:]
    for figure in figures {
        steps[figure.from] = .init(to: figure.to, from: figure.from, months: overrides[figure.from] ?? figure.months)
    }
    return PromotionPolicy(
        steps: steps,
        postCountsAs: [
            .bureauDeputy: .inspector2,
            .divisionHead: .researcher2,
            .divisionDeputy: .researcher4,
            .sectionHead: .principal2,
            .sectionDeputy: .principal4,
        ],
        excellentMonths: 6,
        uncountedGrades: [.basicallyCompetent, .incompetent, .undetermined],
        sanctionMonths: [.warning: 6, .demerit: 12, .majorDemerit: 18, .demotion: 24, .removal: 24],
        enforcement: .refuse,
        assessment: civilServiceAssessment
    )
}

private let shippedPolicy = promotionPolicy()

/// One placement in the bureau's administrative establishment.
private func placement(
    _ id: Int64,
    _ rank: Rank?,
    post: LeadershipPost? = nil,
    status: PersonStatus = .active,
    from: String,
    until: String? = nil
) -> TimelineFold.Interval {
    TimelineFold.Interval(
        actionID: id,
        org: 10,
        category: .administrative,
        rank: rank,
        post: post,
        status: status,
        from: civil(from),
        until: until.map(civil)
    )
}

/// A final grade for `year`, decided on `decided`.
private func graded(_ year: Int, _ grade: AssessmentGrade, _ decided: String, reason: String? = nil) -> Assessment {
    Assessment(year: year, grade: grade, reason: reason, decidedOn: civil(decided))
}

/// The explanation for `record` on `asOf` under the shipped ladder and `policy`.
private func explain(
    _ placements: [TimelineFold.Interval],
    assessments: [Assessment] = [],
    sanctions: [Sanction] = [],
    policy: PromotionPolicy = shippedPolicy,
    asOf: String
) -> PromotionExplanation {
    PromotionRules.explain(
        .init(placements: placements, assessments: assessments, sanctions: sanctions),
        policy: policy,
        ladder: RankLadder.shipped,
        asOf: civil(asOf)
    )
}

/// The year steps as (year, months counted) pairs, to compare with the hand arithmetic.
private func counted(_ explanation: PromotionExplanation) -> [[Int?]] {
    explanation.steps.filter { $0.rule == .year }.map { [$0.year, $0.months] }
}

/// Whether `text` holds every one of `words`.
private func mentions(_ text: String?, _ words: String...) -> Bool {
    guard let text else { return false }
    return words.allSatisfy { text.contains($0) }
}

/// 二级主任科员 from 2021-03-01, promoted to 一级主任科员 on 2023-03-15.
private let promotedMidMarch2023 = [
    placement(1, .principal2, from: "2021-03-01", until: "2023-03-15"),
    placement(2, .principal1, from: "2023-03-15"),
]

@Suite struct PromotionRulesTests {
    // MARK: Time in rank

    @Test func timeInRankCountsWholeMonthsFromTheFirstOfThePromotionMonth() {
        // Promoted 2023-03-15, so time counts from 2023-03-01; 24 months later is 2025-03-01.
        // On 2025-02-28: 2023 Mar–Dec 10 + 2024 12 + 2025 Jan 1 = 23 < 24.
        // On 2025-03-01: 10 + 12 + 2025 Jan–Feb 2 = 24.
        let grades = [graded(2023, .competent, "2024-01-20"), graded(2024, .competent, "2025-01-20")]
        let before = explain(promotedMidMarch2023, assessments: grades, asOf: "2025-02-28")
        #expect(before.rank == .principal1)
        #expect(before.nextRank == .researcher4)
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-03-01"))
        #expect(before.monthsCounted == 23)
        #expect(before.monthsNeeded == 24)
        #expect(counted(before) == [[2023, 10], [2024, 12], [2025, 1]])
        #expect(mentions(before.firstUnmet, "Time in rank", "23 of the 24 months", "2025-03-01"), "\(before)")
        let held = before.steps.first { $0.rule == .rank }
        #expect(held?.date == civil("2023-03-15"))
        #expect(mentions(held?.text, "一级主任科员", "2023-03-01"))
        #expect(before.steps.contains { $0.rule == .requirement && $0.months == 24 })

        let on = explain(promotedMidMarch2023, assessments: grades, asOf: "2025-03-01")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-03-01"))
        #expect(on.monthsCounted == 24)
        #expect(on.firstUnmet == nil)
        #expect(counted(on) == [[2023, 10], [2024, 12], [2025, 2]])
        #expect(on.steps.last?.rule == .result)
        #expect(mentions(on.steps.last?.text, "四级调研员", "2025-03-01"))

        // Later days keep the first day of eligibility.
        let later = explain(promotedMidMarch2023, assessments: grades, asOf: "2025-09-30")
        #expect(later.eligible && later.eligibleFrom == civil("2025-03-01") && later.monthsCounted == 30)
    }

    // MARK: 优秀

    @Test func anExcellentYearWhollyInRankShortensTheWaitBySixMonths() {
        // Promoted 2024-01-08: time counts from 2024-01-01, and 2024 is wholly in the rank.
        // 2024 graded 优秀, decided 2025-01-20: from then on 24 − 6 = 18 months are needed.
        // 18 months from 2024-01-01 is 2025-07-01 (without the 优秀: 2026-01-01).
        // On 2025-06-30: 2024 12 + 2025 Jan–May 5 = 17 < 18.  On 2025-07-01: 12 + 6 = 18.
        let placements = [
            placement(1, .principal2, from: "2021-01-04", until: "2024-01-08"),
            placement(2, .principal1, from: "2024-01-08"),
        ]
        let grades = [graded(2024, .excellent, "2025-01-20")]
        let before = explain(placements, assessments: grades, asOf: "2025-06-30")
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-07-01"))
        #expect(before.monthsCounted == 17)
        #expect(mentions(before.firstUnmet, "17 of the 18 months", "24 less 1 × 6"), "\(before)")
        let bonus = before.steps.first { $0.rule == .excellent }
        #expect(bonus?.year == 2024 && bonus?.months == 6 && bonus?.date == civil("2025-01-20"))

        let on = explain(placements, assessments: grades, asOf: "2025-07-01")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-07-01"))
        #expect(on.monthsCounted == 18)
        #expect(on.firstUnmet == nil)

        // The same record graded 称职: the full 24 months, 2024-01-01 + 24 = 2026-01-01.
        let plain = explain(placements, assessments: [graded(2024, .competent, "2025-01-20")], asOf: "2025-07-01")
        #expect(!plain.eligible && plain.eligibleFrom == civil("2026-01-01") && plain.monthsCounted == 18)
    }

    @Test func anExcellentCountsOnlyFromTheDayItWasDecided() {
        // Promoted 2023-07-03: time counts from 2023-07-01; 2024 is wholly in the rank, 2023 is not.
        // 2024 graded 优秀 on 2025-01-20. Months counted by January 2025: 2023 Jul–Dec 6 + 2024 12 = 18,
        // which with the 优秀 (24 − 6 = 18 needed) is enough — but only from 2025-01-20.
        // On 2025-01-19: 18 counted, the 优秀 not yet usable, 24 needed.  Without it: 2023-07-01 + 24 = 2025-07-01.
        let placements = [
            placement(1, .principal2, from: "2021-01-04", until: "2023-07-03"),
            placement(2, .principal1, from: "2023-07-03"),
        ]
        let grades = [graded(2023, .competent, "2024-01-22"), graded(2024, .excellent, "2025-01-20")]
        let before = explain(placements, assessments: grades, asOf: "2025-01-19")
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-01-20"))
        #expect(before.monthsCounted == 18)
        #expect(mentions(before.firstUnmet, "18 of the 24 months", "2025-01-20"), "\(before)")

        let on = explain(placements, assessments: grades, asOf: "2025-01-20")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-01-20"))
        #expect(on.monthsCounted == 18)
    }

    @Test func anExcellentForAYearNotWhollyInRankGivesNoReduction() {
        // Promoted 2023-03-15: 2023 is not wholly in 一级主任科员 (Jan–Feb were in 二级主任科员), so its
        // 优秀 (decided 2024-01-20) takes nothing off: still 2023-03-01 + 24 = 2025-03-01.
        // Had it counted, 18 months (2024-09-01) would have been enough: on 2024-09-01, 10 + 8 = 18 counted.
        let grades = [graded(2023, .excellent, "2024-01-20")]
        let explanation = explain(promotedMidMarch2023, assessments: grades, asOf: "2024-09-01")
        #expect(!explanation.eligible)
        #expect(explanation.eligibleFrom == civil("2025-03-01"))
        #expect(explanation.monthsCounted == 18)
        #expect(mentions(explanation.firstUnmet, "18 of the 24 months"), "\(explanation)")
        let bonus = explanation.steps.first { $0.rule == .excellent }
        #expect(bonus?.year == 2023 && bonus?.months == nil)
        #expect(mentions(bonus?.text, "not held all that year"))
    }

    @Test func anExcellentBeforeTheCurrentRankDoesNotCarry() {
        // 2022 graded 优秀 (decided 2023-01-16) while 二级主任科员; promoted to 一级主任科员 2023-01-09.
        // Time counts from 2023-01-01; the 2022 优秀 belongs to the rank below: 24 months, 2025-01-01.
        // Had it carried, 18 months (2024-07-01) would have been enough: on 2024-07-01, 12 + 6 = 18.
        let placements = [
            placement(1, .principal2, from: "2020-01-06", until: "2023-01-09"),
            placement(2, .principal1, from: "2023-01-09"),
        ]
        let grades = [graded(2022, .excellent, "2023-01-16"), graded(2023, .competent, "2024-01-20")]
        let explanation = explain(placements, assessments: grades, asOf: "2024-07-01")
        #expect(!explanation.eligible)
        #expect(explanation.eligibleFrom == civil("2025-01-01"))
        #expect(explanation.monthsCounted == 18)
        #expect(!explanation.steps.contains { $0.rule == .excellent })
        #expect(mentions(explanation.firstUnmet, "18 of the 24 months"), "\(explanation)")
    }

    @Test func twoExcellentYearsTakeTwelveMonthsOff() {
        // 二级调研员 → 一级调研员 needs 36 months. Promoted 2023-01-05: time counts from 2023-01-01.
        // 2023 优秀 (decided 2024-01-20) and 2024 优秀 (decided 2025-01-20): 36 − 2 × 6 = 24 months.
        // By 2025-01-20: 2023 12 + 2024 12 = 24 counted, and both reductions usable → eligible 2025-01-20.
        // On 2025-01-19 only the first is usable: 36 − 6 = 30 needed, 24 counted.
        // (One 优秀: 30 months, 2025-07-01. None: 36 months, 2026-01-01.)
        // Under a 24-month step the second 优秀 could not matter: when it is decided, two whole years
        // (24 months) are already counted, so "24 → 12" shows only as a wait of 36 → 24 here.
        let placements = [
            placement(1, .researcher3, from: "2020-06-01", until: "2023-01-05"),
            placement(2, .researcher2, from: "2023-01-05"),
        ]
        let grades = [graded(2023, .excellent, "2024-01-20"), graded(2024, .excellent, "2025-01-20")]
        let before = explain(placements, assessments: grades, asOf: "2025-01-19")
        #expect(before.nextRank == .researcher1)
        #expect(before.monthsNeeded == 36)
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-01-20"))
        #expect(before.monthsCounted == 24)
        #expect(mentions(before.firstUnmet, "24 of the 30 months", "36 less 1 × 6"), "\(before)")

        let on = explain(placements, assessments: grades, asOf: "2025-01-20")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-01-20"))
        #expect(on.monthsCounted == 24)
        let bonuses = on.steps.filter { $0.rule == .excellent }
        #expect(bonuses.map(\.year) == [2023, 2024])
        #expect(bonuses.map(\.months) == [6, 6])

        // Only the first 优秀: 2023-01-01 + 30 months = 2025-07-01.
        let one = explain(placements, assessments: [grades[0]], asOf: "2025-01-20")
        #expect(!one.eligible && one.eligibleFrom == civil("2025-07-01"))
    }

    // MARK: Years that do not count

    @Test func aBasicallyCompetentYearLeavesItsMonthsInRankOut() {
        // Promoted 2023-03-15 (counts from 2023-03-01); 2023 graded 基本称职, so its 10 months in the
        // rank (Mar–Dec) do not count: eligibility moves 10 months, 2025-03-01 → 2026-01-01.
        // On 2025-12-31: 2023 0 + 2024 12 + 2025 Jan–Nov 11 = 23.  On 2026-01-01: 0 + 12 + 12 = 24.
        let grades = [graded(2023, .basicallyCompetent, "2024-01-20"), graded(2024, .competent, "2025-01-20")]
        let before = explain(promotedMidMarch2023, assessments: grades, asOf: "2025-12-31")
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2026-01-01"))
        #expect(before.monthsCounted == 23)
        #expect(counted(before) == [[2023, 0], [2024, 12], [2025, 11]])
        #expect(mentions(before.steps.first { $0.year == 2023 }?.text, "10 months", "基本称职", "not counted"))
        #expect(mentions(before.firstUnmet, "23 of the 24 months", "2026-01-01"), "\(before)")

        let on = explain(promotedMidMarch2023, assessments: grades, asOf: "2026-01-01")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2026-01-01"))
        #expect(on.monthsCounted == 24)
    }

    @Test func anUndeterminedYearLeavesItsMonthsInRankOut() {
        // Promoted 2022-07-04 (counts from 2022-07-01); 2023 not graded (不定等次, long sick leave): its 12
        // months do not count, so 2022-07-01 + 24 = 2024-07-01 moves 12 months to 2025-07-01.
        // On 2025-06-30: 2022 Jul–Dec 6 + 2023 0 + 2024 12 + 2025 Jan–May 5 = 23.  On 2025-07-01: 24.
        let placements = [
            placement(1, .principal2, from: "2020-01-06", until: "2022-07-04"),
            placement(2, .principal1, from: "2022-07-04"),
        ]
        let grades = [
            graded(2022, .competent, "2023-01-18"),
            graded(2023, .undetermined, "2024-01-15", reason: "病假超过半年"),
            graded(2024, .competent, "2025-01-20"),
        ]
        let before = explain(placements, assessments: grades, asOf: "2025-06-30")
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-07-01"))
        #expect(before.monthsCounted == 23)
        #expect(counted(before) == [[2022, 6], [2023, 0], [2024, 12], [2025, 5]])
        #expect(mentions(before.steps.first { $0.year == 2023 }?.text, "不定等次", "not counted"))

        let on = explain(placements, assessments: grades, asOf: "2025-07-01")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-07-01"))
        #expect(on.monthsCounted == 24)
    }

    // MARK: Sanctions

    @Test func noPromotionWhileASanctionRuns() {
        // Time is met on 2025-03-01 (promoted 2023-03-15). A 记过 on 2025-02-10 bars promotion for 12
        // months: it runs 2025-02-10 … 2026-02-09, and the first free day is 2026-02-10.
        // On 2025-06-01: 10 + 12 + 5 = 27 months counted, time met, but the sanction runs.
        let grades = [graded(2023, .competent, "2024-01-20"), graded(2024, .competent, "2025-01-20")]
        let demerit = Sanction(id: 1, kind: .demerit, on: civil("2025-02-10"))
        let during = explain(promotedMidMarch2023, assessments: grades, sanctions: [demerit], asOf: "2025-06-01")
        #expect(!during.eligible)
        #expect(during.eligibleFrom == civil("2026-02-10"))
        #expect(during.monthsCounted == 27)
        #expect(mentions(during.firstUnmet, "sanction", "记过", "2025-02-10", "2026-02-10"), "\(during)")
        let period = during.steps.first { $0.rule == .sanction }
        #expect(period?.months == 12 && period?.date == civil("2026-02-10"))

        let lastDay = explain(promotedMidMarch2023, assessments: grades, sanctions: [demerit], asOf: "2026-02-09")
        #expect(!lastDay.eligible && lastDay.eligibleFrom == civil("2026-02-10"))
        let over = explain(promotedMidMarch2023, assessments: grades, sanctions: [demerit], asOf: "2026-02-10")
        #expect(over.eligible && over.eligibleFrom == civil("2026-02-10") && over.firstUnmet == nil)

        // Once 2025 is recorded as 不定等次 (a 记过 year is not graded), its months leave the count:
        // on 2026-02-10, 10 + 12 + 0 + 2026 Jan 1 = 23; 24 are reached on 2026-03-01.
        let ungraded = grades + [graded(2025, .undetermined, "2026-01-20", reason: "记过")]
        let regraded = explain(promotedMidMarch2023, assessments: ungraded, sanctions: [demerit], asOf: "2026-02-10")
        #expect(!regraded.eligible)
        #expect(regraded.eligibleFrom == civil("2026-03-01"))
        #expect(regraded.monthsCounted == 23)
        #expect(mentions(regraded.firstUnmet, "Time in rank", "23 of the 24 months"), "\(regraded)")
    }

    @Test func aSanctionLiftedEarlyEndsOnTheDayItWasLifted() {
        // The same 记过 (2025-02-10, 12 months) lifted on 2025-08-01: the bar ends that day.
        let grades = [graded(2023, .competent, "2024-01-20"), graded(2024, .competent, "2025-01-20")]
        let lifted = Sanction(id: 1, kind: .demerit, on: civil("2025-02-10"), liftedOn: civil("2025-08-01"))
        let before = explain(promotedMidMarch2023, assessments: grades, sanctions: [lifted], asOf: "2025-07-31")
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2025-08-01"))
        #expect(mentions(before.firstUnmet, "记过", "2025-08-01"), "\(before)")
        #expect(mentions(before.steps.first { $0.rule == .sanction }?.text, "lifted early"))

        let on = explain(promotedMidMarch2023, assessments: grades, sanctions: [lifted], asOf: "2025-08-01")
        #expect(on.eligible)
        #expect(on.eligibleFrom == civil("2025-08-01"))
        #expect(on.firstUnmet == nil)
    }

    @Test func aSanctionOverBeforeTheTimeIsMetChangesNothing() {
        // A 警告 on 2024-05-06 runs 6 months, to 2024-11-05; time is met on 2025-03-01, after it.
        let warning = Sanction(id: 2, kind: .warning, on: civil("2024-05-06"))
        let explanation = explain(promotedMidMarch2023, sanctions: [warning], asOf: "2025-03-01")
        #expect(explanation.eligible)
        #expect(explanation.eligibleFrom == civil("2025-03-01"))
        #expect(explanation.steps.first { $0.rule == .sanction }?.date == civil("2024-11-06"))
    }

    @Test func aWarningYearCannotBeExcellentAndADemeritYearIsUndetermined() {
        let warning = Sanction(id: 1, kind: .warning, on: civil("2024-05-10"))
        // 警告 in 2024: 优秀 for 2024 is refused, 称职 is allowed, and a 2025 优秀 is not touched.
        let refused = Assessment.sanctionRefusal(grade: .excellent, year: 2024, sanctions: [warning])
        #expect(mentions(refused, "警告", "2024-05-10", "优秀"), "\(String(describing: refused))")
        #expect(Assessment.sanctionRefusal(grade: .competent, year: 2024, sanctions: [warning]) == nil)
        #expect(Assessment.sanctionRefusal(grade: .excellent, year: 2025, sanctions: [warning]) == nil)

        // 记过 in 2024: only 不定等次 is allowed for 2024.
        let demerit = Sanction(id: 2, kind: .demerit, on: civil("2024-03-01"))
        for grade in [AssessmentGrade.excellent, .competent, .basicallyCompetent, .incompetent] {
            let refusal = Assessment.sanctionRefusal(grade: grade, year: 2024, sanctions: [demerit])
            #expect(mentions(refusal, "记过", "不定等次"), "\(grade): \(String(describing: refusal))")
        }
        #expect(Assessment.sanctionRefusal(grade: .undetermined, year: 2024, sanctions: [demerit]) == nil)
        // Heavier ones likewise.
        let removal = Sanction(id: 3, kind: .removal, on: civil("2024-09-30"))
        #expect(mentions(Assessment.sanctionRefusal(grade: .competent, year: 2024, sanctions: [removal]), "撤职"))
    }

    // MARK: Leadership posts

    @Test func aLeadershipPostCountsAsTheRankTheTableNames() {
        // 县处级副职 from 2022-01-10 while 一级主任科员; promoted to 四级调研员 2023-06-01, still in the post.
        // 县处级副职 counts as 四级调研员, so time toward 三级调研员 counts from 2022-01-01:
        // 24 months → 2024-01-01. On 2023-12-31: 2022 12 + 2023 Jan–Nov 11 = 23.
        let placements = [
            placement(1, .principal1, from: "2019-05-06", until: "2022-01-10"),
            placement(2, .principal1, post: .divisionDeputy, from: "2022-01-10", until: "2023-06-01"),
            placement(3, .researcher4, post: .divisionDeputy, from: "2023-06-01"),
        ]
        let before = explain(placements, asOf: "2023-12-31")
        #expect(before.rank == .researcher4)
        #expect(before.nextRank == .researcher3)
        #expect(!before.eligible)
        #expect(before.eligibleFrom == civil("2024-01-01"))
        #expect(before.monthsCounted == 23)
        #expect(counted(before) == [[2022, 12], [2023, 11]])
        let held = before.steps.first { $0.rule == .rank }
        #expect(mentions(held?.text, "县处级副职", "2022-01-10", "四级调研员", "2022-01-01"), "\(String(describing: held))")

        let on = explain(placements, asOf: "2024-01-01")
        #expect(on.eligible && on.eligibleFrom == civil("2024-01-01") && on.monthsCounted == 24)

        // Without the post, time in 四级调研员 counts from 2023-06-01: 24 months → 2025-06-01.
        var withoutPost = placements
        withoutPost[1].post = nil
        withoutPost[2].post = nil
        let plain = explain(withoutPost, asOf: "2024-01-01")
        #expect(!plain.eligible && plain.eligibleFrom == civil("2025-06-01") && plain.monthsCounted == 7)
    }

    // MARK: One step at a time

    @Test func promotionIsOneStepUpAndTheTopRankHasNone() {
        // 二级科员 → 一级科员; 一级主任科员 → 四级调研员: one rung each.
        let clerk = explain([placement(1, .clerk2, from: "2020-01-06")], asOf: "2022-01-01")
        #expect(clerk.nextRank == .clerk1)
        #expect(clerk.eligible && clerk.eligibleFrom == civil("2022-01-01"))
        #expect(explain(promotedMidMarch2023, asOf: "2025-03-01").nextRank == .researcher4)

        // 一级巡视员 is the top: nothing to be promoted to, ever.
        let top = explain([placement(1, .inspector1, from: "2015-03-02")], asOf: "2025-03-01")
        #expect(top.rank == .inspector1)
        #expect(top.nextRank == nil)
        #expect(!top.eligible)
        #expect(top.eligibleFrom == nil)
        #expect(mentions(top.firstUnmet, "一级巡视员", "highest rank"), "\(top)")

        // A policy step that skips a rung (一级主任科员 → 三级调研员) is not a step the ladder takes.
        var skipping = shippedPolicy
        skipping.steps[.principal1] = .init(to: .researcher3, from: .principal1, months: 24)
        let skipped = explain(promotedMidMarch2023, policy: skipping, asOf: "2025-03-01")
        #expect(skipped.nextRank == .researcher4)
        #expect(!skipped.eligible && skipped.eligibleFrom == nil)
        #expect(mentions(skipped.firstUnmet, "no minimum time", "一级主任科员", "四级调研员"), "\(skipped)")
    }

    // MARK: Policy versions

    @Test func theSameRecordIsJudgedByThePolicyInForce() {
        // Promoted 2023-03-15, judged on 2025-06-01: 10 + 12 + 5 = 27 months counted.
        // Under the 2019 figures (24 months): eligible from 2023-03-01 + 24 = 2025-03-01.
        // Under a later version asking 36 months: 2023-03-01 + 36 = 2026-03-01.
        let longer = promotionPolicy(months: [.principal1: 36])
        let under24 = explain(promotedMidMarch2023, policy: shippedPolicy, asOf: "2025-06-01")
        let under36 = explain(promotedMidMarch2023, policy: longer, asOf: "2025-06-01")
        #expect(under24.eligible)
        #expect(under24.eligibleFrom == civil("2025-03-01"))
        #expect(under24.monthsNeeded == 24)
        #expect(!under36.eligible)
        #expect(under36.eligibleFrom == civil("2026-03-01"))
        #expect(under36.monthsNeeded == 36)
        #expect(under24.monthsCounted == 27 && under36.monthsCounted == 27)
        #expect(mentions(under36.firstUnmet, "27 of the 36 months", "2026-03-01"), "\(under36)")
    }

    // MARK: Status

    @Test func onlyPeopleInPostCanBePromoted() {
        // On probation (试用) with a rank: not eligible, and no date while the status lasts.
        let probation = explain(
            [placement(1, .clerk2, status: .probation, from: "2023-08-01")],
            asOf: "2025-09-01"
        )
        #expect(!probation.eligible)
        #expect(probation.eligibleFrom == nil)
        #expect(mentions(probation.firstUnmet, "试用", "在职"), "\(probation)")
        #expect(probation.steps.map(\.rule) == [.status])

        // Resigned (辞职) on 2024-05-01, long after the time was met.
        let resigned = explain(
            [
                placement(1, .principal1, from: "2020-03-02", until: "2024-05-01"),
                placement(2, .principal1, status: .resigned, from: "2024-05-01"),
            ],
            asOf: "2025-01-01"
        )
        #expect(!resigned.eligible && resigned.eligibleFrom == nil)
        #expect(mentions(resigned.firstUnmet, "辞职"), "\(resigned)")

        // Before the first placement there is nothing to judge.
        let none = explain(promotedMidMarch2023, asOf: "2021-02-28")
        #expect(!none.eligible && none.eligibleFrom == nil)
        #expect(mentions(none.firstUnmet, "no placement"), "\(none)")
    }

    // MARK: 优秀 share

    @Test func theExcellentShareIsWarnedAbove20PercentAndRefusedAbove25RoundedDown() {
        let policy = civilServiceAssessment
        // 10 assessed: 20 % of 10 = 2, 25 % of 10 = 2.5 → 2. So 2 is fine and 3 is refused (no warning band).
        #expect(AssessmentPolicy.excellentAllowed(assessed: 10, percent: 20) == 2)
        #expect(AssessmentPolicy.excellentAllowed(assessed: 10, percent: 25) == 2)
        #expect(policy.excellentShareBreach(excellent: 2, assessed: 10) == nil)
        #expect(policy.excellentShareBreach(excellent: 3, assessed: 10)?.enforcement == .refuse)
        // 11 assessed: 20 % = 2.2 → 2, 25 % = 2.75 → 2. So 2 is fine and 3 is refused.
        #expect(AssessmentPolicy.excellentAllowed(assessed: 11, percent: 20) == 2)
        #expect(AssessmentPolicy.excellentAllowed(assessed: 11, percent: 25) == 2)
        #expect(policy.excellentShareBreach(excellent: 2, assessed: 11) == nil)
        let eleven = policy.excellentShareBreach(excellent: 3, assessed: 11)
        #expect(eleven?.enforcement == .refuse)
        #expect(mentions(eleven?.reason, "3 优秀 among 11", "25 %", "(2, rounded down)"))
        // 20 assessed: 20 % = 4, 25 % = 5. So 4 is fine, 5 is warned, 6 is refused.
        #expect(AssessmentPolicy.excellentAllowed(assessed: 20, percent: 20) == 4)
        #expect(AssessmentPolicy.excellentAllowed(assessed: 20, percent: 25) == 5)
        #expect(policy.excellentShareBreach(excellent: 4, assessed: 20) == nil)
        let warned = policy.excellentShareBreach(excellent: 5, assessed: 20)
        #expect(warned?.enforcement == .warn)
        #expect(mentions(warned?.reason, "20 %", "(4, rounded down)", "at most 5"))
        #expect(policy.excellentShareBreach(excellent: 6, assessed: 20)?.enforcement == .refuse)
    }

    /// Promoted to 一级主任科员 on 9998-06-01: 24 months would end in the year 10000, past the
    /// calendar's end. The answer is "not eligible, no date" rather than a crash.
    @Test func aWaitEndingPastTheCalendarGivesNoDate() {
        let answer = explain([placement(1, .principal1, from: "9998-06-01")], asOf: "9999-12-31")
        #expect(!answer.eligible)
        #expect(answer.eligibleFrom == nil)
        #expect(mentions(answer.firstUnmet, "Time in rank", "not met before the year 9999"))
    }
}
