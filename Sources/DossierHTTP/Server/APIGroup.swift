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

    @discardableResult
    func get(
        _ path: String,
        use handler: @escaping @Sendable (Request, DossierRequestContext) async throws -> some ResponseGenerator
    ) -> Self {
        list.add(.get, prefix + path)
        group.get(RouterPath(path), use: handler)
        return self
    }

    @discardableResult
    func post(
        _ path: String,
        use handler: @escaping @Sendable (Request, DossierRequestContext) async throws -> some ResponseGenerator
    ) -> Self {
        list.add(.post, prefix + path)
        group.post(RouterPath(path), use: handler)
        return self
    }

    @discardableResult
    func delete(
        _ path: String,
        use handler: @escaping @Sendable (Request, DossierRequestContext) async throws -> some ResponseGenerator
    ) -> Self {
        list.add(.delete, prefix + path)
        group.delete(RouterPath(path), use: handler)
        return self
    }
}
