import DossierCore
import DossierStorage

/// A small, fast, seedable random generator (SplitMix64): the same seed gives the same province.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    /// Picks from `(value, weight)` pairs.
    mutating func weighted<T>(_ choices: [(T, Int)]) -> T {
        let total = choices.reduce(0) { $0 + $1.1 }
        var roll = int(0...(total - 1))
        for (value, weight) in choices {
            if roll < weight { return value }
            roll -= weight
        }
        return choices[choices.count - 1].0
    }
}

/// The synthetic province 东海省 (a fictional division code, 39): its organisations at every
/// level, their quotas and leadership posts, and people to staff them. Everything derives from the
/// seed, so two runs with the same seed give the same records.
struct DemoProvince {
    struct Unit {
        var org: NewOrganization
        var category: EstablishmentCategory
        var weight: Double
        var post: (head: LeadershipPost, deputy: LeadershipPost)
        var deputies: Int
        var divisionCode: String
        /// Level for rank distribution: 3 province, 2 prefecture, 1 county and below.
        var tier: Int
    }

    private(set) var units: [Unit] = []
    private var orgSerial = 0

    static let provinceDepartments: [(String, EstablishmentCategory, OrgKind)] = [
        ("发展和改革委员会", .administrative, .organ), ("教育厅", .administrative, .organ), ("科学技术厅", .administrative, .organ),
        ("工业和信息化厅", .administrative, .organ), ("公安厅", .politicalLegal, .organ), ("民政厅", .administrative, .organ),
        ("司法厅", .politicalLegal, .organ), ("财政厅", .administrative, .organ), ("人力资源和社会保障厅", .administrative, .organ),
        ("自然资源厅", .administrative, .organ), ("生态环境厅", .administrative, .organ), ("住房和城乡建设厅", .administrative, .organ),
        ("交通运输厅", .administrative, .organ), ("水利厅", .administrative, .organ), ("农业农村厅", .administrative, .organ),
        ("商务厅", .administrative, .organ), ("文化和旅游厅", .administrative, .organ), ("卫生健康委员会", .administrative, .organ),
        ("审计厅", .administrative, .organ), ("应急管理厅", .administrative, .organ), ("市场监督管理局", .administrative, .organ),
        ("统计局", .administrative, .organ), ("高级人民法院", .politicalLegal, .organ), ("人民检察院", .politicalLegal, .organ),
        ("档案馆", .civilServiceManagedInstitution, .civilServiceManagedInstitution),
        ("地方志办公室", .civilServiceManagedInstitution, .civilServiceManagedInstitution),
        ("社会科学院", .fullyFundedInstitution, .institution), ("人民医院", .partiallyFundedInstitution, .institution),
        ("农业科学院", .fullyFundedInstitution, .institution), ("公路事业发展中心", .selfFinancedInstitution, .institution),
    ]
    static let cityDepartments: [(String, EstablishmentCategory, OrgKind)] = [
        ("发展和改革委员会", .administrative, .organ), ("教育局", .administrative, .organ), ("公安局", .politicalLegal, .organ),
        ("财政局", .administrative, .organ), ("人力资源和社会保障局", .administrative, .organ),
        ("自然资源和规划局", .administrative, .organ),
        ("卫生健康委员会", .administrative, .organ), ("中级人民法院", .politicalLegal, .organ),
        ("档案馆", .civilServiceManagedInstitution, .civilServiceManagedInstitution),
        ("第一人民医院", .partiallyFundedInstitution, .institution),
    ]
    static let countyDepartments: [(String, EstablishmentCategory, OrgKind)] = [
        ("教育局", .administrative, .organ), ("公安局", .politicalLegal, .organ), ("财政局", .administrative, .organ),
        ("人力资源和社会保障局", .administrative, .organ), ("人民法院", .politicalLegal, .organ), ("农业农村局", .administrative, .organ),
    ]
    static let cities = ["海州市", "临江市", "青山市", "白沙市", "金城市", "云水市", "石门市", "北湖市"]
    static let countyNames = ["东", "西", "南", "北"]
    static let townNames = ["桃源", "石桥", "清溪"]

    init() {
        let province = add(
            name: "东海省人民政府",
            kind: .organ,
            level: .province,
            parent: nil,
            category: .administrative,
            weight: 3,
            post: (.provinceHead, .provinceDeputy),
            deputies: 5,
            division: "390000",
            tier: 3
        )
        for (name, category, kind) in Self.provinceDepartments {
            add(
                name: "东海省" + name,
                kind: kind,
                level: .province,
                parent: province,
                category: category,
                weight: 3,
                post: (.bureauHead, .bureauDeputy),
                deputies: 3,
                division: "390000",
                tier: 3
            )
        }
        for (cityIndex, city) in Self.cities.enumerated() {
            let cityDivision = "39" + twoDigits(cityIndex + 1) + "00"
            let government = add(
                name: city + "人民政府",
                kind: .organ,
                level: .prefecture,
                parent: province,
                category: .administrative,
                weight: 2,
                post: (.bureauHead, .bureauDeputy),
                deputies: 4,
                division: cityDivision,
                tier: 2
            )
            for (name, category, kind) in Self.cityDepartments {
                add(
                    name: city + name,
                    kind: kind,
                    level: .prefecture,
                    parent: government,
                    category: category,
                    weight: 1.6,
                    post: (.divisionHead, .divisionDeputy),
                    deputies: 2,
                    division: cityDivision,
                    tier: 2
                )
            }
            for (countyIndex, direction) in Self.countyNames.enumerated() {
                let county = city.dropLast() + direction + "县"
                let countyDivision = "39" + twoDigits(cityIndex + 1) + twoDigits(countyIndex + 21)
                let countyGovernment = add(
                    name: county + "人民政府",
                    kind: .organ,
                    level: .county,
                    parent: government,
                    category: .administrative,
                    weight: 1.4,
                    post: (.divisionHead, .divisionDeputy),
                    deputies: 3,
                    division: countyDivision,
                    tier: 1
                )
                for (name, category, kind) in Self.countyDepartments {
                    add(
                        name: county + name,
                        kind: kind,
                        level: .county,
                        parent: countyGovernment,
                        category: category,
                        weight: 1,
                        post: (.sectionHead, .sectionDeputy),
                        deputies: 2,
                        division: countyDivision,
                        tier: 1
                    )
                }
                for town in Self.townNames {
                    add(
                        name: county + town + "乡人民政府",
                        kind: .organ,
                        level: .township,
                        parent: countyGovernment,
                        category: .administrative,
                        weight: 0.7,
                        post: (.sectionHead, .sectionDeputy),
                        deputies: 2,
                        division: countyDivision,
                        tier: 1
                    )
                }
            }
        }
    }

    @discardableResult
    private mutating func add(
        name: String,
        kind: OrgKind,
        level: OrgLevel,
        parent: CreditCode?,
        category: EstablishmentCategory,
        weight: Double,
        post: (LeadershipPost, LeadershipPost),
        deputies: Int,
        division: String,
        tier: Int
    ) -> CreditCode {
        orgSerial += 1
        let serial = String(orgSerial)
        let orgCode = "D" + String(repeating: "0", count: 8 - serial.count) + serial
        let code = CreditCode.make(
            authority: "1",
            entityType: kind == .organ ? "1" : "2",
            divisionCode: division,
            organizationCode: orgCode
        )
        units.append(
            Unit(
                org: NewOrganization(code: code, name: name, kind: kind, level: level, parentCode: parent),
                category: category,
                weight: weight,
                post: post,
                deputies: deputies,
                divisionCode: division,
                tier: tier
            )
        )
        return code
    }

    static let surnames = Array(
        "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    )
    static let givenCharacters = Array(
        "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强海燕晓东红梅玉兰文博子涵浩然思远欣怡雨轩宇航嘉怡佳琪俊杰晨曦梓萱一鸣"
    )

    static func name(_ random: inout SeededRandom) -> String {
        var text = String(surnames[random.int(0...(surnames.count - 1))])
        let length = random.chance(0.7) ? 2 : 1
        for _ in 0..<length { text.append(givenCharacters[random.int(0...(givenCharacters.count - 1))]) }
        return text
    }

    static let ethnicities: [(String, Int)] = [
        ("01", 900), ("03", 20), ("08", 20), ("11", 15), ("06", 10), ("15", 10), ("07", 8), ("04", 5), ("05", 4),
        ("02", 4), ("10", 2), ("22", 2),
    ]
    static let educations: [(String, Int)] = [("11", 3), ("14", 18), ("20", 58), ("30", 15), ("40", 2), ("60", 4)]
    static let politics: [(String, Int)] = [
        ("01", 70), ("02", 3), ("03", 8), ("13", 15), ("05", 1), ("06", 1), ("10", 1), ("12", 1),
    ]
}

private func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
