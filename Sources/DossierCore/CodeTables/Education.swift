/// Education level (学历), GB/T 4658.
public enum Education: CodedValue {
    /// 10 研究生: postgraduate, degree level not recorded.
    case postgraduate
    /// 11 博士研究生: doctoral.
    case doctoral
    /// 14 硕士研究生: master's.
    case masters
    /// 20 大学本科: bachelor's.
    case bachelor
    /// 30 大学专科: college diploma.
    case college
    /// 40 中等职业教育: secondary vocational.
    case secondaryVocational
    /// 60 普通高级中学: senior high school.
    case seniorHigh
    /// 70 初级中学: junior high school.
    case juniorHigh
    /// 80 小学: primary school.
    case primary
    /// 90 其他: other.
    case other

    /// The GB/T 4658 code.
    public var code: String {
        switch self {
        case .postgraduate: "10"
        case .doctoral: "11"
        case .masters: "14"
        case .bachelor: "20"
        case .college: "30"
        case .secondaryVocational: "40"
        case .seniorHigh: "60"
        case .juniorHigh: "70"
        case .primary: "80"
        case .other: "90"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .postgraduate: "研究生"
        case .doctoral: "博士研究生"
        case .masters: "硕士研究生"
        case .bachelor: "大学本科"
        case .college: "大学专科"
        case .secondaryVocational: "中等职业教育"
        case .seniorHigh: "普通高级中学"
        case .juniorHigh: "初级中学"
        case .primary: "小学"
        case .other: "其他"
        }
    }

    /// "education".
    public static let tableName = "education"

    /// Codes, names, and the short names in everyday use (博士, 本科, 中专, ...).
    public static let byCodeOrName: [String: Education] = makeLookup(aliases: [
        "博士": .doctoral,
        "博士研究生毕业": .doctoral,
        "硕士": .masters,
        "硕士研究生毕业": .masters,
        "研究生毕业": .postgraduate,
        "本科": .bachelor,
        "大学本科毕业": .bachelor,
        "专科": .college,
        "大专": .college,
        "大学专科毕业": .college,
        "中专": .secondaryVocational,
        "中等职业": .secondaryVocational,
        "高中": .seniorHigh,
        "初中": .juniorHigh,
    ])
}
