import HTTPTypes
import Hummingbird
import Testing

/// Every answer, success or error, carries the security headers.
@Suite("Security headers")
struct SecurityHeaderTests {
    struct Probe: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var principal: Principal
        var body: String?
        var testDescription: String { "\(method.rawValue) \(uri) as \(principal.rawValue) (\(body?.count ?? 0) bytes)" }
    }

    static let probes: [Probe] = [
        Probe(method: .get, uri: "/healthz", principal: .anonymous),
        Probe(method: .get, uri: "/metrics", principal: .anonymous),
        Probe(method: .get, uri: "/api/v1/openapi.json", principal: .anonymous),
        Probe(method: .get, uri: "/api/v1/organizations", principal: .viewer),
        Probe(method: .get, uri: "/api/v1/people", principal: .anonymous),
        Probe(method: .get, uri: "/api/v1/people", principal: .badToken),
        Probe(method: .get, uri: "/api/v1/people", principal: .inspector),
        Probe(method: .get, uri: "/api/v1/people/999999", principal: .viewer),
        Probe(method: .get, uri: "/nowhere", principal: .anonymous),
        Probe(method: .post, uri: "/api/v1/people/search", principal: .viewer, body: "{"),
        Probe(
            method: .post,
            uri: "/api/v1/people/search",
            principal: .viewer,
            body: String(repeating: " ", count: 300 * 1024)
        ),
        Probe(
            method: .post,
            uri: "/api/v1/session",
            principal: .anonymous,
            body: "{\"user\": \"viewer\", \"password\": \"wrong-wrong\"}"
        ),
    ]

    @Test("security headers on success and error answers", arguments: probes)
    func securityHeaders(probe: Probe) async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in
            try await api.send(probe.method, probe.uri, as: probe.principal, body: probe.body)
        }
        let csp = try #require(reply.headers[.contentSecurityPolicy], "no CSP on \(reply.code)")
        #expect(!csp.contains("unsafe-inline"))
        #expect(!csp.contains("unsafe-eval"))
        #expect(csp.contains("default-src 'self'"))
        #expect(csp.contains("frame-ancestors 'none'"))
        #expect(reply.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        #expect(reply.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        #expect(reply.headers[.xContentTypeOptions] == "nosniff")
        #expect(reply.headers[.cacheControl] != nil)
    }

    @Test func answersWithPersonalDataAreNotCached() async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/people/\(fixture.peopleA[0])", as: .viewer)
        }
        #expect(reply.code == 200)
        #expect(reply.headers[.cacheControl] == "no-store")
    }
}
