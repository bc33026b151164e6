/// 年度考核结果: one person's final grade for one calendar year, as the promotion rules read it.
/// Grades waiting for an approver are not rules' input: only final grades count.
public struct Assessment: Sendable, Hashable {
    /// The year assessed.
    public var year: Int
    public var grade: AssessmentGrade
    /// Why no grade was set (不定等次), or any note given with the grade.
    public var reason: String?
    /// The day the grade was decided and notified: an 优秀 shortens the wait from this day on.
    public var decidedOn: CivilDate

    public init(year: Int, grade: AssessmentGrade, reason: String? = nil, decidedOn: CivilDate) {
        self.year = year
        self.grade = grade
        self.reason = reason
        self.decidedOn = decidedOn
    }
}

/// 处分: a disciplinary sanction on a person's file and its period (影响期), during which the
/// person may not be promoted. The period's length is policy data (`PromotionPolicy.sanctionMonths`).
public struct Sanction: Sendable, Hashable {
    public var id: Int64
    public var kind: SanctionKind
    /// The day the sanction took effect.
    public var on: CivilDate
    /// The day it was lifted early (解除), if it was.
    public var liftedOn: CivilDate?

    public init(id: Int64, kind: SanctionKind, on: CivilDate, liftedOn: CivilDate? = nil) {
        self.id = id
        self.kind = kind
        self.on = on
        self.liftedOn = liftedOn
    }

    /// The first day after the period: `months` after `on`, or the day it was lifted if earlier.
    public func ends(months: Int) -> CivilDate {
        let end = on.adding(months: months)
        guard let liftedOn else { return end }
        return min(end, liftedOn)
    }
}

extension Assessment {
    /// What a sanction given in `year` allows that year's grade to be (《公务员考核规定》2020
    /// §29): after a 警告 the year cannot be 优秀; after a 记过 or heavier, no grade is set
    /// (不定等次). A sentence saying why `grade` is refused, or nil when it is allowed.
    public static func sanctionRefusal(grade: AssessmentGrade, year: Int, sanctions: [Sanction]) -> String? {
        let given = sanctions.filter { $0.on.year == year }
        if grade != .undetermined, let heavy = given.first(where: { $0.kind > .warning }) {
            return "a \(heavy.kind.chineseName) was given on \(heavy.on): the year \(year) is not graded "
                + "(不定等次) under the assessment rules"
        }
        if grade == .excellent, let warning = given.first(where: { $0.kind == .warning }) {
            return "a 警告 was given on \(warning.on): the year \(year) cannot be graded 优秀"
        }
        return nil
    }
}
