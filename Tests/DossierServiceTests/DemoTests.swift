import DossierCore
import DossierCrypto
import DossierService
import DossierStorage
import DossierStore
import Foundation
import Testing

/// A fresh in-memory node holding only the administrator.
func freshNode() async throws -> Dossier {
    let store = try DossierStore.inMemory(keys: FieldKeys.generate())
    try await Dossier.addFirstUser(User(name: "admin", role: .admin, displayName: "A"), to: store)
    return try await Dossier.acting(on: store, as: "admin")
}

/// A fresh node loaded with the demo province.
func demoNode(people: Int = 300, seed: UInt64 = 42) async throws -> (Dossier, DemoSummary) {
    let dossier = try await freshNode()
    let summary = try await dossier.loadDemo(people: people, seed: seed, today: today)
    return (dossier, summary)
}

/// What a personnel officer sees of one person in a listing (file numbers aside).
struct ListedPerson: Hashable {
    var name: String
    var idNumber: String
    var org: CreditCode?
    var category: EstablishmentCategory?
    var rank: Rank?
    var post: LeadershipPost?
    var status: PersonStatus?
    var since: CivilDate?

    init(_ view: PersonView) {
        name = view.name
        idNumber = view.idNumber
        org = view.org
        category = view.category
        rank = view.rank
        post = view.post
        status = view.status
        since = view.since
    }
}

/// The synthetic province: the same seed gives the same records, and the records are realistic.
@Suite struct DemoTests {
    @Test func sameSeedGivesTheSameProvince() async throws {
        let (first, firstSummary) = try await demoNode()
        let (second, secondSummary) = try await demoNode()
        #expect(firstSummary == secondSummary)
        #expect(firstSummary.people == 300)
        let firstPeople = try await first.people(on: today, limit: 1_000_000)
        let secondPeople = try await second.people(on: today, limit: 1_000_000)
        #expect(firstPeople.count == 300)
        #expect(firstPeople.map(ListedPerson.init) == secondPeople.map(ListedPerson.init))
        #expect(firstPeople == secondPeople)
        await #expect(try first.headcount(on: today) == second.headcount(on: today))
        await #expect(try first.organizations() == second.organizations())
    }

    @Test func differentSeedGivesADifferentProvince() async throws {
        let (first, _) = try await demoNode(seed: 42)
        let (second, _) = try await demoNode(seed: 43)
        let firstPeople = try await first.people(on: today, limit: 1_000_000).map(ListedPerson.init)
        let secondPeople = try await second.people(on: today, limit: 1_000_000).map(ListedPerson.init)
        #expect(firstPeople != secondPeople)
        #expect(Set(firstPeople.map(\.name)) != Set(secondPeople.map(\.name)))
    }

    @Test(arguments: [300, 2_000])
    func demoLeavesSomeUnitsOverQuotaAndManyWithVacancies(people: Int) async throws {
        let (dossier, summary) = try await demoNode(people: people)
        let rows = try await dossier.headcount(on: today).filter {
            if case .category = $0.subject { return true } else { return false }
        }
        let over = rows.filter { $0.over > 0 }
        let vacant = rows.filter { $0.vacant > 0 }
        #expect(!over.isEmpty, "no unit over quota with \(people) people")
        #expect(summary.overQuotaUnits == Set(over.map(\.orgCode)).count)
        #expect(vacant.count >= 20)
        #expect(vacant.count > over.count)
        await #expect(try dossier.overview(on: today).overQuota.count == over.count)
    }

    @Test func everyDemoIdentityNumberIsValidAndUnique() async throws {
        let (dossier, _) = try await demoNode()
        let people = try await dossier.people(on: today, limit: 1_000_000, reveal: true)
        #expect(people.count == 300)
        var seen = Set<String>()
        for person in people {
            let id = try ResidentID(person.idNumber)
            try id.validate(notAfter: today)
            #expect(id.sex == person.sex)
            #expect(id.birthDate == person.birthDate)
            #expect(person.birthDate.age(on: today) >= 16)
            #expect(seen.insert(id.value).inserted, "duplicate \(id.masked)")
        }
    }

    /// The CLI's default demo (2,000 people, seed 1) among others: nobody's hire may fall after the
    /// reference date, or the listing shows people with no post.
    @Test(arguments: [1, 2, 3, 42] as [UInt64])
    func everyDemoPersonIsInPostOnTheReferenceDate(seed: UInt64) async throws {
        let (dossier, _) = try await demoNode(people: 2_000, seed: seed)
        let people = try await dossier.people(on: today, limit: 1_000_000)
        #expect(people.count == 2_000)
        let unplaced = people.filter { $0.org == nil || $0.status.map { !$0.isExit } != true }
        #expect(unplaced.isEmpty, "\(unplaced.count) people not in post on \(today)")
    }

    @Test func demoAuditChainIsIntact() async throws {
        let (dossier, summary) = try await demoNode()
        let verification = try await dossier.verifyAudit()
        #expect(verification.isIntact)
        #expect(verification.checked > Int64(summary.organizations))
        await #expect(try dossier.storageProblems().isEmpty)
        let log = try await dossier.auditLog(limit: 1_000_000)
        #expect(log.contains { $0.action == "demo.people" })
        for entry in log {
            #expect(entry.details.range(of: #"\d{17}[\dX]"#, options: .regularExpression) == nil)
        }
    }

    @Test func theDemoImportsFeedsAndLeavesOneOpenCaseOfEachPlantedRule() async throws {
        let dossier = try await freshNode().on(.fixed(today))
        let summary = try await dossier.loadDemo(people: 300, seed: 42, today: today)
        #expect(summary.feeds == FeedKind.allCases.count)
        #expect(summary.openCases == 5)
        let cases = try await dossier.cases(limit: 100)
        #expect(
            cases.map(\.stored.rule).sorted()
                == [
                    .absentWithoutLeave, .contributionsStopped, .insuredElsewhere, .retirementMismatch, .unknownPerson,
                ].sorted()
        )
        #expect(cases.allSatisfy { $0.stored.openedOn == today })

        let absent = try #require(cases.first { $0.stored.rule == .absentWithoutLeave })
        let absentDetail = try await dossier.reconciliationCase(absent.stored.id)
        #expect(absentDetail.feed?.kind == .attendance)
        #expect(absentDetail.feed?.asOf == today.adding(days: -5))
        #expect(absentDetail.rows.count == 16)
        #expect(absentDetail.view.stored.evidence.facts["days"] == "16")
        #expect(!absentDetail.timeline.isEmpty)

        // The identity number not on file is a valid one that no demo person holds.
        let unknown = try #require(cases.first { $0.stored.rule == .unknownPerson })
        let revealed = try await dossier.reconciliationCase(unknown.stored.id, reveal: true)
        let number = try ResidentID(try #require(revealed.view.identity))
        try number.validate(notAfter: today)
        let people = try await dossier.people(on: today, limit: 1_000_000, reveal: true)
        #expect(!people.contains { $0.idNumber == number.value })

        let log = try await dossier.auditLog(limit: 1_000_000)
        #expect(log.filter { $0.action == "reconcile.import" }.count == FeedKind.allCases.count)
        #expect(log.filter { $0.action == "reconcile.run" }.count == 1)
    }

    @Test func theSameSeedAndDateGiveTheSameCases() async throws {
        var listings: [[String]] = []
        for _ in 0..<2 {
            let dossier = try await freshNode().on(.fixed(today))
            _ = try await dossier.loadDemo(people: 300, seed: 42, today: today)
            var listing: [String] = []
            for view in try await dossier.cases(limit: 100) {
                let detail = try await dossier.reconciliationCase(view.stored.id, reveal: true)
                listing.append(
                    "\(view.stored.id) \(view.stored.rule.rawValue) \(detail.view.identity ?? "") \(view.stored.org.value) "
                        + "\(detail.rows.count) \(view.stored.evidence.facts.sorted { $0.key < $1.key })"
                )
            }
            listings.append(listing)
        }
        #expect(listings[0] == listings[1])
        #expect(listings[0].count == 5)
    }

    @Test func aDemoWrittenToACSVOrAsOfADayThatHasNotComeImportsNoFeeds() async throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        let written = try await freshNode().on(.fixed(today))
        let toCSV = try await written.loadDemo(people: 50, seed: 1, today: today, peopleCSV: csv)
        #expect(toCSV.feeds == 0 && toCSV.openCases == 0)
        #expect(try await written.cases(status: nil).isEmpty)

        let early = try await freshNode().on(.fixed(today.adding(days: -1)))
        let ahead = try await early.loadDemo(people: 50, seed: 1, today: today)
        #expect(ahead.people == 50)
        #expect(ahead.feeds == 0 && ahead.openCases == 0)
        #expect(try await early.cases(status: nil).isEmpty)
    }

    @Test func demoCreatesOneUserPerRole() async throws {
        let (dossier, summary) = try await demoNode(people: 0)
        #expect(Set(summary.users) == Set(Dossier.demoUsers.map(\.name)))
        await #expect(Set(try dossier.users().map(\.role)) == Set(Role.allCases))
    }

    @Test func demoRefusesANodeThatAlreadyHasOrganisations() async throws {
        let fixture = try await ServiceFixture()
        let before = try await ServiceSnapshot(fixture.dossier)
        let error = await #expect(throws: ServiceError.self) {
            try await fixture.dossier.loadDemo(people: 10, seed: 1, today: today)
        }
        #expect(error?.kind == .refused)
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
    }
}

/// The staffing overview agrees with the headcount it summarises.
@Suite struct OverviewTests {
    func check(_ dossier: Dossier, on date: CivilDate, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let rows = try await dossier.headcount(on: date)
        let overview = try await dossier.overview(on: date)
        var expected: [EstablishmentCategory: [Int]] = [:]
        var posts = (approved: 0, occupied: 0)
        for row in rows {
            switch row.subject {
            case .category(let category):
                let sums = expected[category] ?? [0, 0, 0, 0]
                expected[category] = [
                    sums[0] + row.approved, sums[1] + row.occupied, sums[2] + row.vacant, sums[3] + row.over,
                ]
            case .post:
                posts.approved += row.approved
                posts.occupied += row.occupied
            case .rankBand:
                Issue.record("headcount(on:) lists establishment categories and posts only")
            }
        }
        let actual = Dictionary(
            uniqueKeysWithValues: overview.categories.map {
                ($0.category, [$0.sums.approved, $0.sums.occupied, $0.sums.vacant, $0.sums.over])
            }
        )
        #expect(actual == expected, sourceLocation: sourceLocation)
        let total = expected.values.reduce([0, 0, 0, 0]) { zip($0, $1).map(+) }
        let shownTotal = [overview.total.approved, overview.total.occupied, overview.total.vacant, overview.total.over]
        #expect(shownTotal == total, sourceLocation: sourceLocation)
        #expect(overview.posts.approved == posts.approved, sourceLocation: sourceLocation)
        #expect(overview.posts.occupied == posts.occupied, sourceLocation: sourceLocation)
        await #expect(overview.organizations == (try dossier.organizations().count), sourceLocation: sourceLocation)
        let over = rows.filter { if case .category = $0.subject { $0.over > 0 } else { false } }
        #expect(Set(overview.overQuota) == Set(over), sourceLocation: sourceLocation)
        #expect(overview.mostVacant.allSatisfy { $0.vacant > 0 }, sourceLocation: sourceLocation)
    }

    @Test func overviewTotalsEqualTheSumOfTheHeadcountOfTheDemoProvince() async throws {
        let (dossier, _) = try await demoNode(people: 2_000)
        try await check(dossier, on: today)
        try await check(dossier, on: day("2010-01-01"))
    }

    @Test func overviewTotalsEqualTheSumOfTheHeadcountOfTheFixture() async throws {
        let fixture = try await ServiceFixture()
        _ = try await fixture.acceptedImport(
            csvText([
                ImportRow(1).line(), ImportRow(3).with("post", "division-head").line(),
                ImportRow(5, org: ServiceFixture.archives, category: "pscs").line(),
            ])
        )
        try await fixture.dossier.setQuota(
            org: ServiceFixture.archives,
            subject: .category(.civilServiceManagedInstitution),
            approved: 0,
            effectiveOn: day("2025-01-01")
        )
        try await check(fixture.dossier, on: today)
        let overview = try await fixture.dossier.overview(on: today)
        #expect(overview.overQuota.map(\.orgCode) == [ServiceFixture.archives])
        #expect(overview.categories.first { $0.category == .administrative }?.sums.occupied == 3)
        #expect(overview.posts.approved == 1 && overview.posts.occupied == 1)
    }

    @Test func aUnitsHeadcountWithTheUnitsBelowIsTheNodesRestrictedToItsSubtree() async throws {
        let (dossier, _) = try await demoNode(people: 2_000)
        let organizations = try await dossier.organizations()
        let all = try await dossier.headcount(on: today)
        // Units at every depth: the top, one with units two levels down, and one with none.
        let withChildren = Set(organizations.compactMap(\.parentCode))
        let top = try #require(organizations.first { $0.parentCode == nil })
        let middle = try #require(organizations.first { $0.parentCode == top.code && withChildren.contains($0.code) })
        let leaf = try #require(organizations.first { !withChildren.contains($0.code) })
        for unit in [top, middle, leaf] {
            var subtree: Set<CreditCode> = [unit.code]
            var frontier = [unit.code]
            while let next = frontier.popLast() {
                for child in organizations where child.parentCode == next && subtree.insert(child.code).inserted {
                    frontier.append(child.code)
                }
            }
            let expected = all.filter { subtree.contains($0.orgCode) }
            #expect(!expected.isEmpty)
            let rows = try await dossier.headcount(on: today, org: unit.code, withUnitsBelow: true)
            #expect(Set(rows) == Set(expected), "\(unit.name)")
            #expect(rows.count == expected.count, "\(unit.name)")
            let own = try await dossier.headcount(on: today, org: unit.code)
            #expect(Set(own) == Set(all.filter { $0.orgCode == unit.code }), "\(unit.name)")
        }
    }
}
