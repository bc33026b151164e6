import DossierCore
import DossierTestSupport
import Foundation
import Hummingbird
import Testing

/// The pages do what the command line does for everyday work: an officer drafts a change or a
/// correction of a person's details from the person's page (for an approver, as every action),
/// and downloads a unit's staff roster (花名册) from the organisation's page.
@Suite("Details and roster pages")
struct DetailsAndRosterPageTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    private func post(_ api: API, _ path: String, _ form: String, cookie: String) async throws -> Reply {
        try await api.send(
            .post,
            path,
            body: form,
            headers: [.cookie: "dossier_session=\(cookie)", .contentType: "application/x-www-form-urlencoded"]
        )
    }

    private func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The approval queue, as the approver's API shows it.
    private func queue(_ api: API) async throws -> Reply {
        try await api.send(.get, "/api/v1/actions?limit=500", as: .approver)
    }

    /// The drafts of a queue reply.
    private func drafts(_ reply: Reply) throws -> [[String: Any]] {
        try #require(try reply.object()["items"] as? [[String: Any]], "\(reply.text)")
    }

    @Test func anOfficerDraftsAChangeAndACorrectionOfDetailsFromThePersonPage() async throws {
        let person = fixture.peopleA[0]
        let (page, change, correction, drafts, timeline) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await api.signedIn("officer")
            let page = try await api.send(.get, "/admin/people/\(person)", cookie: cookie)
            let change = try await post(
                api,
                "/admin/people/\(person)/details",
                "csrf=\(csrf)&kind=change-details&effective_on=2026-07-01&political_status=\(escaped("中共党员"))"
                    + "&name=&ethnicity=&education=&phone=&note=\(escaped("入党"))",
                cookie: cookie
            )
            // A correction names no date: it takes effect from the filing date whatever is sent.
            let correction = try await post(
                api,
                "/admin/people/\(person)/details",
                "csrf=\(csrf)&kind=correct-details&effective_on=&name=\(escaped("张珊"))&political_status=",
                cookie: cookie
            )
            let timeline = try await api.send(.get, "/api/v1/people/\(person)/timeline", as: .admin)
            return (page, change, correction, try await queue(api), timeline)
        }
        #expect(page.code == 200, "\(page.text)")
        #expect(page.text.contains("id=\"details-form\""))
        #expect(page.text.contains("<option value=\"01\">中共党员</option>"), "the political statuses are offered")
        #expect(change.code == 303, "\(change.text)")
        #expect(change.headers[.location] == "/admin/people/\(person)?done=draftSaved")
        #expect(correction.code == 303, "\(correction.text)")

        let mine = try self.drafts(drafts).filter { ($0["person_id"] as? Int64) == person }
        let kinds = mine.compactMap { $0["kind"] as? String }
        #expect(kinds.sorted() == ["change-details", "correct-details"], "\(mine)")
        let changed = try #require(mine.first { ($0["kind"] as? String) == "change-details" })
        #expect(changed["effective_on"] as? String == "2026-07-01", "\(changed)")
        let stated = try #require(changed["details"] as? [String: Any], "\(changed)")
        #expect(stated["political_status"] as? String == "01", "\(stated)")
        #expect(stated["name"] == nil || stated["name"] is NSNull, "an empty field states nothing: \(stated)")
        #expect(changed["note"] as? String == "入党")
        let corrected = try #require(mine.first { ($0["kind"] as? String) == "correct-details" })
        #expect((corrected["details"] as? [String: Any])?["name"] as? String == "张珊", "\(corrected)")
        // Dated by the filing (the file's first action), not by the day it was drafted.
        let filed = try #require(try timeline.array().first as? [String: Any], "\(timeline.text)")
        #expect(corrected["effective_on"] as? String == filed["effective_on"] as? String, "\(corrected) \(filed)")
    }

    @Test func aChangeStatingNothingIsRefusedOnThePageAndNothingIsDrafted() async throws {
        let person = fixture.peopleA[1]
        let (before, refused, after, auditBefore) = try await fixture.withAPI { api in
            let (cookie, csrf) = try await api.signedIn("officer")
            let before = try await queue(api)
            let auditBefore = try await fixture.audit()
            let refused = try await post(
                api,
                "/admin/people/\(person)/details",
                "csrf=\(csrf)&kind=change-details&effective_on=2026-07-01&name=&political_status=",
                cookie: cookie
            )
            return (before, refused, try await queue(api), auditBefore)
        }
        #expect((400..<500).contains(refused.code), "\(refused.code) \(refused.text)")
        #expect(refused.text.contains("id=\"error-detail\""), "\(refused.text)")
        #expect(try drafts(after).count == drafts(before).count)
        await #expect(try fixture.audit(since: auditBefore).allSatisfy { !$0.action.hasPrefix("action.") })
    }

    @Test func aViewerSeesNoDetailsFormAndCannotPostOneNorCanAFormWithoutItsToken() async throws {
        let person = fixture.peopleA[0]
        let form = "kind=change-details&effective_on=2026-07-01&political_status=01"
        let (page, viewer, forged, before, after) = try await fixture.withAPI { api in
            let before = try await queue(api)
            let (cookie, csrf) = try await api.signedIn("viewer")
            let page = try await api.send(.get, "/admin/people/\(person)", cookie: cookie)
            let viewer = try await post(api, "/admin/people/\(person)/details", "csrf=\(csrf)&" + form, cookie: cookie)
            let (officer, _) = try await api.signedIn("officer")
            let forged = try await post(api, "/admin/people/\(person)/details", form, cookie: officer)
            return (page, viewer, forged, before, try await queue(api))
        }
        #expect(page.code == 200, "\(page.text)")
        #expect(!page.text.contains("id=\"details-form\""))
        #expect(viewer.code == 403, "\(viewer.code) \(viewer.text)")
        #expect(forged.code == 403, "\(forged.code) \(forged.text)")
        #expect(try drafts(after).count == drafts(before).count)
    }

    @Test func anOfficerOfOneBureauGetsNoRosterOfTheOther() async throws {
        let (own, other) = try await fixture.withAPI { api in
            let (cookie, _) = try await api.signedIn("officer-a")
            return (
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)/roster", cookie: cookie),
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauB)/roster", cookie: cookie)
            )
        }
        #expect(own.code == 200, "\(own.code)")
        #expect(other.code == 404, "\(other.code) \(other.text)")
        #expect(!(other.headers[.contentType] ?? "").contains("spreadsheet"))
    }

    @Test func theOrganisationPageOffersTheRosterWorkbookWithNumbersMasked() async throws {
        let person = fixture.peopleA[0]
        let (page, roster, shown) = try await fixture.withAPI { api in
            let (cookie, _) = try await api.signedIn("officer")
            return (
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)", cookie: cookie),
                try await api.send(
                    .get,
                    "/admin/organizations/\(HTTPFixture.bureauA)/roster?as_of=2026-07-01",
                    cookie: cookie
                ),
                try await api.send(.get, "/api/v1/people/\(person)", as: .admin)
            )
        }
        #expect(page.text.contains("id=\"org-roster\""), "\(page.text)")
        #expect(roster.code == 200, "\(roster.text)")
        #expect(roster.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        #expect(
            roster.headers[.contentDisposition]
                == "attachment; filename=\"roster-\(HTTPFixture.bureauA)-2026-07-01.xlsx\""
        )
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(roster.body.readableBytesView).write(to: file)
        let unpacked = try ChildProcess.run("/usr/bin/bsdtar", ["-xOf", file.path])
        #expect(unpacked.status == 0, "\(unpacked.output)")
        let name = try #require(try shown.object()["name"] as? String)
        #expect(unpacked.output.contains(name), "the roster lists the unit's people")
        #expect(unpacked.output.contains("已遮蔽"), "the notes say the numbers are masked")
        #expect(!unpacked.output.contains(fixture.idNumbers[person]!.value), "a full identity number in the roster")
    }
}
