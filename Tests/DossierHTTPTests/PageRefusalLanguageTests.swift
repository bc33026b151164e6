import DossierCore
import DossierHTTP
import DossierService
import Foundation
import HTTPTypes
import Testing

/// A refusal shown on an admin page is in the pages' language: the service's Chinese sentence on
/// Chinese pages (the default), its English sentence under `--english`; the pages' own refusals
/// and the titles of refusals come from the message catalogue. The JSON API keeps the English
/// sentence whatever the pages speak.
@Suite struct PageRefusalLanguageTests {
    /// Posts a page form (URL-encoded, with the session's CSRF token) as `user`.
    private func postForm(
        _ path: String,
        _ fields: String,
        as user: String,
        in fixture: HTTPFixture
    ) async throws -> Reply {
        try await fixture.withAPI { api in
            let (cookie, csrf) = try await api.signedIn(user)
            return try await api.send(
                .post,
                path,
                body: "csrf=\(csrf)" + (fields.isEmpty ? "" : "&\(fields)"),
                headers: [.cookie: "dossier_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"]
            )
        }
    }

    private static func fixture(english: Bool) async throws -> HTTPFixture {
        var settings = HTTPFixture.settings()
        settings.english = english
        return try await HTTPFixture(settings: settings)
    }

    private static func ownDraftEnglish(_ draft: Int64) -> String {
        "Draft \(draft) was drafted by admin; another person must approve or reject it."
    }

    private static func ownDraftChinese(_ draft: Int64) -> String {
        "草稿 \(draft) 由 admin 起草；须由另一人审批或退回。"
    }

    @Test func approvingOneselfOnAChinesePageShowsTheServiceRefusalInChinese() async throws {
        let fixture = try await Self.fixture(english: false)
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0], by: .admin)
        let page = try await postForm("/admin/actions/\(draft)/approve", "", as: "admin", in: fixture)
        #expect(page.code == 409, "\(page.text.prefix(800))")
        #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("id=\"error-detail\">\(Self.ownDraftChinese(draft))<"), "\(page.text)")
        #expect(!page.text.contains("another person must approve"), "the English sentence is on a Chinese page")
        #expect(page.text.contains("<h1>按档案管理规则不予办理</h1>"), "the title is not the catalogue's")
        await #expect(try fixture.admin.draft(draft).state == .draft)
    }

    @Test func approvingOneselfOnAnEnglishPageShowsTheServiceRefusalInEnglish() async throws {
        let fixture = try await Self.fixture(english: true)
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0], by: .admin)
        let page = try await postForm("/admin/actions/\(draft)/approve", "", as: "admin", in: fixture)
        #expect(page.code == 409, "\(page.text.prefix(800))")
        #expect(page.text.contains("id=\"error-detail\">\(Self.ownDraftEnglish(draft))<"), "\(page.text)")
        #expect(!page.text.contains("须由另一人审批"), "the Chinese sentence is on an English page")
        #expect(page.text.contains("<h1>Refused by a rule of the records</h1>"))
    }

    @Test(arguments: [false, true])
    func theAPIAnswersTheEnglishSentenceWhateverThePagesSpeak(_ english: Bool) async throws {
        let fixture = try await Self.fixture(english: english)
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0], by: .admin)
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/actions/\(draft)/approve", as: .admin)
        }
        let problem = try expectProblem(reply, 409, type: "/problems/refused")
        #expect(problem["detail"] as? String == Self.ownDraftEnglish(draft))
        #expect(problem["title"] as? String == "Refused by a rule of the records")
        #expect(!reply.text.contains("草稿"))
    }

    @Test(arguments: [(false, "请从列表中选择职级。", "Choose a rank"), (true, "Choose a rank from the list.", "职级")])
    func aRankNotOnTheListIsRefusedInThePagesLanguage(
        _ english: Bool,
        _ shown: String,
        _ absent: String
    )
        async throws
    {
        let fixture = try await Self.fixture(english: english)
        let person = fixture.peopleA[0]
        let before = try await fixture.admin.drafts(state: nil, limit: 100).count
        let page = try await postForm(
            "/admin/people/\(person)/promotion",
            "rank=no-such-rank&effective_on=2025-06-01&note=",
            as: "officer",
            in: fixture
        )
        #expect(page.code == 422, "\(page.text.prefix(800))")
        #expect(page.text.contains("id=\"error-detail\">\(shown)<"), "\(page.text)")
        #expect(!page.text.contains("id=\"error-detail\">\(absent)"))
        #expect(try await fixture.admin.drafts(state: nil, limit: 100).count == before, "a draft was saved")
    }

    @Test func aQuotaRefusalOnAChinesePageNamesTheQuotaInChinese() async throws {
        let fixture = try await Self.fixture(english: false)
        // Bureau A has one 县处级正职 post; appointing two people fills it, so the second
        // approval is refused for want of a vacancy.
        let officer = try await fixture.node(.officer)
        let approver = try await fixture.node(.approver)
        var drafts: [Int64] = []
        for person in fixture.peopleA.prefix(2) {
            drafts.append(
                try await officer.draftAction(
                    ActionDraftInput(
                        personID: person,
                        kind: .appoint,
                        effectiveOn: CivilDate(iso: "2025-03-01")!,
                        post: .divisionHead
                    )
                )
            )
        }
        _ = try await approver.approve(draft: drafts[0])
        let page = try await postForm("/admin/actions/\(drafts[1])/approve", "", as: "approver", in: fixture)
        #expect(page.code == 409, "\(page.text.prefix(800))")
        #expect(page.text.contains("第一局的县处级正职领导职数（division-head）在 2025-03-01 没有空编：核定 1 名，已占用 1 名。"), "\(page.text)")
        #expect(!page.text.contains("has no vacancy"))
    }
}
