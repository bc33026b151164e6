import DossierCore
import DossierService
import Foundation
import Hummingbird
import Testing

/// `officer-a` may read in bureau A only: bureau B's people look exactly like people who do not
/// exist, whichever way they are asked for.
@Suite("Read scoping")
struct ScopingTests {
    let fixture: HTTPFixture
    /// A file number no one has.
    let missing: Int64 = 999_999

    init() async throws { fixture = try await HTTPFixture() }

    /// A problem with the varying part (an id, a masked number, the path) replaced, to compare
    /// the shapes of two answers.
    private func shape(_ reply: Reply, replacing varying: String) throws -> [String: String] {
        let problem = try expectProblem(reply, 404, type: "/problems/not-found")
        var shape: [String: String] = [:]
        for (key, value) in problem {
            let text = "\(value)"
            shape[key] =
                ["detail", "instance"].contains(key) ? text.replacingOccurrences(of: varying, with: "…") : text
        }
        #expect(shape["detail"]?.contains("…") == true, "the detail does not name what was asked for")
        return shape
    }

    @Test func aPersonOfAnotherBureauByIDIsNotFoundLikeAMissingOne() async throws {
        let other = fixture.peopleB[0]
        let missing = self.missing
        let (outside, absent) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people/\(other)", as: .officerA),
                try await api.send(.get, "/api/v1/people/\(missing)", as: .officerA)
            )
        }
        #expect(try shape(outside, replacing: String(other)) == shape(absent, replacing: String(missing)))
        #expect(!outside.text.contains("测试31"))
        #expect(!outside.text.contains(masked(fixture.idNumbers[other]!.value)))
    }

    @Test func aPersonOfAnotherBureauBySearchIsNotFoundLikeAnUnknownIdentityNumber() async throws {
        let other = fixture.idNumbers[fixture.peopleB[0]]!
        let unknown = fixture.unknownIDNumber
        let (outside, absent, inside) = try await fixture.withAPI { api in
            (
                try await api.send(
                    .post,
                    "/api/v1/people/search",
                    as: .officerA,
                    body: json(["id_number": other.value])
                ),
                try await api.send(
                    .post,
                    "/api/v1/people/search",
                    as: .officerA,
                    body: json(["id_number": unknown.value])
                ),
                try await api.send(
                    .post,
                    "/api/v1/people/search",
                    as: .officerA,
                    body: json(["id_number": fixture.idNumbers[fixture.peopleA[0]]!.value])
                )
            )
        }
        #expect(try shape(outside, replacing: other.masked) == shape(absent, replacing: unknown.masked))
        #expect(!outside.text.contains("测试31"))
        #expect(inside.code == 200, "\(inside.text)")
        #expect(try inside.decode(PersonReply.self).id == fixture.peopleA[0])
    }

    @Test func theTimelineOfAPersonOfAnotherBureauIsNotFoundLikeAMissingOne() async throws {
        let other = fixture.peopleB[0]
        let missing = self.missing
        let (outside, absent, inside) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people/\(other)/timeline", as: .officerA),
                try await api.send(.get, "/api/v1/people/\(missing)/timeline", as: .officerA),
                try await api.send(.get, "/api/v1/people/\(fixture.peopleA[0])/timeline", as: .officerA)
            )
        }
        #expect(try shape(outside, replacing: String(other)) == shape(absent, replacing: String(missing)))
        #expect(inside.code == 200, "\(inside.text)")
        #expect(try inside.array().count == 1)
    }

    @Test func anOutOfScopeRevealIsNotFoundAndAuditsNothing() async throws {
        let other = fixture.peopleB[0]
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/people/\(other)?reveal=true", as: .officerA)
        }
        try expectProblem(reply, 404)
        #expect(!reply.text.contains(fixture.idNumbers[other]!.value))
        await #expect(try fixture.audit(since: before).isEmpty)
    }

    @Test func anAdministratorScopesAUserThroughTheAPIAndRevokingTheLastGrantLeavesThemNothing() async throws {
        let wholeNode = #"{"role":"officer","org":null}"#
        let grant = json(["role": "officer", "org": HTTPFixture.bureauB.value])
        let person = fixture.peopleB[0]
        let (unscoped, granted, listedGrants, scopedPage, revoked, emptyPage, lookUp, refused) =
            try await fixture
            .withAPI { api in
                (
                    try await api.send(.post, "/api/v1/users/officer/grants/revoke", as: .admin, body: wholeNode),
                    try await api.send(.post, "/api/v1/users/officer/grants", as: .admin, body: grant),
                    try await api.send(.get, "/api/v1/users/officer/grants", as: .admin),
                    try await api.send(.get, "/api/v1/people?limit=500", as: .officer),
                    try await api.send(.post, "/api/v1/users/officer/grants/revoke", as: .admin, body: grant),
                    try await api.send(.get, "/api/v1/people?limit=500", as: .officer),
                    try await api.send(.get, "/api/v1/people/\(person)?reveal=true", as: .officer),
                    try await api.send(.post, "/api/v1/users/viewer/grants", as: .officer, body: grant)
                )
            }
        #expect(unscoped.code == 204, "\(unscoped.text)")
        #expect(granted.code == 201, "\(granted.text)")
        #expect(listedGrants.text.contains(HTTPFixture.bureauB.value), "\(listedGrants.text)")
        let scoped = try scopedPage.decode(PageReply<PersonReply>.self).items.map(\.id).sorted()
        #expect(scoped == fixture.peopleB.sorted())
        // Without any grant left, the officer reaches nobody (it used to be everybody).
        #expect(revoked.code == 204, "\(revoked.text)")
        #expect(try emptyPage.decode(PageReply<PersonReply>.self).items.isEmpty, "\(emptyPage.text)")
        try expectProblem(lookUp, 404)
        #expect(!lookUp.text.contains(fixture.idNumbers[person]!.value))
        try expectProblem(refused, 403)
    }

    @Test func theListShowsOnlyTheScopedOfficersBureau() async throws {
        let (page, askedForB, unscoped) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people?limit=500", as: .officerA),
                try await api.send(.get, "/api/v1/people?limit=500&org=\(HTTPFixture.bureauB.value)", as: .officerA),
                try await api.send(.get, "/api/v1/people?limit=500", as: .officer)
            )
        }
        #expect(page.code == 200, "\(page.text)")
        let listed = try page.decode(PageReply<PersonReply>.self)
        #expect(listed.items.map(\.id).sorted() == fixture.peopleA.sorted())
        #expect(Set(listed.items.compactMap(\.org)) == [HTTPFixture.bureauA.value])
        #expect(listed.nextCursor == nil)

        // Asking for bureau B by name shows none of its people either.
        if askedForB.code == 200 {
            #expect(try askedForB.decode(PageReply<PersonReply>.self).items.isEmpty)
        } else {
            try expectProblem(askedForB, 404)
        }

        // An officer without grants sees the whole node.
        #expect(try unscoped.decode(PageReply<PersonReply>.self).items.map(\.id).sorted() == fixture.everyone)
    }

    @Test func draftsOfAnotherBureauAreNeitherListedNorReadableNorMadeByTheScopedOfficer() async throws {
        let inB = try await fixture.draftResignation(of: fixture.peopleB[0], by: .admin)
        let inA = try await fixture.draftResignation(of: fixture.peopleA[0], by: .admin)
        let personB = fixture.peopleB[1]
        let (list, read, drafted) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/actions?state=all", as: .officerA),
                try await api.send(.get, "/api/v1/actions/\(inB)", as: .officerA),
                try await api.send(
                    .post,
                    "/api/v1/actions",
                    as: .officerA,
                    body: json(["person_id": personB, "kind": "resign", "effective_on": "2025-06-01"])
                )
            )
        }
        #expect(list.code == 200, "\(list.text)")
        #expect(try list.decode(PageReply<DraftReply>.self).items.map(\.id) == [inA])
        try expectProblem(read, 404)
        try expectProblem(drafted, 404)
        await #expect(try fixture.admin.drafts(state: nil, limit: 100).map(\.id).sorted() == [inB, inA].sorted())
    }

    @Test func anOutOfScopeSearchWithRevealIsNotFoundAndAuditsNothing() async throws {
        let other = fixture.idNumbers[fixture.peopleB[1]]!.value
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/people/search",
                as: .officerA,
                body: json(["id_number": other, "reveal": true])
            )
        }
        try expectProblem(reply, 404, type: "/problems/not-found")
        #expect(!reply.text.contains(other))
        await #expect(try fixture.audit(since: before).isEmpty)
    }
}
