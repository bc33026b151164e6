import DossierCore
import DossierCrypto
import DossierHTTP
import DossierService
import DossierStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A valid credit code of a test organisation in the fictional province (division 39).
func orgCode(_ serial: Int) -> CreditCode {
    let digits = String(serial)
    return CreditCode.make(
        authority: "1",
        entityType: "1",
        divisionCode: "390000",
        organizationCode: "H" + String(repeating: "0", count: 8 - digits.count) + digits
    )
}

/// A valid identity number, distinct for each `sequence`.
func residentID(_ sequence: Int) -> ResidentID {
    ResidentID.make(addressCode: "390102", birthDate: CivilDate(iso: "1988-04-21")!, sequence: sequence)
}

/// The record of test person `sequence`, hired into `org`'s administrative establishment at
/// 一级科员 on 2024-01-05.
func personInput(_ sequence: Int, in org: CreditCode) -> PersonInput {
    var input = PersonInput()
    input.idNumber = residentID(sequence).value
    input.name = "测试\(sequence)"
    input.ethnicity = "汉"
    input.education = "本科"
    input.politicalStatus = "群众"
    input.phone = HTTPFixture.phone
    input.orgCode = org.value
    input.category = "admin"
    input.rank = "一级科员"
    input.status = "在职"
    input.hiredOn = "2024-01-05"
    return input
}

/// Any text masked as identity numbers are: the first 6, then a star for every other character.
func masked(_ text: String) -> String {
    String(text.prefix(6)) + String(repeating: "*", count: text.count - 6)
}

/// Who makes a request: a user of each role (each with an API token), the officer scoped to
/// bureau A, nobody, and someone with a token that was never issued.
enum Principal: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case admin
    case officer
    case approver
    case viewer
    case statistician
    case inspector
    case officerA = "officer-a"
    case anonymous
    case badToken = "bad-token"

    /// The principals that are users of the node.
    static let users: [Principal] = [.admin, .officer, .approver, .viewer, .statistician, .inspector, .officerA]

    var role: Role? {
        switch self {
        case .admin: return .admin
        case .officer, .officerA: return .officer
        case .approver: return .approver
        case .viewer: return .viewer
        case .statistician: return .statistician
        case .inspector: return .inspector
        case .anonymous, .badToken: return nil
        }
    }

    /// The user name (nil for the two that are no user).
    var userName: String? { role == nil ? nil : rawValue }

    var testDescription: String { rawValue }
}

/// An answer of the router, with its body read.
struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: ByteBuffer

    var code: Int { Int(status.code) }
    var text: String { String(buffer: body) }

    /// The body as a JSON object (fails the test when it is not one).
    func object(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try #require(value as? [String: Any], "not a JSON object: \(text)", sourceLocation: sourceLocation)
    }

    /// The body as a JSON array.
    func array(sourceLocation: SourceLocation = #_sourceLocation) throws -> [Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
        return try #require(value as? [Any], "not a JSON array: \(text)", sourceLocation: sourceLocation)
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// The `Set-Cookie` header's value, if any.
    var setCookie: String? { headers[.setCookie] }
}

/// A person as the API shows them (only the keys the tests look at).
struct PersonReply: Decodable, Sendable {
    var id: Int64
    var name: String
    var idNumber: String
    var phone: String?
    var org: String?

    private enum CodingKeys: String, CodingKey {
        case id, name
        case idNumber = "id_number"
        case phone, org
    }
}

/// A page of a list as the API sends it.
struct PageReply<Item: Decodable & Sendable>: Decodable, Sendable {
    var items: [Item]
    var nextCursor: String?
    var total: Int?

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
        case total
    }
}

/// A draft as the API shows it (only the keys the tests look at).
struct DraftReply: Decodable, Sendable {
    var id: Int64
    var personID: Int64
    var state: String

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case state
    }
}

/// A JSON body from a dictionary.
func json(_ object: [String: Any]) -> String {
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

/// A node in memory: a root organisation with two bureaus under it, quotas, people in each, a
/// user of every role (each with an API token and a password), and `officer-a`, an officer
/// scoped to bureau A only.
final class HTTPFixture: Sendable {
    /// 东海省测试委员会: the root.
    static let root = orgCode(1)
    /// 第一局, under the root: one 县处级正职 post.
    static let bureauA = orgCode(2)
    /// 第二局, under the root.
    static let bureauB = orgCode(3)
    /// Every user's password.
    static let password = "correct-horse-battery"
    static let phone = "13912345678"
    /// Failed sign-ins: slowed by a millisecond after the second, locked after the third.
    static let loginPolicy = LoginPolicy(
        window: .seconds(600),
        slowAfter: 2,
        delay: .milliseconds(1),
        lockAfter: 3,
        lockFor: .seconds(600)
    )

    static func settings(secureCookies: Bool = false, metricsAccess: MetricsAccess = .loopback) -> ServerSettings {
        ServerSettings(
            secureCookies: secureCookies,
            loginPolicy: loginPolicy,
            passwordCost: 4,
            metricsAccess: metricsAccess
        )
    }

    static let logger: Logger = {
        var logger = Logger(label: "dossier-http-tests")
        logger.logLevel = .critical
        return logger
    }()

    let store: DossierStore
    /// The node acting as the administrator.
    let admin: Dossier
    let settings: ServerSettings
    /// Each user's API token secret, by user name.
    let tokens: [String: String]
    let rootPeople: [Int64]
    let peopleA: [Int64]
    let peopleB: [Int64]
    /// Each person's identity number, by file number.
    let idNumbers: [Int64: ResidentID]
    /// A valid identity number of nobody on file.
    let unknownIDNumber = residentID(777)

    var everyone: [Int64] { (rootPeople + peopleA + peopleB).sorted() }

    /// The node's clock: the system's, or a fixed day for tests whose answers depend on it.
    let clock: DayClock

    /// The shipped policies (the promotion rules of civil-service-ranks-2019.yaml among them).
    static let policies: PolicySet = Dossier.shippedPolicies

    /// Builds the node described above, under `policies`; `today`, when given, is the node's
    /// today (else the system's).
    init(settings: ServerSettings = HTTPFixture.settings(), today: CivilDate? = nil) async throws {
        self.settings = settings
        let clock: DayClock = today.map { .fixed($0) } ?? .system
        let store = try DossierStore.inMemory(keys: FieldKeys.generate())
        try await Dossier.addFirstUser(User(name: "admin", role: .admin, displayName: "Administrator"), to: store)
        let admin = try await Dossier.acting(on: store, as: "admin", policies: Self.policies, clock: clock)
        self.store = store
        self.admin = admin
        self.clock = clock

        _ = try await admin.addOrganization(
            NewOrganization(code: Self.root, name: "东海省测试委员会", kind: .organ, level: .province)
        )
        for (code, name) in [(Self.bureauA, "第一局"), (Self.bureauB, "第二局")] {
            _ = try await admin.addOrganization(
                NewOrganization(code: code, name: name, kind: .organ, level: .province, parentCode: Self.root)
            )
        }
        let established = CivilDate(iso: "2000-01-01")!
        for code in [Self.root, Self.bureauA, Self.bureauB] {
            try await admin.setQuota(
                org: code,
                subject: .category(.administrative),
                approved: 10,
                effectiveOn: established
            )
        }
        try await admin.setQuota(
            org: Self.bureauA,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: established
        )

        var ids: [Int64: ResidentID] = [:]
        func file(_ sequence: Int, in org: CreditCode) async throws -> Int64 {
            let id = try await admin.addPerson(personInput(sequence, in: org))
            ids[id] = residentID(sequence)
            return id
        }
        rootPeople = await [try file(11, in: Self.root)]
        peopleA = await [
            try file(21, in: Self.bureauA), try file(22, in: Self.bureauA), try file(23, in: Self.bureauA),
        ]
        peopleB = await [try file(31, in: Self.bureauB), try file(32, in: Self.bureauB)]
        idNumbers = ids

        var tokens: [String: String] = [:]
        for principal in Principal.users {
            let name = try #require(principal.userName)
            if principal != .admin {
                let reach: Reach = principal == .officerA ? .organization(Self.bureauA) : .wholeNode
                try await admin.addUser(
                    User(name: name, role: try #require(principal.role), displayName: "用户 \(name)"),
                    reach: reach
                )
            }
            try await admin.setPassword(user: name, password: Self.password, cost: 4)
            tokens[name] = try await admin.issueToken(user: name, label: "tests").secret
        }
        self.tokens = tokens
    }

    /// The node acting as `principal` (a user).
    func node(_ principal: Principal) async throws -> Dossier {
        try await Dossier.acting(on: store, as: try #require(principal.userName), policies: Self.policies, clock: clock)
    }

    /// Every audit entry, oldest first.
    func audit() async throws -> [AuditEntry] {
        try await admin.auditLog(after: 0, limit: 1_000_000)
    }

    /// The audit entries added since `before` was read.
    func audit(since before: [AuditEntry]) async throws -> [AuditEntry] {
        try await admin.auditLog(after: before.last?.seq ?? 0, limit: 1_000_000)
    }

    /// A draft resignation of `person` from 2025-06-01, made through the service by `maker`.
    func draftResignation(of person: Int64, by maker: Principal = .officer) async throws -> Int64 {
        try await node(maker).draftAction(
            ActionDraftInput(personID: person, kind: .resign, effectiveOn: CivilDate(iso: "2025-06-01")!)
        )
    }

    /// Runs `body` against the application built by `buildApplication`, through its router
    /// (with these package-check slots, when given).
    func withAPI<Value: Sendable>(
        verifications: VerificationSlots? = nil,
        _ body: @Sendable (API) async throws -> Value
    ) async throws -> Value {
        let app = try await buildApplication(
            node: admin,
            settings: settings,
            logger: Self.logger,
            verifications: verifications
        )
        return try await app.test(.router) { client in try await body(API(client: client, fixture: self)) }
    }
}

/// Requests to the application under test, as one principal or another.
struct API: Sendable {
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let client: any TestClientProtocol
    let fixture: HTTPFixture

    /// Sends a request as `principal` (its bearer token; none for `anonymous`, a made-up one
    /// for `badToken`), with `body` as JSON when given.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as principal: Principal = .anonymous,
        body: String? = nil,
        headers: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = headers
        switch principal {
        case .anonymous: break
        case .badToken: headers[.authorization] = "Bearer dsr_" + String(repeating: "0", count: 64)
        default: headers[.authorization] = "Bearer " + (fixture.tokens[principal.rawValue] ?? "")
        }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await client.execute(
            uri: uri,
            method: method,
            headers: headers,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            Reply(status: response.status, headers: response.headers, body: response.body)
        }
    }

    /// Signs in with a password; returns the answer.
    func signIn(_ user: String, password: String = HTTPFixture.password) async throws -> Reply {
        try await send(.post, "/api/v1/session", body: json(["user": user, "password": password]))
    }

    /// Signs in as `user` for the pages; returns the session cookie and its CSRF token.
    func signedIn(_ user: String) async throws -> (cookie: String, csrf: String) {
        let reply = try await signIn(user)
        let cookie = try #require(sessionID(in: reply.setCookie), "not signed in: \(reply.text)")
        return (cookie, try #require(try reply.object()["csrf_token"] as? String))
    }

    /// Sends a request with a session cookie (and the CSRF token when given).
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        cookie: String,
        csrf: String? = nil,
        body: String? = nil
    ) async throws -> Reply {
        var headers: HTTPFields = [.cookie: "dossier_session=\(cookie)"]
        if let csrf { headers[Self.csrfHeader] = csrf }
        return try await send(method, uri, body: body, headers: headers)
    }
}

/// The session id in a `Set-Cookie` value.
func sessionID(in setCookie: String?) -> String? {
    guard let setCookie else { return nil }
    let first = setCookie.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
    let prefix = "dossier_session="
    guard first.hasPrefix(prefix) else { return nil }
    return String(first.dropFirst(prefix.count))
}

/// The attributes of a `Set-Cookie` value after the name=value pair, trimmed.
func cookieAttributes(_ setCookie: String) -> [String] {
    setCookie.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
}

/// Checks that `reply` is a problem details answer whose `status` is the HTTP status; returns
/// the problem's fields.
@discardableResult
func expectProblem(
    _ reply: Reply,
    _ status: Int? = nil,
    type: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    if let status {
        #expect(reply.code == status, "\(reply.text)", sourceLocation: sourceLocation)
    }
    #expect(reply.code >= 400, sourceLocation: sourceLocation)
    #expect(
        reply.headers[.contentType] == "application/problem+json",
        "content type \(reply.headers[.contentType] ?? "none")",
        sourceLocation: sourceLocation
    )
    let problem = try reply.object(sourceLocation: sourceLocation)
    #expect(
        Set(problem.keys) == ["type", "title", "status", "detail", "instance"],
        "keys \(problem.keys.sorted())",
        sourceLocation: sourceLocation
    )
    #expect(problem["status"] as? Int == reply.code, sourceLocation: sourceLocation)
    for key in ["type", "title", "detail", "instance"] {
        let value = problem[key] as? String
        #expect(
            value?.isEmpty == false,
            "\(key) is \(String(describing: problem[key]))",
            sourceLocation: sourceLocation
        )
    }
    #expect((problem["type"] as? String)?.hasPrefix("/problems/") == true, sourceLocation: sourceLocation)
    if let type {
        #expect(problem["type"] as? String == type, sourceLocation: sourceLocation)
    }
    return problem
}
