import DossierCore
import DossierReports
import Testing

/// The builder sorts counted groups into a table by hand-checkable figures.
@Suite struct ReportBuilderTests {
    /// The dimensions, date and scope the writers' tests use too.
    func builder(_ definition: ReportDefinition) -> ReportBuilder {
        RenderFixtures.builder(definition)
    }

    @Test func aPersonCountsAtTheHigherOfPostAndRank() {
        let definition = ReportDefinition(
            name: "level",
            number: 2,
            title: "层次",
            measure: .headcount,
            rows: .level,
            columns: [.sex],
            checks: [.rowsAddUp]
        )
        // rank, post, sex: a 四级调研员 who is 县处级正职 counts once, at 县处级正职.
        let facts = HeadcountFacts(
            facts: definition.facts,
            groups: [
                FactGroup(values: ["L4-researcher", "division-head", "1"], count: 2),
                FactGroup(values: ["L4-researcher", "", "2"], count: 3),
                FactGroup(values: ["L1-clerk", "", "1"], count: 5),
            ],
            everyone: 10
        )
        let table = builder(definition).headcount(facts)
        #expect(table.columns == ["合计", "男", "女"])
        #expect(table.rows.map(\.label) == ["县处级正职", "县处级副职", "科员级", "合计"])
        #expect(table.rows.map(\.values) == [[2, 2, 0], [3, 0, 3], [5, 5, 0], [10, 7, 3]])
        #expect(table.total == 10)
        #expect(table.passed)
    }

    @Test func someoneNoGroupTakesFailsTheRowsAddUpCheckWithBothFigures() {
        let definition = ReportDefinition(
            name: "level",
            number: 2,
            title: "层次",
            measure: .headcount,
            rows: .level,
            columns: [.sex],
            checks: [.rowsAddUp]
        )
        // A 二级科员 belongs to no level of these dimensions (no 未定级 row takes the rest).
        let facts = HeadcountFacts(
            facts: definition.facts,
            groups: [
                FactGroup(values: ["L1-clerk", "", "1"], count: 4), FactGroup(values: ["L2-clerk", "", "2"], count: 1),
            ],
            everyone: 5
        )
        let table = builder(definition).headcount(facts)
        #expect(!table.passed)
        let check = table.checks[0]
        #expect(check.cell == "合计/合计")
        #expect(check.expected == 5)
        #expect(check.actual == 4)
    }

    @Test func twoColumnDimensionsMakeATwoLevelHeader() {
        let definition = ReportDefinition(
            name: "politics",
            number: 5,
            title: "民族与政治面貌",
            measure: .headcount,
            rows: .level,
            columns: [.ethnicity, .politicalStatus]
        )
        let facts = HeadcountFacts(
            facts: definition.facts,
            groups: [FactGroup(values: ["L1-clerk", "", "03", "01"], count: 2)],
            everyone: 2
        )
        let table = builder(definition).headcount(facts)
        #expect(table.headerRows == 2)
        #expect(table.columns == ["合计", "汉族/中共党员", "汉族/群众", "少数民族/中共党员", "少数民族/群众"])
        #expect(table.header.contains(ReportTable.HeaderCell(label: "少数民族", column: 3, row: 0, width: 2, height: 1)))
        #expect(table.rows.last?.values == [2, 0, 0, 2, 0])
    }

    @Test func movementsBalanceAndAnUnbalancedPeriodIsReported() {
        let definition = ReportDefinition(
            name: "movements",
            number: 1,
            title: "人员数量变化",
            measure: .movements(
                additions: [
                    MovementReason(label: "录用", kinds: [.hire]), MovementReason(label: "其他", kinds: [], isRest: true),
                ],
                reductions: [
                    MovementReason(label: "退休", kinds: [.retire]), MovementReason(label: "其他", kinds: [], isRest: true),
                ]
            ),
            rows: nil,
            checks: [.balance]
        )
        let changes = [
            MovementFacts.Change(kind: .hire, isAddition: true, count: 4),
            MovementFacts.Change(kind: .transferIn, isAddition: true, count: 1),
            MovementFacts.Change(kind: .retire, isAddition: false, count: 2),
        ]
        let balanced = builder(definition).movements(MovementFacts(start: 10, end: 13, changes: changes))
        #expect(balanced.columns == ["期初人数", "增加/录用", "增加/其他", "增加/小计", "减少/退休", "减少/其他", "减少/小计", "期末人数"])
        #expect(balanced.rows[0].values == [10, 4, 1, 5, 2, 0, 2, 13])
        #expect(balanced.passed)
        // Someone vanished from the end without a reduction (a placement edited by hand).
        let broken = builder(definition).movements(MovementFacts(start: 10, end: 12, changes: changes))
        #expect(!broken.passed)
        #expect(broken.checks[0].expected == 13)
        #expect(broken.checks[0].actual == 12)
    }

    @Test func quotaSubtotalsAddVacanciesAndExcessUnitByUnitNeverNetting() {
        let definition = ReportDefinition(
            name: "establishment",
            number: 6,
            title: "编制使用",
            measure: .establishment,
            rows: .organization,
            subtotalByOrgLevel: true
        )
        let a = Self.code("00000000A")
        let b = Self.code("00000000B")
        var builder = builder(definition)
        builder.units = [
            ReportUnit(code: a.description, name: "甲局", level: .county),
            ReportUnit(code: b.description, name: "乙局", level: .county),
        ]
        let rows = [
            Headcount(orgCode: a, orgName: "甲局", subject: .category(.administrative), approved: 10, occupied: 12),
            Headcount(orgCode: b, orgName: "乙局", subject: .category(.administrative), approved: 10, occupied: 7),
            Headcount(orgCode: b, orgName: "乙局", subject: .category(.serviceWorker), approved: 2, occupied: 2),
        ]
        let subjects = EstablishmentCategory.allCases.map { (code: $0.code, name: $0.chineseName) }
        let table = builder.quota(rows, subjects: subjects)
        #expect(table.columns.prefix(4) == ["合计/核定", "合计/实有", "合计/空缺", "合计/超出"])
        #expect(table.columns.count == 12)
        #expect(table.rows.map(\.label) == ["甲局", "乙局", "县小计", "合计"])
        // 合计: 22 approved, 21 occupied, yet 3 vacant and 2 over (not 1 vacant).
        #expect(table.rows[3].values.prefix(4) == [22, 21, 3, 2])
        #expect(table.rows[2].values == table.rows[3].values)
        #expect(table.total == 21)
    }

    static func code(_ organization: String) -> CreditCode {
        CreditCode.make(authority: "1", entityType: "1", divisionCode: "440000", organizationCode: organization)
    }
}
