/// A personnel action as it is written to the timeline: what it stated, and the placement it
/// leads to (shown beside it in the history; the fold reads only what was stated). Every action
/// — a hire filed one by one, imported or made for demo data, an approved draft, a rehire, an
/// exit — is recorded through this one shape, so the same hire leaves the same row whichever
/// door it came through.
public struct ActionRecord: Sendable, Hashable {
    public var personID: Int64
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    /// The placement the action leads to (for an amendment: its target's, as amended).
    public var org: Int64
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus
    /// For a correction or cancellation: the action it amends.
    public var target: Int64?
    /// The fields the action itself stated, in the order `TimelineFold.Action.statedFields` lists them.
    public var stated: [String]

    public init(
        personID: Int64,
        kind: ActionKind,
        effectiveOn: CivilDate,
        org: Int64,
        category: EstablishmentCategory,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus,
        target: Int64?,
        stated: [String]
    ) {
        self.personID = personID
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.org = org
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.target = target
        self.stated = stated
    }

    /// The record of `action`, a new action of `personID`, given the placements the whole
    /// timeline folds to with it (`intervals`). nil when the action leads to no placement of its
    /// own: the cancellation of a hire filed in error, which shows the cancelled action's.
    public init?(_ action: TimelineFold.Action, of personID: Int64, in intervals: [TimelineFold.Interval]) {
        guard
            let result = intervals.last(where: { $0.actionID == action.id })
                ?? intervals.last(where: { $0.actionID == action.target }) ?? intervals.last
        else { return nil }
        // A correction shows what it restates; anything else the placement it leads to.
        let correction = action.kind == .correct
        self.init(
            personID: personID,
            kind: action.kind,
            effectiveOn: action.effectiveOn,
            org: correction ? (action.org ?? result.org) : result.org,
            category: (correction ? action.category : nil) ?? result.category,
            rank: correction ? action.rank : result.rank,
            post: correction ? action.post : result.post,
            status: (correction ? action.status : nil) ?? result.status,
            target: action.target,
            stated: action.statedFields
        )
    }
}

extension TimelineFold.Action {
    /// The fields the action states, as the timeline records them (`stated`).
    public var statedFields: [String] {
        [
            ("org", org != nil), ("category", category != nil), ("rank", rank != nil), ("post", post != nil),
            ("status", status != nil),
        ].filter(\.1).map(\.0)
    }
}
