import DossierCore
import DossierService
import Hummingbird

/// Personnel actions through maker-checker: `/api/v1/actions` (the queue, drafting),
/// `/api/v1/actions/{id}` and its `approve` / `reject` / `withdraw`.
struct ActionController {

    /// A draft as a client states it; codes or Chinese names are accepted for the code tables.
    struct DraftRequest: Decodable {
        var personID: Int64
        var kind: String
        var effectiveOn: CivilDate
        var org: String?
        var category: String?
        var rank: String?
        var post: String?
        var status: String?
        var targetActionID: Int64?
        var note: String?
        /// For change-details and correct-details: the personal details it states.
        var name: String?
        var ethnicity: String?
        var education: String?
        var politicalStatus: String?
        var phone: String?

        private enum CodingKeys: String, CodingKey {
            case personID = "person_id"
            case kind
            case effectiveOn = "effective_on"
            case org, category, rank, post, status
            case targetActionID = "target_action_id"
            case note
            case name, ethnicity, education
            case politicalStatus = "political_status"
            case phone
        }

        func input() throws -> ActionDraftInput {
            guard let kind = ActionKind(rawValue: kind) ?? ActionKind.allCases.first(where: { $0.chineseName == kind })
            else { throw Problem(.invalid, "'\(kind)' is not a kind of personnel action.") }
            return ActionDraftInput(
                personID: personID,
                kind: kind,
                effectiveOn: effectiveOn,
                orgCode: try org.map { text in
                    do { return try CreditCode(text) } catch { throw Problem(.invalid, "org: \(error)") }
                },
                category: try Self.coded(category, "category"),
                // Read with the rank ladder in force on the action's date, by the service.
                rank: rank.map(Rank.init(code:)),
                post: try Self.coded(post, "post"),
                status: try Self.coded(status, "status"),
                targetActionID: targetActionID,
                details: try details(),
                note: note ?? ""
            )
        }

        /// The personal details stated, or nil when none is.
        private func details() throws -> DetailsChange? {
            let change = DetailsChange(
                name: name,
                ethnicity: try Self.coded(ethnicity, "ethnicity"),
                education: try Self.coded(education, "education"),
                politicalStatus: try Self.coded(politicalStatus, "political_status"),
                phone: phone
            )
            return change.isEmpty ? nil : change
        }

        private static func coded<T: CodedValue>(_ text: String?, _ field: String) throws -> T? {
            guard let text else { return nil }
            guard let value = T(codeOrName: text) else { throw Problem(.invalid, "\(field): '\(text)' is not known.") }
            return value
        }
    }

    /// The reason a draft is rejected (by an approver) or withdrawn (by its own officer).
    struct Rejection: Decodable {
        var reason: String
    }

    struct Created: ResponseEncodable {
        var id: Int64
    }

    struct Approved: ResponseEncodable {
        var draft: DraftJSON
        var actions: [Int64]
        var warnings: [String]
    }

    func addRoutes(to group: APIGroup) {
        group.get("actions") { request, context, dossier -> Page<DraftJSON> in
            let limit = try Parameter.limit(request)
            let state: ActionDraft.State?
            switch request.uri.queryParameters.get("state") {
            case nil, "draft": state = .draft
            case "approved": state = .approved
            case "rejected": state = .rejected
            case "withdrawn": state = .withdrawn
            case "all": state = nil
            default: throw Problem(.badRequest, "'state' must be draft, approved, rejected, withdrawn or all.")
            }
            let cursor = try Parameter.cursor(request)
            let drafts = try await dossier.drafts(state: state, after: cursor, limit: limit)
            return try await Page(
                items: drafts.map(DraftJSON.init),
                nextCursor: Parameter.next(drafts.map(\.id), limit: limit),
                cursor: cursor,
                // Open drafts (the queue) are counted; decided ones pile up and are not.
                count: state == .draft ? { try await dossier.draftCount() } : nil
            )
        }
        group.post("actions") { request, context, dossier -> EditedResponse<Created> in
            let draft = try await request.decode(as: DraftRequest.self, context: context)
            let id = try await dossier.draftAction(try draft.input())
            return EditedResponse(
                status: .created,
                headers: [.location: "/api/v1/actions/\(id)"],
                response: Created(id: id)
            )
        }
        group.get("actions/{id}") { _, context, dossier -> JSONBody<DraftJSON> in
            await JSONBody(DraftJSON(try dossier.draft(try Parameter.id(context))))
        }
        group.post("actions/{id}/approve") { _, context, dossier -> Approved in
            let id = try Parameter.id(context)
            let result = try await dossier.approve(draft: id)
            return await Approved(
                draft: DraftJSON(try dossier.draft(id)),
                actions: result.actionIDs,
                warnings: result.warnings
            )
        }
        group.post("actions/{id}/reject") { request, context, dossier -> JSONBody<DraftJSON> in
            let rejection = try await request.decode(as: Rejection.self, context: context)
            let id = try Parameter.id(context)
            try await dossier.reject(draft: id, reason: rejection.reason)
            return await JSONBody(DraftJSON(try dossier.draft(id)))
        }
        group.post("actions/{id}/withdraw") { request, context, dossier -> JSONBody<DraftJSON> in
            let withdrawal = try await request.decode(as: Rejection.self, context: context)
            let id = try Parameter.id(context)
            try await dossier.withdraw(draft: id, reason: withdrawal.reason)
            return await JSONBody(DraftJSON(try dossier.draft(id)))
        }
    }
}
