import DossierService
public import Hummingbird
import Logging

/// Turns every error into a problem details answer: the service's refusals keep their
/// sentence; Hummingbird's own HTTP errors (a malformed body, an unknown route) keep their
/// status; anything else is logged by type only and answered with a plain 500.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as ServiceError {
            return try Problem(error, logger: context.logger).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            // Hummingbird's own refusals (HTTPError, a body over the size limit …): their
            // status, our wording.
            return try Self.problem(for: error.status, message: (error as? HTTPError)?.body)
                .response(from: request, context: context)
        } catch is DecodingError {
            return try Problem(.badRequest, "The JSON body does not have the fields this request needs.")
                .response(from: request, context: context)
        } catch {
            // Unknown errors may carry internals (SQL, paths): log the type, answer plainly.
            context.logger.error("request.failed", metadata: ["error.type": "\(type(of: error))"])
            return try Problem(.internalError, "The server could not complete the request.")
                .response(from: request, context: context)
        }
    }

    static func problem(for status: HTTPResponse.Status, message: String?) -> Problem {
        switch status {
        case .notFound: return Problem(.notFound, "There is nothing at this address.")
        case .methodNotAllowed: return Problem(.methodNotAllowed, "This address does not take that method.")
        case .contentTooLarge: return Problem(.payloadTooLarge, "The request body is larger than allowed.")
        case .unauthorized: return .unauthenticated
        case .badRequest:
            return Problem(.badRequest, "The request is malformed: \(message ?? "check its body and parameters").")
        default:
            return status.code >= 500
                ? Problem(.internalError, "The server could not complete the request.")
                : Problem(.badRequest, "The request was not understood.")
        }
    }
}
