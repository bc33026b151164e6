/// Rank (职级) of the general-management category (综合管理类), high to low; promotion goes one step at a time.
public enum Rank: CodedValue {
    /// 一级巡视员.
    case inspector1
    /// 二级巡视员.
    case inspector2
    /// 一级调研员.
    case researcher1
    /// 二级调研员.
    case researcher2
    /// 三级调研员.
    case researcher3
    /// 四级调研员.
    case researcher4
    /// 一级主任科员.
    case principal1
    /// 二级主任科员.
    case principal2
    /// 三级主任科员.
    case principal3
    /// 四级主任科员.
    case principal4
    /// 一级科员.
    case clerk1
    /// 二级科员.
    case clerk2

    /// Dossier's code, e.g. "L1-inspector".
    public var code: String {
        switch self {
        case .inspector1: "L1-inspector"
        case .inspector2: "L2-inspector"
        case .researcher1: "L1-researcher"
        case .researcher2: "L2-researcher"
        case .researcher3: "L3-researcher"
        case .researcher4: "L4-researcher"
        case .principal1: "L1-principal"
        case .principal2: "L2-principal"
        case .principal3: "L3-principal"
        case .principal4: "L4-principal"
        case .clerk1: "L1-clerk"
        case .clerk2: "L2-clerk"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .inspector1: "一级巡视员"
        case .inspector2: "二级巡视员"
        case .researcher1: "一级调研员"
        case .researcher2: "二级调研员"
        case .researcher3: "三级调研员"
        case .researcher4: "四级调研员"
        case .principal1: "一级主任科员"
        case .principal2: "二级主任科员"
        case .principal3: "三级主任科员"
        case .principal4: "四级主任科员"
        case .clerk1: "一级科员"
        case .clerk2: "二级科员"
        }
    }

    /// Position from the top: 0 for 一级巡视员, 11 for 二级科员.
    public var order: Int {
        switch self {
        case .inspector1: 0
        case .inspector2: 1
        case .researcher1: 2
        case .researcher2: 3
        case .researcher3: 4
        case .researcher4: 5
        case .principal1: 6
        case .principal2: 7
        case .principal3: 8
        case .principal4: 9
        case .clerk1: 10
        case .clerk2: 11
        }
    }

    /// The rank one step up, or nil for 一级巡视员.
    public var nextHigher: Rank? {
        let index = order
        return index == 0 ? nil : Rank.highToLow[index - 1]
    }

    /// The rank one step down, or nil for 二级科员.
    public var nextLower: Rank? {
        let index = order
        return index == Rank.highToLow.count - 1 ? nil : Rank.highToLow[index + 1]
    }

    /// Kept once, because the synthesized `allCases` builds a new array on each call.
    private static let highToLow = allCases

    /// "rank".
    public static let tableName = "rank"

    /// Codes and names.
    public static let byCodeOrName: [String: Rank] = makeLookup()
}
