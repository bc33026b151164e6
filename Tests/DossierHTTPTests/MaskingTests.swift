import DossierCore
import DossierService
import Foundation
import Hummingbird
import Testing

/// Identity and phone numbers are masked unless a role that may see them asks; every reveal is
/// one audit entry; refused reveals leave no trace and no number.
@Suite("Masking and reveal auditing")
struct MaskingTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// The first 6 characters, then 12 stars.
    private func isMaskedPattern(_ text: String) -> Bool {
        text.wholeMatch(of: /[0-9]{6}\*{12}/) != nil
    }

    private func reveals(since before: [AuditEntry]) async throws -> [AuditEntry] {
        try await fixture.audit(since: before).filter { $0.action == "person.reveal" }
    }

    @Test("identity numbers are masked by default for every role that reads people", arguments: RouteCase.readers)
    func maskedByDefault(principal: Principal) async throws {
        let person = fixture.peopleA[0]
        let full = fixture.idNumbers[person]!.value
        let before = try await fixture.audit()
        let (one, list, search) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people/\(person)", as: principal),
                try await api.send(.get, "/api/v1/people?limit=500", as: principal),
                try await api.send(.post, "/api/v1/people/search", as: principal, body: json(["id_number": full]))
            )
        }
        for reply in [one, list, search] {
            #expect(reply.code == 200, "\(reply.text)")
            #expect(!reply.text.contains(full), "the full number was sent")
            #expect(!reply.text.contains(HTTPFixture.phone), "the full phone number was sent")
        }
        let shown = try one.decode(PersonReply.self)
        #expect(isMaskedPattern(shown.idNumber), "\(shown.idNumber)")
        #expect(shown.idNumber == masked(full))
        #expect(shown.phone != nil && shown.phone != HTTPFixture.phone)
        for item in try list.decode(PageReply<PersonReply>.self).items {
            #expect(isMaskedPattern(item.idNumber), "\(item.idNumber)")
            #expect(item.idNumber == masked(fixture.idNumbers[item.id]!.value))
        }
        #expect(try search.decode(PersonReply.self).idNumber == masked(full))
        await #expect(try reveals(since: before).isEmpty)
    }

    @Test func anOfficersRevealShowsTheFullNumberAndAuditsExactlyOneEntry() async throws {
        let person = fixture.peopleB[1]
        let full = fixture.idNumbers[person]!.value
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/people/\(person)?reveal=true", as: .officer)
        }
        #expect(reply.code == 200, "\(reply.text)")
        let shown = try reply.decode(PersonReply.self)
        #expect(shown.idNumber == full)
        #expect(shown.phone == HTTPFixture.phone)
        let added = try await fixture.audit(since: before)
        #expect(added.count == 1, "\(added.map(\.action))")
        let entry = try #require(added.first)
        #expect(entry.action == "person.reveal")
        #expect(entry.actor == "officer")
        #expect(entry.subject == "person:\(person)")
        #expect(!entry.details.contains(full))
    }

    @Test func aRevealOfAListIsOneEntryNamingEveryoneShown() async throws {
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/people?limit=500&reveal=true", as: .officerA)
        }
        #expect(reply.code == 200, "\(reply.text)")
        let items = try reply.decode(PageReply<PersonReply>.self).items
        #expect(items.map(\.idNumber).sorted() == fixture.peopleA.map { fixture.idNumbers[$0]!.value }.sorted())
        let added = try await reveals(since: before)
        #expect(added.count == 1)
        #expect(added.first?.actor == "officer-a")
        let named =
            added.first.flatMap { entry in
                (try? JSONSerialization.jsonObject(with: Data(entry.details.utf8))) as? [String: Any]
            }?["people"] as? String
        #expect(named.map { Set($0.split(separator: ",").compactMap { Int64($0) }) } == Set(fixture.peopleA))
    }

    @Test(
        "roles that may not see identity numbers are refused a reveal, which leaves no audit entry",
        arguments: [Principal.viewer, .approver, .statistician, .inspector]
    )
    func refusedReveal(principal: Principal) async throws {
        let person = fixture.peopleA[0]
        let full = fixture.idNumbers[person]!.value
        let before = try await fixture.audit()
        let (one, list, search) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people/\(person)?reveal=true", as: principal),
                try await api.send(.get, "/api/v1/people?reveal=true", as: principal),
                try await api.send(
                    .post,
                    "/api/v1/people/search",
                    as: principal,
                    body: json(["id_number": full, "reveal": true])
                )
            )
        }
        for reply in [one, list, search] {
            try expectProblem(reply, 403, type: "/problems/forbidden")
            #expect(!reply.text.contains(full))
        }
        await #expect(try fixture.audit(since: before).isEmpty)
    }

    @Test func aSearchWithRevealByAnOfficerShowsTheNumberAndAuditsOneEntry() async throws {
        let person = fixture.peopleA[2]
        let full = fixture.idNumbers[person]!.value
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/people/search",
                as: .officer,
                body: json(["id_number": full, "reveal": true])
            )
        }
        #expect(reply.code == 200, "\(reply.text)")
        #expect(try reply.decode(PersonReply.self).idNumber == full)
        let added = try await fixture.audit(since: before)
        #expect(added.map(\.action) == ["person.reveal"])
        #expect(added.first?.actor == "officer")
        #expect(added.first?.subject == "person:\(person)")
    }

    @Test func aSearchByAnInvalidIdentityNumberIsRefusedWithoutEchoingIt() async throws {
        let valid = fixture.idNumbers[fixture.peopleA[0]]!.value
        let wrongCheck = ["0", "1", "2"].first { $0 != String(valid.suffix(1)) }!
        let text = String(valid.prefix(17)) + wrongCheck
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/people/search", as: .officer, body: json(["id_number": text]))
        }
        try expectProblem(reply, 422, type: "/problems/invalid")
        #expect(!reply.text.contains(text))
        #expect(!reply.text.contains(String(valid.prefix(17))))
    }

    @Test func theIdentityNumberIsNeverPartOfAURL() async throws {
        let full = fixture.idNumbers[fixture.peopleA[0]]!.value
        let (document, getSearch, metrics) = try await fixture.withAPI { api in
            let document = try await api.send(.get, "/api/v1/openapi.json")
            let getSearch = try await api.send(.get, "/api/v1/people/search?id_number=\(full)", as: .officer)
            _ = try await api.send(.post, "/api/v1/people/search", as: .officer, body: json(["id_number": full]))
            return (document, getSearch, try await api.send(.get, "/metrics"))
        }
        // Search is a POST with the number in the body; a GET with it in the query finds nothing.
        #expect(getSearch.code != 200)
        #expect(!getSearch.text.contains(full))
        #expect(!metrics.text.contains(full))

        let paths = try #require(document.object()["paths"] as? [String: Any])
        #expect(paths.keys.allSatisfy { !$0.lowercased().contains("id_number") && !$0.contains("idNumber") })
        let search = try #require((paths["/api/v1/people/search"] as? [String: Any])?.keys)
        #expect(Set(search).subtracting(["parameters", "summary", "description"]) == ["post"])
        // No query or path parameter anywhere carries an identity number.
        for (path, item) in paths {
            for case let operation as [String: Any] in (item as? [String: Any] ?? [:]).values {
                for case let parameter as [String: Any] in operation["parameters"] as? [Any] ?? [] {
                    let name = (parameter["name"] as? String ?? "").lowercased()
                    #expect(!name.contains("id_number") && !name.contains("idnumber"), "\(path): \(name)")
                }
            }
        }
    }
}
