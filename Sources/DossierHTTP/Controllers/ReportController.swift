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

    /// What `format` may ask for, and how each is sent.
    enum Format: String, CaseIterable {
        case json, csv, xlsx, html

        var contentType: String {
            switch self {
            case .json: "application/json"
            case .csv: "text/csv; charset=utf-8"
            case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            case .html: "text/html; charset=utf-8"
            }
        }
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
            let bytes: [UInt8]
            switch format {
            case .json: bytes = try table.json()
            case .csv: bytes = table.csv()
            case .xlsx: bytes = try table.xlsx(cover: cover)
            case .html: bytes = Array(table.html(cover: cover).utf8)
            }
            var headers: HTTPFields = [.contentType: format.contentType]
            if format != .json {
                // The file's name in ASCII (the table's name and date): every browser keeps it.
                headers[.contentDisposition] = "attachment; filename=\"\(table.name)-\(table.asOf).\(format.rawValue)\""
            }
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func format(_ request: Request) throws -> Format {
        guard let text = request.uri.queryParameters.get("format") else { return .json }
        guard let format = Format(rawValue: String(text)) else {
            throw Problem(.badRequest, "'format' must be json, csv, xlsx or html.")
        }
        return format
    }
}
