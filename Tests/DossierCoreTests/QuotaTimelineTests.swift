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
}
