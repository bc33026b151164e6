import DossierCore
import DossierService
import Foundation
import Hummingbird

/// Reconciliation with outside systems: a feed brought in (`/api/v1/feeds/{kind}`, the CSV
/// export as the body, streamed to disk and bounded), a run comparing the record with the latest
/// feeds (`/api/v1/reconcile/runs`), and the cases it opens (`/api/v1/cases`, one case with its
/// evidence, its resolution, and the counts per organisation and rule).
struct ReconciliationController {
    /// The largest feed file accepted. A province's social-insurance export (a million people,
    /// a row for each insurance type, about a hundred bytes a row) stays well under it.
    static let maximumFeedBytes: Int64 = 2 << 30

    struct Run: Decodable {
        var asOf: CivilDate

        private enum CodingKeys: String, CodingKey {
            case asOf = "as_of"
        }
    }

    struct Resolution: Decodable {
        var outcome: String
        var note: String
    }

    /// What resolving a case did: the case as it now stands, the outcome, and the draft a
    /// confirmation wrote (null when there was nothing to draft).
    struct Resolved: ResponseEncodable {
        var decided: CaseJSON
        var outcome: CaseOutcome
        var draft: Int64?

        private enum CodingKeys: String, CodingKey {
            case decided = "case"
            case outcome, draft
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(decided, forKey: .decided)
            try container.encode(outcome.rawValue, forKey: .outcome)
            try container.encode(draft, forKey: .draft)
        }
    }

    func addRoutes(to group: APIGroup) {
        group.post("feeds/{kind}") { request, context, dossier -> EditedResponse<JSONBody<FeedImportJSON>> in
            let kind = try Self.kind(context)
            let asOf = try Self.requiredDate(request)
            let dryRun = try Parameter.flag(request, "dry_run")
            let encoding = try Self.encoding(request)
            let fileName = request.uri.queryParameters.get("file_name")
            // Refused before a byte of the file is written to disk.
            try dossier.requireMayImportFeeds()
            let path = try await Upload.receive(request, into: dossier, limit: Self.maximumFeedBytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let summary = try await SlowWork.run {
                try await dossier.importFeed(
                    kind: kind,
                    path: path,
                    asOf: asOf,
                    dryRun: dryRun,
                    encoding: encoding,
                    fileName: fileName ?? "\(kind.rawValue)-\(asOf).csv"
                )
            }
            // A dry run keeps nothing: it answers 200, not 201.
            return EditedResponse(
                status: dryRun ? .ok : .created,
                response: JSONBody(FeedImportJSON(summary, dryRun: dryRun))
            )
        }
        group.post("reconcile/runs") { request, context, dossier -> JSONBody<ReconciliationRunJSON> in
            let run = try await request.decode(as: Run.self, context: context)
            // A day that has not come is refused by the service (as for the command line).
            let summary = try await SlowWork.run { try await dossier.reconcile(asOf: run.asOf) }
            return JSONBody(ReconciliationRunJSON(summary))
        }
        group.get("cases") { request, context, dossier -> [CaseJSON] in
            try await dossier.cases(
                status: try Self.status(request),
                rule: try Self.rule(request),
                org: try Parameter.org(request),
                limit: try Parameter.limit(request),
                offset: try Parameter.offset(request)
            ).map(CaseJSON.init)
        }
        group.get("cases/counts") { _, _, dossier -> [CaseCountJSON] in
            try await dossier.caseCounts().map(CaseCountJSON.init)
        }
        group.get("cases/{id}") { request, context, dossier -> JSONBody<CaseDetailJSON> in
            await JSONBody(
                CaseDetailJSON(
                    try dossier.reconciliationCase(
                        try Parameter.id(context),
                        reveal: try Parameter.flag(request, "reveal")
                    )
                )
            )
        }
        group.post("cases/{id}/resolve") { request, context, dossier -> Resolved in
            let id = try Parameter.id(context)
            let resolution = try await request.decode(as: Resolution.self, context: context)
            guard let outcome = CaseOutcome(rawValue: resolution.outcome) else {
                throw Problem(.invalid, "The outcome must be confirmed, corrected or dismissed.")
            }
            let result = try await dossier.resolveCase(id, outcome: outcome, note: resolution.note)
            return await Resolved(
                decided: CaseJSON(try dossier.reconciliationCase(id).view),
                outcome: result.outcome,
                draft: result.draftID
            )
        }
    }

    private static func kind(_ context: DossierRequestContext) throws -> FeedKind {
        guard let text = context.parameters.get("kind"), let kind = FeedKind(rawValue: text) else {
            let kinds = FeedKind.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.notFound, "There is no such kind of feed; the kinds are \(kinds).")
        }
        return kind
    }

    /// The day the export was taken: required, since nothing else says which day a file shows.
    private static func requiredDate(_ request: Request) throws -> CivilDate {
        guard let text = request.uri.queryParameters.get("as_of"), let date = CivilDate(iso: text) else {
            throw Problem(.badRequest, "'as_of' must be the day the export was taken, written YYYY-MM-DD.")
        }
        return date
    }

    private static func encoding(_ request: Request) throws -> FeedEncoding? {
        guard let text = request.uri.queryParameters.get("encoding") else { return nil }
        guard let encoding = FeedEncoding(rawValue: text.lowercased()) else {
            throw Problem(.badRequest, "'encoding' must be utf-8 or gb18030 (or left out to have it found out).")
        }
        return encoding
    }

    /// `status`: open (the default), resolved, cleared, or all.
    static func status(_ request: Request) throws -> CaseStatus? {
        switch request.uri.queryParameters.get("status") {
        case nil: return .open
        case "all": return nil
        case let text?:
            guard let status = CaseStatus(rawValue: text) else {
                throw Problem(.badRequest, "'status' must be open, resolved, cleared or all.")
            }
            return status
        }
    }

    static func rule(_ request: Request) throws -> ReconciliationRule? {
        guard let text = request.uri.queryParameters.get("rule") else { return nil }
        guard let rule = ReconciliationRule(rawValue: text) else {
            throw Problem(.badRequest, "'rule' must be one of the rules, such as contributions-stopped.")
        }
        return rule
    }
}
