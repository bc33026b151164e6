import DossierCore
import DossierService
import Hummingbird

/// The audit log: `/api/v1/audit` (entries oldest first), `/api/v1/audit/verify` (walk the
/// chain and check the signed checkpoints), `/api/v1/audit/head` (the sequence number and hash
/// to hold outside), `/api/v1/audit/checkpoints` (the signed checkpoints; POST signs one).
struct AuditController {

    func addRoutes(to group: APIGroup) async {
        group.get("audit") { request, context, dossier -> Page<AuditEntryJSON> in
            let (limit, cursor) = (try Parameter.limit(request), try Parameter.cursor(request))
            let entries = try await dossier.auditLog(after: cursor, limit: limit)
            // Entries are numbered from 1 without gaps: the head's number is how many there are.
            return try await Page(
                items: entries.map(AuditEntryJSON.init),
                nextCursor: Parameter.next(entries.map(\.seq), limit: limit),
                cursor: cursor
            ) { Int(try await dossier.auditHead()?.seq ?? 0) }
        }
        group.get("audit/verify") { _, context, dossier -> JSONBody<AuditVerificationJSON> in
            // Hashes the whole chain: seconds for a long log, so off the event loops.
            JSONBody(AuditVerificationJSON(try await SlowWork.run { try await dossier.verifyAudit() }))
        }
        group.get("audit/head") { _, context, dossier -> JSONBody<AuditEntryJSON> in
            guard let head = try await dossier.auditHead() else {
                throw Problem(.notFound, "The audit log is empty.")
            }
            return JSONBody(AuditEntryJSON(head))
        }
        group.get("audit/checkpoints") { _, context, dossier -> [AuditCheckpointJSON] in
            try await dossier.auditCheckpoints().map(AuditCheckpointJSON.init)
        }
        group.post("audit/checkpoints") { _, context, dossier -> EditedResponse<JSONBody<AuditCheckpointJSON>> in
            // Signing (SM2 takes a millisecond) and the write: off the event loops.
            let made = try await SlowWork.run { try await dossier.makeCheckpoint() }
            return EditedResponse(status: .created, response: JSONBody(AuditCheckpointJSON(made)))
        }
    }
}
