import DossierCore
import DossierService
import HTTPTypes
import Hummingbird
import Testing

/// One API route of the matrix: how to make a request to it on a fresh node, and the status
/// each user answers with. Nobody and a bad token always get 401.
struct RouteCase: Sendable, CustomTestStringConvertible {
    let method: HTTPRequest.Method
    let route: String
    /// The status for each user principal.
    let expected: [Principal: Int]
    /// The concrete URI and JSON body, prepared on `fixture` for `principal` (drafts to approve
    /// are made here).
    let prepare: @Sendable (HTTPFixture, Principal) async throws -> (uri: String, body: String?)

    var testDescription: String { "\(method.rawValue) \(route)" }

    /// `status` for the principals in `allowed`, 403 for every other user.
    static func only(_ allowed: Set<Principal>, _ status: Int = 200) -> [Principal: Int] {
        Dictionary(uniqueKeysWithValues: Principal.users.map { ($0, allowed.contains($0) ? status : 403) })
    }

    static let readers: Set<Principal> = [.admin, .officer, .approver, .viewer, .officerA]
    static let everyone = only(Set(Principal.users))
    static let reading = only(readers)
    static let drafting = only([.admin, .officer, .officerA], 201)
    static let approving = only([.admin, .approver])
    static let auditing = only([.admin, .inspector])
    static let readingCases = only(readers.union([.inspector]))
    static let resolvingCases = only([.admin, .officer, .officerA])

    static let all: [RouteCase] = [
        RouteCase(method: .get, route: "/api/v1/organizations", expected: everyone) { _, _ in
            ("/api/v1/organizations", nil)
        },
        RouteCase(method: .get, route: "/api/v1/quotas", expected: everyone) { _, _ in
            ("/api/v1/quotas", nil)
        },
        RouteCase(method: .get, route: "/api/v1/people", expected: reading) { _, _ in
            ("/api/v1/people", nil)
        },
        RouteCase(method: .get, route: "/api/v1/people/{id}", expected: reading) { fixture, _ in
            ("/api/v1/people/\(fixture.peopleA[0])", nil)
        },
        RouteCase(method: .get, route: "/api/v1/people/{id}/timeline", expected: reading) { fixture, _ in
            ("/api/v1/people/\(fixture.peopleA[0])/timeline", nil)
        },
        RouteCase(method: .post, route: "/api/v1/people/search", expected: reading) { fixture, _ in
            ("/api/v1/people/search", json(["id_number": fixture.idNumbers[fixture.peopleA[0]]!.value]))
        },
        RouteCase(method: .get, route: "/api/v1/actions", expected: reading) { _, _ in
            ("/api/v1/actions", nil)
        },
        RouteCase(method: .post, route: "/api/v1/actions", expected: drafting) { fixture, _ in
            (
                "/api/v1/actions",
                json(["person_id": fixture.peopleA[0], "kind": "resign", "effective_on": "2025-06-01"])
            )
        },
        RouteCase(method: .post, route: "/api/v1/actions/{id}/approve", expected: approving) { fixture, _ in
            ("/api/v1/actions/\(try await fixture.draftResignation(of: fixture.peopleA[0]))/approve", nil)
        },
        // Each drafting user withdraws a draft of their own; the others try to withdraw an officer's.
        RouteCase(method: .post, route: "/api/v1/actions/{id}/withdraw", expected: only([.admin, .officer, .officerA]))
        { fixture, principal in
            let maker: Principal = [.admin, .officer, .officerA].contains(principal) ? principal : .officer
            return (
                "/api/v1/actions/\(try await fixture.draftResignation(of: fixture.peopleA[0], by: maker))/withdraw",
                json(["reason": "重复起草"])
            )
        },
        RouteCase(method: .get, route: "/api/v1/audit", expected: auditing) { _, _ in
            ("/api/v1/audit", nil)
        },
        RouteCase(method: .get, route: "/api/v1/audit/verify", expected: auditing) { _, _ in
            ("/api/v1/audit/verify", nil)
        },
        RouteCase(method: .get, route: "/api/v1/audit/head", expected: auditing) { _, _ in
            ("/api/v1/audit/head", nil)
        },
        RouteCase(method: .post, route: "/api/v1/check", expected: only([.admin])) { _, _ in
            ("/api/v1/check", nil)
        },
        RouteCase(method: .get, route: "/api/v1/audit/checkpoints", expected: auditing) { _, _ in
            ("/api/v1/audit/checkpoints", nil)
        },
        // The fixture's node keeps no key files (it is in memory): an administrator is refused
        // with 409 and the advice to make a key; everyone else may not sign at all.
        RouteCase(method: .post, route: "/api/v1/audit/checkpoints", expected: only([.admin], 409)) { _, _ in
            ("/api/v1/audit/checkpoints", nil)
        },
        RouteCase(method: .post, route: "/api/v1/users/{name}/unlock", expected: only([.admin], 204)) { fixture, _ in
            try await fixture.addTargetUser()
            return ("/api/v1/users/target/unlock", nil)
        },
        RouteCase(method: .get, route: "/api/v1/users", expected: only([.admin])) { _, _ in
            ("/api/v1/users", nil)
        },
        RouteCase(method: .get, route: "/api/v1/users/{name}/grants", expected: only([.admin])) { _, _ in
            ("/api/v1/users/officer-a/grants", nil)
        },
        RouteCase(method: .post, route: "/api/v1/users/{name}/grants", expected: only([.admin], 201)) { _, _ in
            ("/api/v1/users/viewer/grants", json(["role": "viewer", "org": HTTPFixture.bureauA.value]))
        },
        RouteCase(method: .post, route: "/api/v1/users/{name}/disable", expected: only([.admin], 204)) {
            fixture,
            _ in
            try await fixture.addTargetUser()
            return ("/api/v1/users/target/disable", json(["reason": "调离"]))
        },
        RouteCase(method: .post, route: "/api/v1/users/{name}/enable", expected: only([.admin], 204)) { fixture, _ in
            try await fixture.addTargetUser()
            try await fixture.admin.setDisabled(true, user: "target", reason: "调离")
            return ("/api/v1/users/target/enable", json(["reason": "调回"]))
        },
        RouteCase(method: .post, route: "/api/v1/users/{name}/role", expected: only([.admin], 204)) { fixture, _ in
            try await fixture.addTargetUser()
            return ("/api/v1/users/target/role", json(["role": "officer"]))
        },
        RouteCase(method: .delete, route: "/api/v1/users/{name}/password", expected: only([.admin], 204)) {
            fixture,
            _ in
            try await fixture.addTargetUser()
            return ("/api/v1/users/target/password", nil)
        },
        RouteCase(method: .post, route: "/api/v1/feeds/{kind}", expected: only([.admin, .officer, .officerA], 201)) {
            fixture,
            _ in
            let export = InsuranceExport(fixture)
            return ("/api/v1/feeds/social-insurance?as_of=\(export.asOf)", export.text)
        },
        RouteCase(method: .post, route: "/api/v1/reconcile/runs", expected: resolvingCases) { fixture, _ in
            ("/api/v1/reconcile/runs", json(["as_of": fixture.admin.today.description]))
        },
        RouteCase(method: .get, route: "/api/v1/cases", expected: readingCases) { _, _ in
            ("/api/v1/cases", nil)
        },
        RouteCase(method: .get, route: "/api/v1/cases/counts", expected: everyone) { _, _ in
            ("/api/v1/cases/counts", nil)
        },
        RouteCase(method: .get, route: "/api/v1/cases/{id}", expected: readingCases) { fixture, _ in
            ("/api/v1/cases/\(try await fixture.openCase())", nil)
        },
        RouteCase(method: .post, route: "/api/v1/cases/{id}/resolve", expected: resolvingCases) { fixture, _ in
            (
                "/api/v1/cases/\(try await fixture.openCase())/resolve",
                json(["outcome": "corrected", "note": "已补缴"])
            )
        },
        RouteCase(method: .post, route: "/api/v1/users", expected: only([.admin], 201)) { _, principal in
            (
                "/api/v1/users",
                json(["name": "new-\(principal.rawValue)", "role": "viewer", "display_name": "新用户"])
            )
        },
    ]
}

@Suite("Role × route matrix")
struct RoleMatrixTests {
    @Test("each role gets the status its permissions allow; nobody and a bad token get 401", arguments: RouteCase.all)
    func statusForEveryPrincipal(route: RouteCase) async throws {
        for principal in Principal.allCases {
            // A fresh node for every request, so writes of one do not change the next.
            let fixture = try await HTTPFixture()
            let (uri, body) = try await route.prepare(fixture, principal)
            let expected = route.expected[principal] ?? 401
            let reply = try await fixture.withAPI { api in
                try await api.send(route.method, uri, as: principal, body: body)
            }
            #expect(
                reply.code == expected,
                "\(route.method.rawValue) \(uri) as \(principal.rawValue): \(reply.code) \(reply.text)"
            )
            if expected >= 400 {
                try expectProblem(reply, expected)
            }
            if expected == 401 {
                #expect(
                    reply.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true,
                    "\(principal.rawValue): no WWW-Authenticate on 401"
                )
            }
            if expected == 403 {
                let problem = try expectProblem(reply, 403, type: "/problems/forbidden")
                #expect((problem["detail"] as? String)?.contains(principal.rawValue) == true)
            }
        }
    }

    @Test func theMatrixCoversEveryRouteTheBriefNames() {
        let names = Set(RouteCase.all.map(\.testDescription))
        #expect(names.count == RouteCase.all.count)
        // The 14 routes of the brief, the two grant routes, the four that switch users off, and
        // the six of reconciliation (issue 12), the two of audit checkpoints, the unlock and the node's
        // check (issue 16), and a draft's withdrawal (issue 17).
        #expect(names.count == 31)
        for route in RouteCase.all {
            #expect(Set(route.expected.keys) == Set(Principal.users), "\(route.testDescription)")
        }
    }

    @Test func aDraftMadeOverHTTPIsStoredAsTheSignedInUsersDraft() async throws {
        let fixture = try await HTTPFixture()
        let person = fixture.peopleA[1]
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/actions",
                as: .officer,
                body: json(["person_id": person, "kind": "辞职", "effective_on": "2025-06-01", "note": "本人申请"])
            )
        }
        #expect(reply.code == 201, "\(reply.text)")
        let id = try #require(reply.object()["id"] as? Int64)
        #expect(reply.headers[.location] == "/api/v1/actions/\(id)")
        let draft = try await fixture.admin.draft(id)
        #expect(draft.draftedBy == "officer")
        #expect(draft.personID == person)
        #expect(draft.kind == .resign)
        #expect(draft.state == .draft)
    }

    @Test func anApprovalOverHTTPRecordsTheActionAndTheApprover() async throws {
        let fixture = try await HTTPFixture()
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0])
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/actions/\(draft)/approve", as: .approver)
        }
        #expect(reply.code == 200, "\(reply.text)")
        let body = try reply.object()
        let actions = try #require(body["actions"] as? [Any])
        #expect(actions.count == 1)
        let stored = try await fixture.admin.draft(draft)
        #expect(stored.state == .approved)
        #expect(stored.decidedBy == "approver")
        #expect((body["draft"] as? [String: Any])?["state"] as? String == "approved")
    }

    @Test func theDrafterCannotApproveTheirOwnDraftOverHTTP() async throws {
        let fixture = try await HTTPFixture()
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0], by: .admin)
        let reply = try await fixture.withAPI { api in
            try await api.send(.post, "/api/v1/actions/\(draft)/approve", as: .admin)
        }
        try expectProblem(reply, 409, type: "/problems/refused")
        await #expect(try fixture.admin.draft(draft).state == .draft)
    }

    @Test func aUserAddedOverHTTPCanSignInWithTheGivenPasswordWhichIsNeitherEchoedNorAudited() async throws {
        let fixture = try await HTTPFixture()
        let password = "a-new-password-77"
        let before = try await fixture.audit()
        let (created, signedIn) = try await fixture.withAPI { api in
            let created = try await api.send(
                .post,
                "/api/v1/users",
                as: .admin,
                body: json(["name": "clerk", "role": "viewer", "display_name": "新来的", "password": password])
            )
            return (created, try await api.signIn("clerk", password: password))
        }
        #expect(created.code == 201, "\(created.text)")
        #expect(!created.text.contains(password))
        #expect(try created.object()["role"] as? String == "viewer")
        #expect(signedIn.code == 201, "\(signedIn.text)")
        for entry in try await fixture.audit(since: before) {
            #expect(!entry.details.contains(password) && !entry.subject.contains(password), "\(entry.action)")
        }
    }

    @Test func aUserWhosePasswordIsRefusedIsNotAddedEither() async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/users",
                as: .admin,
                body: json(["name": "short-pw", "role": "viewer", "display_name": "短", "password": "short"])
            )
        }
        try expectProblem(reply, 422, type: "/problems/invalid")
        // A refused request changes nothing: the user must not exist without the password asked for.
        await #expect(!(try fixture.admin.users().map(\.name).contains("short-pw")), "the refused user was added")
    }

    @Test func aRevokedTokenIsRefusedLikeAnUnknownOne() async throws {
        let fixture = try await HTTPFixture()
        let issued = try await fixture.admin.issueToken(user: "viewer", label: "to revoke")
        let (before, after) = try await fixture.withAPI { api in
            let headers: HTTPFields = [.authorization: "Bearer \(issued.secret)"]
            let before = try await api.send(.get, "/api/v1/people", headers: headers)
            try await fixture.admin.revokeToken(issued.id)
            return (before, try await api.send(.get, "/api/v1/people", headers: headers))
        }
        #expect(before.code == 200, "\(before.text)")
        try expectProblem(after, 401, type: "/problems/unauthenticated")
        #expect(after.headers[.wwwAuthenticate] != nil)
    }

    @Test(arguments: ["Basic dmlld2VyOnBhc3M=", "Bearer", "Bearer ", "bearer dsr_x", "Token abc"])
    func aMalformedAuthorizationHeaderIs401NotAnonymous(authorization: String) async throws {
        let fixture = try await HTTPFixture()
        let reply = try await fixture.withAPI { api in
            try await api.send(.get, "/api/v1/organizations", headers: [.authorization: authorization])
        }
        try expectProblem(reply, 401, type: "/problems/unauthenticated")
    }
}

extension HTTPFixture {
    /// A viewer named `target` with a password, for the routes that change a user.
    func addTargetUser() async throws {
        try await admin.addUser(User(name: "target", role: .viewer, displayName: "目标"), reach: .wholeNode)
        try await admin.setPassword(user: "target", password: Self.password, cost: 4)
    }
}
