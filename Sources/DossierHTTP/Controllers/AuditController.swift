import DossierCore
import DossierService
public import Hummingbird

/// The audit log: `/api/v1/audit` (entries oldest first), `/api/v1/audit/verify` (walk the
/// chain), `/api/v1/audit/head` (the sequence number and hash to hold outside).
struct AuditController {

    struct VerifyResponse: ResponseEncodable {
        var intact: Bool
        var checked: Int64
        var firstBroken: Int64?
        var problem: String?
        var headSeq: Int64?
        var headHash: String?

        private enum CodingKeys: String, CodingKey {
            case intact, checked
            case firstBroken = "first_broken"
            case problem
            case headSeq = "head_seq"
            case headHash = "head_hash"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(intact, forKey: .intact)
            try container.encode(checked, forKey: .checked)
            try container.encode(firstBroken, forKey: .firstBroken)
            try container.encode(problem, forKey: .problem)
            try container.encode(headSeq, forKey: .headSeq)
            try container.encode(headHash, forKey: .headHash)
        }
    }

    func addRoutes(to group: APIGroup) async {
        group.get("audit") { request, context, dossier -> Page<AuditEntry> in
            let limit = try Parameter.limit(request)
            let entries = try await dossier.auditLog(after: try Parameter.cursor(request), limit: limit)
            return Page(items: entries, nextCursor: Parameter.next(entries.map(\.seq), limit: limit))
        }
        group.get("audit/verify") { _, context, dossier -> VerifyResponse in
            // Hashes the whole chain: seconds for a long log, so off the event loops.
            let result = try await SlowWork.run { try await dossier.verifyAudit() }
            return VerifyResponse(
                intact: result.firstBroken == nil,
                checked: result.checked,
                firstBroken: result.firstBroken,
                problem: result.problem,
                headSeq: result.headSeq,
                headHash: result.headHash
            )
        }
        group.get("audit/head") { _, context, dossier -> JSONBody<AuditEntry> in
            guard let head = try await dossier.auditHead() else {
                throw Problem(.notFound, "The audit log is empty.")
            }
            return JSONBody(head)
        }
    }
}
