/// Employment status of a person (人员状态).
public enum PersonStatus: CodedValue {
    /// 试用: on probation.
    case probation
    /// 在职: serving.
    case active
    /// 停薪留职: on unpaid leave, keeping the post.
    case unpaidLeave
    /// 自离: absent without leave, not yet formally removed.
    case awol
    /// 待离职: leaving, paperwork in progress.
    case leaving
    /// 调出: transferred out.
    case transferredOut
    /// 辞职: resigned.
    case resigned
    /// 辞退: dismissed.
    case dismissed
    /// 开除: expelled.
    case expelled
    /// 退休: retired.
    case retired

    /// Dossier's code, e.g. "unpaid-leave".
    public var code: String {
        switch self {
        case .probation: "probation"
        case .active: "active"
        case .unpaidLeave: "unpaid-leave"
        case .awol: "awol"
        case .leaving: "leaving"
        case .transferredOut: "transferred-out"
        case .resigned: "resigned"
        case .dismissed: "dismissed"
        case .expelled: "expelled"
        case .retired: "retired"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .probation: "试用"
        case .active: "在职"
        case .unpaidLeave: "停薪留职"
        case .awol: "自离"
        case .leaving: "待离职"
        case .transferredOut: "调出"
        case .resigned: "辞职"
        case .dismissed: "辞退"
        case .expelled: "开除"
        case .retired: "退休"
        }
    }

    /// Whether the person still holds an establishment slot (占编): everyone who has not formally left,
    /// including people on unpaid leave, absent without leave or with leaving paperwork in progress.
    public var occupiesSlot: Bool {
        !isExit
    }

    /// Whether this status ends service in the unit: transferred out, resigned, dismissed, expelled or retired.
    public var isExit: Bool {
        switch self {
        case .probation, .active, .unpaidLeave, .awol, .leaving: false
        case .transferredOut, .resigned, .dismissed, .expelled, .retired: true
        }
    }

    /// "person status".
    public static let tableName = "person status"

    /// Codes and names.
    public static let byCodeOrName: [String: PersonStatus] = makeLookup()
}
