import DossierCore
import DossierTestSupport
import Foundation
import Testing

/// Checks what every code table promises: each value is found by its code and by its Chinese name, codes are
/// unique, unknown text is rejected, and Codable writes the code.
private func checkTable<Value: CodedValue>(_: Value.Type, expectedCount: Int) throws {
    let values = Array(Value.allCases)
    #expect(values.count == expectedCount, "\(Value.tableName)")
    #expect(Set(values.map(\.code)).count == values.count, "\(Value.tableName) codes are unique")
    #expect(Set(values.map(\.chineseName)).count == values.count, "\(Value.tableName) names are unique")
    for value in values {
        #expect(Value(codeOrName: value.code) == value)
        #expect(Value(codeOrName: value.chineseName) == value)
        #expect(Value(codeOrName: " \(value.code) ") == value)
        #expect(Value(codeOrName: "\u{3000}\(value.chineseName)") == value)
        #expect(value.description == value.chineseName)
        let json = try JSONEncoder().encode([value])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(value.code)\"]")
        #expect(try JSONDecoder().decode([Value].self, from: json) == [value])
        let byName = try JSONEncoder().encode([value.chineseName])
        #expect(try JSONDecoder().decode([Value].self, from: byName) == [value])
    }
    for unknown in ["", " ", "unknown-value", "99x", "不存在"] {
        #expect(Value(codeOrName: unknown) == nil, "\(Value.tableName) rejects \(unknown)")
    }
    #expect(throws: DecodingError.self) {
        try JSONDecoder().decode([Value].self, from: Data(#"["不存在"]"#.utf8))
    }
}

@Suite struct CodeTableTests {
    @Test func sexTableFollowsGBT2261() throws {
        try checkTable(Sex.self, expectedCount: 4)
        #expect(Sex.male.code == "1" && Sex.female.code == "2" && Sex.unknown.code == "0")
        #expect(Sex.unspecified.code == "9")
        #expect(Sex(codeOrName: "男") == .male)
        #expect(Sex(codeOrName: "女性") == .female)
        #expect(Sex(codeOrName: "3") == nil)
    }

    @Test func ethnicityTableHas56NationalitiesPlusTwo() throws {
        try checkTable(Ethnicity.self, expectedCount: 58)
        let codes = Ethnicity.allCases.map(\.code)
        #expect(codes == (1...56).map { String(format: "%02d", $0) } + ["97", "98"])
        #expect(Ethnicity.allCases.first == .han)
        #expect(Ethnicity(codeOrName: "05")?.chineseName == "维吾尔族")
        #expect(Ethnicity(codeOrName: "29")?.chineseName == "柯尔克孜族")
        #expect(Ethnicity(codeOrName: "56")?.chineseName == "基诺族")
        #expect(Ethnicity(codeOrName: "98") == .foreignOrigin)
    }

    @Test func ethnicityAcceptsNamesWithOrWithoutZu() {
        #expect(Ethnicity(codeOrName: "汉") == .han)
        #expect(Ethnicity(codeOrName: "汉族") == .han)
        #expect(Ethnicity(codeOrName: "蒙古")?.code == "02")
        #expect(Ethnicity(codeOrName: "土家")?.code == "15")
        #expect(Ethnicity(codeOrName: "土")?.code == "30")
        #expect(Ethnicity(codeOrName: "其他") == .other)
        #expect(Ethnicity(codeOrName: "57") == nil)
    }

    @Test func educationAcceptsCodesNamesAndShortNames() throws {
        try checkTable(Education.self, expectedCount: 10)
        #expect(Education(codeOrName: "博士") == .doctoral)
        #expect(Education(codeOrName: "11") == .doctoral)
        #expect(Education(codeOrName: "硕士") == .masters)
        #expect(Education(codeOrName: "本科") == .bachelor)
        #expect(Education(codeOrName: "专科") == .college)
        #expect(Education(codeOrName: "中专") == .secondaryVocational)
        #expect(Education(codeOrName: "高中") == .seniorHigh)
        #expect(Education(codeOrName: "初中") == .juniorHigh)
        #expect(Education(codeOrName: "大学本科")?.code == "20")
    }

    @Test func politicalStatusFollowsGBT4762() throws {
        try checkTable(PoliticalStatus.self, expectedCount: 13)
        #expect(PoliticalStatus(codeOrName: "预备党员") == .probationaryPartyMember)
        #expect(PoliticalStatus(codeOrName: "02") == .probationaryPartyMember)
        #expect(PoliticalStatus(codeOrName: "13") == .masses)
        #expect(PoliticalStatus(codeOrName: "九三学社社员")?.code == "10")
    }

    /// The spellings a personnel officer writes in a form or a spreadsheet, each to its code.
    @Test(arguments: [
        ("中国共产党党员", "01"), ("党员", "01"), ("中共党员", "01"), ("中国共产党预备党员", "02"),
        ("共青团员", "03"), ("团员", "03"), ("无党派人士", "12"), ("群众", "13"),
    ])
    func politicalStatusAcceptsEverydaySpellings(spelling: String, code: String) {
        #expect(PoliticalStatus(codeOrName: spelling)?.code == code, "\(spelling)")
    }

    @Test(arguments: [
        ("大学本科毕业", "20"), ("本科", "20"), ("大学专科毕业", "30"), ("硕士研究生毕业", "14"),
        ("博士研究生毕业", "11"), ("研究生毕业", "10"),
    ])
    func educationAcceptsEverydaySpellings(spelling: String, code: String) {
        #expect(Education(codeOrName: spelling)?.code == code, "\(spelling)")
    }

    @Test func establishmentCategoryHasSevenEntriesWithLabels() throws {
        try checkTable(EstablishmentCategory.self, expectedCount: 7)
        #expect(EstablishmentCategory(codeOrName: "admin") == .administrative)
        #expect(EstablishmentCategory.administrative.label == "administrative")
        #expect(EstablishmentCategory(codeOrName: "自收自支事业编制")?.code == "inst-self")
        #expect(Set(EstablishmentCategory.allCases.map(\.label)).count == 7)
    }

    @Test func theShippedRankLadderHasTwelveRanksHighToLowReadByCodeOrName() throws {
        let ladder = RankLadder.shipped
        #expect(ladder.ranks.count == 12)
        #expect(ladder.ranks.compactMap(ladder.order(of:)) == Array(0...11))
        #expect(ladder.order(of: .inspector1) == 0)
        #expect(ladder.order(of: .clerk2) == 11)
        #expect(ladder.rank(codeOrName: "L1-inspector") == .inspector1)
        #expect(ladder.name(of: .inspector1) == "一级巡视员")
        #expect(ladder.rank(codeOrName: "四级主任科员") == .principal4)
        #expect(ladder.rank(codeOrName: " 四级主任科员\t") == .principal4)
        #expect(ladder.rank(codeOrName: "五级主任科员") == nil)
        #expect(ladder.rank(codeOrName: "l1-inspector") == nil)
        // A rank recorded under another ladder is shown by its code.
        #expect(ladder.name(of: Rank(code: "L9-elsewhere")) == "L9-elsewhere")
        #expect(ladder.contains(.clerk1) && !ladder.contains(Rank(code: "L9-elsewhere")))
    }

    @Test func rankPromotionGoesOneStepAtATime() {
        let ladder = RankLadder.shipped
        #expect(ladder.higher(than: .inspector1) == nil)
        #expect(ladder.higher(than: .inspector2) == .inspector1)
        #expect(ladder.higher(than: .researcher1) == .inspector2)
        #expect(ladder.higher(than: .principal1) == .researcher4)
        #expect(ladder.higher(than: .clerk1) == .principal4)
        #expect(ladder.higher(than: .clerk2) == .clerk1)
        #expect(ladder.lower(than: .clerk2) == nil)
        #expect(ladder.higher(than: Rank(code: "L9-elsewhere")) == nil)
        for rank in ladder.ranks {
            if let higher = ladder.higher(than: rank) {
                #expect(ladder.order(of: higher) == ladder.order(of: rank)! - 1)
                #expect(ladder.lower(than: higher) == rank)
            }
        }
    }

    @Test func leadershipPostsHaveOrderAndHeadFlag() throws {
        try checkTable(LeadershipPost.self, expectedCount: 10)
        #expect(LeadershipPost.allCases.map(\.order) == Array(0...9))
        #expect(LeadershipPost.stateHead.isHead)
        #expect(!LeadershipPost.stateDeputy.isHead)
        #expect(LeadershipPost.divisionHead.isHead)
        #expect(!LeadershipPost.sectionDeputy.isHead)
        #expect(LeadershipPost.allCases.filter(\.isHead).allSatisfy { $0.chineseName.hasSuffix("正职") })
        #expect(LeadershipPost(codeOrName: "县处级副职") == .divisionDeputy)
    }

    @Test func organisationTablesAcceptCodesAndNames() throws {
        try checkTable(OrgKind.self, expectedCount: 3)
        try checkTable(OrgLevel.self, expectedCount: 6)
        #expect(OrgKind(codeOrName: "pscs-institution") == .civilServiceManagedInstitution)
        #expect(OrgLevel(codeOrName: "副省级") == .subProvince)
    }

    @Test func personStatusSaysWhoOccupiesASlot() throws {
        try checkTable(PersonStatus.self, expectedCount: 10)
        let occupying: Set<PersonStatus> = [.probation, .active, .unpaidLeave, .awol, .leaving]
        for status in PersonStatus.allCases {
            #expect(status.occupiesSlot == occupying.contains(status), "\(status.code)")
            #expect(status.isExit == !occupying.contains(status), "\(status.code)")
        }
        #expect(PersonStatus(codeOrName: "停薪留职") == .unpaidLeave)
    }
}
