import DossierCore
import Testing

@Suite struct QuotaTimelineTests {
    private func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    @Test func noQuotaMeansNotEstablished() {
        let empty = QuotaTimeline(quotas: [], occupancy: [])
        #expect(empty.refusalForAdding(from: day("2024-01-01")) == .notEstablished(on: day("2024-01-01")))
        #expect(empty.state(on: day("2024-01-01")).approved == nil)
        #expect(empty.state(on: day("2024-01-01")).occupied == 0)
    }

    @Test func hireBeforeTheFirstQuotaDateIsRefused() {
        let timeline = QuotaTimeline(quotas: [(day("2024-03-01"), 5)], occupancy: [])
        #expect(timeline.refusalForAdding(from: day("2024-02-29")) == .notEstablished(on: day("2024-02-29")))
        #expect(timeline.refusalForAdding(from: day("2024-03-01")) == nil)
        #expect(timeline.refusalForAdding(from: day("2030-01-01")) == nil)
    }

    @Test func occupancyWithoutAQuotaIsStillNotEstablished() {
        let timeline = QuotaTimeline(quotas: [], occupancy: [(from: day("2020-01-01"), until: nil)])
        #expect(timeline.refusalForAdding(from: day("2021-01-01")) == .notEstablished(on: day("2021-01-01")))
        #expect(timeline.state(on: day("2021-01-01")).approved == nil)
        #expect(timeline.state(on: day("2021-01-01")).occupied == 1)
    }

    @Test func vacancyUntilFullThenNoVacancyWithTheFigures() {
        var timeline = QuotaTimeline(quotas: [(day("2024-01-01"), 3)], occupancy: [])
        for index in 0..<3 {
            let date = day("2024-01-01").adding(days: index * 10)
            #expect(timeline.refusalForAdding(from: date) == nil, "hire \(index + 1) of 3")
            timeline.add(from: date)
        }
        #expect(timeline.state(on: day("2024-02-01")).approved == 3)
        #expect(timeline.state(on: day("2024-02-01")).occupied == 3)
        #expect(
            timeline.refusalForAdding(from: day("2024-02-01"))
                == .noVacancy(on: day("2024-02-01"), approved: 3, occupied: 3)
        )
        // Back-dated to before the third hire: that date has room, but the third hire fills it later.
        #expect(
            timeline.refusalForAdding(from: day("2024-01-15"))
                == .noVacancy(on: day("2024-01-21"), approved: 3, occupied: 3)
        )
    }

    @Test func futureQuotaCutRefusesAnEarlierHireAtTheCutDate() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 2), (day("2024-07-01"), 1)],
            occupancy: [(from: day("2024-02-01"), until: nil)]
        )
        // On 2024-03-01 one of two slots is free, but from the cut only one slot exists and it is taken.
        #expect(
            timeline.refusalForAdding(from: day("2024-03-01"))
                == .noVacancy(on: day("2024-07-01"), approved: 1, occupied: 1)
        )
        #expect(
            timeline.refusalForAdding(from: day("2024-08-01"))
                == .noVacancy(on: day("2024-08-01"), approved: 1, occupied: 1)
        )
    }

    @Test func futureQuotaRiseDoesNotHelpAnEarlierDate() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 1), (day("2025-01-01"), 2)],
            occupancy: [(from: day("2024-01-01"), until: nil)]
        )
        #expect(
            timeline.refusalForAdding(from: day("2024-06-01"))
                == .noVacancy(on: day("2024-06-01"), approved: 1, occupied: 1)
        )
        #expect(timeline.refusalForAdding(from: day("2025-01-01")) == nil)
    }

    @Test func quotaCutToZeroRefusesEveryone() {
        let timeline = QuotaTimeline(quotas: [(day("2024-01-01"), 4), (day("2024-06-01"), 0)], occupancy: [])
        #expect(
            timeline.refusalForAdding(from: day("2024-01-01"))
                == .noVacancy(on: day("2024-06-01"), approved: 0, occupied: 0)
        )
    }

    @Test func exitFreesTheSlotFromItsDate() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 1)],
            occupancy: [(from: day("2024-01-01"), until: day("2024-05-01"))]
        )
        #expect(
            timeline.refusalForAdding(from: day("2024-04-30"))
                == .noVacancy(on: day("2024-04-30"), approved: 1, occupied: 1)
        )
        #expect(timeline.refusalForAdding(from: day("2024-05-01")) == nil)
        #expect(timeline.state(on: day("2024-04-30")).occupied == 1)
        #expect(timeline.state(on: day("2024-05-01")).occupied == 0)
    }

    @Test func exitAndRehireOnTheSameDayBalance() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 1)],
            occupancy: [
                (from: day("2024-01-01"), until: day("2024-03-01")),
                (from: day("2024-03-01"), until: nil),
            ]
        )
        #expect(timeline.state(on: day("2024-03-01")).occupied == 1)
        #expect(
            timeline.refusalForAdding(from: day("2024-02-01"))
                == .noVacancy(on: day("2024-02-01"), approved: 1, occupied: 1)
        )
    }

    @Test func emptyIntervalOccupiesNothing() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 1)],
            occupancy: [(from: day("2024-02-01"), until: day("2024-02-01"))]
        )
        #expect(timeline.state(on: day("2024-02-01")).occupied == 0)
        #expect(timeline.refusalForAdding(from: day("2024-01-01")) == nil)
    }

    @Test func addThenStateCountsTheNewOccupant() {
        var timeline = QuotaTimeline(quotas: [(day("2024-01-01"), 5)], occupancy: [])
        timeline.add(from: day("2024-03-10"))
        #expect(timeline.state(on: day("2024-03-09")).occupied == 0)
        #expect(timeline.state(on: day("2024-03-09")).approved == 5)
        #expect(timeline.state(on: day("2024-03-10")).occupied == 1)
        #expect(timeline.state(on: day("2099-12-31")).occupied == 1)
        // An add on an existing change date, and one before every date.
        timeline.add(from: day("2024-01-01"))
        timeline.add(from: day("2023-06-01"))
        #expect(timeline.state(on: day("2023-06-01")).approved == nil)
        #expect(timeline.state(on: day("2023-06-01")).occupied == 1)
        #expect(timeline.state(on: day("2024-01-01")).approved == 5)
        #expect(timeline.state(on: day("2024-01-01")).occupied == 2)
        #expect(timeline.state(on: day("2024-03-10")).occupied == 3)
    }

    @Test func addsMadeInABatchAreCountedForTheNextRow() {
        // A later-dated row first: an earlier-dated row after it must leave room for it.
        var single = QuotaTimeline(quotas: [(day("2024-01-01"), 1)], occupancy: [])
        single.add(from: day("2024-09-01"))
        #expect(
            single.refusalForAdding(from: day("2024-02-01"))
                == .noVacancy(on: day("2024-09-01"), approved: 1, occupied: 1)
        )
        var double = QuotaTimeline(quotas: [(day("2024-01-01"), 2)], occupancy: [])
        double.add(from: day("2024-09-01"))
        #expect(double.refusalForAdding(from: day("2024-02-01")) == nil)
        double.add(from: day("2024-02-01"))
        #expect(
            double.refusalForAdding(from: day("2024-01-15"))
                == .noVacancy(on: day("2024-09-01"), approved: 2, occupied: 2)
        )
        #expect(
            double.refusalForAdding(from: day("2024-12-01"))
                == .noVacancy(on: day("2024-12-01"), approved: 2, occupied: 2)
        )
    }

    @Test func stateBeforeAnyChangeIsEmpty() {
        let timeline = QuotaTimeline(
            quotas: [(day("2024-01-01"), 2)],
            occupancy: [(from: day("2024-01-01"), until: nil)]
        )
        #expect(timeline.state(on: day("2023-12-31")).approved == nil)
        #expect(timeline.state(on: day("2023-12-31")).occupied == 0)
        #expect(timeline.state(on: day("2024-01-01")).approved == 2)
        #expect(timeline.state(on: day("2024-01-01")).occupied == 1)
    }

    @Test func equalDateQuotaRowsLaterElementWins() {
        let later = QuotaTimeline(quotas: [(day("2024-01-01"), 1), (day("2024-01-01"), 3)], occupancy: [])
        #expect(later.state(on: day("2024-01-01")).approved == 3)
        let earlier = QuotaTimeline(quotas: [(day("2024-01-01"), 3), (day("2024-01-01"), 1)], occupancy: [])
        #expect(earlier.state(on: day("2024-06-01")).approved == 1)
        var timeline = earlier
        timeline.add(from: day("2024-01-01"))
        #expect(
            timeline.refusalForAdding(from: day("2024-01-01"))
                == .noVacancy(on: day("2024-01-01"), approved: 1, occupied: 1)
        )
    }

    @Test func unorderedInputGivesTheSameTimeline() {
        let quotas = [(day("2024-07-01"), 1), (day("2024-01-01"), 2)]
        let occupancy: [(from: CivilDate, until: CivilDate?)] = [
            (from: day("2024-03-01"), until: nil), (from: day("2024-02-01"), until: day("2024-04-01")),
        ]
        let timeline = QuotaTimeline(quotas: quotas, occupancy: occupancy)
        #expect(timeline.state(on: day("2024-03-15")).approved == 2)
        #expect(timeline.state(on: day("2024-03-15")).occupied == 2)
        #expect(timeline.state(on: day("2024-04-01")).occupied == 1)
        #expect(timeline.state(on: day("2024-07-01")).approved == 1)
        #expect(
            timeline.refusalForAdding(from: day("2024-04-01"))
                == .noVacancy(on: day("2024-07-01"), approved: 1, occupied: 1)
        )
    }
}

/// The blocked timeline must answer exactly like the obvious one, also once blocks split.
@Suite struct QuotaTimelineModelTests {
    private func day(_ iso: String) -> CivilDate { CivilDate(iso: iso)! }

    /// A plain model: approved and occupancy evaluated date by date.
    struct NaiveTimeline {
        var quotas: [(Int, Int)]
        var occupancy: [(Int, Int?)]

        func approved(_ day: Int) -> Int? { quotas.filter { $0.0 <= day }.last?.1 }
        func occupied(_ day: Int) -> Int {
            occupancy.filter { $0.0 <= day && ($0.1 == nil || $0.1! > day) }.count
        }
        var changeDays: [Int] { Set(quotas.map(\.0) + occupancy.map(\.0) + occupancy.compactMap(\.1)).sorted() }

        func fits(from day: Int) -> Bool {
            guard approved(day) != nil else { return false }
            return ([day] + changeDays.filter { $0 > day }).allSatisfy { occupied($0) + 1 <= (approved($0) ?? 0) }
        }
    }

    @Test func randomHiresAgreeWithANaiveModelAcrossBlockSplits() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<6 {
            let base = 10_000 + round
            var quotas: [(Int, Int)] = [(base, 150)]
            for _ in 0..<3 {
                quotas.append(
                    (base + Int.random(in: 1...900, using: &generator), Int.random(in: 100...400, using: &generator))
                )
            }
            quotas.sort { $0.0 < $1.0 }
            var occupancy: [(Int, Int?)] = (0..<40).map { _ in
                let from = base + Int.random(in: 0...900, using: &generator)
                return (from, Bool.random(using: &generator) ? from + Int.random(in: 1...200, using: &generator) : nil)
            }
            var timeline = QuotaTimeline(
                quotas: quotas.map { (CivilDate(dayNumber: $0.0), $0.1) },
                occupancy: occupancy.map {
                    (from: CivilDate(dayNumber: $0.0), until: $0.1.map { CivilDate(dayNumber: $0) })
                }
            )
            for _ in 0..<500 {
                let day = base - 5 + Int.random(in: 0...920, using: &generator)
                let model = NaiveTimeline(quotas: quotas, occupancy: occupancy)
                let refusal = timeline.refusalForAdding(from: CivilDate(dayNumber: day))
                #expect((refusal == nil) == model.fits(from: day), "day \(day)")
                if refusal == nil {
                    timeline.add(from: CivilDate(dayNumber: day))
                    occupancy.append((day, nil))
                }
                let probe = base + Int.random(in: 0...920, using: &generator)
                let state = timeline.state(on: CivilDate(dayNumber: probe))
                let after = NaiveTimeline(quotas: quotas, occupancy: occupancy)
                #expect(state.occupied == after.occupied(probe))
                #expect(state.approved == after.approved(probe))
            }
        }
    }

    /// The first breach by brute force: every change day, both occupancies counted from scratch.
    private static func referenceBreach(
        quotas: [(Int, Int)],
        others: [(Int, Int?)],
        before: [(Int, Int?)],
        after: [(Int, Int?)],
        from start: Int,
        limitsOnlyOnceEstablished: Bool
    ) -> (day: Int, approved: Int?, occupied: Int)? {
        var start = start
        if limitsOnlyOnceEstablished {
            guard let first = quotas.map(\.0).min() else { return nil }
            start = max(start, first)
        }
        func count(_ spans: [(Int, Int?)], _ day: Int) -> Int {
            spans.filter { $0.0 <= day && ($0.1 == nil || $0.1! > day) }.count
        }
        let days = Set(
            [start] + quotas.map(\.0) + (others + before + after).flatMap { [$0.0] + ($0.1.map { [$0] } ?? []) }
        ).sorted()
        for day in days where day >= start {
            let approved = quotas.filter { $0.0 <= day }.last?.1
            let withChange = count(others + after, day)
            guard withChange > count(others + before, day), withChange > (approved ?? 0) else { continue }
            return (day, approved, withChange)
        }
        return nil
    }

    @Test func breachesOfRandomChangesAgreeWithABruteForceSweep() {
        var generator = SystemRandomNumberGenerator()
        func span(_ base: Int) -> (Int, Int?) {
            let from = base + Int.random(in: 0...600, using: &generator)
            return (from, Bool.random(using: &generator) ? from + Int.random(in: 1...200, using: &generator) : nil)
        }
        for round in 0..<20 {
            let base = 20_000 + round
            let limited = round % 3 == 0
            var quotas: [(Int, Int)] = round % 5 == 4 ? [] : [(base + Int.random(in: 0...100, using: &generator), 90)]
            if !quotas.isEmpty {
                quotas.append(
                    (base + Int.random(in: 101...600, using: &generator), Int.random(in: 60...130, using: &generator))
                )
            }
            // Enough occupants for several blocks of change points, and for the quota to be reached.
            let others = (0..<Int.random(in: 60...200, using: &generator)).map { _ in span(base - 50) }
            let timeline = QuotaTimeline(
                quotas: quotas.map { (CivilDate(dayNumber: $0.0), $0.1) },
                occupancy: others.map { (CivilDate(dayNumber: $0.0), $0.1.map { CivilDate(dayNumber: $0) }) },
                limitsOnlyOnceEstablished: limited
            )
            for _ in 0..<100 {
                let before = (0..<Int.random(in: 0...2, using: &generator)).map { _ in span(base) }
                let after = (0..<Int.random(in: 0...3, using: &generator)).map { _ in span(base) }
                let start = base + Int.random(in: -20...620, using: &generator)
                func dates(_ spans: [(Int, Int?)]) -> [QuotaTimeline.Span] {
                    spans.map { (CivilDate(dayNumber: $0.0), $0.1.map { CivilDate(dayNumber: $0) }) }
                }
                let found = timeline.firstBreach(
                    before: dates(before),
                    after: dates(after),
                    from: CivilDate(dayNumber: start)
                )
                let expected = Self.referenceBreach(
                    quotas: quotas,
                    others: others,
                    before: before,
                    after: after,
                    from: start,
                    limitsOnlyOnceEstablished: limited
                )
                #expect(found?.date.dayNumber == expected?.day, "round \(round)")
                #expect(found?.approved == expected?.approved, "round \(round)")
                #expect(found?.occupied == expected?.occupied, "round \(round)")
            }
        }
    }

    @Test func replacingAnOccupancyMovesItsSlot() {
        var timeline = QuotaTimeline(quotas: [(day("2024-01-01"), 1)], occupancy: [])
        let first: [QuotaTimeline.Span] = [(day("2024-01-01"), nil)]
        timeline.replace([], with: first)
        #expect(
            timeline.refusalForAdding(from: day("2024-06-01"))
                == .noVacancy(on: day("2024-06-01"), approved: 1, occupied: 1)
        )
        // The occupant leaves on 2024-05-01: from then the slot is free again, and not before.
        timeline.replace(first, with: [(day("2024-01-01"), day("2024-05-01"))])
        #expect(timeline.refusalForAdding(from: day("2024-05-01")) == nil)
        #expect(timeline.state(on: day("2024-04-30")).occupied == 1)
        #expect(timeline.state(on: day("2024-05-01")).occupied == 0)
    }

    @Test func aRankQuotaLimitsNothingBeforeItIsEstablished() {
        let band = QuotaTimeline(
            quotas: [(day("2024-03-01"), 1)],
            occupancy: [(day("2020-01-01"), nil)],
            limitsOnlyOnceEstablished: true
        )
        let hire: [QuotaTimeline.Span] = [(day("2024-01-01"), day("2024-03-01"))]
        #expect(band.firstBreach(before: [], after: hire, from: day("2024-01-01")) == nil)
        #expect(
            band.firstBreach(before: [], after: [(day("2024-01-01"), nil)], from: day("2024-01-01"))
                == QuotaTimeline.Breach(date: day("2024-03-01"), approved: 1, occupied: 2)
        )
        let never = QuotaTimeline(quotas: [], occupancy: [], limitsOnlyOnceEstablished: true)
        #expect(never.refusalForAdding(from: day("2024-01-01")) == nil)
        // An establishment quota refuses everyone until it is set.
        #expect(QuotaTimeline(quotas: [], occupancy: []).refusalForAdding(from: day("2024-01-01")) != nil)
    }
}
