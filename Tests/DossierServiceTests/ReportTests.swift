import DossierCore
import DossierReports
import DossierService
import Foundation
import Testing

/// The shipped statistical tables on a node small enough to count by hand. The fixture's node
/// has 李已在 (财政厅, a man born 1985-06-15, no rank, in post since 2020); these tests add:
///
/// | who | unit | sex | born | rank / post | in post |
/// |---|---|---|---|---|---|
/// | 王1 | 财政厅 (省) | 男 | 1990-03-07 | 一级科员 | 2024-01-05 on |
/// | 张伟 (4) | 财政厅 (省) | 女 | 1994-12-01 | 四级调研员, 县处级正职 | 2026-02-01 on (录用) |
/// | 张文华 (6) | 医院 (地市) | 女 | 1995-11-28, 30 today, 31 tomorrow | none, 硕士, 回族 | 2026-03-01 on (录用) |
/// | 王8 | 医院 (地市) | 女 | 1990-03-07 | none | 2025-05-01 to 2026-06-30 (辞职) |
/// | 王9 | 财政厅 (省) | 男 | 1990-03-07 | 一级科员 | 2025-01-01 to 2026-10-01 (退休) |
@Suite struct ReportTests {
    let fixture: ServiceFixture
    let ids: [Int: Int64]

    init() async throws {
        (fixture, ids) = try await Self.countedNode()
    }

    /// The node of the table above; the file numbers by sequence.
    static func countedNode() async throws -> (ServiceFixture, [Int: Int64]) {
        let fixture = try await ServiceFixture(policies: ServiceFixture.withoutPromotionRules)
        var filed: [Int: Int64] = [:]
        func hire(
            _ sequence: Int,
            born: String,
            org: CreditCode,
            category: String,
            on date: String,
            _ edit: (inout PersonInput) -> Void = { _ in }
        ) async throws {
            var input = personInput(sequence, org: org, category: category)
            input.idNumber = residentID(sequence, born: born).value
            input.status = "在职"
            input.hiredOn = date
            edit(&input)
            filed[sequence] = try await fixture.dossier.addPerson(input, today: today)
        }
        try await hire(1, born: "1990-03-07", org: ServiceFixture.finance, category: "admin", on: "2024-01-05")
        try await hire(4, born: "1994-12-01", org: ServiceFixture.finance, category: "admin", on: "2026-02-01") {
            $0.name = "张伟"
            $0.rank = "四级调研员"
            $0.post = "县处级正职"
        }
        try await hire(6, born: "1995-11-28", org: ServiceFixture.hospital, category: "inst-partial", on: "2026-03-01")
        {
            $0.name = "张文华"
            $0.rank = ""
            $0.education = "硕士研究生"
            $0.ethnicity = "回族"
        }
        try await hire(8, born: "1990-03-07", org: ServiceFixture.hospital, category: "inst-partial", on: "2025-05-01")
        {
            $0.rank = ""
        }
        try await hire(9, born: "1990-03-07", org: ServiceFixture.finance, category: "admin", on: "2025-01-01")
        try await fixture.dossier.exit(personID: filed[8]!, kind: .resign, on: day("2026-06-30"))
        try await fixture.dossier.exit(personID: filed[9]!, kind: .retire, on: day("2026-10-01"))
        return (fixture, filed)
    }

    func row(_ table: ReportTable, _ label: String) -> [Int]? {
        table.rows.first { $0.label == label }?.values
    }

    func value(_ table: ReportTable, _ row: String, _ column: String) -> Int? {
        guard let values = self.row(table, row), let index = table.columns.firstIndex(of: column) else { return nil }
        return values[index]
    }

    @Test func theShippedTablesAreListedInNumberOrder() throws {
        let catalog = try fixture.dossier.reportCatalog()
        #expect(
            catalog.definitions.map(\.name)
                == [
                    "movements", "level", "age", "education", "ethnicity-politics", "establishment", "leadership",
                    "rank-quotas", "grades", "cases",
                ]
        )
    }

    @Test func movementsOfTheYearBalance() async throws {
        let table = try await fixture.dossier.runReport("movements", asOf: today)
        #expect(table.from == day("2026-01-01"))
        #expect(value(table, "合计", "期初人数") == 4)
        #expect(value(table, "合计", "增加/录用") == 2)
        #expect(value(table, "合计", "增加/小计") == 2)
        #expect(value(table, "合计", "减少/辞职") == 1)
        #expect(value(table, "合计", "减少/退休") == 1)
        #expect(value(table, "合计", "减少/小计") == 2)
        #expect(value(table, "合计", "期末人数") == 4)
        #expect(table.checks.map(\.check) == ["balance"])
        #expect(table.passed)
    }

    @Test func aPeriodOfOneQuarterCountsOnlyItsChanges() async throws {
        // 2026-04-01 … 2026-09-30: only 王8's resignation.
        let table = try await fixture.dossier.runReport("movements", asOf: day("2026-09-30"), from: day("2026-04-01"))
        #expect(value(table, "合计", "期初人数") == 6)
        #expect(value(table, "合计", "增加/小计") == 0)
        #expect(value(table, "合计", "减少/辞职") == 1)
        #expect(value(table, "合计", "期末人数") == 5)
        #expect(table.passed)
    }

    @Test func levelTableCountsEachPersonOnceAtTheHigherOfPostAndRank() async throws {
        let table = try await fixture.dossier.runReport("level", asOf: today)
        #expect(table.columns.count == 13)
        #expect(row(table, "县处级正职") == [1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(row(table, "县处级副职")?.first == 0)
        #expect(row(table, "科员级") == [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(row(table, "未定级") == [2, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect(row(table, "合计") == [4, 0, 0, 2, 1, 0, 0, 0, 1, 0, 0, 0, 0])
        #expect(table.checks.map(\.check) == ["rows-add-up", "same-total-as"])
        #expect(table.passed)
    }

    @Test func ageIsCountedInWholeYearsOnTheDate() async throws {
        let table = try await fixture.dossier.runReport("age", asOf: today)
        // 张文华 is 30 today and 31 tomorrow; 张伟 is 31; 王1 36; 李已在 41.
        #expect(value(table, "合计", "30岁及以下") == 1)
        #expect(value(table, "合计", "31至35岁") == 1)
        #expect(value(table, "合计", "36至40岁") == 1)
        #expect(value(table, "合计", "41至45岁") == 1)
        #expect(value(table, "未定级", "30岁及以下") == 1)
        let tomorrow = try await fixture.dossier.runReport("age", asOf: today.adding(days: 1))
        #expect(value(tomorrow, "合计", "30岁及以下") == 0, "on her birthday she is 31")
        #expect(value(tomorrow, "合计", "31至35岁") == 2)
    }

    @Test func educationEthnicityAndPoliticsGroupTheCodes() async throws {
        let education = try await fixture.dossier.runReport("education", asOf: today)
        #expect(value(education, "合计", "研究生") == 1)
        #expect(value(education, "合计", "大学本科") == 3)
        let politics = try await fixture.dossier.runReport("ethnicity-politics", asOf: today)
        #expect(value(politics, "合计", "少数民族/群众") == 1)
        #expect(value(politics, "合计", "汉族/中共党员") == 1)
        #expect(value(politics, "合计", "汉族/群众") == 2)
        #expect(politics.passed)
    }

    @Test func establishmentUseIsSubtotalledByLevelWithoutNetting() async throws {
        let table = try await fixture.dossier.runReport("establishment", asOf: today)
        #expect(table.rows.map(\.label) == ["东海省财政厅", "东海省档案馆", "省小计", "海州市第一人民医院", "地市小计", "合计"])
        #expect(value(table, "东海省财政厅", "行政编制/核定") == 10)
        #expect(value(table, "东海省财政厅", "行政编制/实有") == 3)
        #expect(value(table, "东海省财政厅", "行政编制/空缺") == 7)
        #expect(value(table, "海州市第一人民医院", "差额事业编制/实有") == 1)
        #expect(row(table, "合计")?.prefix(4) == [17, 4, 13, 0])
        #expect(table.checks.map(\.check) == ["same-total-as"])
        #expect(table.passed)
        try await fixture.dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand("researcher-1-4"),
            approved: 0,
            effectiveOn: day("2026-01-01")
        )
        let ranks = try await fixture.dossier.runReport("rank-quotas", asOf: today)
        // 张伟, 四级调研员, over a band approved for none.
        #expect(value(ranks, "东海省财政厅", "一至四级调研员/实有") == 1)
        #expect(value(ranks, "东海省财政厅", "一至四级调研员/超出") == 1)
        let posts = try await fixture.dossier.runReport("leadership", asOf: today)
        #expect(value(posts, "东海省财政厅", "县处级正职/实有") == 1)
        #expect(value(posts, "东海省财政厅", "县处级正职/空缺") == 0)
    }

    @Test func aTransferBetweenUnitsIsNoMovementForTheNodeAndOneForEachUnit() async throws {
        let approver = try await fixture.acting(as: "approver", role: .approver)
        try await drafted(
            transfer(ids[1]!, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2026-09-01"),
            by: fixture.dossier,
            approvedBy: approver
        )
        let node = try await fixture.dossier.runReport("movements", asOf: today)
        #expect(value(node, "合计", "增加/小计") == 2)
        #expect(value(node, "合计", "减少/小计") == 2)
        #expect(node.passed)
        let finance = try await fixture.dossier.runReport("movements", asOf: today, org: ServiceFixture.finance)
        #expect(value(finance, "合计", "期初人数") == 3)
        #expect(value(finance, "合计", "减少/调出") == 1)
        #expect(value(finance, "合计", "减少/退休") == 1)
        #expect(value(finance, "合计", "期末人数") == 2)
        let hospital = try await fixture.dossier.runReport("movements", asOf: today, org: ServiceFixture.hospital)
        #expect(value(hospital, "合计", "增加/调入") == 1)
        #expect(value(hospital, "合计", "期末人数") == 2)
        #expect(finance.passed && hospital.passed)
    }

    @Test func theStartIsCheckedAgainstTheEndFiledForThePeriodBefore() async throws {
        // Nothing filed for 2025 yet: there is nothing to check the start against.
        let unfiled = try await fixture.dossier.runReport("movements", asOf: today)
        #expect(!unfiled.checks.contains { $0.check == "previous-period" })
        let filed = try await fixture.dossier.fileReport("movements", asOf: day("2025-12-31"))
        #expect(filed.rows.last?.values.last == 4)
        let checked = try await fixture.dossier.runReport("movements", asOf: today)
        let check = try #require(checked.checks.first { $0.check == "previous-period" })
        #expect(check.expected == 4)
        #expect(check.actual == 4)
        // A resignation back-dated into 2025 changes this year's start, not the figures filed.
        try await fixture.dossier.exit(personID: ids[1]!, kind: .resign, on: day("2025-06-01"))
        let changed = try await fixture.dossier.runReport("movements", asOf: today)
        let failed = try #require(changed.checks.first { $0.check == "previous-period" })
        #expect(failed.expected == 4)
        #expect(failed.actual == 3)
        #expect(!changed.passed)
        // Another unit's figures are not this one's.
        let hospital = try await fixture.dossier.runReport("movements", asOf: today, org: ServiceFixture.hospital)
        #expect(!hospital.checks.contains { $0.check == "previous-period" })
        let audit = try await fixture.dossier.auditLog(after: 0, limit: 10_000)
        #expect(audit.filter { $0.action == "report.file" }.count == 1)
    }

    @Test func gradesAreCountedForTheYearOfTheDateByTheGradingUnitsLevel() async throws {
        for (sequence, grade) in [(0, AssessmentGrade.competent), (1, .excellent), (9, .competent), (8, .pass)] {
            let person = sequence == 0 ? fixture.onFileID : ids[sequence]!
            _ = try await fixture.dossier.recordAssessment(
                AssessmentInput(personID: person, year: 2025, grade: grade, decidedOn: day("2026-01-20"))
            )
        }
        let table = try await fixture.dossier.runReport("grades", asOf: day("2025-12-31"))
        #expect(value(table, "省", "优秀") == 1)
        #expect(value(table, "省", "称职") == 2)
        #expect(value(table, "地市", "合格") == 1)
        #expect(value(table, "合计", "合计") == 4)
        let nextYear = try await fixture.dossier.runReport("grades", asOf: today)
        #expect(nextYear.total == 0)
    }

    @Test func aUserLimitedToOneUnitSeesOnlyItsSubtree() async throws {
        let officer = try await fixture.acting(
            as: "finance-stats",
            role: .statistician,
            reach: .organization(ServiceFixture.finance)
        )
        let table = try await officer.runReport("level", asOf: today)
        #expect(table.total == 3)
        #expect(table.scope == "东海省财政厅")
        let establishment = try await officer.runReport("establishment", asOf: today)
        #expect(!establishment.rows.contains { $0.label == "海州市第一人民医院" })
        await #expect(throws: ServiceError.self) {
            _ = try await officer.runReport("level", asOf: today, org: ServiceFixture.hospital)
        }
    }

    @Test func orgNarrowsTheTableToTheUnitAndThoseUnderIt() async throws {
        let table = try await fixture.dossier.runReport("level", asOf: today, org: ServiceFixture.hospital)
        #expect(table.scope == "海州市第一人民医院")
        #expect(table.total == 1)
        let movements = try await fixture.dossier.runReport("movements", asOf: today, org: ServiceFixture.hospital)
        #expect(value(movements, "合计", "期初人数") == 1)
        #expect(value(movements, "合计", "增加/录用") == 1)
        #expect(value(movements, "合计", "减少/辞职") == 1)
        #expect(value(movements, "合计", "期末人数") == 1)
    }

    @Test func anUnknownTableIsRefusedNamingTheTablesThereAre() async throws {
        let error = await #expect(throws: ServiceError.self) {
            _ = try await fixture.dossier.runReport("staff", asOf: today)
        }
        #expect(error?.description.contains("movements") == true)
    }

    @Test func theSameDataGivesTheSameFilesByteForByte() async throws {
        let first = try await fixture.dossier.runReport("level", asOf: today)
        let second = try await fixture.dossier.runReport("level", asOf: today)
        #expect(first.csv() == second.csv())
        #expect(try first.json() == second.json())
        #expect(Array(first.csv().prefix(3)) == [0xEF, 0xBB, 0xBF])
    }
}

/// `person search`: the same node, asked ad-hoc questions.
@Suite struct PeopleSearchTests {
    let fixture: ServiceFixture
    let ids: [Int: Int64]

    init() async throws {
        (fixture, ids) = try await ReportTests.countedNode()
    }

    func found(_ edit: (inout PeopleQuestion) -> Void) async throws -> [Int64] {
        var question = PeopleQuestion()
        question.on = today
        edit(&question)
        let people = try await fixture.dossier.searchPeople(question)
        #expect(try await fixture.dossier.countPeople(question) == people.count)
        return people.map(\.id)
    }

    @Test func pinyinInitialsFullNamesAndPartsFindTheSamePeople() async throws {
        #expect(try await found { $0.name = "zw" } == [ids[4]!, ids[6]!])
        #expect(try await found { $0.name = "ZWH" } == [ids[6]!])
        #expect(try await found { $0.name = "张伟" } == [ids[4]!])
        #expect(try await found { $0.name = "文" } == [ids[6]!])
        #expect(try await found { $0.name = "zx" }.isEmpty)
    }

    @Test func filtersCombineAndAgeIsInWholeYears() async throws {
        #expect(try await found { $0.rank = "四级调研员" } == [ids[4]!])
        #expect(
            try await found {
                $0.education = "研究生"
                $0.maximumAge = 30
            } == [ids[6]!]
        )
        #expect(
            try await found {
                $0.education = "研究生"
                $0.minimumAge = 31
            }.isEmpty
        )
        #expect(try await found { $0.ethnicity = "少数民族" } == [ids[6]!])
        #expect(
            try await found {
                $0.sex = "女"
                $0.org = ServiceFixture.finance
            } == [ids[4]!]
        )
        #expect(try await found { $0.category = "行政编制,差额事业编制" }.count == 4)
        // 就高不就低: 张伟 holds a 县处级副职 rank and a 县处级正职 post, so she is 县处级正职.
        #expect(try await found { $0.level = "县处级正职" } == [ids[4]!])
        #expect(try await found { $0.level = "县处级副职" }.isEmpty)
    }

    @Test func withoutAStatusOnlyPeopleInPostAreFoundAndAStatusFindsTheOthers() async throws {
        #expect(try await found { _ in }.count == 4)
        #expect(try await found { $0.status = "辞职,退休" } == [ids[8]!, ids[9]!])
    }

    @Test func aStatisticianMayCountButNotListNorCountByName() async throws {
        let statistician = try await fixture.acting(as: "stats", role: .statistician)
        var question = PeopleQuestion()
        question.sex = "女"
        #expect(try await statistician.countPeople(question) == 2)
        await #expect(throws: ServiceError.self) { _ = try await statistician.searchPeople(question) }
        // A count of one named person with a filter would tell a statistician that person's details.
        question.name = "张伟"
        await #expect(throws: ServiceError.self) { _ = try await statistician.countPeople(question) }
    }

    @Test func someoneWhoHasMovedOutOfTheUsersUnitsIsNotFoundEvenOnAnEarlierDate() async throws {
        let approver = try await fixture.acting(as: "approver", role: .approver)
        try await drafted(
            transfer(ids[1]!, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2026-09-01"),
            by: fixture.dossier,
            approvedBy: approver
        )
        let financeOfficer = try await fixture.acting(
            as: "finance-officer",
            role: .officer,
            reach: .organization(ServiceFixture.finance)
        )
        var question = PeopleQuestion()
        question.on = day("2026-06-30")
        question.rank = "一级科员"
        // On 2026-06-30 王1 was in 财政厅; his file is kept in the hospital now.
        #expect(try await fixture.dossier.searchPeople(question).map(\.id).contains(ids[1]!))
        #expect(try await !financeOfficer.searchPeople(question).map(\.id).contains(ids[1]!))
        #expect(try await financeOfficer.countPeople(question) == 1, "王9, retired from 财政厅, is still its file")
    }

    @Test func aValueNoTableKnowsIsRefusedByName() async throws {
        let error = await #expect(throws: ServiceError.self) {
            _ = try await found { $0.education = "大专以上" }
        }
        #expect(error?.description.contains("'大专以上' is not an education code, name or group") == true)
    }

    @Test func initialsComeFromTheCommonCharactersAndLatinLettersStandForThemselves() {
        #expect(PinyinInitials.of("张伟") == "zw")
        #expect(PinyinInitials.of("欧阳娜娜") == "oynn")
        #expect(PinyinInitials.of("李A") == "la")
        #expect(PinyinInitials.areInitials("zw"))
        #expect(!PinyinInitials.areInitials("张w"))
    }
}
