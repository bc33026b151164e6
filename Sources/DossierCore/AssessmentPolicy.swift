/// 考核规则: what one assessment scale allows and what its grades lead to. Read from the
/// civil-service and public-institution policy files (one per scale), dated like every policy.
public struct AssessmentPolicy: Sendable, Hashable {
    /// Which grades the policy is for.
    public var scale: AssessmentScale
    /// 优秀比例: the share of 优秀 among those assessed, per organisation and year, above which
    /// recording one more 优秀 is warned about, and above which it is refused (percent, rounded
    /// down: 20 % of 11 people is 2).
    public var excellentWarnPercent: Int
    public var excellentRefusePercent: Int
    /// How many failing grades (不称职, 不合格) in consecutive years open a case for dismissal or
    /// termination (辞退, 解聘); nil where the policy opens none.
    public var consecutiveFailuresForCase: Int?
    /// Whether a final failing grade drafts a demotion by one rank (公务员法 §50).
    public var failureDraftsDemotion: Bool

    public init(
        scale: AssessmentScale,
        excellentWarnPercent: Int,
        excellentRefusePercent: Int,
        consecutiveFailuresForCase: Int?,
        failureDraftsDemotion: Bool
    ) {
        self.scale = scale
        self.excellentWarnPercent = excellentWarnPercent
        self.excellentRefusePercent = excellentRefusePercent
        self.consecutiveFailuresForCase = consecutiveFailuresForCase
        self.failureDraftsDemotion = failureDraftsDemotion
    }

    /// The most 优秀 grades `assessed` people may hold at `percent`, rounded down.
    public static func excellentAllowed(assessed: Int, percent: Int) -> Int {
        assessed * percent / 100
    }

    /// What the 优秀 share says about an organisation and year with `excellent` such grades among
    /// `assessed` people: nil when within the warning share, else the sentence naming the numbers
    /// and whether it is a refusal.
    public func excellentShareBreach(excellent: Int, assessed: Int) -> (enforcement: Enforcement, reason: String)? {
        let refuseAt = Self.excellentAllowed(assessed: assessed, percent: excellentRefusePercent)
        let warnAt = Self.excellentAllowed(assessed: assessed, percent: excellentWarnPercent)
        if excellent > refuseAt {
            return (
                .refuse,
                "\(excellent) 优秀 among \(assessed) assessed is more than \(excellentRefusePercent) % allows "
                    + "(\(refuseAt), rounded down)"
            )
        }
        if excellent > warnAt {
            return (
                .warn,
                "\(excellent) 优秀 among \(assessed) assessed is more than the usual \(excellentWarnPercent) % "
                    + "(\(warnAt), rounded down); at most \(refuseAt) are allowed"
            )
        }
        return nil
    }
}
