import DossierArchive
import DossierCore
import DossierService
import Foundation
import Hummingbird

/// Documents and archive packages: list, upload (streamed to disk, bounded by the node's
/// document policy) and download a person's documents; pack and download a person's archive
/// package; verify an uploaded package.
struct DocumentController {
    /// Package checks running at once on this node (see `VerificationSlots`).
    let verifications: VerificationSlots
    /// How long a client refused for want of a free slot is asked to wait, in seconds.
    static let verificationRetryAfter = 30
    /// The largest package accepted for verification.
    static let maximumPackageBytes: Int64 = 4 << 30

    struct Created: ResponseEncodable {
        var id: Int64
    }

    func addRoutes(to group: APIGroup) {
        group.get("people/{id}/documents") { request, context, dossier -> [DocumentJSON] in
            try await dossier.documents(
                personID: try Parameter.id(context),
                includeRetired: try Parameter.flag(request, "retired")
            ).map(DocumentJSON.init)
        }
        group.post("people/{id}/documents") { request, context, dossier -> EditedResponse<Created> in
            let personID = try Parameter.id(context)
            let description = try Self.description(request)
            // Refused before a byte of the file is written to disk.
            try await dossier.checkDocumentIntake(personID: personID)
            let path = try await Upload.receive(request, into: dossier, limit: dossier.documentPolicy.maxBytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let id = try await SlowWork.run {
                try await dossier.addDocument(personID: personID, file: path, description: description)
            }
            return EditedResponse(
                status: .created,
                headers: [.location: "/api/v1/documents/\(id)"],
                response: Created(id: id)
            )
        }
        group.get("documents/{id}") { _, context, dossier -> JSONBody<DocumentJSON> in
            await JSONBody(DocumentJSON(try dossier.document(try Parameter.id(context))))
        }
        group.get("documents/{id}/content") { _, context, dossier -> Response in
            let (document, path) = try await dossier.documentFile(try Parameter.id(context))
            return Response(
                status: .ok,
                headers: [
                    .contentType: document.mediaType.mime,
                    .contentDisposition:
                        "attachment; filename=\"document-\(document.id).\(document.mediaType.fileExtension)\"",
                ],
                body: try await FileIO().loadFile(path: path, context: context)
            )
        }
        group.post("people/{id}/archive") { _, context, dossier -> Response in
            try await SlowWork.archiveDownload(
                dossier,
                personID: try Parameter.id(context),
                context: context
            )
        }
        group.post("archive/verify") { request, context, dossier -> JSONBody<VerificationReportJSON> in
            // Refused before a byte of the upload is stored: a role that may not, or no free slot.
            try dossier.requireMayVerifyPackages()
            guard verifications.tryAcquire() else {
                throw Problem(
                    .unavailable,
                    "The node is already checking \(verifications.limit) packages; send this one again in a moment.",
                    retryAfter: Self.verificationRetryAfter
                )
            }
            defer { verifications.release() }
            let path = try await Upload.receive(request, into: dossier, limit: Self.maximumPackageBytes)
            defer { try? FileManager.default.removeItem(atPath: path) }
            // The check stops when its client goes away: nobody would read the report.
            let cancellation = CancellationFlag()
            let report = try await ClientDisconnectWatch.watching(context.channel, cancellation) {
                try await SlowWork.run { try await dossier.verifyPackage(at: path, cancellation: cancellation) }
            }
            return JSONBody(VerificationReportJSON(report))
        }
    }

    /// The document's description from the query: `class`, `title`, `date`, optional `pages`.
    private static func description(_ request: Request) throws -> DocumentDescription {
        let query = request.uri.queryParameters
        guard let text = query.get("class"), let archiveClass = ArchiveClass(codeOrName: text) else {
            throw Problem(.badRequest, "'class' must be an archive class such as 4-1.")
        }
        guard let title = query.get("title"), !title.isEmpty else { throw Problem(.badRequest, "'title' is required.") }
        guard let dateText = query.get("date"), let date = CivilDate(iso: dateText) else {
            throw Problem(.badRequest, "'date' must be a date written YYYY-MM-DD.")
        }
        var pages: Int?
        if let text = query.get("pages") {
            guard let number = Int(text) else { throw Problem(.badRequest, "'pages' must be a whole number.") }
            pages = number
        }
        return DocumentDescription(archiveClass: archiveClass, title: title, date: date, pages: pages)
    }
}
