import DossierCore
import Hummingbird
import Logging
import Synchronization

/// Logs every request once, when its answer is known: method, route pattern (never the path
/// itself, whose query may hold an identity number), status, duration and who made it.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = DossierRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var status = 500
        defer {
            context.logger.info(
                "request",
                metadata: [
                    "http.method": "\(request.method.rawValue)",
                    "http.route": "\(context.routeLabel)",
                    "http.status": "\(status)",
                    "duration_ms": "\(Int(((clock.now - start).seconds * 1000).rounded()))",
                    "principal": "\(context.requestLog.principal ?? "-")",
                ]
            )
        }
        do {
            let response = try await next(request, context)
            status = Int(response.status.code)
            return response
        } catch let error as any HTTPResponseError {
            status = Int(error.status.code)
            throw error
        }
    }
}

/// What inner middleware learns about a request that the log line needs once it is answered
/// (a request context is passed down by value, so the outer middleware cannot see it otherwise).
final class RequestLog: Sendable {
    private let signedIn = Mutex<String?>(nil)

    /// The name of the signed-in user, once authentication has found one.
    var principal: String? {
        get { signedIn.withLock { $0 } }
        set { signedIn.withLock { $0 = newValue } }
    }
}
