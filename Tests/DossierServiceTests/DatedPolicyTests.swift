import DossierCore
import DossierPolicy
import DossierService
import Testing

/// The node's policies answer for a date: a rule changed from a day applies from that day and
/// not before; promotion eligibility, when a policy provides it, is asked at every promotion.
@Suite struct DatedPolicyTests {
    private static let band = RankQuotaPolicy.Band(
        code: "researcher-1-4",
        name: "一至四级调研员",
        ranks: [.researcher1, .researcher2, .researcher3, .researcher4]
    )

    /// A finance bureau with one 一至四级调研员 slot, held, and a 一级主任科员 to promote into it.
    private func node(
        _ policies: PolicySet
    ) throws -> (
        maker: Dossier, checker: Dossier, admin: Dossier, clerk: Int64
    ) {
        let fixture = try ServiceFixture()
        let admin = try Dossier.acting(on: fixture.store, as: "admin", policies: policies)
        try admin.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 1,
            effectiveOn: day("2000-01-01")
        )
        var holder = personInput(81)
        holder.rank = "L4-researcher"
        holder.status = "active"
        _ = try admin.addPerson(holder, today: today)
        var clerk = personInput(82)
        clerk.rank = "L1-principal"
        clerk.status = "active"
        let clerkID = try admin.addPerson(clerk, today: today)
        try admin.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
        try admin.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
        return (
            try Dossier.acting(on: fixture.store, as: "officer", policies: policies),
            try Dossier.acting(on: fixture.store, as: "approver", policies: policies),
            admin,
            clerkID
        )
    }

    private func promotion(_ person: Int64, on date: String) -> ActionDraftInput {
        ActionDraftInput(personID: person, kind: .promote, effectiveOn: day(date), rank: .researcher4)
    }

    @Test func aRankQuotaRuleChangedFromADateAppliesFromThatDateAndNotBefore() throws {
        // Until 2025 exceeding the band is only reported; from 2025-01-01 it is refused.
        let text = """
            kind: rank-quotas
            version: 1
            effective_from: 2019-06-01
            bands:
              researcher-1-4: { name: 一至四级调研员, ranks: [L1-researcher, L2-researcher, L3-researcher, L4-researcher] }
            enforcement: { default: warn }
            ---
            kind: rank-quotas
            version: 1
            effective_from: 2025-01-01
            bands:
              researcher-1-4: { name: 一至四级调研员, ranks: [L1-researcher, L2-researcher, L3-researcher, L4-researcher] }
            enforcement: { default: refuse }
            """
        var policies = Dossier.shippedPolicies
        policies.rankQuotas = try RankQuotaPolicyFile.load(yaml: text)
        #expect(policies.at(day("2024-12-31")).rankQuotas.defaultEnforcement == .warn)
        #expect(policies.at(day("2025-01-01")).rankQuotas.defaultEnforcement == .refuse)

        let later = try node(policies)
        let refused = try later.maker.draftAction(promotion(later.clerk, on: "2025-06-01"))
        #expect(throws: ServiceError.self) { try later.checker.approve(draft: refused) }
        #expect(try later.admin.person(later.clerk, on: day("2025-07-01")).rank == .principal1)

        let earlier = try node(policies)
        let warned = try earlier.maker.draftAction(promotion(earlier.clerk, on: "2024-06-01"))
        let result = try earlier.checker.approve(draft: warned)
        #expect(result.warnings.count == 1)
        #expect(try earlier.admin.person(earlier.clerk, on: day("2024-07-01")).rank == .researcher4)
    }

    /// Two full years in the current placement before a promotion, for the test.
    private struct TwoYearsInPlace: PromotionEligibility {
        func refusal(promotingTo rank: Rank, on date: CivilDate, history: [TimelineFold.Interval]) -> String? {
            guard let last = history.last else { return "the person holds no rank to be promoted from" }
            let years = date.year - last.from.year - ((date.month, date.day) < (last.from.month, last.from.day) ? 1 : 0)
            return years >= 2 ? nil : "\(years) full year(s) since \(last.from), two are needed"
        }
    }

    @Test func everyPromotionAsksTheEligibilityPolicyAndARefusalWritesNothing() throws {
        var policies = Dossier.shippedPolicies
        // Exceeding the band is only reported here: the eligibility rule alone decides.
        policies.rankQuotas = Dated(
            RankQuotaPolicy(bands: [Self.band], defaultEnforcement: .warn, exceptions: [:]),
            from: day("2000-01-01")
        )
        policies.eligibility = TwoYearsInPlace()
        let node = try node(policies)
        // Hired 2024-01-05: not eligible on 2025-06-01, eligible from 2026-01-05.
        let early = try node.maker.draftAction(promotion(node.clerk, on: "2025-06-01"))
        let before = try node.admin.timeline(personID: node.clerk)
        #expect {
            try node.checker.approve(draft: early)
        } throws: { error in
            "\(error)".contains("two are needed")
        }
        #expect(try node.admin.timeline(personID: node.clerk) == before)
        let due = try node.maker.draftAction(promotion(node.clerk, on: "2026-01-05"))
        try node.checker.approve(draft: due)
        #expect(try node.admin.person(node.clerk, on: day("2026-01-05")).rank == .researcher4)
    }
}
