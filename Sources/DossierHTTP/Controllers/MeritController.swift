import DossierCore
import DossierService
import DossierStorage
import Hummingbird

/// Assessment grades, sanctions and promotion eligibility: a person's grades and sanctions
/// (`/api/v1/people/{id}/assessments`, `…/sanctions`), the grades waiting for an approver and
/// their decision (`/api/v1/assessments/…`), the 优秀 share per organisation and year, and whether
/// a person may be promoted to the next rank (`/api/v1/people/{id}/promotion`, with every step
/// of the reasoning) or who in an organisation may (`/api/v1/promotion/eligible`).
struct MeritController {
    /// A grade to record: `grade` by code or Chinese name.
    struct NewGrade: Decodable {
        var year: Int
        var grade: String
        var reason: String?
        var decidedOn: CivilDate?

        private enum CodingKeys: String, CodingKey {
            case year, grade, reason
            case decidedOn = "decided_on"
        }
    }

    struct Rejection: Decodable {
        var reason: String
    }

    /// A sanction to record: `kind` by code or Chinese name, `document` a class-8 document of
    /// the person's file.
    struct NewSanction: Decodable {
        var kind: String
        var on: CivilDate
        var reference: String?
        var document: Int64?
    }

    struct Lifting: Decodable {
        var on: CivilDate
        var reference: String?
    }

    /// What recording or approving a grade did: the grade as it now stands, the 优秀 share
    /// warnings for the person recording, and the demotion a final failing grade drafted (null
    /// when none).
    struct Graded: ResponseEncodable {
        var assessment: AssessmentJSON
        var warnings: [String]
        var demotionDraft: Int64?

        init(_ outcome: AssessmentOutcome) {
            assessment = AssessmentJSON(outcome.assessment)
            warnings = outcome.warnings
            demotionDraft = outcome.demotionDraftID
        }

        private enum CodingKeys: String, CodingKey {
            case assessment, warnings
            case demotionDraft = "demotion_draft"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(assessment, forKey: .assessment)
            try container.encode(warnings, forKey: .warnings)
            try container.encode(demotionDraft, forKey: .demotionDraft)
        }
    }

    /// One organisation's 优秀 share for a year: grades recorded, people in post at the year's
    /// end, and what the policy says of it (null when within the usual share).
    struct Share: ResponseEncodable {
        var count: GradeCount
        var note: String?

        private enum CodingKeys: String, CodingKey {
            case org, year, excellent, graded
            case inPost = "in_post"
            case note
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeText(count.org, forKey: .org)
            try container.encode(count.year, forKey: .year)
            try container.encode(count.excellent, forKey: .excellent)
            try container.encode(count.assessed, forKey: .graded)
            try container.encode(count.inPost, forKey: .inPost)
            try container.encode(note, forKey: .note)
        }
    }

    func addRoutes(to group: APIGroup) {
        addAssessmentRoutes(to: group)
        addSanctionRoutes(to: group)
        addPromotionRoutes(to: group)
    }

    private func addAssessmentRoutes(to group: APIGroup) {
        group.get("people/{id}/assessments") { _, context, dossier -> [AssessmentJSON] in
            try await dossier.assessments(personID: try Parameter.id(context)).map(AssessmentJSON.init)
        }
        group.post("people/{id}/assessments") { request, context, dossier -> EditedResponse<Graded> in
            let id = try Parameter.id(context)
            let body = try await request.decode(as: NewGrade.self, context: context)
            let outcome = try await dossier.recordAssessment(
                AssessmentInput(
                    personID: id,
                    year: body.year,
                    grade: try Self.grade(body.grade),
                    reason: body.reason,
                    decidedOn: body.decidedOn
                )
            )
            return EditedResponse(status: .created, response: Graded(outcome))
        }
        group.get("assessments/pending") { request, _, dossier -> [AssessmentJSON] in
            try await dossier.pendingAssessments(
                limit: try Parameter.limit(request),
                offset: try Parameter.offset(request)
            ).map(AssessmentJSON.init)
        }
        group.post("assessments/{id}/approve") { _, context, dossier -> Graded in
            Graded(try await dossier.approveAssessment(try Parameter.id(context)))
        }
        group.post("assessments/{id}/reject") { request, context, dossier -> JSONBody<AssessmentJSON> in
            let id = try Parameter.id(context)
            let rejection = try await request.decode(as: Rejection.self, context: context)
            // Whose grade it is, to show it afterwards; the service refuses what is not waiting
            // or not within reach.
            let person = try await dossier.pendingAssessments(limit: -1).first { $0.id == id }?.personID
            try await dossier.rejectAssessment(id, reason: rejection.reason)
            guard let person,
                let rejected = try await dossier.assessments(personID: person).first(where: { $0.id == id })
            else {
                throw Problem(.notFound, "No assessment grade \(id) is waiting for a decision.")
            }
            return JSONBody(AssessmentJSON(rejected))
        }
        group.get("assessments/share") { request, _, dossier -> [Share] in
            try await dossier.gradeCounts(year: try Self.year(request)).map { Share(count: $0.count, note: $0.breach) }
        }
    }

    private func addSanctionRoutes(to group: APIGroup) {
        group.get("people/{id}/sanctions") { _, context, dossier -> [SanctionJSON] in
            try await dossier.sanctions(personID: try Parameter.id(context)).map(SanctionJSON.init)
        }
        group.post("people/{id}/sanctions") { request, context, dossier -> EditedResponse<JSONBody<SanctionJSON>> in
            let id = try Parameter.id(context)
            let body = try await request.decode(as: NewSanction.self, context: context)
            guard let kind = SanctionKind(codeOrName: body.kind) else {
                let kinds = SanctionKind.allCases.map { "\($0.code) (\($0.chineseName))" }.joined(separator: ", ")
                throw Problem(.invalid, "The kind must be one of \(kinds).")
            }
            let stored = try await dossier.recordSanction(
                personID: id,
                kind: kind,
                on: body.on,
                reference: body.reference,
                documentID: body.document
            )
            return EditedResponse(status: .created, response: JSONBody(SanctionJSON(stored)))
        }
        group.post("people/{id}/sanctions/{sid}/lift") { request, context, dossier -> JSONBody<SanctionJSON> in
            let id = try Parameter.id(context)
            let sanction = try Parameter.id(context, "sid")
            let body = try await request.decode(as: Lifting.self, context: context)
            return JSONBody(
                SanctionJSON(
                    try await dossier.liftSanction(sanction, personID: id, on: body.on, reference: body.reference)
                )
            )
        }
    }

    private func addPromotionRoutes(to group: APIGroup) {
        group.get("people/{id}/promotion") { request, context, dossier -> JSONBody<PromotionJSON> in
            let id = try Parameter.id(context)
            let date = try Parameter.date(request, or: dossier.today)
            let explanation = try await dossier.explainPromotion(personID: id, on: date)
            return JSONBody(
                PromotionJSON(personID: id, explanation: explanation, ladder: dossier.rankLadder(on: date))
            )
        }
        group.get("promotion/eligible") { request, _, dossier -> [PromotionJSON] in
            let date = try Parameter.date(request, or: dossier.today)
            let ladder = dossier.rankLadder(on: date)
            return try await dossier.promotionCandidates(
                org: try Parameter.org(request),
                on: date,
                all: try Parameter.flag(request, "all")
            ).map { PromotionJSON($0, ladder: ladder) }
        }
    }

    static func grade(_ text: String) throws -> AssessmentGrade {
        guard let grade = AssessmentGrade(codeOrName: text) else {
            let grades = AssessmentGrade.allCases.map { "\($0.code) (\($0.chineseName))" }.joined(separator: ", ")
            throw Problem(.invalid, "The grade must be one of \(grades).")
        }
        return grade
    }

    /// `year`: required, the year assessed.
    private static func year(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("year"), let year = Int(text), (1950...9999).contains(year)
        else {
            throw Problem(.badRequest, "'year' must be the year assessed, written YYYY (1950 or later).")
        }
        return year
    }
}
