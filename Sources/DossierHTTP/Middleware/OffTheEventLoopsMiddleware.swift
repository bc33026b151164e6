import Hummingbird

/// Requests that may write — every method but GET, HEAD and OPTIONS, and look-ups that reveal
/// an identity number (each reveal is an audit entry) — are handled on `RequestWorkers`'
/// threads, off the event loops. A write can wait for the database's write lock (another process
/// importing a file, say, holds it for the whole import); waiting on an event loop would hold up
/// every connection that loop serves. Reads never wait for writers (SQLite's write-ahead log) and
/// stay on the loops.
struct OffTheEventLoopsMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard Self.mayWrite(request) else { return try await next(request, context) }
        return try await withTaskExecutorPreference(RequestWorkers.shared) { try await next(request, context) }
    }

    static func mayWrite(_ request: Request) -> Bool {
        ![.get, .head, .options].contains(request.method) || request.uri.queryParameters.get("reveal") != nil
    }
}
