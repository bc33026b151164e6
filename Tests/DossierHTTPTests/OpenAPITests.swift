import DossierCore
import DossierHTTP
import Foundation
import Hummingbird
import Testing

/// `/api/v1/openapi.json` describes exactly the routes the router registers.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test func theDocumentIsOpenAPI31JSONAndListsExactlyTheRegisteredRoutes() async throws {
        let fixture = try HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/openapi.json") }
        #expect(reply.code == 200)
        #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
        let document = try reply.object()
        #expect(document["openapi"] as? String == "3.1.0")
        #expect((document["info"] as? [String: Any])?["title"] is String)
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "\(path)")
            for method in operations.keys where Self.methods.contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }

        let routes = RouteList()
        _ = try buildRouter(node: fixture.admin, settings: fixture.settings, routes: routes)
        let registered = Set(routes.routes)
        #expect(registered.count == routes.routes.count, "a route is registered twice")
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(documented).isEmpty, "registered but not documented")
        #expect(documented.subtracting(registered).isEmpty, "documented but not registered")
    }

    @Test func everyDocumentedOperationSaysWhatItAnswersAndEveryPathParameterIsDeclared() async throws {
        let fixture = try HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/openapi.json") }
        let paths = try #require(reply.object()["paths"] as? [String: Any])
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any])
            let shared = operations["parameters"] as? [[String: Any]] ?? []
            let placeholders = Set(path.matches(of: /\{([a-z_]+)\}/).map { String($0.output.1) })
            for (method, value) in operations where Self.methods.contains(method) {
                let operation = try #require(value as? [String: Any])
                let responses = operation["responses"] as? [String: Any] ?? [:]
                #expect(!responses.isEmpty, "\(method) \(path) lists no responses")
                let parameters = shared + (operation["parameters"] as? [[String: Any]] ?? [])
                let declared = Set(
                    parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                )
                // Parameters may also be given as references; only check inline ones when any are inline.
                if !parameters.contains(where: { $0["$ref"] != nil }) {
                    #expect(declared == placeholders, "\(method) \(path): \(declared) ≠ \(placeholders)")
                }
            }
        }
    }

    /// The code lists the document publishes, beside the tables the API checks against.
    static let codeTables: [(schema: String, codes: [String])] = [
        ("SexCode", Sex.allCases.map(\.code)),
        ("EthnicityCode", Ethnicity.allCases.map(\.code)),
        ("EducationCode", Education.allCases.map(\.code)),
        ("PoliticalStatusCode", PoliticalStatus.allCases.map(\.code)),
        ("CategoryCode", EstablishmentCategory.allCases.map(\.code)),
        ("RankCode", Rank.allCases.map(\.code)),
        ("PostCode", LeadershipPost.allCases.map(\.code)),
        ("StatusCode", PersonStatus.allCases.map(\.code)),
        ("ActionKindCode", ActionKind.allCases.map(\.rawValue)),
        ("ArchiveClassCode", ArchiveClass.allCases.map(\.code)),
        ("OrgKindCode", OrgKind.allCases.map(\.code)),
        ("OrgLevelCode", OrgLevel.allCases.map(\.code)),
    ]

    @Test func everyCodeListInTheDocumentIsExactlyTheCodeTableTheAPIChecksAgainst() async throws {
        let fixture = try HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/openapi.json") }
        let components = try #require(reply.object()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        for table in Self.codeTables {
            let schema = try #require(schemas[table.schema] as? [String: Any], "\(table.schema) is missing")
            let listed = try #require(schema["enum"] as? [String], "\(table.schema) has no code list")
            #expect(listed.count == Set(listed).count, "\(table.schema) lists a code twice")
            #expect(Set(listed) == Set(table.codes), "\(table.schema) differs from its code table")
        }
        // Every date in the document is the one Date schema: a calendar date, not any 10 characters.
        let date = try #require(schemas["Date"] as? [String: Any])
        #expect(date["format"] as? String == "date")
        let text = reply.text
        #expect(text.components(separatedBy: "[0-9]{4}-[0-9]{2}-[0-9]{2}").count == 2, "a date outside the Date schema")
    }

    @Test func theRouteListOfOneRouterIsNotSharedWithAnother() throws {
        let fixture = try HTTPFixture()
        let first = RouteList()
        let second = RouteList()
        _ = try buildRouter(node: fixture.admin, settings: fixture.settings, routes: first)
        #expect(second.routes.isEmpty)
        _ = try buildRouter(node: fixture.admin, settings: fixture.settings, routes: second)
        #expect(first.routes == second.routes)
        #expect(first.routes.contains("GET /api/v1/people/{id}"))
        #expect(first.routes.contains("POST /api/v1/people/search"))
    }
}
