import DossierCore
import DossierHTTP
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The admin pages' establishment drill-down: the dashboard's top-level units and each
/// organisation page's breadcrumb and units below, with headcount summed over every subtree.
@Suite("Drill-down pages")
struct DrilldownPageTests {
    /// 第一处, under bureau A: three people on an administrative quota of three, cut to one from
    /// `cut` (over quota after it), and a political-legal quota of two that nobody fills.
    static let divisionA1 = orgCode(4)
    /// 第一科, under division A1: one person on an administrative quota of five (a leaf three
    /// levels down).
    static let sectionA1 = orgCode(5)
    /// 第二处, under bureau A beside division A1: one person on an administrative quota of four.
    static let divisionA2 = orgCode(6)
    /// 第三处, under bureau B: an administrative quota of four, nobody in it.
    static let divisionB1 = orgCode(7)
    /// 东海省另一委员会: a second top-level unit, nothing under it, a quota of two.
    static let otherRoot = orgCode(8)
    /// The administrative quota of division A1 before and after `cut`.
    static let divisionA1Quota = (before: 3, after: 1)
    static let divisionA1People = [41, 42, 43]

    static let established = CivilDate(iso: "2000-01-01")!
    static let cut = CivilDate(iso: "2025-01-01")!
    static let beforeAnyQuota = CivilDate(iso: "1999-12-31")!
    static let beforeCut = CivilDate(iso: "2024-06-01")!
    static let afterCut = CivilDate(iso: "2025-06-01")!

    let fixture: HTTPFixture

    init() async throws {
        fixture = try await HTTPFixture()
        let admin = fixture.admin
        let units: [(CreditCode, String, CreditCode?)] = [
            (Self.divisionA1, "第一处", HTTPFixture.bureauA), (Self.sectionA1, "第一科", Self.divisionA1),
            (Self.divisionA2, "第二处", HTTPFixture.bureauA), (Self.divisionB1, "第三处", HTTPFixture.bureauB),
            (Self.otherRoot, "东海省另一委员会", nil),
        ]
        for (code, name, parent) in units {
            _ = try await admin.addOrganization(
                NewOrganization(code: code, name: name, kind: .organ, level: .province, parentCode: parent)
            )
        }
        let quotas: [(CreditCode, EstablishmentCategory, Int)] = [
            (Self.divisionA1, .administrative, Self.divisionA1Quota.before),
            (Self.divisionA1, .politicalLegal, 2), (Self.sectionA1, .administrative, 5),
            (Self.divisionA2, .administrative, 4), (Self.divisionB1, .administrative, 4),
            (Self.otherRoot, .administrative, 2),
        ]
        for (code, category, approved) in quotas {
            try await admin.setQuota(
                org: code,
                subject: .category(category),
                approved: approved,
                effectiveOn: Self.established
            )
        }
        for sequence in Self.divisionA1People { try await hire(sequence, into: Self.divisionA1) }
        try await hire(51, into: Self.sectionA1)
        try await hire(61, into: Self.divisionA2)
        // Cut after the hires, so division A1 is over quota from the cut on.
        try await admin.setQuota(
            org: Self.divisionA1,
            subject: .category(.administrative),
            approved: Self.divisionA1Quota.after,
            effectiveOn: Self.cut
        )
    }

    /// Files and hires one person into `org` on 2024-01-05, on an administrative quota.
    private func hire(_ sequence: Int, into org: CreditCode) async throws {
        _ = try await fixture.admin.addPerson(personInput(sequence, in: org))
    }

    // MARK: Expectations, from the service's headcount and organisations

    /// The organisations directly under `code` (under nothing: the top-level ones).
    private func children(of code: CreditCode?) async throws -> Set<String> {
        await Set(try fixture.admin.organizations().filter { $0.parentCode == code }.map(\.code.value))
    }

    /// The sums a `#units` row should carry for `code` and everything under it on `date`: its
    /// establishment rows only, vacancies and over-quota taken row by row.
    private func expectedSums(of code: CreditCode, on date: CivilDate) async throws -> UnitSums {
        let organizations = try await fixture.admin.organizations()
        var subtree: Set<CreditCode> = [code]
        while true {
            let below = organizations.filter { organization in
                !subtree.contains(organization.code) && organization.parentCode.map(subtree.contains) == true
            }
            if below.isEmpty { break }
            subtree.formUnion(below.map(\.code))
        }
        let rows = try await fixture.admin.headcount(on: date).filter { row in
            guard case .category = row.subject else { return false }
            return subtree.contains(row.orgCode)
        }
        var sums = UnitSums(units: subtree.count)
        for row in rows {
            sums.approved += row.approved
            sums.occupied += row.occupied
            sums.vacancy += max(row.approved - row.occupied, 0)
            sums.over += max(row.occupied - row.approved, 0)
        }
        sums.unitsOver = Set(rows.filter { $0.occupied > $0.approved }.map(\.orgCode)).count
        return sums
    }

    /// Signs in as `user` (the administrator unless said) and reads each page in turn.
    private func pages(as user: String = "admin", _ paths: String...) async throws -> [Reply] {
        try await fixture.withAPI { api in
            let signIn = try await api.signIn(user)
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            var replies: [Reply] = []
            for path in paths { replies.append(try await api.send(.get, path, cookie: cookie)) }
            return replies
        }
    }

    private func page(_ path: String) async throws -> Reply {
        try #require(try await pages(path).first)
    }

    // MARK: Tests

    @Test func theDashboardListsEachTopLevelUnitWithTheSumsOfEverythingUnderIt() async throws {
        let reply = try await page("/admin?as_of=\(Self.afterCut)")
        #expect(reply.code == 200, "\(reply.text)")
        let rows = try #require(try unitRows(in: reply.text), "no #units table")
        let expected = try await children(of: nil).sorted()
        #expect(try rows.map(\.org).sorted() == expected)
        for row in rows {
            let expected = try await expectedSums(of: try CreditCode(row.org), on: Self.afterCut)
            #expect(row.sums == expected, "\(row.org)")
        }
    }

    @Test func overQuotaInOneUnitIsNotNettedAgainstVacanciesInItsSiblings() async throws {
        let (dashboard, root) = try await pages(
            "/admin?as_of=\(Self.afterCut)",
            "/admin/organizations/\(HTTPFixture.root)?as_of=\(Self.afterCut)"
        )
        .twoPages()
        let over = Self.divisionA1People.count - Self.divisionA1Quota.after
        // The root (on the dashboard) and bureau A (on the root's page) both hold division A1,
        // over quota, and division A2, with vacancies: both are shown, and one unit over.
        let rootRow = try #require(try unitRows(in: dashboard.text)?.first { $0.org == HTTPFixture.root.value })
        let bureauRow = try #require(try unitRows(in: root.text)?.first { $0.org == HTTPFixture.bureauA.value })
        for row in [rootRow, bureauRow] {
            #expect(row.sums.over == over, "\(row.org)")
            #expect(row.sums.vacancy > 0, "\(row.org)")
            #expect(row.sums.unitsOver == 1, "\(row.org)")
        }
        let bureauExpected = try await expectedSums(of: HTTPFixture.bureauA, on: Self.afterCut)
        #expect(bureauRow.sums == bureauExpected)
        // Bureau B holds no unit over quota.
        let bureauB = try #require(try unitRows(in: root.text)?.first { $0.org == HTTPFixture.bureauB.value })
        #expect(bureauB.sums.over == 0)
        #expect(bureauB.sums.unitsOver == 0)
    }

    @Test func theDashboardListsTheUnitOverQuotaByCategory() async throws {
        let reply = try await page("/admin?as_of=\(Self.afterCut)")
        let overQuota = try #require(table("over-quota", in: reply.text), "no #over-quota table")
        let listed = overQuota.matches(of: #/<tr [^>]*data-org="([^"]+)" data-subject="([^"]+)">/#).map {
            "\($0.output.1) \($0.output.2)"
        }
        #expect(listed == ["\(Self.divisionA1) admin"])
        #expect(!reply.text.contains("id=\"no-over-quota\""))
    }

    @Test func theOrganisationsPageFindsUnitsByNameWithTheUnitsAboveThem() async throws {
        let reply = try await page("/admin/organizations?q=%E5%A4%84")  // 处
        #expect(reply.code == 200, "\(reply.text)")
        let list = try #require(
            reply.text.firstMatch(of: #/<ul id="organization-matches">(.*?)</ul>/#.dotMatchesNewlines()),
            "no #organization-matches list"
        ).output.1
        let found = list.matches(of: #/<a href="/admin/organizations/([^"]+)">/#).map { String($0.output.1) }
        #expect(found == [Self.divisionA1, Self.divisionA2, Self.divisionB1].map(\.value))
        #expect(list.contains("东海省测试委员会 › 第一局"), "\(list)")
        let none = try await page("/admin/organizations?q=%E5%85%AC%E5%AE%89")  // 公安
        #expect(none.text.contains("id=\"no-organization-matches\""))
        let plain = try await page("/admin/organizations")
        #expect(!plain.text.contains("organization-matches"))
    }

    @Test func theOrganisationsRouteAnswersTheBestMatchesForQ() async throws {
        let (found, all, tooLong) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/organizations?q=%E7%AC%AC%E4%B8%80", as: .viewer),  // 第一
                try await api.send(.get, "/api/v1/organizations?q=%20", as: .viewer),
                try await api.send(.get, "/api/v1/organizations?q=" + String(repeating: "a", count: 101), as: .viewer)
            )
        }
        #expect(found.code == 200, "\(found.text)")
        let names = try #require(try JSONSerialization.jsonObject(with: Data(found.text.utf8)) as? [[String: Any]])
            .compactMap { $0["name"] as? String }
        #expect(names == ["第一局", "第一处", "第一科"])
        let every = try #require(try JSONSerialization.jsonObject(with: Data(all.text.utf8)) as? [Any])
        #expect(every.count == 8, "a blank q lists every organisation")
        try expectProblem(tooLong, 422)
    }

    @Test func anOrganisationPageShowsItsAncestorsTopFirstInTheBreadcrumb() async throws {
        let replies = try await pages(
            "/admin/organizations/\(Self.sectionA1)",
            "/admin/organizations/\(Self.divisionA1)",
            "/admin/organizations/\(HTTPFixture.root)"
        )
        let trails = try replies.map { reply in
            #expect(reply.code == 200, "\(reply.text)")
            return try breadcrumb(in: reply.text)
        }
        #expect(
            trails == [
                [HTTPFixture.root.value, HTTPFixture.bureauA.value, Self.divisionA1.value],
                [HTTPFixture.root.value, HTTPFixture.bureauA.value], [],
            ]
        )
    }

    @Test func anOrganisationPageListsExactlyTheUnitsDirectlyUnderItWithTheirSubtreeSums() async throws {
        let parents = [HTTPFixture.root, HTTPFixture.bureauA, Self.divisionA1, HTTPFixture.bureauB]
        let replies = try await pages(
            "/admin/organizations/\(parents[0])?as_of=\(Self.afterCut)",
            "/admin/organizations/\(parents[1])?as_of=\(Self.afterCut)",
            "/admin/organizations/\(parents[2])?as_of=\(Self.afterCut)",
            "/admin/organizations/\(parents[3])?as_of=\(Self.afterCut)"
        )
        for (parent, reply) in zip(parents, replies) {
            #expect(reply.code == 200, "\(reply.text)")
            let rows = try #require(try unitRows(in: reply.text), "no #units table on \(parent)'s page")
            let expected = try await children(of: parent).sorted()
            #expect(try rows.map(\.org).sorted() == expected, "\(parent)")
            for row in rows {
                let expected = try await expectedSums(of: try CreditCode(row.org), on: Self.afterCut)
                #expect(row.sums == expected, "\(row.org)")
            }
        }
    }

    @Test func aLeafOrganisationPageHasItsOwnHeadcountButNoUnitsTable() async throws {
        let replies = try await pages(
            "/admin/organizations/\(Self.sectionA1)?as_of=\(Self.afterCut)",
            "/admin/organizations/\(Self.otherRoot)?as_of=\(Self.afterCut)"
        )
        for reply in replies {
            #expect(reply.code == 200, "\(reply.text)")
            #expect(table("org-headcount", in: reply.text)?.contains("data-subject=\"admin\"") == true)
            #expect(try unitRows(in: reply.text) == nil)
        }
    }

    @Test func beforeAnyQuotaTheDashboardShowsZerosAndNoUnitOverQuota() async throws {
        let reply = try await page("/admin?as_of=\(Self.beforeAnyQuota)")
        #expect(reply.code == 200, "\(reply.text)")
        let rows = try #require(try unitRows(in: reply.text), "no #units table")
        let expected = try await children(of: nil).sorted()
        #expect(try rows.map(\.org).sorted() == expected)
        for row in rows {
            let units = try await expectedSums(of: try CreditCode(row.org), on: Self.beforeAnyQuota).units
            #expect(row.sums == UnitSums(units: units), "\(row.org)")
        }
        #expect(reply.text.contains("id=\"no-over-quota\""))
        #expect(table("over-quota", in: reply.text) == nil)
    }

    @Test func theUnitsOverQuotaAreThoseOfTheChosenDate() async throws {
        let (before, after) = try await pages("/admin?as_of=\(Self.beforeCut)", "/admin?as_of=\(Self.afterCut)")
            .twoPages()
        let rootBefore = try #require(try unitRows(in: before.text)?.first { $0.org == HTTPFixture.root.value })
        let rootAfter = try #require(try unitRows(in: after.text)?.first { $0.org == HTTPFixture.root.value })
        let rootExpected = try await expectedSums(of: HTTPFixture.root, on: Self.beforeCut)
        #expect(rootBefore.sums == rootExpected)
        #expect(rootBefore.sums.over == 0)
        #expect(rootBefore.sums.unitsOver == 0)
        #expect(before.text.contains("id=\"no-over-quota\""))
        #expect(rootAfter.sums.unitsOver == 1)
        #expect(table("over-quota", in: after.text) != nil)
    }

    @Test func anUnknownOrganisationAnswers404() async throws {
        let replies = try await pages("/admin/organizations/\(orgCode(999))", "/admin/organizations/not-a-code")
        for reply in replies {
            #expect(reply.code == 404, "\(reply.text)")
            #expect(table("org-headcount", in: reply.text) == nil)
        }
    }
}

/// The figures of one `#units` row.
private struct UnitSums: Equatable, CustomStringConvertible {
    var units = 0
    var approved = 0
    var occupied = 0
    var vacancy = 0
    var over = 0
    var unitsOver = 0

    var description: String {
        "units \(units), approved \(approved), occupied \(occupied), vacancy \(vacancy), over \(over), "
            + "units over \(unitsOver)"
    }
}

/// The inside of the table with `id`, or nil when the page has none.
private func table(_ id: String, in html: String) -> Substring? {
    guard let start = html.range(of: "<table id=\"\(id)\">"),
        let end = html[start.upperBound...].range(of: "</table>")
    else { return nil }
    return html[start.upperBound..<end.lowerBound]
}

/// The rows of the `#units` table in page order, each with its organisation's code, or nil when
/// the page has no such table.
private func unitRows(in html: String) throws -> [(org: String, sums: UnitSums)]? {
    guard let table = table("units", in: html) else { return nil }
    return try table.matches(of: #/<tr [^>]*data-org="([^"]+)">(.*?)</tr>/#).map { match in
        var cells: [String: Int] = [:]
        for cell in match.output.2.matches(of: #/<td class="number ([a-z-]+)">(\d+)</td>/#) {
            cells[String(cell.output.1)] = Int(cell.output.2)
        }
        let org = String(match.output.1)
        func cell(_ name: String) throws -> Int { try #require(cells[name], "no \(name) cell in the row of \(org)") }
        let sums = UnitSums(
            units: try cell("units"),
            approved: try cell("approved"),
            occupied: try cell("occupied"),
            vacancy: try cell("vacancy"),
            over: try cell("over"),
            unitsOver: try cell("units-over")
        )
        return (org, sums)
    }
}

/// The organisation codes linked in the breadcrumb, in page order.
private func breadcrumb(in html: String) throws -> [String] {
    let nav = try #require(html.firstMatch(of: #/<nav id="breadcrumb">(.*?)</nav>/#), "no breadcrumb")
    return nav.output.1.matches(of: #/data-org="([^"]+)"/#).map { String($0.output.1) }
}

extension [Reply] {
    /// The two replies of a two-page read.
    fileprivate func twoPages(sourceLocation: SourceLocation = #_sourceLocation) throws -> (Reply, Reply) {
        try #require(count == 2, sourceLocation: sourceLocation)
        return (self[0], self[1])
    }
}

extension DrilldownPageTests {
    @Test(arguments: Principal.users.compactMap { $0.userName })
    func everyRoleSeesTheOverviewAndNoPersonalData(user: String) async throws {
        let (dashboard, unit) = try await pages(
            as: user,
            "/admin?as_of=\(Self.afterCut)",
            "/admin/organizations/\(Self.divisionA1)?as_of=\(Self.afterCut)"
        )
        .twoPages()
        #expect(dashboard.code == 200, "\(user): \(dashboard.text)")
        #expect(unit.code == 200, "\(user): \(unit.text)")
        #expect(try unitRows(in: dashboard.text)?.isEmpty == false, "\(user) sees no units")
        for sequence in Self.divisionA1People {
            for text in [dashboard.text, unit.text] {
                #expect(!text.contains(residentID(sequence).value))
                #expect(!text.contains(masked(residentID(sequence).value)))
                #expect(!text.contains("测试\(sequence)"), "a person's name on an establishment page")
            }
        }
    }

    @Test func anOrganisationsNameIsShownAsTextNotAsMarkup() async throws {
        let code = orgCode(9)
        _ = try await fixture.admin.addOrganization(
            NewOrganization(code: code, name: "<b>局</b>", kind: .organ, level: .province, parentCode: nil)
        )
        let (dashboard, unit) = try await pages("/admin", "/admin/organizations/\(code)").twoPages()
        for reply in [dashboard, unit] {
            #expect(reply.code == 200)
            #expect(reply.text.contains("&lt;b&gt;局&lt;/b&gt;"))
            #expect(!reply.text.contains("<b>局</b>"))
        }
    }
}
