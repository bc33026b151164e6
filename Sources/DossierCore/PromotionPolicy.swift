/// 职务与职级并行 (2019): the rules a civil servant's promotion to the next rank is judged by —
/// the minimum time in the rank below, which leadership posts count as which rank, how
/// assessment grades and sanctions lengthen or shorten the wait — as figures read from the
/// policy file (`civil-service-ranks-2019.yaml`), never written into code. Meeting them makes a
/// person eligible, never entitled: rank quotas are a separate gate.
public struct PromotionPolicy: Sendable, Hashable {
    /// One step of the ladder: the months a person must have spent in `from` before promotion
    /// to `to`.
    public struct Step: Sendable, Hashable {
        public var to: Rank
        public var from: Rank
        public var months: Int

        public init(to: Rank, from: Rank, months: Int) {
            self.to = to
            self.from = from
            self.months = months
        }
    }

    /// One step for each rank that can be promoted from, keyed by that rank.
    public var steps: [Rank: Step]
    /// 领导职务对应职级: the rank a leadership post counts as, for time served (县处级副职 counts
    /// as 四级调研员).
    public var postCountsAs: [LeadershipPost: Rank]
    /// How much each 优秀 for a year spent wholly in the current rank shortens the wait.
    public var excellentMonths: Int
    /// Grades whose year's months in the rank do not count (基本称职, 不称职, 不定等次).
    public var uncountedGrades: Set<AssessmentGrade>
    /// 处分影响期: months during which a sanction bars promotion.
    public var sanctionMonths: [SanctionKind: Int]
    /// What approving a promotion for someone not eligible on its date does.
    public var enforcement: Enforcement
    /// The assessment rules of the civil-service scale.
    public var assessment: AssessmentPolicy

    public init(
        steps: [Rank: Step],
        postCountsAs: [LeadershipPost: Rank],
        excellentMonths: Int,
        uncountedGrades: Set<AssessmentGrade>,
        sanctionMonths: [SanctionKind: Int],
        enforcement: Enforcement,
        assessment: AssessmentPolicy
    ) {
        self.steps = steps
        self.postCountsAs = postCountsAs
        self.excellentMonths = excellentMonths
        self.uncountedGrades = uncountedGrades
        self.sanctionMonths = sanctionMonths
        self.enforcement = enforcement
        self.assessment = assessment
    }

    /// The months a sanction of `kind` bars promotion (0 if the policy names none).
    public func months(of kind: SanctionKind) -> Int { sanctionMonths[kind] ?? 0 }
}
