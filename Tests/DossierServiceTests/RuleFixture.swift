import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

// Helpers of the rule tests that call the service's own write paths (`hire`, `recordExit`,
// `recordRehire`, `recordQuota`, `withHireBatch`, `recordDraft`, `recordApproval` …) rather than
// the public API: past its permission checks and error mapping, so a refusal arrives as the
// rule made it (`RuleRefusal`, or the storage's `StoreError`). They work on organisations of
// their own ("Bureau n"), beside the fixture's.

/// What a hire batch's body returns to commit (non-nil) or roll back (nil).
typealias BatchAudit = (action: String, subject: String, details: [String: String])?

/// The credit code of the test organisation "Bureau `number`" (clear of the fixture's own).
func bureauCode(_ number: Int) -> CreditCode {
    orgCode(100 + number)
}

/// The identity number of `newPerson(number, …)`: born 1990-03-07.
func newPersonResidentID(_ number: Int) -> ResidentID {
    residentID(number, born: "1990-03-07")
}

/// A real-name record with its hire: "Person `number`", born 1990-03-07.
func newPerson(
    _ number: Int,
    org: CreditCode,
    category: EstablishmentCategory = .administrative,
    rank: Rank? = nil,
    post: LeadershipPost? = nil,
    status: PersonStatus = .active,
    on date: String,
    phone: String? = nil
) -> NewPerson {
    NewPerson(
        idNumber: newPersonResidentID(number),
        name: "Person \(number)",
        ethnicity: Ethnicity(codeOrName: "01")!,
        education: Education(codeOrName: "20")!,
        politicalStatus: PoliticalStatus(codeOrName: "13")!,
        phone: phone,
        hire: HireTerms(
            orgCode: org,
            category: category,
            rank: rank,
            post: post,
            status: status,
            effectiveOn: day(date)
        )
    )
}

/// Terms for a rehire, 在职 from `date`.
func rehireTerms(
    org: CreditCode,
    category: EstablishmentCategory = .administrative,
    post: LeadershipPost? = nil,
    on date: String
) -> HireTerms {
    HireTerms(orgCode: org, category: category, rank: nil, post: post, status: .active, effectiveOn: day(date))
}

/// A quota refusal of "Bureau `bureau`" (by default of its administrative establishment).
func bureauQuotaRefusal(
    _ refusal: QuotaTimeline.Refusal,
    bureau: Int = 1,
    subject: Headcount.Subject = .category(.administrative)
) -> RuleRefusal {
    .quota(refusal, orgName: "Bureau \(bureau)", subject: subject)
}

/// Checks that `error` is a no-vacancy quota refusal on `date`.
func expectNoVacancy(_ error: RuleRefusal?, on date: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .noVacancy(let on, _, _)? = error?.quotaRefusal else {
        Issue.record("expected a no-vacancy refusal, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(on == day(date), sourceLocation: sourceLocation)
}

extension ServiceFixture {
    /// The node acting as the user on file named `name`; a name not on file acts as an
    /// administrator nobody added, whom the write itself must refuse.
    func rules(as name: String) throws -> Dossier {
        dossier.acting(as: try store.user(name) ?? User(name: name, role: .admin, displayName: name))
    }

    /// Registers "Bureau `number`" (a county organ), with one establishment quota from `date`
    /// when `approved` is given.
    @discardableResult
    func addBureau(
        _ number: Int,
        parent: Int? = nil,
        category: EstablishmentCategory = .administrative,
        approved: Int? = nil,
        from date: String = "2024-01-01"
    ) async throws -> CreditCode {
        let code = bureauCode(number)
        _ = try await dossier.recordOrganization(
            NewOrganization(
                code: code,
                name: "Bureau \(number)",
                kind: .organ,
                level: .county,
                parentCode: parent.map(bureauCode)
            )
        )
        if let approved {
            try await dossier.recordQuota(
                org: code,
                subject: .category(category),
                approved: approved,
                effectiveOn: day(date)
            )
        }
        return code
    }

    /// Runs a write that must be refused; checks that it threw and that the node, drafts and
    /// users included, is exactly as before. Returns the error when it is of the type asked
    /// for: a rule's refusal (`RuleRefusal`, the default) or the storage's own (`StoreError`).
    @discardableResult
    func refusedWrite<Refused: Error>(
        as type: Refused.Type = RuleRefusal.self,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ write: () async throws -> Void
    ) async throws -> Refused? {
        let before = try await ActionSnapshot(self)
        var thrown: (any Error)?
        do {
            try await write()
        } catch {
            thrown = error
        }
        #expect(thrown != nil, "the write was not refused", sourceLocation: sourceLocation)
        let changed = try await ActionSnapshot(self).differences(from: before)
        #expect(changed.isEmpty, "a refused write changed the node: \(changed)", sourceLocation: sourceLocation)
        return thrown as? Refused
    }
}
