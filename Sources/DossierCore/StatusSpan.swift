/// A stretch of a person's record: the status and organisation they held from one day until
/// another (exclusive; nil: still in force). The reconciliation rules read these, never the
/// tables they come from.
public struct StatusSpan: Sendable, Hashable {
    public var status: PersonStatus
    /// The organisation's stored id.
    public var orgID: Int64
    public var from: CivilDate
    /// The first day it no longer holds; nil while it still does.
    public var until: CivilDate?
    /// The action that began it.
    public var actionID: Int64

    public init(status: PersonStatus, orgID: Int64, from: CivilDate, until: CivilDate?, actionID: Int64) {
        self.status = status
        self.orgID = orgID
        self.from = from
        self.until = until
        self.actionID = actionID
    }

    /// Whether the span holds on `date`.
    public func holds(on date: CivilDate) -> Bool { from <= date && (until.map { date < $0 } ?? true) }

    /// Whether the span holds on any day of `from...through`.
    public func overlaps(_ from: CivilDate, through: CivilDate) -> Bool {
        self.from <= through && (until.map { from < $0 } ?? true)
    }
}

extension Array where Element == StatusSpan {
    /// The span in force on `date`, if any.
    public func inForce(on date: CivilDate) -> StatusSpan? { last { $0.holds(on: date) } }

    /// The day the status in force on `date` began: the start of the unbroken run of spans with
    /// that status that reaches `date` (a rank change on unpaid leave does not restart it).
    public func statusStart(on date: CivilDate) -> CivilDate? {
        let ordered = sorted { $0.from < $1.from }
        guard var index = ordered.lastIndex(where: { $0.holds(on: date) }) else { return nil }
        let status = ordered[index].status
        while index > 0, ordered[index - 1].status == status, ordered[index - 1].until == ordered[index].from {
            index -= 1
        }
        return ordered[index].from
    }
}

/// `inactive-holds-slot` and `paid-not-in-post`: the reconciliation rules read from the record
/// (and the payroll) alone. Pure, so each can be checked and explained on its own.
public enum RecordRules {
    /// The statuses in which a person is at work and paid: 试用, 在职, and 待离职 (working out the
    /// exit). 停薪留职 is unpaid by definition, 自离 is not at work.
    public static let paidStatuses: Set<PersonStatus> = [.probation, .active, .leaving]

    /// A status that keeps a slot without work, held longer than the policy allows on `date`:
    /// the status, the day it began and how many days it has lasted; nil when none.
    public static func inactiveTooLong(
        _ spans: [StatusSpan],
        on date: CivilDate,
        limits: [PersonStatus: Int]
    ) -> (status: PersonStatus, since: CivilDate, days: Int)? {
        guard let current = spans.inForce(on: date), let limit = limits[current.status],
            let since = spans.statusStart(on: date)
        else { return nil }
        let days = date.dayNumber - since.dayNumber
        return days > limit ? (current.status, since, days) : nil
    }

    /// Whether salary paid for the month starting `month` was paid to someone who held no post
    /// here on any day of it (no span in a paid status, at one of `organizations`, overlaps it).
    public static func paidWithoutPost(
        month: CivilDate,
        spans: [StatusSpan],
        organizations: Set<Int64>
    ) -> Bool {
        let first = CivilDate(year: month.year, month: month.month, day: 1)!
        let last = first.adding(months: 1).adding(days: -1)
        return !spans.contains {
            paidStatuses.contains($0.status) && organizations.contains($0.orgID) && $0.overlaps(first, through: last)
        }
    }
}
