import HTTPTypes
import Hummingbird

/// Security headers on every answer: a content security policy without inline script, no
/// framing, no referrer, no content sniffing, and no caching of personal data.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    private static var frameOptions: HTTPField.Name { HTTPField.Name("X-Frame-Options")! }
    private static var referrerPolicy: HTTPField.Name { HTTPField.Name("Referrer-Policy")! }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        response.headers[.xContentTypeOptions] = "nosniff"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
