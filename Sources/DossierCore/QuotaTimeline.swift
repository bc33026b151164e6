/// The slack of one quota over time: approved slots minus occupied slots, as a step function of
/// the date, for one organisation and one establishment category (编制) or one leadership post
/// level (领导职数).
///
/// Hiring someone from a date occupies a slot from that date on, so a hire is allowed only if, at
/// that date and at every later date where the quota or the occupancy changes, at least one slot is
/// free. The same check serves a single hire, a back-dated hire, and every row of a bulk import
/// (which adds its accepted rows to the timeline as it goes, so each row is checked counting the
/// rows before it).
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
        let day = date.dayNumber
        guard let start = governing(day), blocks[start.block].approved[start.index] != nil else {
            return .notEstablished(on: date)
        }
        for blockIndex in start.block..<blocks.count {
            let block = blocks[blockIndex]
            let first = blockIndex == start.block ? start.index : 0
            // Whole blocks with room everywhere are skipped without looking inside.
            if first == 0, block.minimumSlack - block.pending >= 1 { continue }
            for index in first..<block.days.count {
                // Once established, a quota stays in force (a cut is a new, smaller number).
                let limit = block.approved[index] ?? 0
                let taken = block.occupied[index] + block.pending
                if taken + 1 > limit {
                    let when =
                        blockIndex == start.block && index == start.index
                        ? date : CivilDate(dayNumber: block.days[index])
                    return .noVacancy(on: when, approved: limit, occupied: taken)
                }
            }
        }
        return nil
    }

    /// Records one more occupant from `date` on (after `refusalForAdding` said yes).
    public mutating func add(from date: CivilDate) {
        let day = date.dayNumber
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
        for position in index..<blocks[blockIndex].occupied.count { blocks[blockIndex].occupied[position] += 1 }
        blocks[blockIndex].recomputeMinimum()
        for later in (blockIndex + 1)..<blocks.count { blocks[later].pending += 1 }
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
