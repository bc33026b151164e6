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
    /// The fields the action itself stated.
    public var stated: StatedFields

    /// The fields its row shows a value for: what an action that states everything it shows
    /// (a hire, say) states. Such an action is stored without a list (see `storedStated`).
    public var shown: StatedFields {
        var fields: StatedFields = [.org, .category, .status]
        if rank != nil { fields.insert(.rank) }
        if post != nil { fields.insert(.post) }
        return fields
    }

    /// The stated fields as stored: nil when they are exactly the fields the row shows (most
    /// actions, and every hire of a bulk import, write no list), else the set.
    public var storedStated: StatedFields? { stated == shown ? nil : stated }

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
        stated: StatedFields
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
        self.init(action, of: personID, leadingTo: result)
    }

    /// The record of `action` of `personID`, which leads to the placement `result` (for an
    /// amendment: its target's placement, as amended).
    public init(_ action: TimelineFold.Action, of personID: Int64, leadingTo result: TimelineFold.Interval) {
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

/// The fields an action states, as a set: what the fold reads of it (the rest of its row shows
/// the placement it led to). Stored as its canonical text, the names in this order joined by
/// commas (`org,category,rank,status`).
public struct StatedFields: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8

    public init(rawValue: UInt8) { self.rawValue = rawValue & 0b1_1111 }

    public static let org = StatedFields(rawValue: 1 << 0)
    public static let category = StatedFields(rawValue: 1 << 1)
    public static let rank = StatedFields(rawValue: 1 << 2)
    public static let post = StatedFields(rawValue: 1 << 3)
    public static let status = StatedFields(rawValue: 1 << 4)

    /// Each field with its name, in the canonical order.
    private static let named: [(StatedFields, String)] = [
        (.org, "org"), (.category, "category"), (.rank, "rank"), (.post, "post"), (.status, "status"),
    ]

    /// The canonical text of every set, computed once (a bulk import writes one per row).
    private static let texts: [String] = (0..<32).map { bits in
        named.filter { bits & Int($0.0.rawValue) != 0 }.map(\.1).joined(separator: ",")
    }

    /// The canonical text: the names of the fields in the set, in order, joined by commas.
    public var text: String { Self.texts[Int(rawValue)] }

    /// Reads the canonical text (or any order of the same names); nil for an unknown name.
    public init?(text: String) {
        var fields: StatedFields = []
        for name in text.split(separator: ",") {
            guard let field = Self.named.first(where: { $0.1 == name })?.0 else { return nil }
            fields.insert(field)
        }
        self = fields
    }
}

extension TimelineFold.Action {
    /// The fields the action states.
    public var statedFields: StatedFields {
        var fields: StatedFields = []
        if org != nil { fields.insert(.org) }
        if category != nil { fields.insert(.category) }
        if rank != nil { fields.insert(.rank) }
        if post != nil { fields.insert(.post) }
        if status != nil { fields.insert(.status) }
        return fields
    }
}
