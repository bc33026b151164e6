import DossierCore
import DossierHTTP
import DossierTestSupport
import Foundation
import Hummingbird
import Testing

/// `/api/v1/openapi.json` describes exactly the routes the router registers.
@Suite("OpenAPI document")
struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    @Test func theDocumentIsOpenAPI31JSONAndListsExactlyTheRegisteredRoutes() async throws {
        let fixture = try await HTTPFixture()
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
        _ = try await buildRouter(node: fixture.admin, settings: fixture.settings, routes: routes)
        let registered = Set(routes.routes)
        #expect(registered.count == routes.routes.count, "a route is registered twice")
        #expect(!registered.isEmpty)
        #expect(registered.subtracting(documented).isEmpty, "registered but not documented")
        #expect(documented.subtracting(registered).isEmpty, "documented but not registered")
    }

    @Test func everyDocumentedOperationSaysWhatItAnswersAndEveryPathParameterIsDeclared() async throws {
        let fixture = try await HTTPFixture()
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

    /// The code lists the document publishes, beside the code tables they come from (requests may
    /// also give the Chinese names; the document lists the codes, which answers always use).
    static let codeTables: [(schema: String, codes: [String])] = [
        ("SexCode", Sex.allCases.map(\.code)),
        ("EthnicityCode", Ethnicity.allCases.map(\.code)),
        ("EducationCode", Education.allCases.map(\.code)),
        ("PoliticalStatusCode", PoliticalStatus.allCases.map(\.code)),
        ("CategoryCode", EstablishmentCategory.allCases.map(\.code)),
        ("RankCode", RankLadder.shipped.ranks.map(\.code)),
        ("PostCode", LeadershipPost.allCases.map(\.code)),
        ("StatusCode", PersonStatus.allCases.map(\.code)),
        ("ActionKindCode", ActionKind.allCases.map(\.rawValue)),
        ("ArchiveClassCode", ArchiveClass.allCases.map(\.code)),
        ("OrgKindCode", OrgKind.allCases.map(\.code)),
        ("OrgLevelCode", OrgLevel.allCases.map(\.code)),
        ("FeedKindCode", FeedKind.allCases.map(\.rawValue)),
        ("ReconciliationRuleCode", ReconciliationRule.allCases.map(\.rawValue)),
        ("CaseStatusCode", CaseStatus.allCases.map(\.rawValue)),
        ("CaseStatusFilterCode", CaseStatus.allCases.map(\.rawValue) + ["all"]),
        ("CaseOutcomeCode", CaseOutcome.allCases.map(\.rawValue)),
        ("InsuranceTypeCode", InsuranceType.allCases.map(\.rawValue)),
        ("ContributionStatusCode", ContributionStatus.allCases.map(\.rawValue)),
        ("AttendanceMarkCode", AttendanceMark.allCases.map(\.rawValue)),
        ("AssessmentGradeCode", AssessmentGrade.allCases.map(\.code)),
        ("SanctionKindCode", SanctionKind.allCases.map(\.code)),
    ]

    @Test func everyCodeListInTheDocumentHoldsExactlyTheCodesOfItsTable() async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/openapi.json") }
        let components = try #require(reply.object()["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        for table in Self.codeTables {
            let schema = try #require(schemas[table.schema] as? [String: Any], "\(table.schema) is missing")
            let listed = try #require(schema["enum"] as? [String], "\(table.schema) has no code list")
            #expect(listed.count == Set(listed).count, "\(table.schema) lists a code twice")
            #expect(Set(listed) == Set(table.codes), "\(table.schema) differs from its code table")
        }
    }

    /// Names of properties and parameters that hold a date (they must refer to the Date schema)
    /// or a code (they must refer to one code list). `Problem.status` is an HTTP status, not a
    /// person's, and is left out.
    static let dateNames: Set<String> = ["as_of", "effective_on", "birth_date", "since", "date", "hired_on"]
    static let codeNames: Set<String> = [
        "sex", "ethnicity", "education", "political_status", "category", "rank", "post", "status", "kind", "class",
        "level", "amendment",
    ]

    @Test func everyDateAndCodeFieldRefersToTheDateSchemaOrACodeList() async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/openapi.json") }
        let document = try reply.object()
        let components = try #require(document["components"] as? [String: Any])
        let schemas = try #require(components["schemas"] as? [String: Any])
        let date = try #require(schemas["Date"] as? [String: Any])
        #expect(date["format"] as? String == "date")

        /// The schema names a property or parameter refers to, directly or through `anyOf`.
        func references(_ schema: [String: Any]) -> Set<String> {
            var names: Set<String> = []
            if let ref = schema["$ref"] as? String { names.insert(String(ref.split(separator: "/").last!)) }
            for option in schema["anyOf"] as? [[String: Any]] ?? [] { names.formUnion(references(option)) }
            return names
        }
        func check(_ name: String, _ schema: [String: Any], at place: String) {
            let names = references(schema)
            if Self.dateNames.contains(name) {
                #expect(names == ["Date"], "\(place) is not the Date schema: \(schema)")
            } else if Self.codeNames.contains(name) {
                #expect(
                    names.count == 1 && names.allSatisfy { $0.hasSuffix("Code") },
                    "\(place) is no code list: \(schema)"
                )
            }
        }
        var checked = 0
        for (schemaName, value) in schemas where schemaName != "Problem" {
            let properties = (value as? [String: Any])?["properties"] as? [String: Any] ?? [:]
            for (name, property) in properties {
                check(name, property as? [String: Any] ?? [:], at: "\(schemaName).\(name)")
                if Self.dateNames.contains(name) || Self.codeNames.contains(name) { checked += 1 }
            }
        }
        var parameters = Array((components["parameters"] as? [String: Any] ?? [:]).values)
        for item in (document["paths"] as? [String: Any] ?? [:]).values {
            for operation in (item as? [String: Any] ?? [:]).values {
                parameters += (operation as? [String: Any])?["parameters"] as? [Any] ?? []
            }
        }
        for case let parameter as [String: Any] in parameters {
            guard let name = parameter["name"] as? String, let schema = parameter["schema"] as? [String: Any] else {
                continue
            }
            check(name, schema, at: "parameter \(name)")
        }
        #expect(checked > 30, "the walk found only \(checked) date and code fields")
    }

    @Test func theRouteListOfOneRouterIsNotSharedWithAnother() async throws {
        let fixture = try await HTTPFixture()
        let first = RouteList()
        let second = RouteList()
        _ = try await buildRouter(node: fixture.admin, settings: fixture.settings, routes: first)
        #expect(second.routes.isEmpty)
        _ = try await buildRouter(node: fixture.admin, settings: fixture.settings, routes: second)
        #expect(first.routes == second.routes)
        #expect(first.routes.contains("GET /api/v1/people/{id}"))
        #expect(first.routes.contains("POST /api/v1/people/search"))
    }
}
