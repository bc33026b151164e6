import DossierCore
import DossierService
import DossierStorage
import Foundation
import Hummingbird

/// The transfer exchange between agencies' nodes (档案转递): import a transfer package,
/// receipt or refusal (`/api/v1/exchange/imports`, the file as the body, streamed to disk and
/// bounded); export an approved transfer-out's package, or write the receipt or refusal of a
/// transfer received (`/api/v1/exchange/transfers/{draft}/…`, each a download); the transfers
/// sent and still unanswered, and those received (`/api/v1/exchange/pending`, `…/incoming`);
/// and the agency the node speaks for (`/api/v1/agency`).
struct ExchangeController {
    /// Package checks running at once on this node, shared with `POST /api/v1/archive/verify`:
    /// an import reads and checks the whole package the same way.
    let verifications: VerificationSlots

    /// Why a transfer received is returned.
    struct Refusal: Decodable {
        var reason: String
    }

    /// The agency this node speaks for.
    struct AgencyResponse: ResponseEncodable {
        var code: String
        var name: String
    }

    func addRoutes(to group: APIGroup) {
        group.post("exchange/imports") { request, context, dossier -> EditedResponse<JSONBody<ExchangeImportJSON>> in
            let placement = try Self.placement(request, dossier: dossier)
            // Refused before a byte of the file is stored: a role that may not, or no free slot.
            try dossier.requireMayImportExchange()
            guard verifications.tryAcquire() else {
                throw Problem(
                    .unavailable,
                    "The node is already checking \(verifications.limit) packages; send this one again in a moment.",
                    retryAfter: DocumentController.verificationRetryAfter
                )
            }
            defer { verifications.release() }
            let path = try await Upload.receive(request, into: dossier, limit: DocumentController.maximumPackageBytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result: ExchangeImport
            do {
                result = try await SlowWork.run { try await dossier.importExchange(file: path, placement: placement) }
            } catch let error as ServiceError {
                throw Self.importRefusal(error, path: path, placed: placement != nil)
            }
            // The same file again changes nothing: 200, not 201.
            return EditedResponse(
                status: result.status == .imported ? .created : .ok,
                response: JSONBody(ExchangeImportJSON(result))
            )
        }
        group.post("exchange/transfers/{draft}/package") { request, context, dossier -> Response in
            let draft = try Parameter.id(context, "draft")
            let moves = RelationMoves(
                salary: try Self.date(request, "salary_moves_on"),
                organization: try Self.date(request, "party_moves_on"),
                insurance: try Self.date(request, "insurance_moves_on")
            )
            let path = dossier.temporaryFilePath(".tar")
            _ = try await SlowWork.run { try await dossier.exportTransfer(draft: draft, out: path, moves: moves) }
            return try await Download.temporaryFile(path, name: "transfer-\(draft).tar", context: context)
        }
        group.post("exchange/transfers/{draft}/receipt") { _, context, dossier -> Response in
            let draft = try Parameter.id(context, "draft")
            let path = dossier.temporaryFilePath(".tar")
            _ = try await SlowWork.run { try await dossier.writeReceipt(draft: draft, out: path) }
            return try await Download.temporaryFile(path, name: "receipt-\(draft).tar", context: context)
        }
        group.post("exchange/transfers/{draft}/refusal") { request, context, dossier -> Response in
            let draft = try Parameter.id(context, "draft")
            let refusal = try await request.decode(as: Refusal.self, context: context)
            let path = dossier.temporaryFilePath(".tar")
            _ = try await SlowWork.run {
                try await dossier.refuseTransfer(draft: draft, reason: refusal.reason, out: path)
            }
            return try await Download.temporaryFile(path, name: "refusal-\(draft).tar", context: context)
        }
        group.get("exchange/pending") { request, _, dossier -> [PendingTransferJSON] in
            let pending: [PendingTransfer]
            if let org = try Parameter.org(request) {
                pending = try await dossier.pendingTransfers(org: org)
            } else {
                pending = try await dossier.pendingTransfers()
            }
            return pending.map(PendingTransferJSON.init)
        }
        group.get("exchange/incoming") { request, _, dossier -> [IncomingTransferJSON] in
            try await dossier.incomingTransfers(org: try Parameter.org(request)).map(IncomingTransferJSON.init)
        }
        group.get("agency") { _, _, dossier -> AgencyResponse in
            guard let agency = try await dossier.agency() else {
                throw Problem(.notFound, "This node does not yet say which agency it speaks for.")
            }
            return AgencyResponse(code: agency.code.value, name: agency.name)
        }
    }

    /// Where a transfer package places the person, from the query: `org` and `category`, and
    /// `rank`, `post` and `on` (default today) where they apply; nil when the query names none
    /// (a receipt or refusal needs none; the service says when a transfer package lacks it).
    private static func placement(_ request: Request, dossier: Dossier) throws -> TransferPlacement? {
        let query = request.uri.queryParameters
        let org = try Parameter.org(request)
        let on = try date(request, "on")
        let categoryText = query.get("category")
        let rankText = query.get("rank")
        let postText = query.get("post")
        guard let org else {
            guard categoryText == nil, rankText == nil, postText == nil, on == nil else {
                throw Problem(.badRequest, "A placement names the organisation: give 'org' with 'category'.")
            }
            return nil
        }
        guard let categoryText else {
            throw Problem(.badRequest, "A placement names the establishment category: give 'category' with 'org'.")
        }
        guard let category = EstablishmentCategory(codeOrName: categoryText) else {
            throw Problem(.badRequest, "'category' must be an establishment category, such as admin.")
        }
        var post: LeadershipPost?
        if let postText {
            guard let known = LeadershipPost(codeOrName: postText) else {
                throw Problem(.badRequest, "'post' must be a leadership post level, such as division-head.")
            }
            post = known
        }
        let effectiveOn = on ?? dossier.today
        var rank: Rank?
        if let rankText {
            guard let known = dossier.rankLadder(on: effectiveOn).rank(codeOrName: rankText) else {
                throw Problem(.badRequest, "'rank' must be a rank of the ladder in force on \(effectiveOn).")
            }
            rank = known
        }
        return TransferPlacement(orgCode: org, category: category, rank: rank, post: post, effectiveOn: effectiveOn)
    }

    /// The date in the query parameter `name`, if given.
    private static func date(_ request: Request, _ name: String) throws -> CivilDate? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard let date = CivilDate(iso: text) else {
            throw Problem(.badRequest, "'\(name)' must be a date written YYYY-MM-DD.")
        }
        return date
    }

    /// The service's refusal of an import, in the API's words: the upload's place on the node's
    /// disk is never shown, and a transfer package without a placement is told which query
    /// parameters place the person.
    private static func importRefusal(_ error: ServiceError, path: String, placed: Bool) -> any Error {
        if !placed, error.kind == .invalid, error.message.contains("--org") {
            return Problem(
                .invalid,
                "A transfer package places the person here: give the query parameters 'org', 'category' and 'on' (and 'rank' or 'post' where they apply)."
            )
        }
        guard error.message.contains(path) else { return error }
        var message = error.message.replacingOccurrences(of: path, with: "the uploaded file")
        if message.hasPrefix("the uploaded file") { message = "The" + message.dropFirst("the".count) }
        return ServiceError(
            error.kind,
            message,
            zh: error.chineseMessage.replacingOccurrences(of: path, with: "所上传的文件"),
            cause: error.cause,
            problems: error.problems
        )
    }
}
