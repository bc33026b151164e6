import DossierCore
import DossierService
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Every refusal is an RFC 9457 problem: `application/problem+json` with type, title, status,
/// detail and instance, its status the HTTP status; the service's refusals keep their sentence.
@Suite("Problem details")
struct ProblemTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// A request that must be refused, and the status and problem type it must get.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var method: HTTPRequest.Method
        var uri: String
        var principal: Principal
        var status: Int
        var type: String
        var body: String?

        init(
            _ method: HTTPRequest.Method,
            _ uri: String,
            _ principal: Principal,
            _ status: Int,
            _ type: String,
            body: String? = nil
        ) {
            self.method = method
            self.uri = uri
            self.principal = principal
            self.status = status
            self.type = "/problems/" + type
            self.body = body
        }

        var testDescription: String { "\(method.rawValue) \(uri) as \(principal.rawValue) → \(status)" }
    }

    static let refusals: [Refusal] = [
        Refusal(.get, "/api/v1/people", .anonymous, 401, "unauthenticated"),
        Refusal(.get, "/api/v1/people", .badToken, 401, "unauthenticated"),
        Refusal(.get, "/api/v1/people", .statistician, 403, "forbidden"),
        Refusal(.get, "/api/v1/people/999999", .admin, 404, "not-found"),
        Refusal(.get, "/api/v1/people/abc", .admin, 404, "not-found"),
        Refusal(.get, "/api/v1/no-such-thing", .admin, 404, "not-found"),
        Refusal(.get, "/no-such-page", .anonymous, 404, "not-found"),
        Refusal(.delete, "/api/v1/people", .admin, 404, "not-found"),
        Refusal(.post, "/api/v1/actions/999999/approve", .approver, 404, "not-found"),
        Refusal(.get, "/api/v1/people?limit=0", .admin, 400, "bad-request"),
        Refusal(.get, "/api/v1/people?as_of=2025-13-01", .admin, 400, "bad-request"),
        Refusal(.get, "/api/v1/people?org=nonsense", .admin, 400, "bad-request"),
        Refusal(.get, "/api/v1/people?reveal=maybe", .officer, 400, "bad-request"),
        Refusal(.get, "/api/v1/actions?state=lost", .officer, 400, "bad-request"),
        Refusal(.post, "/api/v1/people/search", .officer, 400, "bad-request", body: "{\"id_number\": "),
        Refusal(.post, "/api/v1/people/search", .officer, 400, "bad-request", body: "[1, 2, 3]"),
        Refusal(.post, "/api/v1/actions", .officer, 400, "bad-request", body: "{\"kind\": \"resign\"}"),
        Refusal(
            .post,
            "/api/v1/actions",
            .officer,
            400,
            "bad-request",
            body: "{\"person_id\": \"one\", \"kind\": \"resign\", \"effective_on\": \"2025-06-01\"}"
        ),
        Refusal(
            .post,
            "/api/v1/actions",
            .officer,
            422,
            "invalid",
            body: "{\"person_id\": 2, \"kind\": \"fly\", \"effective_on\": \"2025-06-01\"}"
        ),
    ]

    @Test("every error answer is a problem whose status is the HTTP status", arguments: refusals)
    func errorAnswersAreProblems(refusal: Refusal) async throws {
        let reply = try await fixture.withAPI { api in
            try await api.send(refusal.method, refusal.uri, as: refusal.principal, body: refusal.body)
        }
        let problem = try expectProblem(reply, refusal.status, type: refusal.type)
        #expect(problem["instance"] as? String == String(refusal.uri.prefix { $0 != "?" }))
    }

    @Test func malformedJSONIsABadRequestThatChangesNothing() async throws {
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/actions", as: .officer, body: "{\"person_id\": 2, \"kind\": ")
        }
        try expectProblem(reply, 400, type: "/problems/bad-request")
        await #expect(try fixture.admin.drafts(state: nil, limit: 100).isEmpty)
        await #expect(try fixture.audit(since: before).isEmpty)
    }

    @Test func aBodyLargerThanAllowedIsRefusedAsAProblem() async throws {
        let big = json(["id_number": String(repeating: "1", count: 300 * 1024)])
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/people/search", as: .officer, body: big)
        }
        try expectProblem(reply, 413, type: "/problems/payload-too-large")
    }

    @Test func anIncompleteDraftIs422WithTheServicesSentence() async throws {
        let person = fixture.peopleA[0]
        // 调入 needs an organisation and a category.
        let input = ActionDraftInput(personID: person, kind: .transferIn, effectiveOn: CivilDate(iso: "2025-06-01")!)
        let refused = await #expect(throws: ServiceError.self) {
            _ = try await fixture.node(.officer).draftAction(input)
        }
        let expected = try #require(refused)
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/actions",
                as: .officer,
                body: json(["person_id": person, "kind": "transfer-in", "effective_on": "2025-06-01"])
            )
        }
        let problem = try expectProblem(reply, 422, type: "/problems/invalid")
        #expect(problem["detail"] as? String == expected.message)
        await #expect(try fixture.admin.drafts(state: nil, limit: 100).isEmpty)
    }

    @Test func aReasonWithANulIs422AndSaysNothingOfTheDatabase() async throws {
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0])
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/actions/\(draft)/reject", as: .approver, body: #"{"reason":"a\u0000b"}"#)
        }
        let problem = try expectProblem(reply, 422, type: "/problems/invalid")
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.hasPrefix("The reason"), "\(detail)")
        for word in ["SQLite", "CHECK", "INSERT", "UPDATE", "/tmp"] {
            #expect(!reply.text.contains(word), "\(reply.text)")
        }
        await #expect(try fixture.admin.draft(draft).state == .draft)
    }

    @Test func anApprovalOverAQuotaIs409WithTheServicesSentenceAndChangesNothing() async throws {
        // Bureau A has one 县处级正职 post: the first appointment fills it, the second is refused.
        let (first, second) = (fixture.peopleA[0], fixture.peopleA[1])
        @Sendable func appointment(_ person: Int64) -> String {
            json(["person_id": person, "kind": "appoint", "effective_on": "2025-06-01", "post": "县处级正职"])
        }
        let (firstApproval, secondDraft, refusal, auditBefore) = try await fixture.withAPI { api in
            let firstDraft = try await api.send(.post, "/api/v1/actions", as: .officer, body: appointment(first))
            let firstID = try #require(firstDraft.object()["id"] as? Int64, "\(firstDraft.text)")
            let firstApproval = try await api.send(.post, "/api/v1/actions/\(firstID)/approve", as: .approver)
            let secondDraft = try await api.send(.post, "/api/v1/actions", as: .officer, body: appointment(second))
            let secondID = try #require(secondDraft.object()["id"] as? Int64, "\(secondDraft.text)")
            let auditBefore = try await fixture.audit()
            let refusal = try await api.send(.post, "/api/v1/actions/\(secondID)/approve", as: .approver)
            return (firstApproval, secondID, refusal, auditBefore)
        }
        #expect(firstApproval.code == 200, "\(firstApproval.text)")
        let problem = try expectProblem(refusal, 409, type: "/problems/refused")
        await #expect(try fixture.audit(since: auditBefore).isEmpty)
        // The same approval through the service is refused with the same sentence.
        let refused = await #expect(throws: ServiceError.self) {
            try await fixture.node(.approver).approve(draft: secondDraft)
        }
        let expected = try #require(refused)
        #expect(expected.kind == .refused)
        #expect(problem["detail"] as? String == expected.message)
        #expect((problem["detail"] as? String)?.contains(LeadershipPost.divisionHead.chineseName) == true)
        await #expect(try fixture.admin.draft(secondDraft).state == .draft)
    }

    @Test func unregisteredMethodsAndMalformedCodesAreProblemsWithoutInternals() async throws {
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.put, "/api/v1/people/1", as: .admin),
                try await api.send(.patch, "/api/v1/session", as: .admin),
                try await api.send(.get, "/api/v1/organizations/not-a-code", as: .admin),
            ]
        }
        for reply in replies {
            let problem = try expectProblem(reply)
            #expect([404, 405].contains(reply.code), "\(reply.code) \(reply.text)")
            #expect(!(problem["detail"] as? String ?? "").contains("Error"))
        }
    }
}
