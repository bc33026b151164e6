/// Kind of organisation (单位性质).
public enum OrgKind: CodedValue {
    /// 机关: a state organ.
    case organ
    /// 参公事业单位: a public institution managed as civil service.
    case civilServiceManagedInstitution
    /// 事业单位: a public institution.
    case institution

    /// Dossier's code, e.g. "organ".
    public var code: String {
        switch self {
        case .organ: "organ"
        case .civilServiceManagedInstitution: "pscs-institution"
        case .institution: "institution"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .organ: "机关"
        case .civilServiceManagedInstitution: "参公事业单位"
        case .institution: "事业单位"
        }
    }

    /// "organisation kind".
    public static let tableName = "organisation kind"

    /// Codes and names.
    public static let byCodeOrName: [String: OrgKind] = makeLookup()
}
