/// 年度考核等次: the grade of an annual assessment. Civil servants and staff managed as civil
/// servants (参公) are graded on one scale, public-institution staff (事业单位) and service workers
/// on another (`AssessmentScale`); 不定等次 is the comment given when no grade is set.
public enum AssessmentGrade: CodedValue {
    /// 优秀 (both scales).
    case excellent
    /// 称职.
    case competent
    /// 基本称职.
    case basicallyCompetent
    /// 不称职.
    case incompetent
    /// 不定等次: assessed, but no grade set (probation, long leave, a sanction, an investigation).
    case undetermined
    /// 合格.
    case pass
    /// 基本合格.
    case basicPass
    /// 不合格.
    case fail

    /// Dossier's code, e.g. "excellent".
    public var code: String {
        switch self {
        case .excellent: "excellent"
        case .competent: "competent"
        case .basicallyCompetent: "basically-competent"
        case .incompetent: "incompetent"
        case .undetermined: "undetermined"
        case .pass: "pass"
        case .basicPass: "basic-pass"
        case .fail: "fail"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .excellent: "优秀"
        case .competent: "称职"
        case .basicallyCompetent: "基本称职"
        case .incompetent: "不称职"
        case .undetermined: "不定等次"
        case .pass: "合格"
        case .basicPass: "基本合格"
        case .fail: "不合格"
        }
    }

    /// The lowest grade of either scale (不称职, 不合格): the one with consequences.
    public var isFailing: Bool { self == .incompetent || self == .fail }

    /// "assessment grade".
    public static let tableName = "assessment grade"

    /// Codes and names.
    public static let byCodeOrName: [String: AssessmentGrade] = makeLookup()
}

/// Which set of grades a person is assessed on, following their establishment category.
public enum AssessmentScale: String, Sendable, Hashable, CaseIterable {
    /// 公务员 and 参公: 优秀, 称职, 基本称职, 不称职, 不定等次.
    case civilService = "civil-service"
    /// 事业单位 staff and service workers: 优秀, 合格, 基本合格, 不合格.
    case publicInstitution = "public-institution"

    /// The grades of the scale, best first.
    public var grades: [AssessmentGrade] {
        switch self {
        case .civilService: [.excellent, .competent, .basicallyCompetent, .incompetent, .undetermined]
        case .publicInstitution: [.excellent, .pass, .basicPass, .fail]
        }
    }

    /// The scale a person in `category` is assessed on.
    public init(_ category: EstablishmentCategory) {
        switch category {
        case .administrative, .politicalLegal, .civilServiceManagedInstitution: self = .civilService
        case .fullyFundedInstitution, .partiallyFundedInstitution, .selfFinancedInstitution, .serviceWorker:
            self = .publicInstitution
        }
    }

    /// In words, for messages.
    public var chineseName: String {
        switch self {
        case .civilService: "公务员（含参公）"
        case .publicInstitution: "事业单位"
        }
    }
}
