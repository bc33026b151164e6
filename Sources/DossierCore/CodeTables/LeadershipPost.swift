/// Leadership post level (领导职务层次), high to low.
public enum LeadershipPost: CodedValue {
    /// 国家级正职.
    case stateHead
    /// 国家级副职.
    case stateDeputy
    /// 省部级正职.
    case provinceHead
    /// 省部级副职.
    case provinceDeputy
    /// 厅局级正职.
    case bureauHead
    /// 厅局级副职.
    case bureauDeputy
    /// 县处级正职.
    case divisionHead
    /// 县处级副职.
    case divisionDeputy
    /// 乡科级正职.
    case sectionHead
    /// 乡科级副职.
    case sectionDeputy

    /// Dossier's code, e.g. "bureau-head".
    public var code: String {
        switch self {
        case .stateHead: "state-head"
        case .stateDeputy: "state-deputy"
        case .provinceHead: "province-head"
        case .provinceDeputy: "province-deputy"
        case .bureauHead: "bureau-head"
        case .bureauDeputy: "bureau-deputy"
        case .divisionHead: "division-head"
        case .divisionDeputy: "division-deputy"
        case .sectionHead: "section-head"
        case .sectionDeputy: "section-deputy"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .stateHead: "国家级正职"
        case .stateDeputy: "国家级副职"
        case .provinceHead: "省部级正职"
        case .provinceDeputy: "省部级副职"
        case .bureauHead: "厅局级正职"
        case .bureauDeputy: "厅局级副职"
        case .divisionHead: "县处级正职"
        case .divisionDeputy: "县处级副职"
        case .sectionHead: "乡科级正职"
        case .sectionDeputy: "乡科级副职"
        }
    }

    /// Whether this is a head post (正职) rather than a deputy post (副职).
    public var isHead: Bool {
        order % 2 == 0
    }

    /// Position from the top: 0 for 国家级正职, 9 for 乡科级副职.
    public var order: Int {
        switch self {
        case .stateHead: 0
        case .stateDeputy: 1
        case .provinceHead: 2
        case .provinceDeputy: 3
        case .bureauHead: 4
        case .bureauDeputy: 5
        case .divisionHead: 6
        case .divisionDeputy: 7
        case .sectionHead: 8
        case .sectionDeputy: 9
        }
    }

    /// "leadership post".
    public static let tableName = "leadership post"

    /// Codes and names.
    public static let byCodeOrName: [String: LeadershipPost] = makeLookup()
}
