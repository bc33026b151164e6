import DossierCore
import DossierReports
import DossierService
import Hummingbird

extension PagesController {
    /// The statistical tables (统计报表): each with a form to run it as of a date, over one unit
    /// or every unit the user may read.
    func reportList(_ visit: Visit, _ context: Context) async throws -> Response {
        let dossier = visit.dossier
        let catalog = try dossier.reportCatalog()
        var values = base(pages.text("reports"), visit)
        values["tables"] = catalog.definitions.map { definition -> [String: Any] in
            ["name": definition.name, "number": definition.number, "title": definition.title]
        }
        values["asOf"] = dossier.today.description
        values["orgs"] = try await dossier.organizations().map { ["code": $0.code.value, "name": $0.name] }
        return html(pages.render("reports", values))
    }

    /// One table run on the page: the table, its checks and its chart as the printable page
    /// has them, and links to download it in each format.
    func reportPreview(_ visit: Visit, _ context: Context) async throws -> Response {
        let name = context.parameters.get("name") ?? ""
        let dossier = visit.dossier
        let request = visit.request
        let asOf = try Parameter.date(request, or: dossier.today)
        let fromText = request.uri.queryParameters.get("from").flatMap { $0.isEmpty ? nil : String($0) }
        let from = try fromText.map { _ in try Parameter.date(request, "from", or: asOf) }
        let orgText = request.uri.queryParameters.get("org").flatMap { $0.isEmpty ? nil : String($0) }
        let org = try orgText.map { _ in try Parameter.org(request) } ?? nil
        let table = try await dossier.runReport(name, asOf: asOf, from: from, org: org)
        var values = base("表\(table.number) \(table.title)", visit)
        values["table"] = ["name": table.name, "number": table.number, "title": table.title, "scope": table.scope]
        values["period"] = table.from.map { "\($0) 至 \(table.asOf)" } ?? table.asOf.description
        values["reportBody"] = table.htmlFragment()
        values["passed"] = table.passed
        values["failedCount"] = table.checks.filter { !$0.passed }.count
        var query = "as_of=\(table.asOf)"
        if let from = table.from { query += "&from=\(from)" }
        if let org { query += "&org=\(org.value)" }
        values["downloads"] = ["xlsx", "csv", "html", "json"].map { format -> [String: Any] in
            ["format": format, "href": "/api/v1/reports/\(table.name)?\(query)&format=\(format)"]
        }
        return html(pages.render("report", values))
    }
}
