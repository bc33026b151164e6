/// Establishment category (编制类别): the kind of approved headcount a post is funded from.
public enum EstablishmentCategory: CodedValue {
    /// 行政编制: administrative.
    case administrative
    /// 政法专项编制: political-legal special (courts, procuratorates, police, justice).
    case politicalLegal
    /// 参公事业编制: institution managed as civil service.
    case civilServiceManagedInstitution
    /// 全额事业编制: fully funded institution.
    case fullyFundedInstitution
    /// 差额事业编制: partially funded institution.
    case partiallyFundedInstitution
    /// 自收自支事业编制: self-financed institution.
    case selfFinancedInstitution
    /// 工勤编制: service workers.
    case serviceWorker

    /// Dossier's code, e.g. "admin", "inst-full".
    public var code: String {
        switch self {
        case .administrative: "admin"
        case .politicalLegal: "legal"
        case .civilServiceManagedInstitution: "pscs"
        case .fullyFundedInstitution: "inst-full"
        case .partiallyFundedInstitution: "inst-partial"
        case .selfFinancedInstitution: "inst-self"
        case .serviceWorker: "service"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .administrative: "行政编制"
        case .politicalLegal: "政法专项编制"
        case .civilServiceManagedInstitution: "参公事业编制"
        case .fullyFundedInstitution: "全额事业编制"
        case .partiallyFundedInstitution: "差额事业编制"
        case .selfFinancedInstitution: "自收自支事业编制"
        case .serviceWorker: "工勤编制"
        }
    }

    /// A short English label for reports in English.
    public var label: String {
        switch self {
        case .administrative: "administrative"
        case .politicalLegal: "political-legal special"
        case .civilServiceManagedInstitution: "institution managed as civil service"
        case .fullyFundedInstitution: "fully funded institution"
        case .partiallyFundedInstitution: "partially funded institution"
        case .selfFinancedInstitution: "self-financed institution"
        case .serviceWorker: "service worker"
        }
    }

    /// "establishment category".
    public static let tableName = "establishment category"

    /// Codes and names.
    public static let byCodeOrName: [String: EstablishmentCategory] = makeLookup()
}
