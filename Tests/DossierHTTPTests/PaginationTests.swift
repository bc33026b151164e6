import DossierCore
import DossierService
import Hummingbird
import Testing

/// Lists come a page at a time: `limit` from 1 to 500, `next_cursor` to pass back, null on the
/// last page.
@Suite("Pagination")
struct PaginationTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// Walks `/api/v1/people` `limit` at a time as `principal`; returns every page's ids and the
    /// total each page gave.
    private func walk(
        _ api: API,
        limit: Int,
        as principal: Principal,
        path: String = "/api/v1/people?"
    ) async throws -> [[Int64]] {
        try await walkWithTotals(api, limit: limit, as: principal, path: path).pages
    }

    private func walkWithTotals(
        _ api: API,
        limit: Int,
        as principal: Principal,
        path: String = "/api/v1/people?"
    ) async throws -> (pages: [[Int64]], totals: [Int?]) {
        var pages: [[Int64]] = []
        var totals: [Int?] = []
        var cursor: String?
        repeat {
            let uri = path + "limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await api.send(.get, uri, as: principal)
            #expect(reply.code == 200, "\(uri): \(reply.text)")
            #expect(try reply.object().keys.contains("total"), "\(reply.text)")
            let page = try reply.decode(PageReply<PersonReply>.self)
            totals.append(page.total)
            pages.append(page.items.map(\.id))
            #expect(page.items.count <= limit)
            if page.nextCursor != nil { #expect(page.items.count == limit, "a short page offered another") }
            cursor = page.nextCursor
            #expect(pages.count <= fixture.everyone.count + 1, "the walk does not end")
        } while cursor != nil && pages.count <= fixture.everyone.count + 1
        return (pages, totals)
    }

    /// The first page says how many there are in all (what "100 of 3,214" needs), counted for
    /// the user's scope; later pages leave it null rather than count again.
    @Test(arguments: [1, 2, 500])
    func theFirstPageGivesTheTotalWithinTheUsersReach(limit: Int) async throws {
        let (admin, scoped, searched) = try await fixture.withAPI { api in
            (
                try await walkWithTotals(api, limit: limit, as: .admin),
                try await walkWithTotals(api, limit: limit, as: .officerA),
                try await walkWithTotals(api, limit: limit, as: .admin, path: "/api/v1/search/people?")
            )
        }
        #expect(admin.totals.first == fixture.everyone.count, "\(admin.totals)")
        #expect(scoped.totals.first == fixture.peopleA.count, "\(scoped.totals)")
        #expect(admin.totals.dropFirst().allSatisfy { $0 == nil }, "\(admin.totals)")
        #expect(scoped.totals.dropFirst().allSatisfy { $0 == nil }, "\(scoped.totals)")
        let count = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/search/people/count", as: .admin).object()["count"] as? Int
        }
        #expect(searched.totals.first == count, "\(searched.totals) against \(String(describing: count))")
        #expect(searched.pages.flatMap { $0 }.count == count)
    }

    @Test(arguments: [1, 2, 4, 500])
    func walkingEveryPageByItsCursorListsEveryoneOnce(limit: Int) async throws {
        let pages = try await fixture.withAPI { api in try await walk(api, limit: limit, as: .admin) }
        let ids = pages.flatMap { $0 }
        #expect(Set(ids).count == ids.count, "duplicates: \(ids)")
        #expect(ids.sorted() == fixture.everyone)
        #expect(ids == ids.sorted(), "pages out of order")
        if limit == 2 { #expect(pages.count >= 3) }
    }

    @Test func aScopedWalkListsOnlyTheScopedBureau() async throws {
        let pages = try await fixture.withAPI { api in try await walk(api, limit: 2, as: .officerA) }
        let ids = pages.flatMap { $0 }
        #expect(Set(ids).count == ids.count)
        #expect(ids.sorted() == fixture.peopleA.sorted())
    }

    @Test(arguments: [
        "limit=0", "limit=501", "limit=-1", "limit=two", "limit=", "cursor=garbage", "cursor=-5", "cursor=1.5",
    ])
    func aBadLimitOrCursorIsABadRequest(query: String) async throws {
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/people?\(query)", as: .admin)
        }
        let problem = try expectProblem(reply, 400, type: "/problems/bad-request")
        let parameter = String(query.prefix { $0 != "=" })
        #expect((problem["detail"] as? String)?.contains("'\(parameter)'") == true, "\(problem)")
    }

    @Test func theBoundsOfLimitAreAccepted() async throws {
        let (one, most) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people?limit=1", as: .admin),
                try await api.send(.get, "/api/v1/people?limit=500", as: .admin)
            )
        }
        #expect(try one.decode(PageReply<PersonReply>.self).items.count == 1)
        #expect(try most.decode(PageReply<PersonReply>.self).items.count == fixture.everyone.count)
        #expect(try most.object().keys.contains("next_cursor"))
        #expect(try most.decode(PageReply<PersonReply>.self).nextCursor == nil)
    }

    /// The approval queue counts its open drafts on the first page; decided drafts, which pile
    /// up over the years, are listed but not counted.
    @Test func theQueueCountsItsOpenDraftsAndNotTheDecidedOnes() async throws {
        let drafted = Array(fixture.peopleA.prefix(3))
        let (queue, second, decided) = try await fixture.withAPI { api in
            for person in drafted {
                let body = json(["person_id": person, "kind": "resign", "effective_on": "2025-06-01"])
                let reply = try await api.send(.post, "/api/v1/actions", as: .officer, body: body)
                #expect(reply.code == 201, "\(reply.text)")
            }
            let queue = try await api.send(.get, "/api/v1/actions?limit=1", as: .approver)
            let cursor = try #require(try queue.decode(PageReply<DraftReply>.self).nextCursor)
            return (
                try queue.decode(PageReply<DraftReply>.self),
                try await api.send(.get, "/api/v1/actions?limit=1&cursor=\(cursor)", as: .approver)
                    .decode(PageReply<DraftReply>.self),
                try await api.send(.get, "/api/v1/actions?state=all&limit=1", as: .approver)
                    .decode(PageReply<DraftReply>.self)
            )
        }
        #expect(queue.items.count == 1 && queue.total == drafted.count, "\(queue)")
        #expect(second.total == nil)
        #expect(decided.items.count == 1 && decided.total == nil, "\(decided)")
    }

    @Test func theAuditLogWalksByItsCursorToo() async throws {
        let total = try await fixture.audit().count
        let seqs = try await fixture.withAPI { api in
            var seqs: [Int64] = []
            var cursor: String?
            var rounds = 0
            repeat {
                let uri = "/api/v1/audit?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let reply = try await api.send(.get, uri, as: .inspector)
                #expect(reply.code == 200, "\(reply.text)")
                let page = try reply.object()
                let items = try #require(page["items"] as? [[String: Any]])
                seqs += items.compactMap { $0["seq"] as? Int64 }
                cursor = page["next_cursor"] as? String
                rounds += 1
            } while cursor != nil && rounds < 1000
            return seqs
        }
        #expect(seqs.count == total)
        #expect(seqs == Array(1...Int64(total)))
        let first = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/audit?limit=7", as: .inspector).decode(PageReply<AuditSeq>.self)
        }
        // Reading the log adds nothing to it: the total is the number of the last entry.
        let head = try await fixture.admin.auditHead()?.seq
        #expect(
            first.total.map(Int64.init) == head,
            "\(String(describing: first.total)) against \(String(describing: head))"
        )
    }
}

/// An audit entry's number, as the API lists it.
private struct AuditSeq: Decodable, Sendable { var seq: Int64 }
