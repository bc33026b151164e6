import DossierCore
import DossierService
import Hummingbird

/// People: `/api/v1/people` (a page as of a date), `/api/v1/people/search` (by identity
/// number, in the body: never in a URL), `/api/v1/search/people` (ad-hoc questions: by unit,
/// level, rank, category, status, sex, age, education, ethnicity, politics and name, as a page
/// or, under `/count`, a count), `/api/v1/people/{id}` and its timeline. Identity and
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

    /// How many people a question finds.
    struct Count: ResponseEncodable {
        var count: Int
    }

    /// The query parameters of an ad-hoc question (an empty one, as a form sends it, is left out).
    static let questionParameters = [
        "org", "levels", "ranks", "posts", "categories", "statuses", "sexes", "educations", "ethnicities",
        "political_statuses", "min_age", "max_age", "name",
    ]

    /// An ad-hoc question from the query: each filter a comma-separated list of codes or names.
    static func question(_ request: Request) throws -> PeopleQuestion {
        let query = request.uri.queryParameters
        func text(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : String($0) } }
        func age(_ name: String) throws -> Int? {
            guard let value = text(name) else { return nil }
            guard let age = Int(value), (0...150).contains(age) else {
                throw Problem(.badRequest, "'\(name)' must be a whole number of years from 0 to 150.")
            }
            return age
        }
        var question = PeopleQuestion()
        question.on = try query.get("as_of").map { _ in try Parameter.date(request, or: CivilDate(dayNumber: 0)) }
        question.org = try text("org").map { _ in try Parameter.org(request) } ?? nil
        question.level = text("levels")
        question.rank = text("ranks")
        question.post = text("posts")
        question.category = text("categories")
        question.status = text("statuses")
        question.sex = text("sexes")
        question.education = text("educations")
        question.ethnicity = text("ethnicities")
        question.politicalStatus = text("political_statuses")
        question.minimumAge = try age("min_age")
        question.maximumAge = try age("max_age")
        question.name = text("name")
        return question
    }

    func addRoutes(to group: APIGroup) {
        group.get("people") { request, context, dossier -> Page<PersonJSON> in
            let limit = try Parameter.limit(request)
            let (day, org, cursor) = (
                try Parameter.date(request, or: dossier.today), try Parameter.org(request),
                try Parameter.cursor(request)
            )
            let people = try await dossier.people(
                on: day,
                org: org,
                after: cursor,
                limit: limit,
                reveal: try Parameter.flag(request, "reveal")
            )
            return try await Page(
                items: people.map(PersonJSON.init),
                nextCursor: Parameter.next(people.map(\.id), limit: limit),
                cursor: cursor
            ) { try await dossier.peopleCount(on: day, org: org) }
        }
        group.get("search/people") { request, _, dossier -> Page<PersonJSON> in
            let limit = try Parameter.limit(request)
            let (question, cursor) = (try Self.question(request), try Parameter.cursor(request))
            let people = try await dossier.searchPeople(question, after: cursor, limit: limit)
            return try await Page(
                items: people.map(PersonJSON.init),
                nextCursor: Parameter.next(people.map(\.id), limit: limit),
                cursor: cursor
            ) { try await dossier.countPeople(question) }
        }
        group.get("search/people/count") { request, _, dossier -> Count in
            Count(count: try await dossier.countPeople(try Self.question(request)))
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
