/// Political status (政治面貌), GB/T 4762.
public enum PoliticalStatus: CodedValue {
    /// 01 中共党员: member of the Communist Party of China.
    case partyMember
    /// 02 中共预备党员: probationary party member.
    case probationaryPartyMember
    /// 03 共青团员: Communist Youth League member.
    case youthLeagueMember
    /// 04 民革党员: Revolutionary Committee of the Kuomintang.
    case revolutionaryCommittee
    /// 05 民盟盟员: China Democratic League.
    case democraticLeague
    /// 06 民建会员: China National Democratic Construction Association.
    case democraticConstruction
    /// 07 民进会员: China Association for Promoting Democracy.
    case promotingDemocracy
    /// 08 农工党党员: Chinese Peasants' and Workers' Democratic Party.
    case peasantsAndWorkers
    /// 09 致公党党员: China Zhi Gong Party.
    case zhiGong
    /// 10 九三学社社员: Jiusan Society.
    case jiusan
    /// 11 台盟盟员: Taiwan Democratic Self-Government League.
    case taiwanLeague
    /// 12 无党派民主人士: democrat without party affiliation.
    case nonParty
    /// 13 群众: ordinary citizen.
    case masses

    /// The GB/T 4762 code.
    public var code: String {
        switch self {
        case .partyMember: "01"
        case .probationaryPartyMember: "02"
        case .youthLeagueMember: "03"
        case .revolutionaryCommittee: "04"
        case .democraticLeague: "05"
        case .democraticConstruction: "06"
        case .promotingDemocracy: "07"
        case .peasantsAndWorkers: "08"
        case .zhiGong: "09"
        case .jiusan: "10"
        case .taiwanLeague: "11"
        case .nonParty: "12"
        case .masses: "13"
        }
    }

    /// The Chinese name.
    public var chineseName: String {
        switch self {
        case .partyMember: "中共党员"
        case .probationaryPartyMember: "中共预备党员"
        case .youthLeagueMember: "共青团员"
        case .revolutionaryCommittee: "民革党员"
        case .democraticLeague: "民盟盟员"
        case .democraticConstruction: "民建会员"
        case .promotingDemocracy: "民进会员"
        case .peasantsAndWorkers: "农工党党员"
        case .zhiGong: "致公党党员"
        case .jiusan: "九三学社社员"
        case .taiwanLeague: "台盟盟员"
        case .nonParty: "无党派民主人士"
        case .masses: "群众"
        }
    }

    /// "political status".
    public static let tableName = "political status"

    /// Codes, names, and the spellings personnel officers write (中国共产党党员, 党员, 团员, 无党派人士, …).
    public static let byCodeOrName: [String: PoliticalStatus] = makeLookup(aliases: [
        "中国共产党党员": .partyMember,
        "共产党员": .partyMember,
        "党员": .partyMember,
        "中国共产党预备党员": .probationaryPartyMember,
        "预备党员": .probationaryPartyMember,
        "中国共产主义青年团团员": .youthLeagueMember,
        "团员": .youthLeagueMember,
        "无党派人士": .nonParty,
        "无党派": .nonParty,
    ])
}
