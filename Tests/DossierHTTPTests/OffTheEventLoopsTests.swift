import HTTPTypes
import Hummingbird
import Testing

@testable import DossierHTTP

/// Which requests leave the event loops: every one that may write to the database.
@Suite struct OffTheEventLoopsTests {
    private func request(_ method: HTTPRequest.Method, _ path: String) -> Request {
        Request(
            head: HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path),
            body: RequestBody(buffer: .init())
        )
    }

    @Test(arguments: [HTTPRequest.Method.post, .put, .patch, .delete])
    func changesLeaveTheEventLoops(_ method: HTTPRequest.Method) {
        #expect(OffTheEventLoopsMiddleware<DossierRequestContext>.mayWrite(request(method, "/api/v1/users")))
    }

    @Test func plainReadsStayOnTheEventLoops() {
        for method in [HTTPRequest.Method.get, .head, .options] {
            #expect(!OffTheEventLoopsMiddleware<DossierRequestContext>.mayWrite(request(method, "/api/v1/people/7")))
        }
    }

    /// A reveal is an audit entry: a write, even on GET.
    @Test func aReadThatRevealsLeavesTheEventLoops() {
        #expect(
            OffTheEventLoopsMiddleware<DossierRequestContext>.mayWrite(request(.get, "/api/v1/people/7?reveal=true"))
        )
        #expect(OffTheEventLoopsMiddleware<DossierRequestContext>.mayWrite(request(.get, "/api/v1/people?reveal=1")))
    }
}
