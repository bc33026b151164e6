public import DossierCore
public import DossierStorage

/// A transfer package received at this node, and where its transfer-in stands.
public struct IncomingTransfer: Sendable, Hashable {
    /// Where the transfer stands here.
    public enum Stage: String, Sendable, Hashable, CaseIterable {
        /// The transfer-in waits for an approver: the person is placed once it is approved.
        case awaitingApproval = "awaiting-approval"
        /// The transfer-in was approved and the receipt (回执) has not been written yet.
        case awaitingReceipt = "awaiting-receipt"
        /// The transfer-in was rejected without a refusal going back to the sender.
        case rejected
        /// A receipt or refusal was written: nothing is left to do here.
        case answered
    }

    /// The received file's number.
    public var id: Int64
    public var person: Int64?
    public var personName: String?
    /// The transfer-in drafted by the import, its state and where it places the person.
    public var draft: Int64?
    public var draftState: ActionDraft.State?
    public var org: CreditCode?
    public var effectiveOn: CivilDate?
    public var from: CreditCode
    public var slipNumber: String
    public var importedAt: String
    public var importedBy: String
    /// The receipt or refusal written for it, if any.
    public var answer: IncomingKind?
    public var answeredAt: String?
    public var stage: Stage

    /// Whether someone here still has to act on it (approve it, or write its receipt).
    public var isWaiting: Bool { stage == .awaitingApproval || stage == .awaitingReceipt }
}

// The exchange's inbox and outbox, per organisation: reads only, kept apart from the exchange's
// writing side (Dossier+Exchange.swift).
extension Dossier {
    /// Transfer packages received, oldest first, each with its transfer-in's state and whether
    /// it was answered; within the acting user's reach (the organisation the transfer-in places
    /// the person in). With `org`, only those placing the person in it or under it.
    public func incomingTransfers(org: CreditCode? = nil) async throws -> [IncomingTransfer] {
        try require(.readPeople)
        let within = try await organizationSubtree(org)
        let received = try await mapErrors { try await store.incomingTransfers() }
        var found: [IncomingTransfer] = []
        for incoming in received {
            var draft: ActionDraft?
            if let id = incoming.received.draftID { draft = try await mapErrors { try await store.draft(id) } }
            guard try await mayRead(draft: draft, personID: incoming.received.personID) else { continue }
            if let within, !(draft?.orgCode.map(within.contains) ?? false) { continue }
            found.append(
                IncomingTransfer(
                    id: incoming.id,
                    person: incoming.received.personID,
                    personName: draft?.personName,
                    draft: incoming.received.draftID,
                    draftState: draft?.state,
                    org: draft?.orgCode,
                    effectiveOn: draft?.effectiveOn,
                    from: incoming.received.fromAgency,
                    slipNumber: incoming.received.slipNumber,
                    importedAt: incoming.importedAt,
                    importedBy: incoming.importedBy,
                    answer: incoming.answerKind,
                    answeredAt: incoming.answeredAt,
                    stage: Self.stage(answer: incoming.answerKind, draft: draft?.state)
                )
            )
        }
        return found
    }

    /// Transfers sent and not yet answered (as `pendingTransfers()`, overdue first) of people
    /// who left `org` or an organisation under it.
    public func pendingTransfers(org: CreditCode) async throws -> [PendingTransfer] {
        let pending = try await pendingTransfers()
        guard let within = try await organizationSubtree(org) else { return pending }
        var found: [PendingTransfer] = []
        for transfer in pending {
            // A transfer-out keeps the person's last placement: their home is the unit they left.
            let home = try await mapErrors { try await store.homeOrganization(ofPerson: transfer.person, today: today) }
            if let home, within.contains(home) { found.append(transfer) }
        }
        return found
    }

    /// Throws unless the acting user may import exchange files: asked before the file is
    /// received (an upload of up to gigabytes onto the node's disk).
    public func requireMayImportExchange() throws {
        try require(.verifyPackages)
        try require(.writePeople)
    }

    private static func stage(answer: IncomingKind?, draft: ActionDraft.State?) -> IncomingTransfer.Stage {
        if answer != nil { return .answered }
        switch draft {
        case .approved: return .awaitingReceipt
        // A received transfer's draft cannot be withdrawn (it is refused to its sender instead);
        // were one, it would be as good as rejected.
        case .rejected, .withdrawn: return .rejected
        case .draft, nil: return .awaitingApproval
        }
    }

    /// `org` and every organisation under it; nil for no `org` (the whole node). An unknown
    /// code is not found.
    private func organizationSubtree(_ org: CreditCode?) async throws -> Set<CreditCode>? {
        guard let org else { return nil }
        let tree = OrganizationTree(try await mapErrors { try await store.organizations() })
        let codes = Set(tree.subtree(of: org).map(\.code))
        guard !codes.isEmpty else { throw Self.notOnFile(org) }
        return codes
    }

    /// Whether a received transfer is within the acting user's reach: the organisation its
    /// transfer-in places the person in, else the person's own.
    private func mayRead(draft: ActionDraft?, personID: Int64?) async throws -> Bool {
        if actor.role == .admin { return true }
        if let org = draft?.orgCode {
            return try await mapErrors { try await store.mayAct(user: actor, as: actor.role, on: org) }
        }
        guard let personID else { return false }
        do { try await requireWithinReach(personID: personID, as: actor.role) } catch { return false }
        return true
    }
}
