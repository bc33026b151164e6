import Foundation
public import Hummingbird

/// `/api/v1/openapi.json`: the API's OpenAPI 3.1 document, written by hand beside the code
/// (Resources/openapi.json) and kept true by a test that compares it with the routes.
struct OpenAPIController {
    /// The document's bytes, read once.
    static let document: ByteBuffer? = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { return nil }
        return ByteBuffer(bytes: data)
    }()

    func addRoutes(to group: APIGroup) {
        group.unauthenticated.on(.get, "openapi.json") { _, _ -> Response in
            guard let document = Self.document else {
                throw Problem(.unavailable, "This installation lacks its API description.")
            }
            return Response(
                status: .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-cache"],
                body: .init(byteBuffer: document)
            )
        }
    }
}
