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

    /// Walks `/api/v1/people` `limit` at a time as `principal`; returns every page's ids.
    private func walk(_ api: API, limit: Int, as principal: Principal) async throws -> [[Int64]] {
        var pages: [[Int64]] = []
        var cursor: String?
        repeat {
            let uri = "/api/v1/people?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? "")
            let reply = try await api.send(.get, uri, as: principal)
            #expect(reply.code == 200, "\(uri): \(reply.text)")
            let page = try reply.decode(PageReply<PersonReply>.self)
            pages.append(page.items.map(\.id))
            #expect(page.items.count <= limit)
            if page.nextCursor != nil { #expect(page.items.count == limit, "a short page offered another") }
            cursor = page.nextCursor
            #expect(pages.count <= fixture.everyone.count + 1, "the walk does not end")
        } while cursor != nil && pages.count <= fixture.everyone.count + 1
        return pages
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
    }
}
