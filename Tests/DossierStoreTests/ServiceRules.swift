import DossierCore
import DossierStorage
import DossierStore

@testable import DossierService

/// The rules of hiring, exits, rehires, approvals and maker-checker, and the audit entries of
/// organisations and quotas, live in the service (`TimelineWriter`, `HireBatch`,
/// `Dossier+Actions`, `Dossier+Establishment`). The tests here that were written against
/// the store reach them through the service's own code, acting as `actor`, past only its
/// permission checks and error mapping: a refusal arrives in the store's words (`StoreError`),
/// and every write still runs as one store transaction whose result the tests inspect.
extension DossierStore {
    private func node(
        _ actor: String,
        machine: StatusMachine = machine,
        rankQuotas: RankQuotaPolicy?
    ) throws
        -> Dossier
    {
        // An actor not on file is let through to the write itself, which must refuse them too
        // (the tests of an unknown actor check exactly that).
        let user = try self.user(actor) ?? User(name: actor, role: .admin, displayName: actor)
        return Dossier(
            store: self,
            actor: user,
            logger: Dossier.quietLogger,
            policies: PolicySet(
                statusMachine: machine,
                rankLadder: Dossier.shippedPolicies.rankLadder,
                rankQuotas: rankQuotas.map { Dated($0, from: day("1900-01-01")) }
                    ?? Dossier.shippedPolicies.rankQuotas,
                documents: Dossier.shippedPolicies.documents
            ),
            blobs: nil
        )
    }

    /// `actor` nil: the node's first user, as `init` adds them.
    func addUser(_ user: User, actor: String?, passwordHash: String? = nil, reach: Reach? = nil) async throws {
        guard let actor else { return try await Dossier.addFirstUser(user, to: self) }
        try await node(actor, rankQuotas: nil).recordUser(user, passwordHash: passwordHash, reach: reach)
    }

    func addOrganization(_ new: NewOrganization, actor: String) async throws -> Organization {
        try await node(actor, rankQuotas: nil).recordOrganization(new)
    }

    func setQuota(
        org: CreditCode,
        subject: Headcount.Subject,
        approved: Int,
        effectiveOn: CivilDate,
        actor: String
    ) async throws {
        try await node(actor, rankQuotas: nil).recordQuota(
            org: org,
            subject: subject,
            approved: approved,
            effectiveOn: effectiveOn
        )
    }

    func grant(user: String, role: Role, org: CreditCode?, actor: String) async throws {
        try await node(actor, rankQuotas: nil).recordGrant(user: user, role: role, org: org)
    }

    func addPerson(_ person: NewPerson, actor: String, rankQuotas: RankQuotaPolicy? = nil) async throws -> Int64 {
        try await node(actor, rankQuotas: rankQuotas).hire(person)
    }

    func exit(
        personID: Int64,
        kind: ActionKind,
        on date: CivilDate,
        actor: String,
        machine: StatusMachine,
        rankQuotas: RankQuotaPolicy? = nil
    ) async throws {
        try await node(actor, machine: machine, rankQuotas: rankQuotas).recordExit(
            personID: personID,
            kind: kind,
            on: date
        )
    }

    func rehire(
        personID: Int64,
        terms: HireTerms,
        actor: String,
        machine: StatusMachine,
        rankQuotas: RankQuotaPolicy? = nil
    ) async throws {
        try await node(actor, machine: machine, rankQuotas: rankQuotas).recordRehire(personID: personID, terms: terms)
    }

    func draftAction(_ input: ActionDraftInput, actor: String) async throws -> Int64 {
        try await node(actor, rankQuotas: nil).recordDraft(input)
    }

    func approveDraft(
        _ id: Int64,
        actor: String,
        machine: StatusMachine,
        rankQuotas: RankQuotaPolicy? = nil
    ) async throws -> ApprovalResult {
        try await node(actor, machine: machine, rankQuotas: rankQuotas).recordApproval(of: id)
    }

    func rejectDraft(_ id: Int64, reason: String, actor: String) async throws {
        try await node(actor, rankQuotas: nil).recordRejection(of: id, reason: reason)
    }

    func withHireBatch<T>(
        actor: String,
        rankQuotas: RankQuotaPolicy? = nil,
        _ body: (HireBatch) throws -> (result: T, audit: (action: String, subject: String, details: [String: String])?)
    ) async throws -> T {
        try await node(actor, rankQuotas: rankQuotas).withHireBatch(body)
    }
}
