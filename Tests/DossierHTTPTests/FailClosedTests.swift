import DossierCore
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import DossierHTTP

/// The HTTP front fails closed: a handler reaches use cases only through the node acting as the
/// request's principal, which only the authentication middleware provides.
@Suite("Fail closed")
struct FailClosedTests {
    /// Answers "the router under test has these middlewares, and one API route that returns the
    /// acting user's name".
    private func probe(
        withAuthentication: Bool,
        fixture: HTTPFixture,
        token: String?
    ) async throws -> (status: HTTPResponse.Status, body: String) {
        let router = Router(context: DossierRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        if withAuthentication {
            router.add(
                middleware: AuthenticationMiddleware(
                    node: fixture.admin,
                    sessions: SessionStore(idleTimeout: .seconds(60), maximumAge: .seconds(60))
                )
            )
        }
        let api = APIGroup(group: router.group("api/v1"), prefix: "/api/v1/", list: RouteList())
        // The handler is given the node acting as the caller: it has no other way to a use case.
        api.get("probe") { _, _, dossier -> String in dossier.actor.name }
        let app = Application(router: router)
        return try await app.test(.router) { client in
            var headers: HTTPFields = [:]
            if let token { headers[.authorization] = "Bearer \(token)" }
            return try await client.execute(uri: "/api/v1/probe", method: .get, headers: headers) { response in
                (response.status, String(buffer: response.body))
            }
        }
    }

    @Test func aRouteRegisteredWithoutTheAuthenticationMiddlewareAnswers401EvenToAValidToken() async throws {
        let fixture = try await HTTPFixture()
        let token = try #require(fixture.tokens["officer"])
        let unguarded = try await probe(withAuthentication: false, fixture: fixture, token: token)
        #expect(unguarded.status == .unauthorized, "\(unguarded.body)")
        #expect(!unguarded.body.contains("officer"))
        #expect(!unguarded.body.contains("admin"))

        // With the middleware, the same route acts as the token's user, never as the node's
        // default (administrator) node it was built from.
        let guarded = try await probe(withAuthentication: true, fixture: fixture, token: token)
        #expect(guarded.status == .ok)
        #expect(guarded.body == "officer")
        let anonymous = try await probe(withAuthentication: true, fixture: fixture, token: nil)
        #expect(anonymous.status == .unauthorized)
    }
}
