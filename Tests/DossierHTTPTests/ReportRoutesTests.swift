import DossierCore
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// `/api/v1/reports` and the reports pages: the tables run over the caller's units, in each
/// format, and refused with a problem where the request is wrong.
@Suite struct ReportRoutesTests {
    let fixture: HTTPFixture

    init() async throws {
        fixture = try await HTTPFixture()
    }

    @Test func theListNamesEveryTableInNumberOrderWithAMeasureTheDocumentNames() async throws {
        let (reply, document) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/reports", as: .statistician),
                try await api.send(.get, "/api/v1/openapi.json")
            )
        }
        #expect(reply.code == 200, "\(reply.text)")
        let listed = try reply.array().compactMap { $0 as? [String: Any] }
        #expect(listed.first?["name"] as? String == "movements")
        #expect(listed.count == 10)
        let schemas = try #require(
            (try document.object()["components"] as? [String: Any])?["schemas"] as? [String: Any]
        )
        let listing = try #require((schemas["ReportListing"] as? [String: Any])?["properties"] as? [String: Any])
        let measures = try #require((listing["measure"] as? [String: Any])?["enum"] as? [String])
        for table in listed {
            let measure = try #require(table["measure"] as? String)
            #expect(measures.contains(measure), "the document does not name the measure \(measure)")
        }
    }

    @Test func aTableIsJSONWithItsChecksAndOnlyTheCallersUnits() async throws {
        let (all, a) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/reports/level", as: .statistician),
                try await api.send(.get, "/api/v1/reports/level", as: .officerA)
            )
        }
        #expect(all.code == 200, "\(all.text)")
        let table = try all.object()
        let rows = try #require(table["rows"] as? [[String: Any]])
        let total = try #require(rows.last?["values"] as? [Int])
        // The fixture files one person in the root and three in each bureau less one: 1 + 3 + 2.
        #expect(total.first == 6)
        let checks = try #require(table["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { $0["passed"] as? Bool == true })
        let limited = try a.object()
        #expect(limited["scope"] as? String == "第一局")
        #expect(((limited["rows"] as? [[String: Any]])?.last?["values"] as? [Int])?.first == 3)
    }

    @Test func eachFormatComesWithItsTypeAndTheSameBytesTwice() async throws {
        for (format, type) in [
            ("csv", "text/csv; charset=utf-8"),
            ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ("html", "text/html; charset=utf-8"),
        ] {
            let uri = "/api/v1/reports/establishment?as_of=2026-06-30&format=\(format)"
            let (first, second) = try await fixture.withAPI { api in
                (try await api.send(.get, uri, as: .statistician), try await api.send(.get, uri, as: .statistician))
            }
            #expect(first.code == 200, "\(format): \(first.text)")
            #expect(first.headers[.contentType] == type)
            #expect(first.headers[.contentDisposition] == "attachment; filename=\"establishment-2026-06-30.\(format)\"")
            #expect(first.body == second.body, "\(format) differs between two runs")
        }
    }

    @Test func wrongRequestsAreProblems() async throws {
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.get, "/api/v1/reports/nothing-here", as: .statistician),
                try await api.send(.get, "/api/v1/reports/level?format=pdf", as: .statistician),
                try await api.send(.get, "/api/v1/reports/level?as_of=31.12.2026", as: .statistician),
                try await api.send(
                    .get,
                    "/api/v1/reports/movements?as_of=2026-01-31&from=2026-03-01",
                    as: .statistician
                ),
                try await api.send(.get, "/api/v1/reports/level?org=\(HTTPFixture.bureauB.value)", as: .officerA),
                try await api.send(.get, "/api/v1/reports/level"),
            ]
        }
        try expectProblem(replies[0], 404)
        try expectProblem(replies[1], 400)
        try expectProblem(replies[2], 400)
        try expectProblem(replies[3], 422)
        try expectProblem(replies[4], 404)
        try expectProblem(replies[5], 401)
    }

    @Test func thePagesListTheTablesAndPreviewOneWithItsDownloads() async throws {
        let (list, preview, style) = try await fixture.withAPI { api in
            let signIn = try await api.signIn("statistician")
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            return (
                try await api.send(.get, "/admin/reports", cookie: cookie),
                try await api.send(.get, "/admin/reports/level?as_of=2026-06-30&from=&org=", cookie: cookie),
                try await api.send(.get, "/admin/static/report.css", cookie: cookie)
            )
        }
        #expect(list.code == 200, "\(list.text)")
        #expect(list.text.contains("data-report=\"establishment\""))
        #expect(preview.code == 200, "\(preview.text)")
        #expect(preview.text.contains("id=\"report-preview\""))
        #expect(preview.text.contains("<table"))
        #expect(preview.text.contains("/api/v1/reports/level?as_of=2026-06-30&amp;format=xlsx"))
        #expect(style.code == 200)
        #expect(style.headers[.contentType] == "text/css; charset=utf-8")
    }
}

/// `/api/v1/search/people`: ad-hoc questions over the caller's units, masked, and counted.
@Suite struct PeopleSearchRoutesTests {
    let fixture: HTTPFixture

    init() async throws {
        fixture = try await HTTPFixture()
    }

    @Test func aQuestionFindsByNameInitialsAndFiltersWithinTheCallersUnits() async throws {
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.get, "/api/v1/search/people?name=%E6%B5%8B%E8%AF%952", as: .viewer),
                try await api.send(.get, "/api/v1/search/people/count?sexes=%E5%A5%B3", as: .statistician),
                try await api.send(.get, "/api/v1/search/people/count?name=cs", as: .officerA),
                try await api.send(
                    .get,
                    "/api/v1/search/people/count?educations=%E7%A0%94%E7%A9%B6%E7%94%9F",
                    as: .viewer
                ),
            ]
        }
        #expect(replies[0].code == 200, "\(replies[0].text)")
        let items = try #require(try replies[0].object()["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["name"] as? String } == ["测试21", "测试22", "测试23"])
        #expect(items.allSatisfy { ($0["id_number"] as? String)?.contains("*") == true }, "identity numbers are masked")
        // Sequences 22 and 32 are women.
        #expect(try replies[1].object()["count"] as? Int == 2)
        #expect(try replies[2].object()["count"] as? Int == 3)
        #expect(try replies[3].object()["count"] as? Int == 0)
    }

    @Test func aStatisticianCountsButDoesNotListAndBadValuesAreProblems() async throws {
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.get, "/api/v1/search/people?name=cs", as: .statistician),
                try await api.send(.get, "/api/v1/search/people/count?name=cs", as: .statistician),
                try await api.send(.get, "/api/v1/search/people/count?max_age=old", as: .viewer),
                try await api.send(
                    .get,
                    "/api/v1/search/people/count?educations=%E5%A4%A7%E4%B8%93%E4%BB%A5%E4%B8%8A",
                    as: .viewer
                ),
                try await api.send(.get, "/api/v1/search/people/count?min_age=40&max_age=30", as: .viewer),
            ]
        }
        try expectProblem(replies[0], 403)
        try expectProblem(replies[1], 403)
        try expectProblem(replies[2], 400)
        try expectProblem(replies[3], 422)
        try expectProblem(replies[4], 422)
    }

    @Test func thePeoplePageSearchesWithTheFiltersTyped() async throws {
        let page = try await fixture.withAPI { api in
            let signIn = try await api.signIn("viewer")
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            return try await api.send(
                .get,
                "/admin/people?name=cs&levels=&org=\(HTTPFixture.bureauB.value)",
                cookie: cookie
            )
        }
        #expect(page.code == 200, "\(page.text)")
        #expect(page.text.contains("<p id=\"found\">"))
        #expect(page.text.components(separatedBy: "data-person=").count - 1 == 2)
        #expect(page.text.contains("value=\"cs\""))
    }
}
