/// Where a node's "today" comes from: the system's calendar in local time, or a fixed date.
///
/// One value is given to the service, which asks it wherever a rule needs today (the default
/// date of a look-up, where a person belongs, an identity number's birth date not being in the
/// future) and binds the answer into queries as a parameter. A node run on a fixed date answers
/// the same on any real day, which is what scripts replaying a past day and tests need.
public struct DayClock: Sendable, Hashable {
    private let fixed: CivilDate?

    private init(fixed: CivilDate?) {
        self.fixed = fixed
    }

    /// Today in the process's local time zone.
    public static let system = DayClock(fixed: nil)

    /// Always `date`.
    public static func fixed(_ date: CivilDate) -> DayClock { DayClock(fixed: date) }

    /// The date it is today by this clock.
    public func today() -> CivilDate { fixed ?? CivilDate.today() }
}
