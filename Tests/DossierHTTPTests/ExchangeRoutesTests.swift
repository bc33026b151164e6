import DossierCore
import DossierCrypto
import DossierHTTP
import DossierService
import DossierStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The transfer exchange over HTTP on one node in memory: what is refused, by whom, and that a
/// refusal changes nothing.
@Suite("Exchange routes")
struct ExchangeRoutesTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// Uploads `bytes` to `/api/v1/exchange/imports` (with `query`) as `principal`.
    private func upload(_ api: API, _ bytes: [UInt8], as principal: Principal, query: String = "") async throws -> Reply
    {
        var headers: HTTPFields = [.contentType: "application/x-tar"]
        if let token = fixture.tokens[principal.rawValue] { headers[.authorization] = "Bearer " + token }
        return try await api.client.execute(
            uri: "/api/v1/exchange/imports" + query,
            method: .post,
            headers: headers,
            body: ByteBuffer(bytes: bytes)
        ) { response in Reply(status: response.status, headers: response.headers, body: response.body) }
    }

    @Test func aFileThatIsNoExchangeFileIsRefusedWithoutShowingWhereItWasKeptAndChangesNothing() async throws {
        let before = try await fixture.audit()
        let (refused, incoming) = try await fixture.withAPI { api in
            (
                try await upload(api, Array("not a package at all".utf8), as: .officer),
                try await api.send(.get, "/api/v1/exchange/incoming", as: .officer)
            )
        }
        let problem = try expectProblem(refused, 422, type: "/problems/invalid")
        let detail = try #require(problem["detail"] as? String)
        #expect(detail.hasPrefix("The uploaded file"), "\(detail)")
        #expect(!detail.contains("upload-") && !detail.contains("/tmp"), "\(detail)")
        #expect(incoming.code == 200)
        #expect(try incoming.array().isEmpty)
        #expect(try await fixture.audit(since: before).isEmpty)
    }

    @Test(arguments: [Principal.viewer, .approver, .statistician, .inspector])
    func onlyOfficersAndAdministratorsMayImport(_ principal: Principal) async throws {
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in try await upload(api, Array("x".utf8), as: principal) }
        try expectProblem(reply, 403, type: "/problems/forbidden")
        #expect(try await fixture.audit(since: before).isEmpty)
    }

    @Test func anImportWithoutSignInIsAskedToSignIn() async throws {
        let reply = try await fixture.withAPI { api in try await upload(api, Array("x".utf8), as: .anonymous) }
        try expectProblem(reply, 401, type: "/problems/unauthenticated")
    }

    @Test(arguments: [
        "?org=not-a-code", "?category=admin", "?on=2026-01-01", "?org=\(HTTPFixture.bureauA)",
        "?org=\(HTTPFixture.bureauA)&category=nothing", "?org=\(HTTPFixture.bureauA)&category=admin&on=2026-13-01",
        "?org=\(HTTPFixture.bureauA)&category=admin&rank=L99", "?org=\(HTTPFixture.bureauA)&category=admin&post=x",
    ])
    func aPlacementThatCannotBeReadIsRefusedBeforeTheUpload(_ query: String) async throws {
        let reply = try await fixture.withAPI { api in
            try await upload(api, Array("x".utf8), as: .officer, query: query)
        }
        try expectProblem(reply, 400, type: "/problems/bad-request")
    }

    @Test func anEmptyUploadIsMalformed() async throws {
        let reply = try await fixture.withAPI { api in try await upload(api, [], as: .officer) }
        try expectProblem(reply, 400, type: "/problems/bad-request")
    }

    @Test func nothingSentOrReceivedListsNothing() async throws {
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.get, "/api/v1/exchange/pending", as: .officer),
                try await api.send(.get, "/api/v1/exchange/incoming", as: .viewer),
                try await api.send(.get, "/api/v1/exchange/pending?org=\(HTTPFixture.bureauA)", as: .approver),
                try await api.send(.get, "/api/v1/exchange/incoming?org=\(HTTPFixture.bureauA)", as: .officerA),
            ]
        }
        for reply in replies {
            #expect(reply.code == 200, "\(reply.text)")
            #expect(reply.text == "[]")
        }
    }

    @Test func theListsRefuseAnUnknownOrganisationAndRolesThatReadNoRecords() async throws {
        let (unknown, malformed, statistician, inspector) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/exchange/pending?org=\(orgCode(99))", as: .officer),
                try await api.send(.get, "/api/v1/exchange/incoming?org=x", as: .officer),
                try await api.send(.get, "/api/v1/exchange/pending", as: .statistician),
                try await api.send(.get, "/api/v1/exchange/incoming", as: .inspector)
            )
        }
        try expectProblem(unknown, 404)
        try expectProblem(malformed, 400)
        try expectProblem(statistician, 403)
        try expectProblem(inspector, 403)
    }

    @Test func theAgencyIsNotFoundUntilSetThenShown() async throws {
        let unset = try await fixture.withAPI { api in try await api.send(.get, "/api/v1/agency", as: .viewer) }
        try expectProblem(unset, 404, type: "/problems/not-found")
        try await fixture.admin.setAgency(Agency(code: HTTPFixture.root, name: "东海省测试委员会"))
        let (set, anonymous) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/agency", as: .viewer),
                try await api.send(.get, "/api/v1/agency")
            )
        }
        #expect(set.code == 200, "\(set.text)")
        let agency = try set.object()
        #expect(agency["code"] as? String == HTTPFixture.root.value)
        #expect(agency["name"] as? String == "东海省测试委员会")
        #expect(Set(agency.keys) == ["code", "name"])
        try expectProblem(anonymous, 401)
    }

    @Test func writingTransferFilesIsRefusedToRolesThatMayNot() async throws {
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0])
        let before = try await fixture.audit()
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(.post, "/api/v1/exchange/transfers/\(draft)/package", as: .viewer),
                try await api.send(.post, "/api/v1/exchange/transfers/\(draft)/package", as: .approver),
                try await api.send(.post, "/api/v1/exchange/transfers/\(draft)/receipt", as: .approver),
                try await api.send(
                    .post,
                    "/api/v1/exchange/transfers/\(draft)/refusal",
                    as: .officer,
                    body: json(["reason": "材料不全"])
                ),
            ]
        }
        for reply in replies { try expectProblem(reply, 403, type: "/problems/forbidden") }
        #expect(try await fixture.audit(since: before).isEmpty)
    }

    @Test func aDraftThatIsNoTransferIsRefusedInWords() async throws {
        let draft = try await fixture.draftResignation(of: fixture.peopleA[0])
        let (receipt, refusal, missing, badBody) = try await fixture.withAPI { api in
            (
                try await api.send(.post, "/api/v1/exchange/transfers/\(draft)/receipt", as: .officer),
                try await api.send(
                    .post,
                    "/api/v1/exchange/transfers/\(draft)/refusal",
                    as: .approver,
                    body: json(["reason": "材料不全"])
                ),
                try await api.send(.post, "/api/v1/exchange/transfers/999999/receipt", as: .officer),
                try await api.send(
                    .post,
                    "/api/v1/exchange/transfers/\(draft)/refusal",
                    as: .approver,
                    body: json(["why": "材料不全"])
                )
            )
        }
        try expectProblem(receipt, 422, type: "/problems/invalid")
        try expectProblem(refusal, 422, type: "/problems/invalid")
        try expectProblem(missing, 404, type: "/problems/not-found")
        try expectProblem(badBody, 400, type: "/problems/bad-request")
    }

    @Test func theExchangePageSaysNothingIsWaitingAndTheOrganisationPageLinksToIt() async throws {
        let (exchange, organization, unknown) = try await fixture.withAPI { api in
            let signIn = try await api.signIn("officer")
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            return (
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)/exchange", cookie: cookie),
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)", cookie: cookie),
                try await api.send(.get, "/admin/organizations/\(orgCode(99))/exchange", cookie: cookie)
            )
        }
        #expect(exchange.code == 200, "\(exchange.text.prefix(400))")
        #expect(exchange.text.contains("id=\"exchange-title\""))
        #expect(exchange.text.contains("id=\"no-outgoing\"") && exchange.text.contains("id=\"no-incoming\""))
        #expect(exchange.text.contains("id=\"no-agency\""))
        #expect(organization.text.contains("href=\"/admin/organizations/\(HTTPFixture.bureauA)/exchange\""))
        #expect(unknown.code == 404)
    }
}

/// Two nodes, each with its own data directory, key and agency, trusting each other's keys, each
/// served by its own application: agency A sends a person to agency B through the routes.
final class ExchangeHTTPNodes: Sendable {
    static let agencyA = Agency(code: orgCode(501), name: "东海省财政厅")
    static let agencyB = Agency(code: orgCode(502), name: "东海省审计厅")
    static let orgA = orgCode(511)
    static let orgB = orgCode(512)
    static let today = CivilDate(iso: "2026-11-27")!
    static let transferOn = CivilDate(iso: "2026-11-02")!
    static let placedOn = CivilDate(iso: "2026-11-09")!

    let root: URL
    let directoryA: DataDirectory
    let directoryB: DataDirectory
    /// Each node, acting as its administrator (opened once each).
    let adminA: Dossier
    let adminB: Dossier
    /// API tokens by user name, at A and at B.
    let tokensA: [String: String]
    let tokensB: [String: String]
    /// The person's file number at A, and the approved transfer-out's draft number.
    let personA: Int64
    let transferOut: Int64

    deinit { try? FileManager.default.removeItem(at: root) }

    init() async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("exchange-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        directoryA = DataDirectory(path: root.appendingPathComponent("a").path, backend: SQLiteBackend())
        directoryB = DataDirectory(path: root.appendingPathComponent("b").path, backend: SQLiteBackend())
        _ = try await Dossier.initialize(directoryA, agency: Self.agencyA)
        _ = try await Dossier.initialize(directoryB, agency: Self.agencyB)
        let clock = DayClock.fixed(Self.today)
        adminA = try await Dossier.open(directoryA, as: "admin", clock: clock)
        adminB = try await Dossier.open(directoryB, as: "admin", clock: clock)
        try await adminA.generateSigningKey(.ed25519)
        try await adminB.generateSigningKey(.sm2)
        var tokens: [[String: String]] = []
        for (admin, org, name) in [(adminA, Self.orgA, "东海省财政厅办公室"), (adminB, Self.orgB, "东海省审计厅办公室")] {
            _ = try await admin.addOrganization(NewOrganization(code: org, name: name, kind: .organ, level: .province))
            try await admin.setQuota(
                org: org,
                subject: .category(.administrative),
                approved: 5,
                effectiveOn: CivilDate(iso: "2000-01-01")!
            )
            var issued: [String: String] = [:]
            for (user, role) in [("officer", Role.officer), ("approver", .approver), ("viewer", .viewer)] {
                try await admin.addUser(User(name: user, role: role, displayName: user), reach: .wholeNode)
                try await admin.setPassword(user: user, password: HTTPFixture.password, cost: 4)
                issued[user] = try await admin.issueToken(user: user, label: "tests").secret
            }
            tokens.append(issued)
        }
        tokensA = tokens[0]
        tokensB = tokens[1]
        // Each trusts the other's key for the other's agency.
        for (from, agency, to) in [(adminA, Self.agencyA, adminB), (adminB, Self.agencyB, adminA)] {
            let file = root.appendingPathComponent("key-\(agency.code).pem").path
            try Data(try from.exportPublicKey().utf8).write(to: URL(fileURLWithPath: file))
            try await to.trustKey(file: file, agency: agency.code, from: CivilDate(iso: "2020-01-01")!, until: nil)
        }
        var input = personInput(733, in: Self.orgA)
        input.name = "李调"
        personA = try await adminA.addPerson(input)
        let document = root.appendingPathComponent("appointment.pdf").path
        try Data("%PDF-1.4\n% the appointment\n%%EOF\n".utf8).write(to: URL(fileURLWithPath: document))
        _ = try await adminA.addDocument(
            personID: personA,
            file: document,
            description: DocumentDescription(
                archiveClass: .appointments,
                title: "干部任免审批表",
                date: CivilDate(iso: "2024-01-05")!,
                pages: 1
            )
        )
        transferOut = try await adminA.acting(as: User(name: "officer", role: .officer, displayName: "officer"))
            .draftAction(
                ActionDraftInput(personID: personA, kind: .transferOut, effectiveOn: Self.transferOn),
                transfer: TransferOrder(toAgency: Self.agencyB.code, reason: "转任")
            )
        try await adminA.acting(as: User(name: "approver", role: .approver, displayName: "approver"))
            .approve(draft: transferOut)
    }

    /// Runs `body` against the application serving `node`.
    func withAPI<Value: Sendable>(
        _ node: Dossier,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(node: node, settings: HTTPFixture.settings(), logger: HTTPFixture.logger)
        return try await app.test(.router) { client in try await body(client) }
    }

    /// The files left in a node's folder of temporary files.
    func temporaryFiles(_ directory: DataDirectory) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/tmp")) ?? []
    }
}

/// Sends a request with an API token (and a body, as JSON unless `contentType` says otherwise).
private func send(
    _ client: any TestClientProtocol,
    _ method: HTTPRequest.Method,
    _ uri: String,
    token: String?,
    body: [UInt8]? = nil,
    contentType: String = "application/json"
) async throws -> Reply {
    var headers: HTTPFields = [:]
    if let token { headers[.authorization] = "Bearer " + token }
    if body != nil { headers[.contentType] = contentType }
    return try await client.execute(
        uri: uri,
        method: method,
        headers: headers,
        body: body.map { ByteBuffer(bytes: $0) }
    ) {
        response in Reply(status: response.status, headers: response.headers, body: response.body)
    }
}

@Suite("Exchange between two nodes over HTTP")
struct ExchangeBetweenNodesTests {
    @Test func aTransferExportedAtOneNodeIsImportedAtTheOtherAndItsReceiptClosesIt() async throws {
        let nodes = try await ExchangeHTTPNodes()
        let officerA = nodes.tokensA["officer"]
        let officerB = nodes.tokensB["officer"]

        // A exports the transfer: a download, recorded as awaiting its receipt.
        let (package, pendingA, pageA) = try await nodes.withAPI(nodes.adminA) { client in
            let package = try await send(
                client,
                .post,
                "/api/v1/exchange/transfers/\(nodes.transferOut)/package",
                token: officerA
            )
            let pending = try await send(client, .get, "/api/v1/exchange/pending", token: officerA)
            let signIn = try await send(
                client,
                .post,
                "/api/v1/session",
                token: nil,
                body: Array(json(["user": "officer", "password": HTTPFixture.password]).utf8)
            )
            let cookie = try #require(sessionID(in: signIn.setCookie), "not signed in: \(signIn.text)")
            let page = try await client.execute(
                uri: "/admin/organizations/\(ExchangeHTTPNodes.orgA)/exchange",
                method: .get,
                headers: [.cookie: "dossier_session=\(cookie)"]
            ) { response in Reply(status: response.status, headers: response.headers, body: response.body) }
            return (package, pending, page)
        }
        #expect(package.code == 200, "\(package.text.prefix(400))")
        #expect(package.headers[.contentType] == "application/x-tar")
        #expect(
            package.headers[.contentDisposition] == "attachment; filename=\"transfer-\(nodes.transferOut).tar\""
        )
        #expect(package.body.readableBytes > 1024)
        #expect(nodes.temporaryFiles(nodes.directoryA).isEmpty, "\(nodes.temporaryFiles(nodes.directoryA))")
        let pending = try pendingA.array()
        #expect(pending.count == 1)
        let sent = try #require(pending.first as? [String: Any])
        #expect(sent["action"] as? Int64 == nodes.transferOut)
        #expect(sent["person"] as? Int64 == nodes.personA)
        #expect(sent["to"] as? String == ExchangeHTTPNodes.agencyB.code.value)
        #expect(sent["days_waiting"] as? Int == 0 && sent["overdue"] as? Bool == false)
        #expect(pageA.code == 200, "\(pageA.text.prefix(400))")
        #expect(pageA.text.contains("data-action=\"\(nodes.transferOut)\""), "\(pageA.text)")
        #expect(pageA.text.contains("id=\"no-incoming\""))

        // B imports it (twice: the second changes nothing), and lists it as waiting for approval.
        let bytes = Array(package.body.readableBytesView)
        let placement = "?org=\(ExchangeHTTPNodes.orgB)&category=admin&on=\(ExchangeHTTPNodes.placedOn)"
        let (unplaced, imported, again, incoming) = try await nodes.withAPI(nodes.adminB) { client in
            (
                try await send(client, .post, "/api/v1/exchange/imports", token: officerB, body: bytes),
                try await send(
                    client,
                    .post,
                    "/api/v1/exchange/imports" + placement,
                    token: officerB,
                    body: bytes,
                    contentType: "application/x-tar"
                ),
                try await send(client, .post, "/api/v1/exchange/imports" + placement, token: officerB, body: bytes),
                try await send(client, .get, "/api/v1/exchange/incoming?org=\(ExchangeHTTPNodes.orgB)", token: officerB)
            )
        }
        let problem = try expectProblem(unplaced, 422, type: "/problems/invalid")
        #expect((problem["detail"] as? String)?.contains("'org', 'category' and 'on'") == true, "\(problem)")
        #expect(imported.code == 201, "\(imported.text)")
        let result = try imported.object()
        #expect(result["kind"] as? String == "transfer" && result["status"] as? String == "imported")
        #expect(result["from"] as? String == ExchangeHTTPNodes.agencyA.code.value)
        let draft = try #require(result["draft"] as? Int64)
        let personB = try #require(result["person"] as? Int64)
        #expect(again.code == 200, "\(again.text)")
        #expect(try again.object()["status"] as? String == "already-imported")
        #expect(try again.object()["draft"] as? Int64 == draft)
        #expect(nodes.temporaryFiles(nodes.directoryB).isEmpty, "\(nodes.temporaryFiles(nodes.directoryB))")
        let received = try #require(try incoming.array().first as? [String: Any], "\(incoming.text)")
        #expect(try incoming.array().count == 1)
        #expect(received["draft"] as? Int64 == draft && received["person"] as? Int64 == personB)
        #expect(received["stage"] as? String == "awaiting-approval")
        #expect(received["draft_state"] as? String == "draft")
        #expect(received["org"] as? String == ExchangeHTTPNodes.orgB.value)
        #expect(received["effective_on"] as? String == ExchangeHTTPNodes.placedOn.description)
        #expect(received["answer"] is NSNull)

        // An approver at B approves the transfer-in; B's officer writes the receipt.
        try await nodes.adminB.acting(as: User(name: "approver", role: .approver, displayName: "approver"))
            .approve(draft: draft)
        let (receipt, answered) = try await nodes.withAPI(nodes.adminB) { client in
            (
                try await send(client, .post, "/api/v1/exchange/transfers/\(draft)/receipt", token: officerB),
                try await send(client, .get, "/api/v1/exchange/incoming", token: officerB)
            )
        }
        #expect(receipt.code == 200, "\(receipt.text.prefix(400))")
        #expect(receipt.headers[.contentDisposition] == "attachment; filename=\"receipt-\(draft).tar\"")
        #expect(nodes.temporaryFiles(nodes.directoryB).isEmpty, "\(nodes.temporaryFiles(nodes.directoryB))")
        let done = try #require(try answered.array().first as? [String: Any])
        #expect(done["stage"] as? String == "answered" && done["answer"] as? String == "receipt")

        // A imports the receipt: the transfer is no longer pending.
        let receiptBytes = Array(receipt.body.readableBytesView)
        let (closed, stillPending) = try await nodes.withAPI(nodes.adminA) { client in
            (
                try await send(client, .post, "/api/v1/exchange/imports", token: officerA, body: receiptBytes),
                try await send(client, .get, "/api/v1/exchange/pending", token: officerA)
            )
        }
        #expect(closed.code == 201, "\(closed.text)")
        let closing = try closed.object()
        #expect(closing["kind"] as? String == "receipt" && closing["person"] as? Int64 == nodes.personA)
        #expect(stillPending.code == 200 && stillPending.text == "[]")
        #expect(try await nodes.adminA.verifyAudit().isIntact)
        #expect(try await nodes.adminB.verifyAudit().isIntact)
    }

    @Test func aReceiptIsNotWrittenBeforeTheTransferInIsApprovedAndAViewerCannotImport() async throws {
        let nodes = try await ExchangeHTTPNodes()
        let package = try await nodes.withAPI(nodes.adminA) { client in
            try await send(
                client,
                .post,
                "/api/v1/exchange/transfers/\(nodes.transferOut)/package",
                token: nodes.tokensA["officer"]
            )
        }
        let bytes = Array(package.body.readableBytesView)
        let placement = "?org=\(ExchangeHTTPNodes.orgB)&category=admin&on=\(ExchangeHTTPNodes.placedOn)"
        let (viewer, imported) = try await nodes.withAPI(nodes.adminB) { client in
            (
                try await send(
                    client,
                    .post,
                    "/api/v1/exchange/imports" + placement,
                    token: nodes.tokensB["viewer"],
                    body: bytes
                ),
                try await send(
                    client,
                    .post,
                    "/api/v1/exchange/imports" + placement,
                    token: nodes.tokensB["officer"],
                    body: bytes
                )
            )
        }
        try expectProblem(viewer, 403, type: "/problems/forbidden")
        let draft = try #require(try imported.object()["draft"] as? Int64, "\(imported.text)")
        let early = try await nodes.withAPI(nodes.adminB) { client in
            try await send(
                client,
                .post,
                "/api/v1/exchange/transfers/\(draft)/receipt",
                token: nodes.tokensB["officer"]
            )
        }
        try expectProblem(early, 409, type: "/problems/refused")
        #expect(nodes.temporaryFiles(nodes.directoryB).isEmpty, "\(nodes.temporaryFiles(nodes.directoryB))")
    }
}
