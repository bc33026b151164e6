import DossierCore
import Hummingbird

/// Counts and times every request by route pattern; requests no route matches count as
/// "unmatched" (Hummingbird names them "NotFound").
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: MetricsRegistry

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        registry.started()
        var status = 500
        defer {
            registry.finished(
                method: request.method.rawValue,
                route: context.routeLabel,
                status: status,
                duration: clock.now - start
            )
        }
        let response = try await next(request, context)
        status = Int(response.status.code)
        return response
    }
}

extension RequestContext {
    /// The route pattern that matched (`/api/v1/people/{id}`), never the concrete path, or
    /// "unmatched" (Hummingbird names those "NotFound"): what metrics and the request log
    /// label a request with.
    var routeLabel: String {
        endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
    }
}
