public import Hummingbird

/// Counts and times every request by route pattern (unmatched routes count as "unmatched").
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
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            registry.finished(
                method: request.method.rawValue,
                route: context.endpointPath ?? "unmatched",
                status: status,
                seconds: seconds
            )
        }
        let response = try await next(request, context)
        status = Int(response.status.code)
        return response
    }
}
