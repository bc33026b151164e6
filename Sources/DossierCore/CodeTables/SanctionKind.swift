/// 处分: the kinds of disciplinary sanction recorded on a person's file, lightest first. 开除 is
/// not among them: it ends the employment and is the exit action `expel`.
public enum SanctionKind: CodedValue, Comparable {
    /// 警告.
    case warning
    /// 记过.
    case demerit
    /// 记大过.
    case majorDemerit
    /// 降级.
    case demotion
    /// 撤职.
    case removal

    /// Dossier's code, e.g. "warning".
    public var code: String {
        switch self {
        case .warning: "warning"
        case .demerit: "demerit"
        case .majorDemerit: "major-demerit"
        case .demotion: "demotion"
        case .removal: "removal"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .warning: "警告"
        case .demerit: "记过"
        case .majorDemerit: "记大过"
        case .demotion: "降级"
        case .removal: "撤职"
        }
    }

    /// Lightest first, as the law lists them.
    public static func < (lhs: SanctionKind, rhs: SanctionKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// "sanction".
    public static let tableName = "sanction"

    /// Codes and names.
    public static let byCodeOrName: [String: SanctionKind] = makeLookup()
}
