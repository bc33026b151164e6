/// Derives a person's placements from their timeline of approved actions: the one place where
/// the meaning of each action kind is written down. Every question "as of a date" is answered
/// from what this produces, and every new, back-dated, corrected or cancelled action is accepted
/// only if the whole timeline still folds under the status machine.
public enum TimelineFold {
    /// An action as recorded: what it states (fields it does not concern are ignored).
    public struct Action: Sendable, Hashable {
        public var id: Int64
        public var kind: ActionKind
        public var effectiveOn: CivilDate
        public var org: Int64?
        public var category: EstablishmentCategory?
        public var rank: Rank?
        public var post: LeadershipPost?
        /// The status stated with a hire (试用 or 在职); otherwise ignored.
        public var status: PersonStatus?
        /// For a correction or cancellation: the action it amends.
        public var target: Int64?

        public init(
            id: Int64,
            kind: ActionKind,
            effectiveOn: CivilDate,
            org: Int64? = nil,
            category: EstablishmentCategory? = nil,
            rank: Rank? = nil,
            post: LeadershipPost? = nil,
            status: PersonStatus? = nil,
            target: Int64? = nil
        ) {
            self.id = id
            self.kind = kind
            self.effectiveOn = effectiveOn
            self.org = org
            self.category = category
            self.rank = rank
            self.post = post
            self.status = status
            self.target = target
        }
    }

    /// Where the person stands from `from` until `until` (exclusive; nil: still).
    public struct Interval: Sendable, Hashable {
        public var actionID: Int64
        public var org: Int64
        public var category: EstablishmentCategory
        public var rank: Rank?
        public var post: LeadershipPost?
        public var status: PersonStatus
        public var from: CivilDate
        public var until: CivilDate?

        public init(
            actionID: Int64,
            org: Int64,
            category: EstablishmentCategory,
            rank: Rank?,
            post: LeadershipPost?,
            status: PersonStatus,
            from: CivilDate,
            until: CivilDate?
        ) {
            self.actionID = actionID
            self.org = org
            self.category = category
            self.rank = rank
            self.post = post
            self.status = status
            self.from = from
            self.until = until
        }
    }

    /// Why a timeline does not fold.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var actionID: Int64
        public var date: CivilDate
        public var reason: String
        /// The same reason in Simplified Chinese, for the admin pages.
        public var chineseReason: String

        public var description: String { "On \(date): \(reason)" }

        /// The same sentence in Simplified Chinese.
        public var chineseDescription: String { "\(date)：\(chineseReason)" }
    }

    /// The actions in force, in order: cancelled ones dropped, corrected ones replaced by their
    /// latest correction (which keeps the original's kind and position in the history), changes
    /// of personal details left out (they place nobody).
    public static func effective(_ actions: [Action]) -> [Action] {
        // A first action alone (a new hire) is in force as it is.
        if actions.count == 1, actions[0].kind.isDecidedByStatusMachine { return actions }
        var cancelled: Set<Int64> = []
        var corrections: [Int64: Action] = [:]
        for action in actions.sorted(by: { $0.id < $1.id }) {
            guard let target = action.target else { continue }
            switch action.kind {
            case .cancel: cancelled.insert(target)
            case .correct: corrections[target] = action
            default: break
            }
        }
        var result: [Action] = []
        // Changes of personal details place nobody: the fold passes them by.
        for action in actions where action.kind.isDecidedByStatusMachine && !cancelled.contains(action.id) {
            if var correction = corrections[action.id] {
                correction.kind = action.kind
                correction.id = action.id
                correction.target = nil
                result.append(correction)
            } else {
                result.append(action)
            }
        }
        return result.sorted { ($0.effectiveOn, $0.id) < ($1.effectiveOn, $1.id) }
    }

    /// Folds the timeline into placement intervals, or says which action breaks it.
    ///
    /// - Parameters:
    ///   - machine: the status machine, asked at each action's date.
    ///   - ladder: the rank ladder, asked at each action's date: a rank an action states must be
    ///     on it, and a promotion or demotion moves one step along it.
    public static func fold(
        _ actions: [Action],
        machine: StatusMachine,
        ladder: Dated<RankLadder>
    ) throws(Refusal) -> [Interval] {
        var intervals: [Interval] = []
        for action in effective(actions) {
            let current = intervals.last
            func refuse(_ reason: String, zh chineseReason: String) -> Refusal {
                Refusal(actionID: action.id, date: action.effectiveOn, reason: reason, chineseReason: chineseReason)
            }
            // The rules in force on the action's date, not today's.
            let machine = machine.at(action.effectiveOn)
            let ladder = ladder.at(action.effectiveOn)
            if let rank = action.rank, !ladder.contains(rank) {
                throw refuse(
                    "the rank ladder in force on \(action.effectiveOn) has no rank '\(rank.code)'.",
                    zh: "\(action.effectiveOn) 施行的职级序列中没有职级“\(rank.code)”。"
                )
            }
            let status: PersonStatus
            do {
                status = try machine.status(after: action.kind, from: current?.status, given: action.status)
            } catch {
                throw refuse(error.description, zh: error.chineseDescription)
            }
            guard let rule = machine.rules[action.kind] else {
                throw refuse("\(action.kind.rawValue) has no rule", zh: "\(action.kind.chineseName)没有适用的规则。")
            }
            var next: Interval
            if rule.needs.contains(.org) {
                guard let org = action.org, let category = action.category else {
                    throw refuse(
                        "\(action.kind.chineseName) must name an organisation and an establishment category.",
                        zh: "\(action.kind.chineseName)须写明机构和编制类别。"
                    )
                }
                next = Interval(
                    actionID: action.id,
                    org: org,
                    category: category,
                    // A transfer keeps the rank the person holds on its date unless it states one.
                    rank: action.rank ?? (action.kind == .transferIn ? current?.rank : nil),
                    post: action.post,
                    status: status,
                    from: action.effectiveOn,
                    until: nil
                )
            } else {
                guard let current else {
                    throw refuse(
                        "\(action.kind.chineseName) needs an earlier placement.",
                        zh: "\(action.kind.chineseName)须以此前已有的安置为前提。"
                    )
                }
                next = current
                next.actionID = action.id
                next.status = status
                next.from = action.effectiveOn
                next.until = nil
                if action.kind == .promote || action.kind == .demote, let held = current.rank, !ladder.contains(held) {
                    throw refuse(
                        "the person's rank '\(held.code)' is not on the rank ladder in force on \(action.effectiveOn); "
                            + "record their rank on that ladder first (a correction).",
                        zh: "该人员的职级“\(held.code)”不在 \(action.effectiveOn) 施行的职级序列中；请先以更正记录其在该序列中的职级。"
                    )
                }
                switch action.kind {
                case .reassign:
                    if let category = action.category { next.category = category }
                    if let post = action.post { next.post = post }
                case .promote:
                    let higher = current.rank.flatMap(ladder.higher(than:))
                    guard let rank = action.rank, rank == higher else {
                        throw refuse(
                            "a promotion goes one step up, from \(current.rank.map(ladder.name(of:)) ?? "no rank") to "
                                + "\(higher.map(ladder.name(of:)) ?? "nothing higher").",
                            zh: "晋升只能逐级进行：从\(current.rank.map(ladder.name(of:)) ?? "无职级")晋升至"
                                + "\(higher.map(ladder.name(of:)) ?? "（已无更高职级）")。"
                        )
                    }
                    next.rank = rank
                case .demote:
                    let lower = current.rank.flatMap(ladder.lower(than:))
                    guard let rank = action.rank, rank == lower else {
                        throw refuse(
                            "a demotion goes one step down, from \(current.rank.map(ladder.name(of:)) ?? "no rank") to "
                                + "\(lower.map(ladder.name(of:)) ?? "nothing lower").",
                            zh: "降级只能逐级进行：从\(current.rank.map(ladder.name(of:)) ?? "无职级")降至"
                                + "\(lower.map(ladder.name(of:)) ?? "（已无更低职级）")。"
                        )
                    }
                    next.rank = rank
                case .appoint:
                    guard let post = action.post else {
                        throw refuse("任职 must name a leadership post.", zh: "任职须写明领导职务。")
                    }
                    next.post = post
                case .remove:
                    guard current.post != nil else {
                        throw refuse("the person holds no leadership post to leave.", zh: "该人员没有可免去的领导职务。")
                    }
                    next.post = nil
                default:
                    break
                }
                // Leaving frees the leadership post as well as the slot.
                if !status.occupiesSlot { next.post = nil }
            }
            if !intervals.isEmpty {
                guard action.effectiveOn >= intervals[intervals.count - 1].from else {
                    throw refuse("it comes before the action it follows.", zh: "其生效日期早于前一项人事行为。")
                }
                intervals[intervals.count - 1].until = action.effectiveOn
            }
            intervals.append(next)
        }
        return intervals
    }
}
