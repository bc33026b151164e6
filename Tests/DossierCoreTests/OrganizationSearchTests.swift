import DossierCore
import Testing

@Suite struct OrganizationSearchTests {
    private func code(_ serial: Int) -> CreditCode {
        let digits = String(serial)
        return CreditCode.make(
            authority: "1",
            entityType: "1",
            divisionCode: "390000",
            organizationCode: "W" + String(repeating: "0", count: 8 - digits.count) + digits
        )
    }

    private func org(_ serial: Int, _ name: String, under parent: Int? = nil) -> Organization {
        Organization(
            id: Int64(serial),
            code: code(serial),
            name: name,
            kind: .organ,
            level: .province,
            parentCode: parent.map(code)
        )
    }

    private var province: [Organization] {
        [
            org(1, "东海省人民政府"),
            org(2, "东海省教育厅", under: 1),
            org(3, "海州市人民政府", under: 1),
            org(4, "海州市教育局", under: 3),
            org(5, "教育厅", under: 1),
            org(6, "东海省财政厅", under: 1),
            org(7, "人民医院集团总院", under: 1),
            org(8, "海州市人民医院", under: 3),
        ]
    }

    @Test func theExactNameComesFirstThenNamesStartingWithItThenNamesHoldingIt() {
        let found = OrganizationSearch.find("教育厅", in: province).map(\.organization.name)
        #expect(found == ["教育厅", "东海省教育厅"])
        let starting = OrganizationSearch.find("东海省", in: province).map(\.organization.name)
        #expect(starting == ["东海省教育厅", "东海省财政厅", "东海省人民政府"], "shorter names first among equals")
        let holding = OrganizationSearch.find("教育", in: province).map(\.organization.name)
        #expect(holding == ["教育厅", "东海省教育厅", "海州市教育局"], "equal rank and length: by code")
        // A name that starts with the text comes before a shorter one that only holds it.
        let hospitals = OrganizationSearch.find("人民医院", in: province).map(\.organization.name)
        #expect(hospitals == ["人民医院集团总院", "海州市人民医院"])
    }

    @Test func eachMatchCarriesTheUnitsAboveIt() {
        let found = OrganizationSearch.find("海州市教育局", in: province)
        #expect(found.count == 1)
        #expect(found.first?.ancestors.map(\.name) == ["东海省人民政府", "海州市人民政府"])
        #expect(found.first?.path == "东海省人民政府 › 海州市人民政府 › 海州市教育局")
    }

    @Test func pinyinInitialsAndTheStartOfTheCodeFindTheUnitToo() {
        #expect(OrganizationSearch.find("hzsjyj", in: province).map(\.organization.name) == ["海州市教育局"])
        #expect(OrganizationSearch.find("JYT", in: province).map(\.organization.name) == ["教育厅", "东海省教育厅"])
        let byCode = OrganizationSearch.find(String(code(4).value.prefix(17)).lowercased(), in: province)
        #expect(byCode.map(\.organization.name) == ["海州市教育局"])
    }

    @Test func blankOrUnknownTextFindsNothing() {
        #expect(OrganizationSearch.find("  ", in: province).isEmpty)
        #expect(OrganizationSearch.find("公安厅", in: province).isEmpty)
    }
}
