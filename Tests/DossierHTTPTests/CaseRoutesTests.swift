import DossierCore
import DossierService
import DossierStorage
import DossierStore
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// A social-insurance export of bureau A as the shipped format reads it, taken `asOf`: the first
/// person of bureau A with their pension suspended (个人缴费状态 2) since `stoppedOn`, the second
/// contributing as usual.
struct InsuranceExport {
    static let header = "公民身份号码,姓名,单位统一社会信用代码,险种类型,个人缴费状态,离退休标志,状态变更日期"

    let asOf: CivilDate
    let stoppedOn: CivilDate
    let text: String

    /// Taken 30 days before the node's today, so the case it opens (20 days to act) is overdue.
    init(_ fixture: HTTPFixture) {
        asOf = fixture.admin.today.adding(days: -30)
        stoppedOn = asOf.adding(days: -17)
        let org = HTTPFixture.bureauA.value
        let suspended = fixture.idNumbers[fixture.peopleA[0]]!.value
        let contributing = fixture.idNumbers[fixture.peopleA[1]]!.value
        text = [
            Self.header,
            "\(suspended),测试21,\(org),110,2,0,\(stoppedOn)",
            "\(suspended),测试21,\(org),310,1,0,2024-01-05",
            "\(contributing),测试22,\(org),110,1,0,2024-01-05",
        ].map { $0 + "\n" }.joined()
    }
}

extension API {
    /// Uploads `text` as a feed of `kind` taken `asOf`.
    func uploadFeed(
        _ text: String,
        kind: String = "social-insurance",
        asOf: CivilDate,
        query: String = "",
        as principal: Principal = .officer
    ) async throws -> Reply {
        try await send(
            .post,
            "/api/v1/feeds/\(kind)?as_of=\(asOf)\(query)",
            as: principal,
            body: text,
            headers: [.contentType: "text/csv"]
        )
    }
}

extension HTTPFixture {
    /// Imports the export through the service and runs the reconciliation as the administrator;
    /// returns the one case it opened.
    func openCase() async throws -> Int64 {
        let export = InsuranceExport(self)
        let path = admin.temporaryFilePath(".csv")
        try Data(export.text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await admin.importFeed(
            kind: .socialInsurance,
            path: path,
            asOf: export.asOf,
            fileName: "社保参保明细.csv"
        )
        let summary = try await admin.reconcile(asOf: export.asOf)
        #expect(summary.opened == 1)
        return try #require(try await admin.cases().first?.stored.id)
    }
}

/// The reconciliation routes: a feed uploaded, a run, the case it opens, its evidence and its
/// resolution, as each role may.
@Suite("Reconciliation cases over HTTP")
struct CaseRoutesTests {
    let fixture: HTTPFixture

    init() async throws {
        fixture = try await HTTPFixture()
    }

    @Test func aSuspendedPensionOfSomeoneInPostBecomesOneCaseWhoseConfirmationDraftsAnAction() async throws {
        let export = InsuranceExport(fixture)
        let person = fixture.peopleA[0]
        let (uploaded, run, list, shown, resolved, drafts) = try await fixture.withAPI { api in
            let uploaded = try await api.uploadFeed(export.text, asOf: export.asOf, query: "&file_name=社保202611.csv")
            let run = try await api.send(
                .post,
                "/api/v1/reconcile/runs",
                as: .officer,
                body: json(["as_of": export.asOf.description])
            )
            let list = try await api.send(.get, "/api/v1/cases", as: .officer)
            let id = try #require(try list.array().first as? [String: Any])["id"] as? Int64 ?? 0
            let shown = try await api.send(.get, "/api/v1/cases/\(id)", as: .officer)
            let resolved = try await api.send(
                .post,
                "/api/v1/cases/\(id)/resolve",
                as: .officer,
                body: json(["outcome": "confirmed", "note": "社保中心确认本人已离岗"])
            )
            let drafts = try await api.send(.get, "/api/v1/actions", as: .approver)
            return (uploaded, run, list, shown, resolved, drafts)
        }

        #expect(uploaded.code == 201, "\(uploaded.text)")
        let feed = try uploaded.object()
        #expect(Set(feed.keys) == ["kind", "as_of", "rows", "encoding", "feed", "sha256", "dry_run"])
        #expect(feed["kind"] as? String == "social-insurance")
        #expect(feed["as_of"] as? String == export.asOf.description)
        #expect(feed["rows"] as? Int == 3)
        #expect(feed["encoding"] as? String == "utf-8")
        #expect((feed["sha256"] as? String)?.count == 64)
        let feedID = try #require(feed["feed"] as? Int)

        #expect(run.code == 200, "\(run.text)")
        let summary = try run.object()
        #expect(summary["opened"] as? Int == 1)
        #expect(summary["already_open"] as? Int == 0)
        #expect(summary["cleared"] as? Int == 0)
        #expect(summary["kept_quiet"] as? Int == 0)
        #expect(summary["feeds"] as? [String: Int] == ["social-insurance": feedID])
        #expect((summary["rules"] as? [String])?.contains("contributions-stopped") == true)

        #expect(list.code == 200, "\(list.text)")
        let cases = try list.array()
        #expect(cases.count == 1)
        let listed = try #require(cases.first as? [String: Any])
        #expect(listed["rule"] as? String == "contributions-stopped")
        #expect(listed["person"] as? Int64 == person)
        #expect(listed["org"] as? String == HTTPFixture.bureauA.value)
        #expect(listed["status"] as? String == "open")
        #expect(listed["opened_on"] as? String == export.asOf.description)
        #expect(listed["due_on"] as? String == export.asOf.adding(days: 20).description)
        #expect(listed["overdue"] as? Bool == true)
        #expect(listed["identity"] is NSNull, "an identity number is shown only for someone not on file")
        for key in ["outcome", "note", "closed_on", "draft"] { #expect(listed[key] is NSNull, "\(key)") }
        let evidence = try #require(listed["evidence"] as? [String: Any])
        #expect(evidence["feed"] as? Int == feedID)
        #expect(evidence["rows"] as? [Int] == [2])
        #expect((evidence["facts"] as? [String: String])?["from"] == export.stoppedOn.description)

        #expect(shown.code == 200, "\(shown.text)")
        let detail = try shown.object()
        #expect(detail["id"] as? Int64 == listed["id"] as? Int64)
        #expect(detail["rule"] as? String == "contributions-stopped")
        let file = try #require(detail["feed_file"] as? [String: Any])
        #expect(file["file_name"] as? String == "社保202611.csv")
        #expect(file["as_of"] as? String == export.asOf.description)
        let rows = try #require(detail["feed_rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["row"] as? Int == 2)
        #expect(rows.first?["name"] as? String == "测试21")
        #expect(rows.first?["insurance"] as? String == "pension")
        #expect(rows.first?["contribution"] as? String == "suspended")
        #expect(rows.first?["changed_on"] as? String == export.stoppedOn.description)
        let timeline = try #require(detail["timeline"] as? [[String: Any]])
        #expect(timeline.first?["kind"] as? String == "hire")
        // No identity number anywhere in the case or its evidence.
        #expect(!shown.text.contains(fixture.idNumbers[person]!.value))

        #expect(resolved.code == 200, "\(resolved.text)")
        let resolution = try resolved.object()
        #expect(resolution["outcome"] as? String == "confirmed")
        let draft = try #require(resolution["draft"] as? Int64)
        let decided = try #require(resolution["case"] as? [String: Any])
        #expect(decided["status"] as? String == "resolved")
        #expect(decided["outcome"] as? String == "confirmed")
        #expect(decided["note"] as? String == "社保中心确认本人已离岗")
        #expect(decided["draft"] as? Int64 == draft)

        let queue = try drafts.decode(PageReply<DraftReply>.self).items
        let queued = try #require(queue.first { $0.id == draft }, "the draft is not in the approval queue")
        #expect(queued.personID == person)
        #expect(queued.state == "draft")
        await #expect(try fixture.admin.draft(draft).kind == .awol)
        await #expect(try fixture.admin.draft(draft).effectiveOn == export.stoppedOn)
    }

    @Test func aRunAsOfADayThatHasNotComeIsRefusedWith422() async throws {
        let refused = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/reconcile/runs",
                as: .officer,
                body: json(["as_of": "9999-12-31"])
            )
        }
        #expect(refused.code == 422, "\(refused.text)")
        #expect(refused.text.contains("has come"), "\(refused.text)")
    }

    @Test func someoneNotOnFileIsACaseWithTheFeedsNameAndAMaskedIdentityNumber() async throws {
        let export = InsuranceExport(fixture)
        let stranger = fixture.unknownIDNumber.value
        let text = export.text + "\(stranger),赵不在,\(HTTPFixture.bureauA.value),110,1,0,2024-03-01\n"
        let (uploaded, run, list, revealed) = try await fixture.withAPI { api in
            let uploaded = try await api.uploadFeed(text, asOf: export.asOf)
            let run = try await api.send(
                .post,
                "/api/v1/reconcile/runs",
                as: .officer,
                body: json(["as_of": export.asOf.description])
            )
            let list = try await api.send(.get, "/api/v1/cases?rule=unknown-person", as: .viewer)
            let id = (try list.array().first as? [String: Any])?["id"] as? Int64 ?? 0
            let revealed = try await api.send(.get, "/api/v1/cases/\(id)?reveal=true", as: .officer)
            return (uploaded, run, list, revealed)
        }
        #expect(uploaded.code == 201, "\(uploaded.text)")
        #expect(try run.object()["opened"] as? Int == 2)
        let cases = try list.array()
        #expect(cases.count == 1)
        let unknown = try #require(cases.first as? [String: Any])
        #expect(unknown["person"] is NSNull)
        #expect(unknown["name"] as? String == "赵不在")
        #expect(unknown["identity"] as? String == masked(stranger))
        #expect(!list.text.contains(stranger))
        #expect(try revealed.object()["identity"] as? String == stranger, "\(revealed.text)")
        #expect(try revealed.object()["timeline"] as? [Any] != nil)
    }

    @Test func anInspectorReadsACaseButMayNotDecideIt() async throws {
        let id = try await fixture.openCase()
        let (read, resolve) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/cases/\(id)", as: .inspector),
                try await api.send(
                    .post,
                    "/api/v1/cases/\(id)/resolve",
                    as: .inspector,
                    body: json(["outcome": "dismissed", "note": "看过了"])
                )
            )
        }
        #expect(read.code == 200, "\(read.text)")
        #expect(try read.object()["status"] as? String == "open")
        try expectProblem(resolve, 403, type: "/problems/forbidden")
        await #expect(try fixture.admin.reconciliationCase(id).view.stored.status == .open)
    }

    @Test func aStatisticianGetsTheCountsButNeitherTheListNorACase() async throws {
        let id = try await fixture.openCase()
        let (counts, list, one) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/cases/counts", as: .statistician),
                try await api.send(.get, "/api/v1/cases", as: .statistician),
                try await api.send(.get, "/api/v1/cases/\(id)", as: .statistician)
            )
        }
        #expect(counts.code == 200, "\(counts.text)")
        let rows = try counts.array()
        #expect(rows.count == 1)
        let row = try #require(rows.first as? [String: Any])
        #expect(Set(row.keys) == ["org", "rule", "open", "overdue"])
        #expect(row["org"] as? String == HTTPFixture.bureauA.value)
        #expect(row["rule"] as? String == "contributions-stopped")
        #expect(row["open"] as? Int == 1)
        #expect(row["overdue"] as? Int == 1)
        try expectProblem(list, 403, type: "/problems/forbidden")
        try expectProblem(one, 403, type: "/problems/forbidden")
    }

    @Test func anOfficerOfAnotherBureauDoesNotSeeTheCase() async throws {
        let id = try await fixture.openCase()
        try await fixture.admin.addUser(
            User(name: "officer-b", role: .officer, displayName: "第二局干部"),
            reach: .organization(HTTPFixture.bureauB)
        )
        let token = try await fixture.admin.issueToken(user: "officer-b", label: "tests").secret
        let (list, one, resolve) = try await fixture.withAPI { api in
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            return (
                try await api.send(.get, "/api/v1/cases", headers: headers),
                try await api.send(.get, "/api/v1/cases/\(id)", headers: headers),
                try await api.send(
                    .post,
                    "/api/v1/cases/\(id)/resolve",
                    body: json(["outcome": "dismissed", "note": "不是我们的人"]),
                    headers: headers
                )
            )
        }
        #expect(list.code == 200)
        #expect(try list.array().isEmpty)
        try expectProblem(one, 404, type: "/problems/not-found")
        try expectProblem(resolve, 404, type: "/problems/not-found")
    }

    @Test func aFileWithTheWrongHeaderIsRefusedWithItsProblemsAndNothingIsKept() async throws {
        let export = InsuranceExport(fixture)
        let wrong = export.text.replacingOccurrences(of: "险种类型", with: "险种")
        let before = try fixture.store.feedCounts()
        let audit = try await fixture.audit()
        let reply = try await fixture.withAPI { api in try await api.uploadFeed(wrong, asOf: export.asOf) }
        #expect(reply.code == 422, "\(reply.text)")
        #expect(reply.headers[.contentType] == "application/problem+json")
        let problem = try reply.object()
        #expect(problem["type"] as? String == "/problems/invalid")
        #expect((problem["detail"] as? String)?.contains("header") == true, "\(problem)")
        let problems = try #require(problem["problems"] as? [[String: Any]])
        #expect(!problems.isEmpty)
        #expect(problems.allSatisfy { $0["row"] as? Int == 1 })
        #expect(problems.allSatisfy { Set($0.keys) == ["row", "column", "value", "message"] })
        #expect(try fixture.store.feedCounts() == before)
        #expect(try await fixture.audit(since: audit).isEmpty)
    }

    @Test func aRowProblemNamesItsRowAndColumnWithoutTheIdentityNumber() async throws {
        let export = InsuranceExport(fixture)
        // The second person's pension row with an insurance code the format does not know.
        let broken = export.text.replacingOccurrences(of: ",110,1,0,", with: ",999,1,0,")
        let before = try fixture.store.feedCounts()
        let reply = try await fixture.withAPI { api in try await api.uploadFeed(broken, asOf: export.asOf) }
        #expect(reply.code == 422, "\(reply.text)")
        let problems = try #require(try reply.object()["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["row"] as? Int == 4)
        #expect(problems.first?["column"] as? String == "险种类型")
        #expect(problems.first?["value"] as? String == "999")
        for id in fixture.idNumbers.values { #expect(!reply.text.contains(id.value)) }
        #expect(try fixture.store.feedCounts() == before)
    }

    @Test func aDryRunChecksTheFileAndKeepsNothing() async throws {
        let export = InsuranceExport(fixture)
        let reply = try await fixture.withAPI { api in
            try await api.uploadFeed(export.text, asOf: export.asOf, query: "&dry_run=true")
        }
        #expect(reply.code == 200, "\(reply.text)")
        let body = try reply.object()
        #expect(body["feed"] is NSNull)
        #expect(body["dry_run"] as? Bool == true)
        #expect(body["rows"] as? Int == 3)
        #expect(try fixture.store.feedCounts() == FeedCounts(feeds: 0, rows: 0))
    }

    @Test func theSameFileTwiceIsRefusedTheSecondTime() async throws {
        let export = InsuranceExport(fixture)
        let (first, second) = try await fixture.withAPI { api in
            (
                try await api.uploadFeed(export.text, asOf: export.asOf),
                try await api.uploadFeed(export.text, asOf: export.asOf)
            )
        }
        #expect(first.code == 201, "\(first.text)")
        try expectProblem(second, 409, type: "/problems/refused")
        #expect(try fixture.store.feedCounts().feeds == 1)
    }

    @Test func aViewerMayNotUploadAFeedAndNothingOfTheFileIsKept() async throws {
        let export = InsuranceExport(fixture)
        let reply = try await fixture.withAPI { api in
            try await api.uploadFeed(export.text, asOf: export.asOf, as: .viewer)
        }
        try expectProblem(reply, 403, type: "/problems/forbidden")
        #expect(try fixture.store.feedCounts().feeds == 0)
    }

    @Test(arguments: ["", "?as_of=2026-13-01"])
    func anUploadWithoutTheDayOfTheExportIsRefused(query: String) async throws {
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/feeds/social-insurance\(query)",
                as: .officer,
                body: InsuranceExport.header + "\n",
                headers: [.contentType: "text/csv"]
            )
        }
        try expectProblem(reply, 400, type: "/problems/bad-request")
    }

    @Test func anUnknownKindOfFeedIsNotFound() async throws {
        let reply = try await fixture.withAPI { api in
            try await api.uploadFeed("a,b\n", kind: "pensions", asOf: CivilDate(iso: "2026-11-01")!)
        }
        try expectProblem(reply, 404, type: "/problems/not-found")
    }

    @Test func aCaseCannotBeDecidedTwice() async throws {
        let id = try await fixture.openCase()
        let (first, second) = try await fixture.withAPI { api in
            let body = json(["outcome": "dismissed", "note": "社保中心数据有误"])
            return (
                try await api.send(.post, "/api/v1/cases/\(id)/resolve", as: .officer, body: body),
                try await api.send(.post, "/api/v1/cases/\(id)/resolve", as: .officer, body: body)
            )
        }
        #expect(first.code == 200, "\(first.text)")
        #expect(try first.object()["draft"] is NSNull)
        try expectProblem(second, 409, type: "/problems/refused")
    }

    @Test(arguments: [
        "?status=closed", "?rule=no-such-rule", "?limit=0", "?offset=-1", "?org=not-a-code",
    ])
    func aListWithAMalformedFilterIsABadRequest(query: String) async throws {
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/cases\(query)", as: .officer) }
        try expectProblem(reply, 400, type: "/problems/bad-request")
    }

    @Test func theListFiltersByStatusAndRule() async throws {
        let id = try await fixture.openCase()
        _ = try await fixture.node(.officer).resolveCase(id, outcome: .corrected, note: "已补缴")
        let (open, resolved, all, otherRule) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/cases", as: .viewer),
                try await api.send(.get, "/api/v1/cases?status=resolved", as: .viewer),
                try await api.send(.get, "/api/v1/cases?status=all&rule=contributions-stopped", as: .viewer),
                try await api.send(.get, "/api/v1/cases?status=all&rule=unknown-person", as: .viewer)
            )
        }
        #expect(try open.array().isEmpty)
        #expect(try resolved.array().count == 1)
        #expect(try all.array().count == 1)
        #expect(try otherRule.array().isEmpty)
    }

    // MARK: Pages

    @Test func theCasesPageListsOverdueCasesAndTheCasePageResolvesThroughItsForm() async throws {
        let id = try await fixture.openCase()
        let person = fixture.peopleA[0]
        let (list, filtered, page, posted, after) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await api.signedIn("officer")
            let list = try await api.send(.get, "/admin/cases", cookie: cookie)
            let filtered = try await api.send(.get, "/admin/cases?org=\(HTTPFixture.bureauB)", cookie: cookie)
            let page = try await api.send(.get, "/admin/cases/\(id)", cookie: cookie)
            let form = "csrf=\(csrf)&outcome=confirmed&note=%E5%B7%B2%E6%A0%B8%E5%AE%9E"
            let posted = try await api.send(
                .post,
                "/admin/cases/\(id)/resolve",
                body: form,
                headers: [
                    .cookie: "dossier_session=\(cookie)", .contentType: "application/x-www-form-urlencoded",
                ]
            )
            let after = try await api.send(.get, posted.headers[.location] ?? "/admin/cases/\(id)", cookie: cookie)
            return (list, filtered, page, posted, after)
        }
        #expect(list.code == 200, "\(list.text)")
        #expect(list.text.contains("data-case=\"\(id)\""))
        #expect(list.text.contains("class=\"overdue\""))
        #expect(list.text.contains("href=\"/admin/cases/\(id)\""))
        #expect(list.text.contains("在职但社保停缴"))
        #expect(!filtered.text.contains("data-case=\"\(id)\""), "bureau B's list shows bureau A's case")

        #expect(page.code == 200, "\(page.text)")
        #expect(page.text.contains("id=\"feed-file\">社保参保明细.csv<"))
        #expect(page.text.contains("data-row=\"2\""))
        #expect(page.text.contains("href=\"/admin/people/\(person)\""))
        #expect(page.text.contains("id=\"resolve-form\""))
        // The hire the finding rests on is marked in the timeline.
        #expect(page.text.contains("class=\"cited\""))
        #expect(!page.text.contains(fixture.idNumbers[person]!.value))

        #expect(posted.code == 303, "\(posted.text)")
        #expect(after.text.contains("id=\"flash\""))
        #expect(after.text.contains("data-status=\"resolved\""))
        #expect(!after.text.contains("id=\"resolve-form\""))
        let stored = try await fixture.admin.reconciliationCase(id).view.stored
        #expect(stored.status == .resolved)
        #expect(stored.closedBy == "officer")
        #expect(stored.draftID != nil)
    }

    @Test func anInspectorSeesTheCasePageWithoutTheFormAndAStatisticianOnlyTheTile() async throws {
        let id = try await fixture.openCase()
        let (inspector, statistician) = try await fixture.withAPI { api in
            let (inspector, _) = try await api.signedIn("inspector")
            let (statistician, _) = try await api.signedIn("statistician")
            return (
                (
                    try await api.send(.get, "/admin/cases/\(id)", cookie: inspector),
                    try await api.send(.get, "/admin", cookie: inspector)
                ),
                (
                    try await api.send(.get, "/admin", cookie: statistician),
                    try await api.send(.get, "/admin/cases", cookie: statistician),
                    try await api.send(.get, "/admin/cases/\(id)", cookie: statistician)
                )
            )
        }
        #expect(inspector.0.code == 200, "\(inspector.0.text)")
        #expect(inspector.0.text.contains("data-row=\"2\""))
        #expect(!inspector.0.text.contains("id=\"resolve-form\""))
        // Inspectors do not read personnel files: no link to one.
        #expect(!inspector.0.text.contains("id=\"person-link\""))
        #expect(inspector.1.text.contains("id=\"cases-link\""))

        #expect(statistician.0.code == 200, "\(statistician.0.text)")
        #expect(statistician.0.text.contains("id=\"open-cases\">1<"))
        #expect(statistician.0.text.contains("id=\"overdue-cases\">1<"))
        #expect(!statistician.0.text.contains("id=\"cases-link\""))
        #expect(!statistician.0.text.contains("id=\"nav-cases\""))
        #expect(statistician.1.code == 403)
        #expect(statistician.2.code == 403)
        #expect(!statistician.2.text.contains("data-row"))
    }
}
