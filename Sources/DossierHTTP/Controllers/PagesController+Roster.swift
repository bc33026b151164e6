import DossierCore
import DossierReports
import DossierService
import Foundation
import Hummingbird
import Logging

extension PagesController {
    /// A unit's staff roster (花名册) as an Excel workbook, for the unit and every unit under it,
    /// on the organisation page's date: the same workbook as `dossier person roster`, identity
    /// numbers masked. Written off the event loops to a temporary file on the node's disk,
    /// streamed, then removed.
    func rosterDownload(_ visit: Visit, _ context: Context) async throws -> Response {
        guard let text = context.parameters.get("code"), let code = try? CreditCode(text) else {
            throw Problem(.notFound, "There is nothing at this address.", messageKey: "notFound")
        }
        let day = try Parameter.date(visit.request, or: visit.dossier.today)
        let dossier = visit.dossier
        // On the node's own disk (its tmp folder, cleared at start-up), never a shared one.
        let path = dossier.temporaryFilePath(".xlsx")
        let logger = context.logger
        try await SlowWork.run {
            let roster = try await dossier.roster(org: code, subtree: true, on: day, reveal: false)
            do { try roster.xlsx(to: path) } catch {
                try? FileManager.default.removeItem(atPath: path)
                logger.error("roster not written", metadata: ["error": "\(error)"])
                throw Problem(.internalError, "The roster could not be written.", messageKey: "rosterNotWritten")
            }
        }
        return try await Download.temporaryFile(
            path,
            // The file's name in ASCII (the unit's code and the date): every browser keeps it.
            name: "roster-\(code.value)-\(day).xlsx",
            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            context: context
        )
    }
}
