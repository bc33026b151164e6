/// 晋升资格: whether a civil servant may be promoted to the next rank on a day, and the whole
/// reasoning, from their placements, their final assessment grades and their sanctions, under
/// one `PromotionPolicy`. Pure: the same record and day always give the same explanation.
///
/// The rules (figures from the policy):
/// - time in the current rank counts from the first day of the month in which it began, in whole
///   months; a leadership post counts as the rank the policy names for it, so time in the post
///   counts too;
/// - the months of a calendar year whose final grade is one the policy does not count
///   (基本称职, 不称职, 不定等次) are left out; a year with no final grade yet counts;
/// - each final 优秀 for a year spent wholly in the current rank shortens the wait by the
///   policy's months, from the day that grade was decided;
/// - no promotion while a sanction's period runs.
public enum PromotionRules {
    /// Everything the rules need about one person.
    public struct Record: Sendable, Hashable {
        public var placements: [TimelineFold.Interval]
        /// Final grades only.
        public var assessments: [Assessment]
        public var sanctions: [Sanction]

        public init(placements: [TimelineFold.Interval], assessments: [Assessment], sanctions: [Sanction]) {
            self.placements = placements
            self.assessments = assessments
            self.sanctions = sanctions
        }
    }

    /// Explains whether the person may be promoted on `asOf` under `policy` and `ladder` (both
    /// the versions in force that day). Without `reasoning`, only the verdict, the dates, the
    /// figures and the first rule not met are worked out (a list of a whole node needs no more).
    public static func explain(
        _ record: Record,
        policy: PromotionPolicy,
        ladder: RankLadder,
        asOf: CivilDate,
        reasoning: Bool = true
    ) -> PromotionExplanation {
        var explanation = PromotionExplanation(asOf: asOf)
        func note(_ step: @autoclosure () -> PromotionExplanation.Step) {
            if reasoning { explanation.steps.append(step()) }
        }
        func stop(_ rule: PromotionExplanation.Rule, _ unmet: PromotionExplanation.Unmet) -> PromotionExplanation {
            note(.init(rule: rule, text: unmet.text))
            explanation.unmet = unmet
            return explanation
        }
        let placements = record.placements
        guard let index = placements.lastIndex(where: { $0.from <= asOf && ($0.until.map { $0 > asOf } ?? true) })
        else {
            return stop(.status, .noPlacement(asOf))
        }
        let current = placements[index]
        guard current.status == .active else {
            return stop(.status, .status(current.status, asOf))
        }
        guard let rank = current.rank else { return stop(.rank, .noRank) }
        explanation.rank = rank
        guard ladder.contains(rank), let next = ladder.higher(than: rank) else {
            return stop(.rank, ladder.contains(rank) ? .topOfLadder(ladder.name(of: rank)) : .notOnLadder(rank, asOf))
        }
        explanation.nextRank = next
        guard let step = policy.steps[rank], step.to == next else {
            return stop(.requirement, .noStep(from: ladder.name(of: rank), to: ladder.name(of: next)))
        }

        // The unbroken run of placements in which the person held the rank, or a post counting as it.
        func holds(_ placement: TimelineFold.Interval) -> Bool {
            placement.rank == rank || placement.post.flatMap { policy.postCountsAs[$0] } == rank
        }
        var first = index
        while first > 0, placements[first - 1].until == placements[first].from, holds(placements[first - 1]) {
            first -= 1
        }
        let start = placements[first].from
        let startMonth = CivilDate(year: start.year, month: start.month, day: 1)!
        let rankName = ladder.name(of: rank)
        if placements[first].rank != rank, let post = placements[first].post {
            note(
                .init(
                    rule: .rank,
                    text: "Held \(post.chineseName) from \(start), which counts as \(rankName); time counts from "
                        + "\(startMonth).",
                    date: start
                )
            )
        } else {
            note(
                .init(
                    rule: .rank,
                    text: "Holds \(rankName) since \(start); time counts from \(startMonth).",
                    date: start
                )
            )
        }
        explanation.monthsNeeded = step.months
        note(
            .init(
                rule: .requirement,
                text: "Promotion to \(ladder.name(of: next)) needs \(step.months) months in \(rankName).",
                months: step.months
            )
        )

        // Months year by year, up to the start of the as-of month (whole months only).
        // The years whose months do not count (few: usually none), found once for the walk below.
        let uncountedYears = record.assessments.filter { policy.uncountedGrades.contains($0.grade) }.map(\.year)
        func counts(_ year: Int) -> Bool { !uncountedYears.contains(year) }
        var counted = 0
        for year in start.year...max(start.year, asOf.year) {
            let firstMonth = year == start.year ? start.month : 1
            let lastMonth = year == asOf.year ? asOf.month - 1 : 12
            let months = max(0, lastMonth - firstMonth + 1)
            guard months > 0 else { continue }
            func graded() -> String {
                record.assessments.last { $0.year == year }.map { "graded \($0.grade.chineseName)" }
                    ?? "no final grade yet"
            }
            if counts(year) {
                counted += months
                note(
                    .init(
                        rule: .year,
                        text: "\(year): \(months) months, \(graded()): counted.",
                        year: year,
                        months: months
                    )
                )
            } else {
                note(
                    .init(
                        rule: .year,
                        text: "\(year): \(months) months, \(graded()): not counted.",
                        year: year,
                        months: 0
                    )
                )
            }
        }
        explanation.monthsCounted = counted

        // 优秀 for years spent wholly in the rank, each usable from the day it was decided.
        var bonuses: [CivilDate] = []
        for assessment in record.assessments.filter({ $0.grade == .excellent }).sorted(by: { $0.year < $1.year }) {
            let wholly = startMonth <= CivilDate(year: assessment.year, month: 1, day: 1)!
            if wholly {
                bonuses.append(assessment.decidedOn)
                note(
                    .init(
                        rule: .excellent,
                        text: "\(assessment.year) graded 优秀, a year wholly in \(rankName): the wait is "
                            + "\(policy.excellentMonths) months shorter from \(assessment.decidedOn).",
                        year: assessment.year,
                        months: policy.excellentMonths,
                        date: assessment.decidedOn
                    )
                )
            } else if assessment.year >= start.year {
                note(
                    .init(
                        rule: .excellent,
                        text: "\(assessment.year) graded 优秀, but \(rankName) was not held all that year: no "
                            + "shorter wait.",
                        year: assessment.year
                    )
                )
            }
        }
        bonuses.sort()

        // The first day the time condition holds: months counted plus the 优秀 reductions usable
        // by then reach the minimum. Both only grow, so the first such day is found by walking
        // month starts and, between them, the days an 优秀 becomes usable.
        func satisfied(_ months: Int, on day: CivilDate) -> Bool {
            months + policy.excellentMonths * bonuses.prefix(while: { $0 <= day }).count >= step.months
        }
        var timeMet = startMonth
        var months = 0
        var month = startMonth
        // (A walk that would leave the calendar, 9999, means the time is never met.)
        var reachable = true
        search: for _ in 0..<2400 {
            guard month.year < 9999 else {
                reachable = false
                break
            }
            if satisfied(months, on: month) {
                timeMet = month
                break
            }
            let following = month.adding(months: 1)
            for day in bonuses where month < day && day < following && satisfied(months, on: day) {
                timeMet = day
                break search
            }
            if counts(month.year) { months += 1 }
            month = following
            timeMet = month
        }

        // Sanctions: no promotion while one runs.
        var periods: [(sanction: Sanction, end: CivilDate)] = []
        for sanction in record.sanctions.sorted(by: { $0.on < $1.on }) {
            let months = policy.months(of: sanction.kind)
            let end = sanction.ends(months: months)
            periods.append((sanction, end))
            let lifted = sanction.liftedOn.map { $0 < sanction.on.adding(months: months) } ?? false
            note(
                .init(
                    rule: .sanction,
                    text: "\(sanction.kind.chineseName) on \(sanction.on): no promotion for \(months) months, until "
                        + "\(end)\(lifted ? " (lifted early)" : "").",
                    months: months,
                    date: end
                )
            )
        }
        let running = periods.first { $0.sanction.on <= asOf && asOf < $0.end }
        var from: CivilDate
        if timeMet <= asOf, running == nil {
            from = timeMet
            for period in periods where period.end <= asOf && period.end > from { from = period.end }
        } else {
            from = max(timeMet, asOf)
            while let period = periods.first(where: { $0.sanction.on <= from && from < $0.end }) { from = period.end }
        }
        explanation.eligibleFrom = reachable ? from : nil
        explanation.eligible = reachable && from <= asOf
        if !reachable || timeMet > asOf {
            explanation.unmet = .time(
                counted: counted,
                minimum: step.months,
                reductions: bonuses.prefix { $0 <= asOf }.count,
                excellentMonths: policy.excellentMonths,
                asOf: asOf,
                earliest: reachable ? timeMet : nil
            )
        } else if let running {
            explanation.unmet = .sanction(running.sanction.kind, from: running.sanction.on, until: running.end)
        }
        note(
            .init(
                rule: .result,
                text: explanation.eligible
                    ? "Eligible for \(ladder.name(of: next)) from \(from) (eligible, not entitled: rank quotas decide "
                        + "separately)."
                    : "Not eligible on \(asOf); eligible from \(from) if nothing changes.",
                date: from
            )
        )
        return explanation
    }
}

/// The answer `PromotionRules.explain` gives: the verdict and each step of the reasoning.
public struct PromotionExplanation: Sendable, Hashable {
    /// Which rule a step of the reasoning belongs to.
    public enum Rule: String, Sendable, Hashable, Codable {
        case status, rank, requirement, year, excellent, sanction, result
    }

    /// One step of the reasoning, in words, with its figures.
    public struct Step: Sendable, Hashable {
        public var rule: Rule
        public var text: String
        public var year: Int?
        public var months: Int?
        public var date: CivilDate?

        public init(rule: Rule, text: String, year: Int? = nil, months: Int? = nil, date: CivilDate? = nil) {
            self.rule = rule
            self.text = text
            self.year = year
            self.months = months
            self.date = date
        }
    }

    /// The day judged.
    public var asOf: CivilDate
    public var rank: Rank?
    public var nextRank: Rank?
    public var eligible = false
    /// The first day of eligibility (past or future, assuming nothing else changes); nil when the
    /// person cannot become eligible as things stand (not in post, no rank, top of the ladder).
    public var eligibleFrom: CivilDate?
    /// Months in the rank counted up to the as-of month, and the minimum before reductions.
    public var monthsCounted: Int?
    public var monthsNeeded: Int?
    public var steps: [Step] = []
    /// The first rule not met on `asOf`; nil when eligible.
    public var unmet: Unmet?
    /// The first rule not met on `asOf`, in words; nil when eligible.
    public var firstUnmet: String? { unmet?.text }

    /// Why a person is not eligible: the first rule not met, with its figures. Kept as values and
    /// worded on demand (a list of a whole node words only what it shows).
    public enum Unmet: Sendable, Hashable {
        case noPlacement(CivilDate)
        case status(PersonStatus, CivilDate)
        case noRank
        /// The name of the highest rank.
        case topOfLadder(String)
        case notOnLadder(Rank, CivilDate)
        /// The names of the rank held and the next.
        case noStep(from: String, to: String)
        /// `earliest`: nil when the wait would end past the calendar's last year.
        case time(
            counted: Int,
            minimum: Int,
            reductions: Int,
            excellentMonths: Int,
            asOf: CivilDate,
            earliest: CivilDate?
        )
        case sanction(SanctionKind, from: CivilDate, until: CivilDate)

        /// In words, for a personnel officer.
        public var text: String {
            switch self {
            case .noPlacement(let date): return "The person holds no placement on \(date)."
            case .status(let status, let date):
                return
                    "The person's status on \(date) is \(status.chineseName); only people in post (在职) can be promoted."
            case .noRank: return "The person has no rank (职级) on record."
            case .topOfLadder(let name): return "\(name) is the highest rank on the ladder."
            case .notOnLadder(let rank, let date):
                return "The rank '\(rank.code)' is not on the rank ladder in force on \(date)."
            case .noStep(let from, let to):
                return "The policy names no minimum time for promotion from \(from) to \(to)."
            case .time(let counted, let minimum, let reductions, let excellentMonths, let asOf, let earliest):
                let needed = max(minimum - excellentMonths * reductions, 0)
                return "Time in rank: \(counted) of the \(needed) months needed are counted on \(asOf)"
                    + (reductions > 0 ? " (\(minimum) less \(reductions) × \(excellentMonths) for 优秀)" : "")
                    + (earliest.map { "; the earliest date is \($0)." } ?? "; it is not met before the year 9999.")
            case .sanction(let kind, let from, let until):
                return "A sanction runs: \(kind.chineseName) from \(from) until \(until); no promotion while it runs."
            }
        }

        /// The same in Simplified Chinese, for the admin pages.
        public var chineseText: String {
            switch self {
            case .noPlacement(let date): return "该人员在 \(date) 没有安置。"
            case .status(let status, let date):
                return "该人员在 \(date) 的状态为\(status.chineseName)；只有在职人员才能晋升。"
            case .noRank: return "该人员没有职级记录。"
            case .topOfLadder(let name): return "\(name)已是职级序列中的最高职级。"
            case .notOnLadder(let rank, let date):
                return "职级“\(rank.code)”不在 \(date) 施行的职级序列中。"
            case .noStep(let from, let to):
                return "晋升政策未规定从\(from)晋升至\(to)的最低任职年限。"
            case .time(let counted, let minimum, let reductions, let excellentMonths, let asOf, let earliest):
                let needed = max(minimum - excellentMonths * reductions, 0)
                return "任职年限：截至 \(asOf) 计入 \(counted) 个月，需满 \(needed) 个月"
                    + (reductions > 0 ? "（\(minimum) 个月减去优秀 \(reductions) × \(excellentMonths) 个月）" : "")
                    + (earliest.map { "；最早可于 \($0) 晋升。" } ?? "；9999 年前无法满足。")
            case .sanction(let kind, let from, let until):
                return "处分期内：\(kind.chineseName)，自 \(from) 至 \(until)；处分期内不得晋升。"
            }
        }
    }

    public init(asOf: CivilDate) { self.asOf = asOf }
}
