import Foundation
import Hummingbird
import Testing

@testable import DossierHTTP

/// `/healthz` and the Prometheus `/metrics`, whose route labels are patterns, never concrete paths.
@Suite("Health and metrics")
struct HealthAndMetricsTests {
    @Test func healthzAnswersOK() async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/healthz") }
        #expect(reply.code == 200)
        #expect(reply.text.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
    }

    @Test func metricsCountRequestsByRoutePatternAndNeverByConcreteID() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        let person = fixture.peopleB[1]
        let metrics = try await fixture.withAPI { api in
            _ = try await api.send(.get, "/api/v1/people/\(person)", as: .viewer)
            _ = try await api.send(.get, "/api/v1/people/\(person)", as: .viewer)
            _ = try await api.send(.get, "/api/v1/people/\(person)/timeline", as: .viewer)
            _ = try await api.send(.get, "/api/v1/people/424242", as: .viewer)
            _ = try await api.send(.get, "/api/v1/no/such/route/31337", as: .viewer)
            return try await api.send(.get, "/metrics")
        }
        #expect(metrics.code == 200)
        let lines = metrics.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("# TYPE dossier_http_requests_total counter"))
        #expect(
            lines.contains(
                "dossier_http_requests_total{method=\"GET\",route=\"/api/v1/people/{id}\",status=\"200\"} 2"
            ),
            "\(lines.filter { $0.hasPrefix("dossier_http_requests_total") })"
        )
        #expect(
            lines.contains("dossier_http_requests_total{method=\"GET\",route=\"/api/v1/people/{id}\",status=\"404\"} 1")
        )
        #expect(
            lines.contains(
                "dossier_http_requests_total{method=\"GET\",route=\"/api/v1/people/{id}/timeline\",status=\"200\"} 1"
            )
        )
        for concrete in ["/people/\(person)", "424242", "31337", "/no/such/route"] {
            #expect(!metrics.text.contains(concrete), "\(concrete) appears in the metrics")
        }
        // Every labelled route is a pattern or the unmatched bucket.
        for line in lines where line.hasPrefix("dossier_http_requests_total{") {
            let route = line.firstMatch(of: /route="([^"]*)"/).map { String($0.output.1) } ?? ""
            #expect(route.wholeMatch(of: /[0-9]+/) == nil)
            #expect(!route.contains(where: \.isNumber) || route.hasPrefix("/api/v1"), "\(route)")
            #expect(route.split(separator: "/").allSatisfy { Int($0) == nil }, "\(route)")
        }
    }

    @Test func theRequestsInFlightGaugeIsBackToZeroAfterAnswers() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        let metrics = try await fixture.withAPI { api in
            _ = try await api.send(.get, "/api/v1/organizations", as: .statistician)
            _ = try await api.send(.get, "/api/v1/people", as: .statistician)
            return try await api.send(.get, "/metrics")
        }
        // The /metrics request itself is in flight while it renders.
        let inFlight = metrics.text.split(separator: "\n").first { $0.hasPrefix("dossier_http_requests_in_flight ") }
        #expect(inFlight.flatMap { Double($0.split(separator: " ")[1]) } == 1, "\(String(describing: inFlight))")
        #expect(metrics.text.contains("route=\"/api/v1/people\",status=\"403\"} 1"))
    }

    @Test func databaseReadsAndWritesAndTheirWaitsAreCounted() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        func value(_ name: String, in text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        let (before, after) = try await fixture.withAPI { api in
            let before = try await api.send(.get, "/metrics")
            _ = try await api.send(.get, "/api/v1/organizations", as: .statistician)
            _ = try await api.send(
                .post,
                "/api/v1/users",
                as: .admin,
                body: json(["name": "metrics-user", "role": "viewer", "display_name": "m"])
            )
            return (before, try await api.send(.get, "/metrics"))
        }
        let reads = try #require(value("dossier_db_reads_total", in: before.text))
        let writes = try #require(value("dossier_db_writes_total", in: before.text))
        // Signing in with the token and listing read; adding a user wrote once.
        #expect(try #require(value("dossier_db_reads_total", in: after.text)) >= reads + 2)
        #expect(try #require(value("dossier_db_writes_total", in: after.text)) == writes + 1)
        #expect(try #require(value("dossier_db_read_wait_seconds_total", in: after.text)) > 0)
        #expect(value("dossier_db_write_wait_seconds_max", in: after.text) != nil)
    }

    @Test func theLastPassedCheckIsShownOnceTheNodeHasPassedOne() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        func value(_ text: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix("dossier_last_passed_check_timestamp_seconds ") }.flatMap {
                Double($0.split(separator: " ")[1])
            }
        }
        let (before, check, after) = try await fixture.withAPI { api in
            let before = try await api.send(.get, "/metrics")
            let check = try await api.send(.post, "/api/v1/check", as: .admin)
            return (before, check, try await api.send(.get, "/metrics"))
        }
        #expect(value(before.text) == 0, "never checked yet")
        #expect(check.status == .ok, "\(check.text)")
        #expect(check.text.contains("\"passed\":true"), "\(check.text)")
        let checkedAt = try #require(value(after.text))
        #expect(abs(checkedAt - Date().timeIntervalSince1970) < 600, "\(checkedAt)")
    }

    @Test func pathsNoRouteMatchesAreCountedUnderTheUnmatchedLabel() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        let metrics = try await fixture.withAPI { api in
            _ = try await api.send(.get, "/api/v1/no/such/route/31337", as: .viewer)
            _ = try await api.send(.get, "/somewhere-else", as: .viewer)
            return try await api.send(.get, "/metrics")
        }
        let lines = metrics.text.split(separator: "\n").map(String.init)
        let notFound = lines.filter { $0.hasPrefix("dossier_http_requests_total{") && $0.contains("status=\"404\"") }
        // MetricsMiddleware: "unmatched routes count as \"unmatched\"".
        #expect(notFound == ["dossier_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 2"])
        #expect(!metrics.text.contains("somewhere-else"))
    }

    @Test func methodsAClientInventsAreCountedTogetherAsOther() async throws {
        let fixture = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .open))
        let metrics = try await fixture.withAPI { api in
            for name in ["BREW", "WHEN", "PROPFIND"] {
                _ = try await api.send(try #require(HTTPRequest.Method(name)), "/healthz")
            }
            _ = try await api.send(.get, "/healthz")
            return try await api.send(.get, "/metrics")
        }
        let lines = metrics.text.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("dossier_http_requests_total{")
        }
        // Whatever the router answered them, the three land in series of their own, as "other".
        let other = lines.filter { $0.hasPrefix("dossier_http_requests_total{method=\"other\",") }
        #expect(other.compactMap { $0.split(separator: " ").last.flatMap { Int($0) } }.reduce(0, +) == 3, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("dossier_http_requests_total{method=\"GET\",route=\"/healthz\"") })
        for name in ["BREW", "WHEN", "PROPFIND"] { #expect(!metrics.text.contains(name)) }
    }

    @Test func byDefaultOnlyThisMachineReadsTheMetricsAndSignedInOpensThemToTokens() async throws {
        let local = try await HTTPFixture()
        // The router under test has no client address: not this machine, so refused even with a token.
        let (anonymous, withToken) = try await local.withAPI { api in
            (try await api.send(.get, "/metrics"), try await api.send(.get, "/metrics", as: .viewer))
        }
        try expectProblem(anonymous, 403)
        try expectProblem(withToken, 403)
        #expect(!anonymous.text.contains("dossier_http_requests_total"))

        let scraped = try await HTTPFixture(settings: HTTPFixture.settings(metricsAccess: .signedIn))
        let (refused, allowed) = try await scraped.withAPI { api in
            (try await api.send(.get, "/metrics"), try await api.send(.get, "/metrics", as: .statistician))
        }
        try expectProblem(refused, 403)
        #expect(allowed.code == 200)
        #expect(allowed.text.contains("dossier_http_requests_total"))
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.8.9.10", true), ("::1", true), ("::ffff:127.0.0.1", true),
        ("10.0.0.1", false), ("::2", false), ("1127.0.0.1", false), ("", false),
    ])
    func theLoopbackRuleKnowsTheMachinesOwnAddresses(address: String, local: Bool) {
        #expect(HealthController.isLoopback(address) == local)
        #expect(HealthController.isLoopback(nil) == false)
    }
}
