/// What an attendance record says of one day (考勤状态), whatever the local export calls it.
public enum AttendanceMark: String, Sendable, Hashable, CaseIterable {
    /// 出勤
    case present
    /// 旷工: absent without leave.
    case absent
    /// 请假
    case leave
    /// 公出: away on official business.
    case business
    /// 休息: a rest day.
    case rest
}

/// 旷工 beyond the law's limits (公务员法 §88: more than 15 consecutive days, or more than 30 days
/// in a year, are grounds for dismissal): the reconciliation rule `absent-without-leave`, on one
/// person's attendance. A pure rule, so it can be checked on its own and explained: each
/// finding says which days.
///
/// A run of absences is broken by a day at work, on leave or on business, and by a day the
/// record does not cover (Dossier does not guess what it was); a rest day inside a run neither
/// breaks nor lengthens it. The caller gives only the days the person was in post.
public enum AbsenceRule {
    /// The limits, from the reconciliation policy: a finding needs more than these.
    public struct Limits: Sendable, Hashable {
        /// Consecutive days absent (rest days not counted).
        public var consecutiveDays: Int
        /// Days absent in one calendar year.
        public var daysPerYear: Int

        public init(consecutiveDays: Int, daysPerYear: Int) {
            self.consecutiveDays = consecutiveDays
            self.daysPerYear = daysPerYear
        }

        /// 公务员法 §88: more than 15 consecutive days, or more than 30 in a year.
        public static let civilServiceLaw = Limits(consecutiveDays: 15, daysPerYear: 30)
    }

    /// One finding, with the evidence it rests on.
    public enum Finding: Sendable, Hashable {
        /// A run of absences longer than the limit: its first and last absent day, and how many
        /// days absent it holds.
        case consecutive(from: CivilDate, to: CivilDate, days: Int)
        /// More absences in a calendar year than the limit: the year, how many, and the day the
        /// limit was passed.
        case inYear(Int, days: Int, passedOn: CivilDate)
    }

    /// The findings in a person's attendance (one mark per day, in any order; a day given twice
    /// counts once, with its last mark): every run over the limit, and every year over it, in
    /// date order.
    public static func findings(_ marks: [(day: CivilDate, mark: AttendanceMark)], limits: Limits) -> [Finding] {
        var byDay: [CivilDate: AttendanceMark] = [:]
        for (day, mark) in marks { byDay[day] = mark }
        let days = byDay.keys.sorted()

        var findings: [Finding] = []
        // Runs: consecutive calendar days, absences counted, rest days carried, anything else
        // (or a day missing from the record) ending the run.
        var run: (from: CivilDate, to: CivilDate, days: Int)?
        var previous: CivilDate?
        func close() {
            if let current = run, current.days > limits.consecutiveDays {
                findings.append(.consecutive(from: current.from, to: current.to, days: current.days))
            }
            run = nil
        }
        // Years: absences counted per calendar year, and the day each passed the limit.
        var perYear: [Int: Int] = [:]
        var passed: [Int: CivilDate] = [:]
        for day in days {
            if let previous, previous.adding(days: 1) != day { close() }
            previous = day
            switch byDay[day]! {
            case .absent:
                if let current = run {
                    run = (current.from, day, current.days + 1)
                } else {
                    run = (day, day, 1)
                }
                let count = perYear[day.year, default: 0] + 1
                perYear[day.year] = count
                if count == limits.daysPerYear + 1 { passed[day.year] = day }
            case .rest:
                break
            case .present, .leave, .business:
                close()
            }
        }
        close()
        let years = passed.map { year, passedOn in Finding.inYear(year, days: perYear[year]!, passedOn: passedOn) }
        return (findings + years).sorted { day(of: $0) < day(of: $1) }
    }

    /// The day a finding is dated by: the start of a run, the day a year's limit was passed.
    private static func day(of finding: Finding) -> CivilDate {
        switch finding {
        case .consecutive(let from, _, _): return from
        case .inYear(_, _, let passedOn): return passedOn
        }
    }
}
