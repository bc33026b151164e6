public import Hummingbird
import Synchronization

/// The routes registered under `/api/v1`, as (method, OpenAPI path) pairs: the test that
/// keeps `openapi.json` true compares the document with this list.
public final class RouteList: Sendable {
    private let entries = Mutex<[String]>([])

    public init() {}

    func add(_ method: HTTPRequest.Method, _ path: String) {
        entries.withLock { $0.append("\(method.rawValue) \(path)") }
    }

    /// "METHOD /path" for every route, sorted.
    public var routes: [String] { entries.withLock { $0.sorted() } }
}

/// A router group under `/api/v1` that records each route it registers.
struct APIGroup {
    let group: RouterGroup<DossierRequestContext>
    let prefix: String
    let list: RouteList

    typealias Handler<Answer: ResponseGenerator> = @Sendable (Request, DossierRequestContext) async throws -> Answer

    /// Registers `handler` for `method` on `path` (relative to /api/v1/) and records the route.
    @discardableResult
    func on(
        _ method: HTTPRequest.Method,
        _ path: String,
        use handler: @escaping Handler<some ResponseGenerator>
    ) -> Self {
        list.add(method, prefix + path)
        group.on(RouterPath(path), method: method, use: handler)
        return self
    }

    @discardableResult
    func get(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) -> Self {
        on(.get, path, use: handler)
    }

    @discardableResult
    func post(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) -> Self {
        on(.post, path, use: handler)
    }

    @discardableResult
    func delete(_ path: String, use handler: @escaping Handler<some ResponseGenerator>) -> Self {
        on(.delete, path, use: handler)
    }
}
