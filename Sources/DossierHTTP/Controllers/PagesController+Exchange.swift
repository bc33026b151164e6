import DossierCore
import DossierService
import DossierStorage
import Hummingbird

extension PagesController {
    /// An organisation's file transfers (档案转递), for it and the units under it: transfers
    /// sent and still without a receipt, overdue ones first with the days they have waited; and
    /// transfers received that wait for an approver (the person is placed once the transfer-in is
    /// approved) or for their receipt to be written.
    func fileTransfers(_ visit: Visit, _ context: Context) async throws -> Response {
        guard let text = context.parameters.get("code"), let code = try? CreditCode(text) else {
            throw Problem(.notFound, "There is nothing at this address.", messageKey: "notFound")
        }
        let dossier = visit.dossier
        let organization = try await dossier.organization(code)
        let outgoing = try await dossier.pendingTransfers(org: code)
        let incoming = try await dossier.incomingTransfers(org: code).filter(\.isWaiting)
        var values = base("\(organization.name) · \(pages.text("exchange"))", visit)
        values["org"] = ["code": organization.code.value, "name": organization.name]
        if let agency = try await dossier.agency() {
            values["agency"] = ["code": agency.code.value, "name": agency.name]
        }
        values["outgoing"] = outgoing.map { transfer -> [String: Any] in
            [
                "action": transfer.action, "person": transfer.person, "name": transfer.personName,
                "to": transfer.to.value, "slip": transfer.slipNumber, "exportedOn": transfer.exportedOn.description,
                "expiresOn": transfer.expiresOn.description, "daysWaiting": transfer.daysWaiting,
                "overdue": transfer.overdue, "overdueText": String(transfer.overdue),
                "rowClass": transfer.overdue ? "overdue" : "",
            ]
        }
        values["hasOutgoing"] = !outgoing.isEmpty
        values["incoming"] = incoming.map { transfer -> [String: Any] in
            [
                "draft": transfer.draft.map(String.init) ?? "", "hasPerson": transfer.person != nil,
                "person": transfer.person.map(String.init) ?? "", "name": transfer.personName ?? "",
                "from": transfer.from.value, "slip": transfer.slipNumber,
                // The import's UTC timestamp: its date is the day it was received.
                "receivedOn": String(transfer.importedAt.prefix(10)),
                "effectiveOn": transfer.effectiveOn?.description ?? "", "stage": transfer.stage.rawValue,
                "stageName": pages.text(Self.stageKey(transfer.stage)),
                "awaitingApproval": transfer.stage == .awaitingApproval,
            ]
        }
        values["hasIncoming"] = !incoming.isEmpty
        return html(pages.render("exchange", values))
    }

    private static func stageKey(_ stage: IncomingTransfer.Stage) -> String {
        switch stage {
        case .awaitingApproval: return "stageAwaitingApproval"
        case .awaitingReceipt: return "stageAwaitingReceipt"
        case .rejected: return "stageRejected"
        case .answered: return "stageAnswered"
        }
    }
}
