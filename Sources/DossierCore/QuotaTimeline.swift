/// The slack of one quota over time: approved slots minus occupied slots, as a step function of
/// the date, for one organisation and one establishment category (编制) or one leadership post
/// level (领导职数).
///
/// Hiring someone from a date occupies a slot from that date on, so a hire is allowed only if, at
/// that date and at every later date where the quota or the occupancy changes, at least one slot is
/// free. The same check serves a single hire, a back-dated hire, and every row of a bulk import
/// (which adds its accepted rows to the timeline as it goes, so each row is checked counting the
/// rows before it).
public struct QuotaTimeline: Sendable {
    /// Dates (day numbers) where the approved number or the occupancy changes, ascending.
    private var dates: [Int] = []
    /// Approved slots in force from `dates[i]` (nil: no quota established yet).
    private var approved: [Int?] = []
    /// Occupied slots from `dates[i]`.
    private var occupied: [Int] = []

    /// Why a slot cannot be taken.
    public enum Refusal: Sendable, Hashable {
        /// No quota of this kind was in force on the date: the organisation does not have it.
        case notEstablished(on: CivilDate)
        /// On `on`, all `approved` slots were taken (`occupied` of them).
        case noVacancy(on: CivilDate, approved: Int, occupied: Int)
    }

    /// Builds the timeline from the quota history and the occupancy intervals.
    ///
    /// - Parameters:
    ///   - quotas: each quota change, `(effective date, approved)`; for equal dates the later element wins.
    ///   - occupancy: each occupied interval `[from, until)`; `until` nil when still open.
    public init(quotas: [(CivilDate, Int)], occupancy: [(from: CivilDate, until: CivilDate?)]) {
        var quotaByDay: [Int: Int] = [:]
        for (date, value) in quotas { quotaByDay[date.dayNumber] = value }
        var deltaByDay: [Int: Int] = [:]
        for interval in occupancy {
            deltaByDay[interval.from.dayNumber, default: 0] += 1
            if let until = interval.until { deltaByDay[until.dayNumber, default: 0] -= 1 }
        }
        let days = Set(quotaByDay.keys).union(deltaByDay.keys).sorted()
        var currentQuota: Int? = nil
        var currentOccupied = 0
        dates.reserveCapacity(days.count)
        for day in days {
            if let value = quotaByDay[day] { currentQuota = value }
            currentOccupied += deltaByDay[day] ?? 0
            dates.append(day)
            approved.append(currentQuota)
            occupied.append(currentOccupied)
        }
    }

    /// Index of the last change point on or before `day`, or nil when `day` precedes them all.
    private func governingIndex(_ day: Int) -> Int? {
        var low = 0
        var high = dates.count
        while low < high {
            let mid = (low + high) / 2
            if dates[mid] <= day { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : low - 1
    }

    /// Whether one more occupant from `date` on fits, and if not, the first date it would not.
    public func refusalForAdding(from date: CivilDate) -> Refusal? {
        let day = date.dayNumber
        guard let start = governingIndex(day), approved[start] != nil else { return .notEstablished(on: date) }
        for index in start..<dates.count {
            // Once established, a quota stays in force (a cut is a new, smaller number).
            let limit = approved[index] ?? 0
            if occupied[index] + 1 > limit {
                let when = index == start ? date : CivilDate(dayNumber: dates[index])
                return .noVacancy(on: when, approved: limit, occupied: occupied[index])
            }
        }
        return nil
    }

    /// Records one more occupant from `date` on (after `refusalForAdding` said yes).
    public mutating func add(from date: CivilDate) {
        let day = date.dayNumber
        var start: Int
        if let index = governingIndex(day) {
            if dates[index] == day {
                start = index
            } else {
                start = index + 1
                dates.insert(day, at: start)
                approved.insert(approved[index], at: start)
                occupied.insert(occupied[index], at: start)
            }
        } else {
            start = 0
            dates.insert(day, at: 0)
            approved.insert(nil, at: 0)
            occupied.insert(0, at: 0)
        }
        for index in start..<occupied.count { occupied[index] += 1 }
    }

    /// Approved and occupied slots as of `date` (approved nil when none was established).
    public func state(on date: CivilDate) -> (approved: Int?, occupied: Int) {
        guard let index = governingIndex(date.dayNumber) else { return (nil, 0) }
        return (approved[index], occupied[index])
    }
}
