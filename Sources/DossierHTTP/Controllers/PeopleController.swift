import DossierCore
import DossierService
import Hummingbird

/// People: `/api/v1/people` (a page as of a date), `/api/v1/people/search` (by identity
/// number, in the body: never in a URL), `/api/v1/people/{id}` and its timeline. Identity and
/// phone numbers are masked unless `reveal=true` is asked by a role that may see them; every
/// reveal is an audit entry.
struct PeopleController {

    struct Search: Decodable {
        var idNumber: String
        var asOf: CivilDate?
        var reveal: Bool?

        private enum CodingKeys: String, CodingKey {
            case idNumber = "id_number"
            case asOf = "as_of"
            case reveal
        }
    }

    func addRoutes(to group: APIGroup) {
        group.get("people") { request, context, dossier -> Page<PersonJSON> in
            let limit = try Parameter.limit(request)
            let people = try await dossier.people(
                on: try Parameter.date(request, or: dossier.today),
                org: try Parameter.org(request),
                after: try Parameter.cursor(request),
                limit: limit,
                reveal: try Parameter.flag(request, "reveal")
            )
            return Page(items: people.map(PersonJSON.init), nextCursor: Parameter.next(people.map(\.id), limit: limit))
        }
        group.post("people/search") { request, context, dossier -> JSONBody<PersonJSON> in
            let search = try await request.decode(as: Search.self, context: context)
            return await JSONBody(
                PersonJSON(
                    try dossier.findPerson(
                        idNumber: search.idNumber,
                        on: search.asOf,
                        reveal: search.reveal ?? false
                    )
                )
            )
        }
        group.get("people/{id}") { request, context, dossier -> JSONBody<PersonJSON> in
            await JSONBody(
                PersonJSON(
                    try dossier.person(
                        try Parameter.id(context),
                        on: try Parameter.date(request, or: dossier.today),
                        reveal: try Parameter.flag(request, "reveal")
                    )
                )
            )
        }
        group.get("people/{id}/timeline") { _, context, dossier -> [TimelineEntryJSON] in
            try await dossier.timeline(personID: try Parameter.id(context)).map(TimelineEntryJSON.init)
        }
    }
}
