/// Sex (性别), GB/T 2261.1.
public enum Sex: CodedValue {
    /// 0 未知: not known.
    case unknown
    /// 1 男.
    case male
    /// 2 女.
    case female
    /// 9 未说明: not stated.
    case unspecified

    /// The GB/T 2261.1 code.
    public var code: String {
        switch self {
        case .unknown: "0"
        case .male: "1"
        case .female: "2"
        case .unspecified: "9"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .unknown: "未知"
        case .male: "男"
        case .female: "女"
        case .unspecified: "未说明"
        }
    }

    /// "sex".
    public static let tableName = "sex"

    /// Codes, names, and the standard's long names (男性, 未知的性别, ...).
    public static let byCodeOrName: [String: Sex] = makeLookup(aliases: [
        "未知的性别": .unknown,
        "男性": .male,
        "女性": .female,
        "未说明的性别": .unspecified,
    ])
}
