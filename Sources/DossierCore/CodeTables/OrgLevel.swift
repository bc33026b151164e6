/// Level of an organisation (机构层级), high to low.
public enum OrgLevel: CodedValue {
    /// 中央: central.
    case central
    /// 省: province.
    case province
    /// 副省级: sub-provincial city.
    case subProvince
    /// 地市: prefecture-level city.
    case prefecture
    /// 县: county.
    case county
    /// 乡: township.
    case township

    /// Dossier's code, e.g. "sub-province".
    public var code: String {
        switch self {
        case .central: "central"
        case .province: "province"
        case .subProvince: "sub-province"
        case .prefecture: "prefecture"
        case .county: "county"
        case .township: "township"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .central: "中央"
        case .province: "省"
        case .subProvince: "副省级"
        case .prefecture: "地市"
        case .county: "县"
        case .township: "乡"
        }
    }

    /// "organisation level".
    public static let tableName = "organisation level"

    /// Codes and names.
    public static let byCodeOrName: [String: OrgLevel] = makeLookup()
}
