import DossierCore
import DossierReports
import DossierService
import Hummingbird
import NIOCore

/// 统计报表: the tables a node can run (`/api/v1/reports`) and one table run as of a date, over
/// the caller's units or one unit's subtree, in JSON, CSV, Excel or a printable page
/// (`/api/v1/reports/{name}?as_of=…&from=…&org=…&format=…`).
struct ReportController {
    /// One table of the list.
    struct Listed: ResponseEncodable {
        var name: String
        var number: Int
        var title: String
        var measure: String
    }

    func addRoutes(to group: APIGroup) {
        group.get("reports") { _, _, dossier -> [Listed] in
            try dossier.reportCatalog().definitions.map {
                Listed(name: $0.name, number: $0.number, title: $0.title, measure: $0.measure.name)
            }
        }
        group.get("reports/{name}") { request, context, dossier -> Response in
            guard let name = context.parameters.get("name") else { throw Problem(.notFound, "No such table.") }
            let format = try Self.format(request)
            let asOf = try Parameter.date(request, or: dossier.today)
            let from = try request.uri.queryParameters.get("from").map { _ in
                try Parameter.date(request, "from", or: asOf)
            }
            let table = try await dossier.runReport(name, asOf: asOf, from: from, org: try Parameter.org(request))
            let cover = ReportCover(for: table)
            let bytes = try format.bytes(of: table, cover: cover)
            var headers: HTTPFields = [.contentType: format.contentType]
            if format != .json {
                // The file's name in ASCII (the table's name and date): every browser keeps it.
                headers[.contentDisposition] = "attachment; filename=\"\(table.name)-\(table.asOf).\(format.rawValue)\""
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func format(_ request: Request) throws -> ReportFormat {
        guard let text = request.uri.queryParameters.get("format") else { return .json }
        guard let format = ReportFormat(rawValue: String(text)) else {
            throw Problem(.badRequest, "'format' must be json, csv, xlsx or html.")
        }
        return format
    }
}
