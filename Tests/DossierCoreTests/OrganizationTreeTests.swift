import DossierCore
import Testing

@Suite struct OrganizationTreeTests {
    /// A valid credit code for organisation `serial`.
    private func code(_ serial: Int) -> CreditCode {
        let digits = String(serial)
        return CreditCode.make(
            authority: "1",
            entityType: "1",
            divisionCode: "390000",
            organizationCode: "T" + String(repeating: "0", count: 8 - digits.count) + digits
        )
    }

    private func org(_ serial: Int, under parent: Int? = nil) -> Organization {
        Organization(
            id: Int64(serial),
            code: code(serial),
            name: "unit \(serial)",
            kind: .organ,
            level: .county,
            parentCode: parent.map(code)
        )
    }

    private func row(_ serial: Int, _ category: EstablishmentCategory, approved: Int, occupied: Int) -> Headcount {
        Headcount(
            orgCode: code(serial),
            orgName: "unit \(serial)",
            subject: .category(category),
            approved: approved,
            occupied: occupied
        )
    }

    /// 1 ─┬─ 2 ─── 4
    ///    └─ 3
    /// 5 (a second top-level unit)
    private var tree: OrganizationTree {
        OrganizationTree([org(1), org(2, under: 1), org(3, under: 1), org(4, under: 2), org(5)])
    }

    @Test func rootsAndChildrenKeepTheOrderGiven() {
        #expect(tree.roots.map(\.code) == [code(1), code(5)])
        #expect(tree.children(of: code(1)).map(\.code) == [code(2), code(3)])
        #expect(tree.children(of: code(4)).isEmpty)
        #expect(tree.count == 5)
    }

    @Test func aUnitWhoseParentIsNotInTheTreeIsATopLevelUnit() {
        let partial = OrganizationTree([org(2, under: 1), org(4, under: 2)])
        #expect(partial.roots.map(\.code) == [code(2)])
        #expect(partial.ancestors(of: code(2)).isEmpty)
    }

    @Test func aUnitWhoseParentIsNotInTheTreeSumsItsOwnSubtree() {
        let partial = OrganizationTree([org(2, under: 1), org(4, under: 2)])
        let sums = partial.subtreeHeadcount([
            row(1, .administrative, approved: 9, occupied: 9),
            row(2, .administrative, approved: 2, occupied: 3),
            row(4, .administrative, approved: 4, occupied: 1),
        ])
        #expect(sums[code(2)].map { [$0.units, $0.unitsOver, $0.sums.approved, $0.sums.occupied] } == [2, 1, 6, 4])
        #expect(sums[code(2)].map { [$0.sums.vacant, $0.sums.over] } == [3, 1])
        #expect(sums[code(1)] == nil)
    }

    @Test func aSubtreeIsTheUnitAndEverythingUnderItAtAnyDepth() {
        #expect(Set(tree.subtree(of: code(1)).map(\.id)) == [1, 2, 3, 4])
        #expect(tree.subtree(of: code(2)).map(\.id) == [2, 4])
        #expect(tree.subtree(of: code(5)).map(\.id) == [5])
        #expect(tree.subtree(of: code(9)).isEmpty)
    }

    @Test func ancestorsRunFromTheTopDownToTheParent() {
        #expect(tree.ancestors(of: code(4)).map(\.code) == [code(1), code(2)])
        #expect(tree.ancestors(of: code(3)).map(\.code) == [code(1)])
        #expect(tree.ancestors(of: code(1)).isEmpty)
        #expect(tree.ancestors(of: code(99)).isEmpty)
    }

    @Test func subtreeSumsCoverTheUnitAndEverythingUnderIt() {
        let sums = tree.subtreeHeadcount([
            row(1, .administrative, approved: 10, occupied: 8),
            row(2, .administrative, approved: 5, occupied: 5),
            row(4, .administrative, approved: 3, occupied: 1),
            row(4, .serviceWorker, approved: 2, occupied: 2),
            row(5, .administrative, approved: 7, occupied: 7),
        ])
        #expect(sums[code(4)].map { [$0.units, $0.sums.approved, $0.sums.occupied, $0.sums.vacant] } == [1, 5, 3, 2])
        #expect(sums[code(2)].map { [$0.units, $0.sums.approved, $0.sums.occupied, $0.sums.vacant] } == [2, 10, 8, 2])
        #expect(
            sums[code(1)].map { [$0.units, $0.sums.approved, $0.sums.occupied, $0.sums.vacant] } == [4, 20, 16, 4]
        )
        #expect(sums[code(5)].map { [$0.units, $0.sums.approved, $0.sums.occupied, $0.sums.vacant] } == [1, 7, 7, 0])
        #expect(sums[code(3)].map { [$0.units, $0.sums.approved, $0.sums.occupied] } == [1, 0, 0])
    }

    @Test func oneUnitsVacanciesDoNotHideAnothersOverQuota() {
        // Units 3 and 2 are over in 行政编制 (by two and one) while unit 4 has three vacancies
        // there and unit 2 one in 工勤编制: the parent shows both, and counts two units over quota.
        let sums = tree.subtreeHeadcount([
            row(3, .administrative, approved: 1, occupied: 3),
            row(4, .administrative, approved: 3, occupied: 0),
            row(2, .serviceWorker, approved: 1, occupied: 0),
            row(2, .administrative, approved: 1, occupied: 2),
        ])
        let top = sums[code(1)]
        #expect(top?.sums.approved == 6)
        #expect(top?.sums.occupied == 5)
        #expect(top?.sums.over == 3)
        #expect(top?.sums.vacant == 4)
        #expect(top?.unitsOver == 2)
        #expect(sums[code(2)]?.unitsOver == 1)
        #expect(sums[code(4)]?.unitsOver == 0)
    }

    @Test func leadershipPostsAndRankBandsAreNotAddedToTheEstablishment() {
        let sums = tree.subtreeHeadcount([
            row(4, .administrative, approved: 2, occupied: 1),
            Headcount(orgCode: code(4), orgName: "unit 4", subject: .post(.sectionHead), approved: 1, occupied: 1),
            Headcount(orgCode: code(4), orgName: "unit 4", subject: .rankBand("clerk"), approved: 9, occupied: 9),
        ])
        #expect(sums[code(1)]?.sums.approved == 2)
        #expect(sums[code(1)]?.sums.occupied == 1)
    }

    @Test func rowsOfUnitsOutsideTheTreeAreLeftOut() {
        let sums = tree.subtreeHeadcount([
            row(1, .administrative, approved: 1, occupied: 1), row(42, .administrative, approved: 9, occupied: 9),
        ])
        #expect(sums[code(1)]?.sums.approved == 1)
        #expect(sums[code(42)] == nil)
    }
}
