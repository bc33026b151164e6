/// 档案材料类别: the ten classes of personnel archive material (《干部人事档案工作条例》2018),
/// with the sub-classes of classes 4 and 9. A document is filed under a class, or under a
/// sub-class where its class has them.
public enum ArchiveClass: CodedValue {
    case resume
    case autobiography
    case assessment
    case degrees
    case titles
    case academicReviews
    case training
    case vetting
    case party
    case awards
    case sanctions
    case salary
    case appointments
    case travelAbroad
    case delegate
    case other

    public var code: String {
        switch self {
        case .resume: "1"
        case .autobiography: "2"
        case .assessment: "3"
        case .degrees: "4-1"
        case .titles: "4-2"
        case .academicReviews: "4-3"
        case .training: "4-4"
        case .vetting: "5"
        case .party: "6"
        case .awards: "7"
        case .sanctions: "8"
        case .salary: "9-1"
        case .appointments: "9-2"
        case .travelAbroad: "9-3"
        case .delegate: "9-4"
        case .other: "10"
        }
    }

    public var chineseName: String {
        switch self {
        case .resume: "履历类"
        case .autobiography: "自传和思想类"
        case .assessment: "考核鉴定类"
        case .degrees: "学历学位类"
        case .titles: "职称类"
        case .academicReviews: "学术评鉴类"
        case .training: "教育培训类"
        case .vetting: "政审、审计和审核类"
        case .party: "党、团类"
        case .awards: "表彰奖励类"
        case .sanctions: "违规违纪违法处理处分类"
        case .salary: "工资类"
        case .appointments: "任免类"
        case .travelAbroad: "出国（境）类"
        case .delegate: "会议代表类"
        case .other: "其他可供组织参考的材料"
        }
    }

    /// The main class number (1 to 10), also for sub-classes.
    public var mainClass: Int {
        Int(code.split(separator: "-").first ?? "") ?? 10
    }

    public static let tableName = "archive class"
    public static let byCodeOrName: [String: ArchiveClass] = makeLookup()
}
