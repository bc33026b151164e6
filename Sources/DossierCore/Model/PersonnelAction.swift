/// 人事行为: the kinds of personnel action on a person's timeline.
///
/// Which kind may follow which status is not decided here but by the status machine, read from
/// `Policies/status-machine.yaml` (see `StatusMachine`).
public enum ActionKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// 录用
    case hire
    /// 再入职: a hire of someone already on file whose last placement ended.
    case rehire
    /// 转正: end of probation.
    case confirm
    /// 调入
    case transferIn = "transfer-in"
    /// 调出
    case transferOut = "transfer-out"
    /// 转岗: another post or establishment category in the same organisation.
    case reassign
    /// 职级晋升: one step up the rank ladder.
    case promote
    /// 职级降低: one step down.
    case demote
    /// 任职: appointment to a leadership post.
    case appoint
    /// 免职: removal from a leadership post.
    case remove
    /// 停薪留职
    case unpaidLeave = "unpaid-leave"
    /// 复职: return from unpaid leave.
    case returnFromLeave = "return"
    /// 自离: absent without leave (a status: the slot stays taken until dismissal).
    case awol
    /// 提出离职: exit in progress (待离职).
    case giveNotice = "give-notice"
    /// 辞职
    case resign
    /// 辞退
    case dismiss
    /// 开除
    case expel
    /// 退休
    case retire
    /// 更正: replaces the details of an earlier action, which stays visible, marked.
    case correct
    /// 撤销: cancels an earlier action, which stays visible, marked.
    case cancel
    /// 信息变更: a change of personal details (name, ethnicity, education, political status,
    /// phone) from its effective date, e.g. joining the Party or earning a degree.
    case changeDetails = "change-details"
    /// 信息更正: a correction of personal details filed in error; it takes effect from the
    /// filing date, as if the details had been filed right.
    case correctDetails = "correct-details"

    /// The Chinese name used on screens and in reports.
    public var chineseName: String {
        switch self {
        case .hire: return "录用"
        case .rehire: return "再入职"
        case .confirm: return "转正"
        case .transferIn: return "调入"
        case .transferOut: return "调出"
        case .reassign: return "转岗"
        case .promote: return "职级晋升"
        case .demote: return "职级降低"
        case .appoint: return "任职"
        case .remove: return "免职"
        case .unpaidLeave: return "停薪留职"
        case .returnFromLeave: return "复职"
        case .awol: return "自离"
        case .giveNotice: return "提出离职"
        case .resign: return "辞职"
        case .dismiss: return "辞退"
        case .expel: return "开除"
        case .retire: return "退休"
        case .correct: return "更正"
        case .cancel: return "撤销"
        case .changeDetails: return "信息变更"
        case .correctDetails: return "信息更正"
        }
    }

    /// Correction and cancellation change an earlier action instead of the status.
    public var amendsEarlierAction: Bool { self == .correct || self == .cancel }

    /// A change or correction of personal details: on the timeline, approved like any action,
    /// but it places nobody (the fold and the status machine pass it by).
    public var changesDetails: Bool { self == .changeDetails || self == .correctDetails }

    /// The kinds the status machine has a rule for: all but amendments and details.
    public var isDecidedByStatusMachine: Bool { !amendsEarlierAction && !changesDetails }

    /// The status an exit leaves the person in; nil for actions that are not exits.
    public var exitStatus: PersonStatus? {
        switch self {
        case .transferOut: return .transferredOut
        case .resign: return .resigned
        case .retire: return .retired
        case .dismiss: return .dismissed
        case .expel: return .expelled
        default: return nil
        }
    }

    /// The exits offered by `person exit`.
    public static let exits: [ActionKind] = [.transferOut, .resign, .retire, .dismiss, .expel]

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
public struct TimelineEntry: Sendable, Hashable {
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
    /// For a correction or cancellation: the action it amends.
    public var targetActionID: Int64?
    /// The latest cancellation or correction of this action, if any: the action stays on the
    /// timeline, marked, and no longer counts (cancelled) or counts as corrected.
    public var amendedBy: Int64?
    /// Whether it was cancelled (撤销) or corrected (更正), when `amendedBy` is set.
    public var amendment: ActionKind?
    /// For a change or correction of personal details: the details it states (the row's
    /// placement is then where the person stood on its date).
    public var details: DetailsChange?

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
        recordedAt: String,
        targetActionID: Int64? = nil,
        amendedBy: Int64? = nil,
        amendment: ActionKind? = nil,
        details: DetailsChange? = nil
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
        self.targetActionID = targetActionID
        self.amendedBy = amendedBy
        self.amendment = amendment
        self.details = details
    }
}
