import DossierCore
import DossierService
public import Hummingbird

/// Organisations and their quotas: `/api/v1/organizations`, `/api/v1/quotas`.
struct EstablishmentController {

    struct OrganizationResponse: ResponseEncodable {
        var id: Int64
        var code: CreditCode
        var name: String
        var kind: OrgKind
        var level: OrgLevel
        var parent: CreditCode?

        init(_ organization: Organization) {
            id = organization.id
            code = organization.code
            name = organization.name
            kind = organization.kind
            level = organization.level
            parent = organization.parentCode
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(code, forKey: .code)
            try container.encode(name, forKey: .name)
            try container.encode(kind, forKey: .kind)
            try container.encode(level, forKey: .level)
            try container.encode(parent, forKey: .parent)
        }

        private enum CodingKeys: String, CodingKey {
            case id, code, name, kind, level, parent
        }
    }

    struct QuotasResponse: ResponseEncodable {
        var asOf: CivilDate
        var establishment: [Headcount]
        var ranks: [Headcount]

        private enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
            case establishment, ranks
        }
    }

    func addRoutes(to group: APIGroup) {
        group.get("organizations") { _, context, dossier -> [OrganizationResponse] in
            try await dossier.organizations().map(OrganizationResponse.init)
        }
        group.get("organizations/{code}") { _, context, dossier -> OrganizationResponse in
            let text = context.parameters.get("code") ?? ""
            guard let code = try? CreditCode(text) else { throw Problem(.notFound, "There is no such organisation.") }
            return await OrganizationResponse(try dossier.organization(code))
        }
        group.get("quotas") { request, context, dossier -> QuotasResponse in
            let date = try Parameter.date(request, or: dossier.today)
            let org = try Parameter.org(request)
            // Without `org`, the whole node's headcount: slow work on a large node.
            let (establishment, ranks) = try await SlowWork.run {
                await (try dossier.headcount(on: date, org: org), try dossier.rankHeadcount(on: date, org: org))
            }
            return QuotasResponse(asOf: date, establishment: establishment, ranks: ranks)
        }
    }
}
