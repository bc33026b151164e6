/// The slack of one quota over time: approved slots minus occupied slots, as a step function of
/// the date, for one organisation and one establishment category (编制) or one leadership post
/// level (领导职数).
///
/// It is the one quota algorithm: a change of one person's occupancy (a hire, a transfer, a
/// correction, a cancellation) is allowed unless, on some date from the change on, it raises the
/// occupancy above the approved number (`firstBreach`). An approval builds the timeline from
/// everyone else's placements and asks about the person's old and new ones; a bulk import builds
/// it once per slot and records each accepted row in it (`replace`), so each row is checked
/// counting the rows before it, by the same rule.
///
/// A large organisation has thousands of change points, and a bulk import asks about and adds to
/// the suffix after a date once per row; the points are therefore kept in blocks of bounded size,
/// each with its minimum slack and a pending occupancy increment, so both operations cost about
/// the square root of the number of points instead of all of them.
public struct QuotaTimeline: Sendable {
    private struct Block: Sendable {
        /// Day numbers, ascending.
        var days: [Int] = []
        /// Approved slots in force from `days[i]`; nil before any quota was established.
        var approved: [Int?] = []
        /// Occupied slots from `days[i]`, not counting `pending`.
        var occupied: [Int] = []
        /// Added to every `occupied` of the block (a suffix add touching the whole block).
        var pending = 0
        /// Minimum of `(approved ?? 0) - occupied` over the block, not counting `pending`.
        var minimumSlack = Int.max

        mutating func recomputeMinimum() {
            var minimum = Int.max
            for index in days.indices { minimum = min(minimum, (approved[index] ?? 0) - occupied[index]) }
            minimumSlack = minimum
        }

        /// Folds `pending` into the stored values.
        mutating func settle() {
            guard pending != 0 else { return }
            for index in occupied.indices { occupied[index] += pending }
            minimumSlack -= pending
            pending = 0
        }
    }

    private static let blockSize = 64
    private var blocks: [Block] = []
    /// Rank quotas (职级职数) limit nothing before they are first established; establishment and
    /// post quotas refuse everyone until then.
    private let limitsOnlyOnceEstablished: Bool
    /// The first day a quota is in force, if any.
    private let firstQuotaDay: Int?

    /// An occupied interval `[from, until)`; `until` nil when still open.
    public typealias Span = (from: CivilDate, until: CivilDate?)

    /// The first date a change would take a slot that is not there.
    public struct Breach: Sendable, Hashable {
        /// The first date over the quota (or with none in force).
        public var date: CivilDate
        /// The approved number on that date; nil when no quota was in force.
        public var approved: Int?
        /// Occupied slots on that date, with the change.
        public var occupied: Int

        public init(date: CivilDate, approved: Int?, occupied: Int) {
            self.date = date
            self.approved = approved
            self.occupied = occupied
        }

        /// The refusal for a change of one occupant, as users read it.
        public var refusal: Refusal {
            guard let approved else { return .notEstablished(on: date) }
            return .noVacancy(on: date, approved: approved, occupied: occupied - 1)
        }
    }

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
    ///   - limitsOnlyOnceEstablished: true for a rank quota, which limits nothing before its
    ///     first date (and nothing at all when none was ever set).
    public init(
        quotas: [(CivilDate, Int)],
        occupancy: [(from: CivilDate, until: CivilDate?)],
        limitsOnlyOnceEstablished: Bool = false
    ) {
        self.limitsOnlyOnceEstablished = limitsOnlyOnceEstablished
        firstQuotaDay = quotas.map(\.0.dayNumber).min()
        var quotaByDay: [Int: Int] = [:]
        for (date, value) in quotas { quotaByDay[date.dayNumber] = value }
        var deltaByDay: [Int: Int] = [:]
        for interval in occupancy {
            deltaByDay[interval.from.dayNumber, default: 0] += 1
            if let until = interval.until { deltaByDay[until.dayNumber, default: 0] -= 1 }
        }
        var currentQuota: Int? = nil
        var currentOccupied = 0
        var block = Block()
        for day in Set(quotaByDay.keys).union(deltaByDay.keys).sorted() {
            if let value = quotaByDay[day] { currentQuota = value }
            currentOccupied += deltaByDay[day] ?? 0
            block.days.append(day)
            block.approved.append(currentQuota)
            block.occupied.append(currentOccupied)
            if block.days.count == Self.blockSize {
                block.recomputeMinimum()
                blocks.append(block)
                block = Block()
            }
        }
        if !block.days.isEmpty {
            block.recomputeMinimum()
            blocks.append(block)
        }
    }

    /// The last change point on or before `day`, as (block, index), or nil when `day` precedes them all.
    private func governing(_ day: Int) -> (block: Int, index: Int)? {
        var low = 0
        var high = blocks.count
        while low < high {
            let mid = (low + high) / 2
            if blocks[mid].days[0] <= day { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let days = blocks[low - 1].days
        var lowIndex = 0
        var highIndex = days.count
        while lowIndex < highIndex {
            let mid = (lowIndex + highIndex) / 2
            if days[mid] <= day { lowIndex = mid + 1 } else { highIndex = mid }
        }
        return (low - 1, lowIndex - 1)
    }

    /// Whether one more occupant from `date` on fits, and if not, the first date it would not.
    public func refusalForAdding(from date: CivilDate) -> Refusal? {
        firstBreach(adding: date)?.refusal
    }

    /// The first breach if one more occupant holds a slot from `date` on: `firstBreach` of a
    /// single open span with nothing before, without building the lists (every row of a bulk
    /// import asks it).
    public func firstBreach(adding date: CivilDate) -> Breach? {
        var start = date.dayNumber
        if limitsOnlyOnceEstablished {
            guard let first = firstQuotaDay else { return nil }
            start = max(start, first)
        }
        return firstShortfall(from: start, of: 1)
    }

    /// The first date from `start` on where replacing one person's occupancy `before` by `after`
    /// raises the occupancy above the approved number (or where no quota is in force). The
    /// timeline holds everyone else. A unit already over its quota (after a cut) is no breach by
    /// itself; making it worse is.
    public func firstBreach(before: [Span], after: [Span], from start: CivilDate) -> Breach? {
        var start = start.dayNumber
        if limitsOnlyOnceEstablished {
            guard let first = firstQuotaDay else { return nil }
            start = max(start, first)
        }
        // The change as step functions: how many slots the person takes from each day after it,
        // and how many more than before it.
        var steps: [(day: Int, after: Int, before: Int)] = []
        for span in after {
            steps.append((span.from.dayNumber, 1, 0))
            if let until = span.until { steps.append((until.dayNumber, -1, 0)) }
        }
        for span in before {
            steps.append((span.from.dayNumber, 0, 1))
            if let until = span.until { steps.append((until.dayNumber, 0, -1)) }
        }
        steps.sort { $0.day < $1.day }
        var taken = 0
        var held = 0
        var index = 0
        while index < steps.count {
            let day = steps[index].day
            while index < steps.count, steps[index].day == day {
                taken += steps[index].after
                held += steps[index].before
                index += 1
            }
            let end = index < steps.count ? steps[index].day : Int.max
            let from = max(day, start)
            guard taken > held, from < end else { continue }
            if let breach = firstShortfall(from: from, until: end, of: taken) { return breach }
        }
        return nil
    }

    /// The first day in `[from, until)` with fewer than `wanted` free slots.
    private func firstShortfall(from: Int, until: Int = Int.max, of wanted: Int) -> Breach? {
        guard let start = governing(from) else {
            return Breach(date: CivilDate(dayNumber: from), approved: nil, occupied: wanted)
        }
        for blockIndex in start.block..<blocks.count {
            let block = blocks[blockIndex]
            let first = blockIndex == start.block ? start.index : 0
            // Whole blocks with room everywhere are skipped without looking inside.
            if first == 0, block.days[block.days.count - 1] < until, block.minimumSlack - block.pending >= wanted {
                continue
            }
            for index in first..<block.days.count {
                let governingPoint = blockIndex == start.block && index == start.index
                let day = governingPoint ? from : block.days[index]
                if day >= until { return nil }
                // Once established, a quota stays in force (a cut is a new, smaller number).
                let approved = block.approved[index]
                let taken = block.occupied[index] + block.pending
                if (approved ?? 0) - taken < wanted {
                    return Breach(date: CivilDate(dayNumber: day), approved: approved, occupied: taken + wanted)
                }
            }
        }
        return nil
    }

    /// Records one more occupant from `date` on (after `refusalForAdding` said yes).
    public mutating func add(from date: CivilDate) {
        shift(from: date.dayNumber, by: 1)
    }

    /// Records that one person's occupancy `before` became `after` (after `firstBreach` found
    /// no breach).
    public mutating func replace(_ before: [Span], with after: [Span]) {
        for span in after {
            shift(from: span.from.dayNumber, by: 1)
            if let until = span.until { shift(from: until.dayNumber, by: -1) }
        }
        for span in before {
            shift(from: span.from.dayNumber, by: -1)
            if let until = span.until { shift(from: until.dayNumber, by: 1) }
        }
    }

    /// Adds `amount` occupants from `day` on.
    private mutating func shift(from day: Int, by amount: Int) {
        var blockIndex: Int
        var index: Int
        if let found = governing(day) {
            blockIndex = found.block
            blocks[blockIndex].settle()
            if blocks[blockIndex].days[found.index] == day {
                index = found.index
            } else {
                index = found.index + 1
                let previous = found.index
                blocks[blockIndex].days.insert(day, at: index)
                blocks[blockIndex].approved.insert(blocks[blockIndex].approved[previous], at: index)
                blocks[blockIndex].occupied.insert(blocks[blockIndex].occupied[previous], at: index)
            }
        } else {
            if blocks.isEmpty { blocks.append(Block()) }
            blockIndex = 0
            index = 0
            blocks[0].settle()
            blocks[0].days.insert(day, at: 0)
            blocks[0].approved.insert(nil, at: 0)
            blocks[0].occupied.insert(0, at: 0)
        }
        for position in index..<blocks[blockIndex].occupied.count { blocks[blockIndex].occupied[position] += amount }
        blocks[blockIndex].recomputeMinimum()
        for later in (blockIndex + 1)..<blocks.count { blocks[later].pending += amount }
        if blocks[blockIndex].days.count >= 2 * Self.blockSize { split(blockIndex) }
    }

    private mutating func split(_ blockIndex: Int) {
        var left = blocks[blockIndex]
        let half = left.days.count / 2
        var right = Block()
        right.days = Array(left.days[half...])
        right.approved = Array(left.approved[half...])
        right.occupied = Array(left.occupied[half...])
        left.days.removeSubrange(half...)
        left.approved.removeSubrange(half...)
        left.occupied.removeSubrange(half...)
        left.recomputeMinimum()
        right.recomputeMinimum()
        blocks[blockIndex] = left
        blocks.insert(right, at: blockIndex + 1)
    }

    /// Approved and occupied slots as of `date` (approved nil when none was established).
    public func state(on date: CivilDate) -> (approved: Int?, occupied: Int) {
        guard let found = governing(date.dayNumber) else { return (nil, 0) }
        let block = blocks[found.block]
        return (block.approved[found.index], block.occupied[found.index] + block.pending)
    }
}
