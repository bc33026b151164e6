import DossierCore
import Foundation
import Hummingbird

/// `/api/v1/openapi.json`: the API's OpenAPI 3.1 document, written by hand beside the code
/// (Resources/openapi.json) and kept true by a test that compares it with the routes.
///
/// The ranks are the node's policy data (`rank-ladder.yaml`), not a fixed table: the document's
/// `RankCode` list is filled in from the ladder the node runs under when the server starts.
struct OpenAPIController {
    /// The document's bytes with the node's ranks, or nil when the installation lacks it.
    let document: ByteBuffer?

    init(ladder: RankLadder) {
        document = Self.document(ladder: ladder)
    }

    /// The shipped document with `RankCode` listing `ladder`'s codes, high to low.
    static func document(ladder: RankLadder) -> ByteBuffer? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
            let data = try? Data(contentsOf: url),
            var root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            var components = root["components"] as? [String: Any],
            var schemas = components["schemas"] as? [String: Any]
        else { return nil }
        let steps = ladder.steps.map { "\($0.rank.code) \($0.name)" }.joined(separator: ", ")
        schemas["RankCode"] = [
            "type": "string",
            "description":
                "Rank (职级), high to low, as this node's rank ladder (rank-ladder.yaml) has it today: \(steps). "
                + "Answers give the code; a request may give the Chinese name instead.",
            "enum": ladder.ranks.map(\.code),
        ]
        components["schemas"] = schemas
        root["components"] = components
        guard let bytes = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return nil }
        return ByteBuffer(bytes: bytes)
    }

    func addRoutes(to group: APIGroup) {
        group.unauthenticated.on(.get, "openapi.json") { _, _ -> Response in
            guard let document else {
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
