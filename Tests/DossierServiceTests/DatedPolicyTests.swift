import DossierCore
import DossierPolicy
import DossierService
import DossierTestSupport
import Testing

/// The node's policies answer for a date: a rule changed from a day applies from that day and
/// not before.
@Suite struct DatedPolicyTests {
    private static let band = RankQuotaPolicy.Band(
        code: "researcher-1-4",
        name: "一至四级调研员",
        ranks: [.researcher1, .researcher2, .researcher3, .researcher4]
    )

    /// A finance bureau with one 一至四级调研员 slot, held, and a 一级主任科员 to promote into it.
    private func node(
        _ policies: PolicySet
    ) async throws -> (
        maker: Dossier, checker: Dossier, admin: Dossier, clerk: Int64
    ) {
        let fixture = try await ServiceFixture()
        let admin = try await Dossier.acting(on: fixture.store, as: "admin", policies: policies)
        try await admin.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 1,
            effectiveOn: day("2000-01-01")
        )
        var holder = personInput(81)
        holder.rank = "L4-researcher"
        holder.status = "active"
        _ = try await admin.addPerson(holder, today: today)
        var clerk = personInput(82)
        clerk.rank = "L1-principal"
        clerk.status = "active"
        let clerkID = try await admin.addPerson(clerk, today: today)
        try await admin.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
        try await admin.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
        return await (
            try Dossier.acting(on: fixture.store, as: "officer", policies: policies),
            try Dossier.acting(on: fixture.store, as: "approver", policies: policies),
            admin,
            clerkID
        )
    }

    private func promotion(_ person: Int64, on date: String) -> ActionDraftInput {
        ActionDraftInput(personID: person, kind: .promote, effectiveOn: day(date), rank: .researcher4)
    }

    @Test func aRankQuotaRuleChangedFromADateAppliesFromThatDateAndNotBefore() async throws {
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
        // Without the promotion rules: the rank quota alone decides here.
        var policies = ServiceFixture.withoutPromotionRules
        policies.rankQuotas = try RankQuotaPolicyFile.load(yaml: text, ladder: policies.rankLadder)
        #expect(policies.at(day("2024-12-31")).rankQuotas.defaultEnforcement == .warn)
        #expect(policies.at(day("2025-01-01")).rankQuotas.defaultEnforcement == .refuse)

        let later = try await node(policies)
        let refused = try await later.maker.draftAction(promotion(later.clerk, on: "2025-06-01"))
        await #expect(throws: ServiceError.self) { try await later.checker.approve(draft: refused) }
        await #expect(try later.admin.person(later.clerk, on: day("2025-07-01")).rank == .principal1)

        let earlier = try await node(policies)
        let warned = try await earlier.maker.draftAction(promotion(earlier.clerk, on: "2024-06-01"))
        let result = try await earlier.checker.approve(draft: warned)
        #expect(result.warnings.count == 1)
        await #expect(try earlier.admin.person(earlier.clerk, on: day("2024-07-01")).rank == .researcher4)
    }

    /// A node whose rank ladder adds 三级科员 from 2025-01-01: the storage learns the new code when
    /// the node is opened (more than once, harmlessly), and a hire at it is kept from that date.
    @Test func aRankAddedToTheLadderIsStorableOnceTheNodeIsOpened() async throws {
        let fixture = try await ServiceFixture()
        var policies = Dossier.shippedPolicies
        let shipped = policies.rankLadder.latest
        let third = Rank(code: "L3-clerk")
        policies.rankLadder = Dated([
            .init(from: day("2019-06-01"), value: shipped),
            .init(from: day("2025-01-01"), value: RankLadder(shipped.steps + [.init(rank: third, name: "三级科员")])),
        ])
        _ = try await Dossier.acting(on: fixture.store, as: "admin", policies: policies)
        let admin = try await Dossier.acting(on: fixture.store, as: "admin", policies: policies)
        var early = personInput(83)
        early.rank = "三级科员"
        early.hiredOn = "2024-12-31"
        await #expect(throws: ServiceError.self) { try await admin.addPerson(early, today: today) }
        var hired = personInput(84)
        hired.rank = "三级科员"
        hired.hiredOn = "2025-01-01"
        let id = try await admin.addPerson(hired, today: today)
        await #expect(try admin.person(id, on: day("2025-06-01")).rank == third)
        // The shipped node, which does not know the rank, refuses it by name.
        let plain = try await Dossier.acting(on: fixture.store, as: "admin")
        let refused = await #expect(throws: ServiceError.self) {
            try await plain.draftAction(
                ActionDraftInput(personID: id, kind: .demote, effectiveOn: day("2025-07-01"), rank: Rank(code: "三级科员"))
            )
        }
        #expect(refused?.message.contains("There is no rank '三级科员'") == true, "\(String(describing: refused))")
    }
}
