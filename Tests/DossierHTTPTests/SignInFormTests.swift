import DossierCore
import DossierHTTP
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Login CSRF: another site must not be able to sign a visitor's browser in under the
/// attacker's name. The sign-in form carries a token that also travels in a cookie, and a
/// request naming another site in `Origin` is refused, at the form and at the JSON sign-in.
@Suite struct SignInFormTests {
    let fixture: HTTPFixture

    init() async throws { fixture = try await HTTPFixture() }

    /// The sign-in page's form token and its cookie (`name=value`).
    private func formPage(_ api: API) async throws -> (token: String, cookie: String) {
        let page = try await api.send(.get, "/admin/login")
        #expect(page.code == 200)
        let marker = #"name="csrf" value=""#
        let start = try #require(page.text.range(of: marker), "no token in the form")
        let token = String(page.text[start.upperBound...].prefix { $0 != "\"" })
        let setCookie = try #require(page.setCookie)
        let attributes = cookieAttributes(setCookie).map { $0.lowercased() }
        #expect(attributes.contains("httponly") && attributes.contains("samesite=strict"), "\(setCookie)")
        let cookie = String(setCookie.split(separator: ";")[0])
        #expect(cookie == "dossier_signin=\(token)")
        #expect(token.count == 64)
        return (token, cookie)
    }

    /// Posts the sign-in form as officer.
    private func postForm(
        _ api: API,
        token: String?,
        cookie: String?,
        origin: String? = "http://localhost",
        fetchSite: String? = nil
    ) async throws -> Reply {
        var form = "user=officer&password=\(HTTPFixture.password)"
        if let token { form += "&csrf=\(token)" }
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        if let origin { headers[.origin] = origin }
        if let fetchSite { headers[HTTPField.Name("Sec-Fetch-Site")!] = fetchSite }
        return try await api.client.execute(
            uri: "/admin/login",
            method: .post,
            headers: headers,
            body: ByteBuffer(string: form)
        ) { response in Reply(status: response.status, headers: response.headers, body: response.body) }
    }

    /// No session cookie was set and no sign-in was audited.
    private func expectNoSession(
        _ reply: Reply,
        since before: [AuditEntry],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(sessionID(in: reply.setCookie) == nil, "\(reply.headers)", sourceLocation: sourceLocation)
        #expect(!(reply.setCookie ?? "").contains("dossier_session="), sourceLocation: sourceLocation)
        await #expect(
            try fixture.audit(since: before).map(\.action).filter { $0.hasPrefix("auth.") }.isEmpty,
            sourceLocation: sourceLocation
        )
    }

    @Test func theFormWithItsPagesTokenSignsIn() async throws {
        let before = try await fixture.audit()
        let reply = try await fixture.withAPI { api in
            let (token, cookie) = try await formPage(api)
            return try await postForm(api, token: token, cookie: cookie)
        }
        #expect(reply.code == 303, "\(reply.text)")
        #expect(reply.headers[.location] == "/admin")
        #expect(sessionID(in: reply.setCookie) != nil, "\(reply.headers)")
        await #expect(try fixture.audit(since: before).map(\.action) == ["auth.login"])
    }

    /// What Chromium sends from the page itself: the pages' `Referrer-Policy: no-referrer`
    /// makes it `Origin: null`, and its fetch metadata says the form is this site's.
    @Test func theFormAsABrowserSendsItFromThePageSignsIn() async throws {
        let reply = try await fixture.withAPI { api in
            let (token, cookie) = try await formPage(api)
            return try await postForm(api, token: token, cookie: cookie, origin: "null", fetchSite: "same-origin")
        }
        #expect(reply.code == 303, "\(reply.text)")
        #expect(sessionID(in: reply.setCookie) != nil, "\(reply.headers)")
    }

    @Test(arguments: ["cross-site", "same-site"])
    func theFormABrowserSaysComesFromAnotherSiteIsRefusedEvenWithAToken(fetchSite: String) async throws {
        let before = try await fixture.audit()
        try await fixture.withAPI { api in
            let (token, cookie) = try await formPage(api)
            for origin in ["null", "http://localhost"] {
                let reply = try await postForm(api, token: token, cookie: cookie, origin: origin, fetchSite: fetchSite)
                #expect(reply.code == 403, "\(reply.text)")
                try await expectNoSession(reply, since: before)
            }
        }
    }

    @Test func theFormWithoutItsTokenIsRefusedAndStartsNoSession() async throws {
        let before = try await fixture.audit()
        try await fixture.withAPI { api in
            // Without ever loading the page, as another site's form would.
            let blind = try await postForm(api, token: nil, cookie: nil)
            #expect(blind.code == 403, "\(blind.text)")
            try await expectNoSession(blind, since: before)
            let (token, cookie) = try await formPage(api)
            for (formToken, formCookie) in [
                (nil, cookie), (token, nil), (nil, nil), (String(repeating: "0", count: 64), cookie),
            ] {
                let reply = try await postForm(api, token: formToken, cookie: formCookie)
                #expect(reply.code == 403, "\(reply.text)")
                // The page is in Chinese (the catalogue's default), as is what it says.
                #expect(reply.text.contains("登录页面已过期或并非来自本系统"), "\(reply.text)")
                try await expectNoSession(reply, since: before)
            }
        }
    }

    @Test(arguments: ["http://evil.example", "null", "http://localhost.evil.example", "http://localhost:8081"])
    func theFormPostedFromAnotherSiteIsRefusedEvenWithAToken(origin: String) async throws {
        let before = try await fixture.audit()
        try await fixture.withAPI { api in
            let (token, cookie) = try await formPage(api)
            let reply = try await postForm(api, token: token, cookie: cookie, origin: origin)
            #expect(reply.code == 403, "\(reply.text)")
            #expect(reply.text.contains("只能从本系统自己的登录页面登录"), "\(reply.text)")
            try await expectNoSession(reply, since: before)
        }
    }

    @Test func aRefererFromAnotherSiteIsRefusedWhenThereIsNoOrigin() async throws {
        let before = try await fixture.audit()
        try await fixture.withAPI { api in
            let (token, cookie) = try await formPage(api)
            let form = "user=officer&password=\(HTTPFixture.password)&csrf=\(token)"
            let reply = try await api.client.execute(
                uri: "/admin/login",
                method: .post,
                headers: [
                    .contentType: "application/x-www-form-urlencoded", .cookie: cookie,
                    .referer: "http://evil.example/page",
                ],
                body: ByteBuffer(string: form)
            ) { response in Reply(status: response.status, headers: response.headers, body: response.body) }
            #expect(reply.code == 403, "\(reply.text)")
            try await expectNoSession(reply, since: before)
        }
    }

    @Test func theJSONSignInFromAnotherSiteIsRefusedAndFromThisOneAccepted() async throws {
        let before = try await fixture.audit()
        let body = json(["user": "officer", "password": HTTPFixture.password])
        try await fixture.withAPI { api in
            let foreign = try await api.send(
                .post,
                "/api/v1/session",
                body: body,
                headers: [.origin: "http://evil.example"]
            )
            try expectProblem(foreign, 403, type: "/problems/csrf")
            try await expectNoSession(foreign, since: before)

            let own = try await api.send(.post, "/api/v1/session", body: body, headers: [.origin: "http://localhost"])
            #expect(own.code == 201, "\(own.text)")
            // Scripts send no Origin at all.
            #expect(try await api.signIn("viewer").code == 201)
        }
    }
}
