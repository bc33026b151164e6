import DossierCore
import DossierReports

/// Small tables built the way the service builds them (through `ReportBuilder`), with figures
/// that can be checked by hand, for the XLSX and HTML tests.
enum RenderFixtures {
    static let dimensions = ReportDimensions(
        levels: [
            ReportLevel(label: "县处级正职", ranks: ["L1-researcher", "L2-researcher"], posts: ["division-head"]),
            ReportLevel(label: "县处级副职", ranks: ["L3-researcher", "L4-researcher"], posts: ["division-deputy"]),
            ReportLevel(label: "科员级", ranks: ["L1-clerk"], posts: []),
        ],
        ageBands: [AgeBand(label: "≤30", minimum: nil, maximum: 30), AgeBand(label: "≥31", minimum: 31, maximum: nil)],
        education: [CodeGroup(label: "本科", codes: ["20"]), CodeGroup(label: "其他", codes: [], isRest: true)],
        ethnicity: [CodeGroup(label: "汉族", codes: ["01"]), CodeGroup(label: "少数民族", codes: [], isRest: true)],
        politicalStatus: [CodeGroup(label: "中共党员", codes: ["01"]), CodeGroup(label: "群众", codes: ["13"])]
    )

    static let asOf = CivilDate(iso: "2026-12-31")!
    static let reportedOn = CivilDate(iso: "2027-01-15")!

    static func builder(_ definition: ReportDefinition, units: [ReportUnit] = []) -> ReportBuilder {
        ReportBuilder(definition: definition, dimensions: dimensions, units: units, asOf: asOf, scope: "测试厅")
    }

    /// 表5, levels by ethnicity and political status (a two-level header), whose rows-add-up
    /// check fails: one of the six people is a 二级科员, whom no level takes.
    ///
    /// | 层次       | 合计 | 汉族/党员 | 汉族/群众 | 少数民族/党员 | 少数民族/群众 |
    /// | 县处级正职 | 2    | 2         | 0         | 0             | 0             |
    /// | 县处级副职 | 1    | 0         | 0         | 0             | 1             |
    /// | 科员级     | 2    | 0         | 2         | 0             | 0             |
    /// | 合计       | 5    | 2         | 2         | 0             | 1             |
    static func politics(everyone: Int = 6, chart: ReportChart? = nil) -> ReportTable {
        let definition = ReportDefinition(
            name: "politics",
            number: 5,
            title: "民族与政治面貌",
            measure: .headcount,
            rows: .level,
            columns: [.ethnicity, .politicalStatus],
            chart: chart,
            checks: [.rowsAddUp]
        )
        let groups = [
            FactGroup(values: ["L1-researcher", "division-head", "01", "01"], count: 2),
            FactGroup(values: ["L3-researcher", "", "03", "13"], count: 1),
            FactGroup(values: ["L1-clerk", "", "01", "13"], count: 2),
            FactGroup(values: ["L2-clerk", "", "01", "01"], count: 1),
        ]
        let facts = HeadcountFacts(facts: definition.facts, groups: everyone == 0 ? [] : groups, everyone: everyone)
        return builder(definition).headcount(facts)
    }

    /// 表6, establishment use of two county bureaus: 甲局 10 approved, 12 in post; 乙局 12
    /// approved (10 administrative, 2 service), 9 in post.
    static func establishment(chart: ReportChart? = .stackedBars) -> ReportTable {
        let definition = ReportDefinition(
            name: "establishment",
            number: 6,
            title: "编制使用",
            measure: .establishment,
            rows: .organization,
            subtotalByOrgLevel: true,
            chart: chart
        )
        let a = CreditCode.make(authority: "1", entityType: "1", divisionCode: "440000", organizationCode: "00000000A")
        let b = CreditCode.make(authority: "1", entityType: "1", divisionCode: "440000", organizationCode: "00000000B")
        let units = [
            ReportUnit(code: a.description, name: "甲局", level: .county),
            ReportUnit(code: b.description, name: "乙局", level: .county),
        ]
        let rows = [
            Headcount(orgCode: a, orgName: "甲局", subject: .category(.administrative), approved: 10, occupied: 12),
            Headcount(orgCode: b, orgName: "乙局", subject: .category(.administrative), approved: 10, occupied: 7),
            Headcount(orgCode: b, orgName: "乙局", subject: .category(.serviceWorker), approved: 2, occupied: 2),
        ]
        let subjects = EstablishmentCategory.allCases.map { (code: $0.code, name: $0.chineseName) }
        return builder(definition, units: units).quota(rows, subjects: subjects)
    }

    static func cover(for table: ReportTable) -> ReportCover {
        ReportCover(for: table, principal: "负责人甲", reportedOn: reportedOn)
    }
}
