import DossierCore
import DossierService
import Hummingbird

/// Organisations and their quotas: `/api/v1/organizations`, `/api/v1/quotas`.
struct EstablishmentController {

    struct QuotasResponse: ResponseEncodable {
        var asOf: CivilDate
        var establishment: [HeadcountJSON]
        var ranks: [HeadcountJSON]

        private enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
            case establishment, ranks
        }
    }

    func addRoutes(to group: APIGroup) {
        group.get("organizations") { request, context, dossier -> [OrganizationJSON] in
            // `q`: part of the name, pinyin initials or the start of the code, best match first.
            if let query = request.uri.queryParameters.get("q"), query.contains(where: { !$0.isWhitespace }) {
                return try await dossier.findOrganizations(String(query)).map { OrganizationJSON($0.organization) }
            }
            return try await dossier.organizations().map(OrganizationJSON.init)
        }
        group.get("organizations/{code}") { _, context, dossier -> JSONBody<OrganizationJSON> in
            let text = context.parameters.get("code") ?? ""
            guard let code = try? CreditCode(text) else { throw Problem(.notFound, "There is no such organisation.") }
            return await JSONBody(OrganizationJSON(try dossier.organization(code)))
        }
        group.get("quotas") { request, context, dossier -> QuotasResponse in
            let date = try Parameter.date(request, or: dossier.today)
            let org = try Parameter.org(request)
            // Without `org`, the whole node's headcount: slow work on a large node.
            let (establishment, ranks) = try await SlowWork.run {
                await (try dossier.headcount(on: date, org: org), try dossier.rankHeadcount(on: date, org: org))
            }
            return QuotasResponse(
                asOf: date,
                establishment: establishment.map(HeadcountJSON.init),
                ranks: ranks.map(HeadcountJSON.init)
            )
        }
    }
}
