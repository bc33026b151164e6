import DossierService
import Hummingbird
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
///
/// It fails closed: a handler registered with `get`, `post` or `delete` is handed the node
/// acting as the request's principal, and that node exists only when the authentication
/// middleware found one (`DossierRequestContext.dossier`); without it the request is answered
/// 401 before the handler runs. Controllers hold no node of their own, so a handler has no other
/// way to reach a use case. The few routes that must answer before anyone signs in (the OpenAPI
/// document, signing in) are registered through `unauthenticated`, and reach no use case.
struct APIGroup {
    let group: RouterGroup<DossierRequestContext>
    let prefix: String
    let list: RouteList

    /// A handler that acts through the node as the signed-in principal.
    typealias Handler<Answer: ResponseGenerator> =
        @Sendable (Request, DossierRequestContext, Dossier) async throws -> Answer
    /// A handler for a route anyone may call.
    typealias OpenHandler<Answer: ResponseGenerator> = @Sendable (Request, DossierRequestContext) async throws -> Answer

    /// Registers `handler` for `method` on `path` (relative to /api/v1/), for signed-in callers
    /// only, and records the route.
    @discardableResult
    func on(
        _ method: HTTPRequest.Method,
        _ path: String,
        use handler: @escaping Handler<some ResponseGenerator>
    ) -> Self {
        list.add(method, prefix + path)
        group.on(RouterPath(path), method: method) { request, context in
            try await handler(request, context, try context.requireDossier())
        }
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

    /// The same group for routes that answer without a signed-in user.
    var unauthenticated: Unauthenticated { Unauthenticated(api: self) }

    /// Routes anyone may call: their handlers get no node.
    struct Unauthenticated {
        let api: APIGroup

        @discardableResult
        func on(
            _ method: HTTPRequest.Method,
            _ path: String,
            use handler: @escaping OpenHandler<some ResponseGenerator>
        ) -> Self {
            api.list.add(method, api.prefix + path)
            api.group.on(RouterPath(path), method: method, use: handler)
            return self
        }
    }
}
