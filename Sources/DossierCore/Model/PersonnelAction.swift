/// 人事行为: the kinds of personnel action on a person's timeline.
///
/// The foundation has the hire and the three exits that free a slot; the full catalogue comes
/// with the lifecycle work and extends this list (and the `action_kind` table) without changing it.
public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 录用
    case hire
    /// 再入职: a hire of someone already on file whose last placement ended.
    case rehire
    /// 调出
    case transferOut = "transfer-out"
    /// 辞职
    case resign
    /// 退休
    case retire

    /// The Chinese name used on screens and in reports.
    public var chineseName: String {
        switch self {
        case .hire: return "录用"
        case .rehire: return "再入职"
        case .transferOut: return "调出"
        case .resign: return "辞职"
        case .retire: return "退休"
        }
    }

    /// The status an exit leaves the person in; nil for actions that are not exits.
    public var exitStatus: PersonStatus? {
        switch self {
        case .transferOut: return .transferredOut
        case .resign: return .resigned
        case .retire: return .retired
        case .hire, .rehire: return nil
        }
    }

    /// The exits available in the foundation.
    public static let exits: [ActionKind] = [.transferOut, .resign, .retire]

    /// Accepts the code or the Chinese name.
    public init?(codeOrName text: String) {
        if let kind = ActionKind(rawValue: text) {
            self = kind
        } else if let kind = ActionKind.allCases.first(where: { $0.chineseName == text }) {
            self = kind
        } else {
            return nil
        }
    }
}

/// One entry of a person's timeline, as recorded (never edited).
public struct TimelineEntry: Sendable, Hashable, Codable {
    public var actionID: Int64
    public var kind: ActionKind
    public var effectiveOn: CivilDate
    public var orgCode: CreditCode
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    /// The status the action leaves the person in.
    public var status: PersonStatus
    public var recordedBy: String
    public var recordedAt: String

    public init(
        actionID: Int64,
        kind: ActionKind,
        effectiveOn: CivilDate,
        orgCode: CreditCode,
        category: EstablishmentCategory,
        rank: Rank?,
        post: LeadershipPost?,
        status: PersonStatus,
        recordedBy: String,
        recordedAt: String
    ) {
        self.actionID = actionID
        self.kind = kind
        self.effectiveOn = effectiveOn
        self.orgCode = orgCode
        self.category = category
        self.rank = rank
        self.post = post
        self.status = status
        self.recordedBy = recordedBy
        self.recordedAt = recordedAt
    }
}
