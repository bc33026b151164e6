public import DossierCore
import DossierStorage
import Foundation

extension Dossier {
    /// The person's history received from other agencies' nodes, in date order: what was
    /// recorded there before they came here (it holds no slot here).
    public func receivedHistory(personID: Int64) async throws -> [ReceivedAction] {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        return try await mapErrors { try await store.receivedActions(of: personID) }
    }

    /// Keeps the history received with a person's file from another agency, all of it or none:
    /// an action already kept (the same origin) refuses the whole lot. The transfer exchange
    /// calls it inside its own import; it is its own use case here so the rule is in one place.
    func receiveHistory(_ actions: [ReceivedAction], personID: Int64) async throws {
        try require(.writePeople)
        try await requireWithinReach(personID: personID, as: writingRole)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard try tx.personExists(personID) else { throw RuleRefusal.unknownPerson(personID) }
                for action in actions {
                    try checkReceivable(action)
                    guard try tx.insertReceived(action, personID: personID, by: actor.name) != nil else {
                        throw RuleRefusal.refused(
                            "Action \(action.originActionID) of \(action.originAgency) is already in this person's history; nothing was received.",
                            zh: "\(action.originAgency) 的人事行为 \(action.originActionID) 已在该人员的任职经历中；未接收任何内容。"
                        )
                    }
                }
                try audit(
                    tx,
                    action: "history.receive",
                    subject: "person:\(personID)",
                    details: [
                        "actions": String(actions.count),
                        "from": Set(actions.map(\.originAgency.value)).sorted().joined(separator: ","),
                    ]
                )
            }
        }
    }

    /// Refuses a received action this node cannot keep: one that does not say where and by whom
    /// it was recorded, or that states a rank this node's ladder does not have on its date (kept
    /// in this node's terms, refused by name rather than stored as an unknown code).
    func checkReceivable(_ action: ReceivedAction) throws {
        guard !action.recordedBy.trimmingCharacters(in: .whitespaces).isEmpty,
            !action.orgName.trimmingCharacters(in: .whitespaces).isEmpty
        else {
            throw RuleRefusal.refused(
                "Received action \(action.originActionID) of \(action.originAgency) does not say where and by whom it was recorded.",
                zh: "接收的 \(action.originAgency) 人事行为 \(action.originActionID) 未写明记录地点和记录人。"
            )
        }
        if let rank = action.rank, !policies.rankLadder.at(action.effectiveOn).contains(rank) {
            throw RuleRefusal.refused(
                "Received action \(action.originActionID) of \(action.originAgency) states the rank '\(rank.code)', which this node's rank ladder does not have on \(action.effectiveOn).",
                zh:
                    "接收的 \(action.originAgency) 人事行为 \(action.originActionID) 写明的职级“\(rank.code)”不在本节点 \(action.effectiveOn) 施行的职级序列中。"
            )
        }
    }
}
