import DossierCore
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// The audit page: newest entries first, in the node's time zone, filtered by person, user,
/// action and day, with the next page keeping the filter.
@Suite struct AuditPageTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    private func page(_ path: String) async throws -> Reply {
        try await fixture.withAPI { api in
            let signIn = try await api.signIn("admin")
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            return try await api.send(.get, path, cookie: cookie)
        }
    }

    private func rows(_ reply: Reply) -> [Int64] {
        reply.text.matches(of: #/<tr data-seq="(\d+)">/#).compactMap { Int64($0.output.1) }
    }

    @Test func theNewestEntriesComeFirstWithLocalTimes() async throws {
        let reply = try await page("/admin/audit")
        // Read after the page: signing in to see it is itself an entry, the newest.
        let all = try await fixture.admin.auditLog(limit: 10_000)
        #expect(reply.code == 200, "\(reply.text)")
        let shown = rows(reply)
        #expect(shown.first == all.last?.seq, "\(shown.prefix(3))")
        #expect(shown == shown.sorted(by: >))
        let newest = try #require(all.last)
        #expect(reply.text.contains(AuditText.localTime(newest.at)), "the time is shown in the node's zone")
    }

    @Test func theFiltersKeepOnlyMatchingEntriesAndTheNextPageKeepsThem() async throws {
        let person = fixture.peopleA[0]
        let expected = try await fixture.admin.auditLog(person: person, newestFirst: true, limit: 10_000).map(\.seq)
        try #require(!expected.isEmpty)
        let byPerson = try await page("/admin/audit?person=\(person)")
        #expect(rows(byPerson) == expected)
        #expect(byPerson.text.contains("id=\"audit-person\" value=\"\(person)\""))

        let users = try await page("/admin/audit?user=nobody-at-all")
        #expect(rows(users).isEmpty)
        let family = try await page("/admin/audit?action=user.")
        let actions = try await fixture.admin.auditLog(action: "user.", newestFirst: true, limit: 10_000).map(\.seq)
        #expect(rows(family) == Array(actions.prefix(100)))

        let bad = try await page("/admin/audit?from=yesterday")
        #expect(bad.code == 400, "\(bad.text)")
    }
}
