import DossierCore
import DossierService
import DossierTestSupport
import Testing

/// Rank quotas (职级职数): recorded and reported as of a date; exceeding one is refused or
/// warned about as the policy says for the organisation.
@Suite struct RankQuotaTests {
    static let band = RankQuotaPolicy.Band(
        code: "researcher-1-4",
        name: "一至四级调研员",
        ranks: [.researcher1, .researcher2, .researcher3, .researcher4]
    )

    /// The node acting as `name`, under the same rank quotas as `dossier` (and, like it, without
    /// the promotion rules: the quota alone decides here).
    private func acting(_ name: String, _ fixture: ServiceFixture, like dossier: Dossier) async throws -> Dossier {
        try await Dossier.acting(
            on: fixture.store,
            as: name,
            policies: ServiceFixture.withoutPromotionRules,
            rankQuotas: dossier.rankQuotas
        )
    }

    private func node(_ enforcement: Enforcement) async throws -> (ServiceFixture, Dossier) {
        let fixture = try await ServiceFixture()
        let policy = RankQuotaPolicy(bands: [Self.band], defaultEnforcement: enforcement, exceptions: [:])
        let dossier = try await Dossier.acting(
            on: fixture.store,
            as: "admin",
            policies: ServiceFixture.withoutPromotionRules,
            rankQuotas: policy
        )
        try await dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 1,
            effectiveOn: day("2000-01-01")
        )
        return (fixture, dossier)
    }

    private func researcher(_ sequence: Int, rank: String = "L4-researcher") -> PersonInput {
        var input = PersonInput()
        input.idNumber = residentID(sequence).value
        input.name = "赵调研"
        input.ethnicity = "01"
        input.education = "14"
        input.politicalStatus = "01"
        input.orgCode = ServiceFixture.finance.value
        input.category = "admin"
        input.rank = rank
        input.status = "active"
        input.hiredOn = "2024-01-05"
        return input
    }

    @Test func aHireBeyondARefusingRankQuotaIsRefusedAndTheBandIsReported() async throws {
        let (_, dossier) = try await node(.refuse)
        _ = try await dossier.addPerson(researcher(61), today: today)
        await #expect {
            _ = try await dossier.addPerson(researcher(62), today: today)
        } throws: { error in
            (error as? ServiceError)?.kind == .refused && "\(error)".contains("researcher-1-4")
        }
        let rows = try await dossier.rankHeadcount(on: day("2025-01-01"))
        #expect(rows.count == 1)
        #expect(rows.first?.approved == 1)
        #expect(rows.first?.occupied == 1)
    }

    @Test func aPromotionIntoAFullBandIsRefusedOrWarnedAsThePolicySays() async throws {
        for enforcement in [Enforcement.refuse, .warn] {
            let (fixture, dossier) = try await node(enforcement)
            _ = try await dossier.addPerson(researcher(71), today: today)
            let clerk = try await dossier.addPerson(researcher(72, rank: "L1-principal"), today: today)
            try await dossier.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
            try await dossier.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
            let officer = try await acting("officer", fixture, like: dossier)
            let approver = try await acting("approver", fixture, like: dossier)
            let draft = try await officer.draftAction(
                ActionDraftInput(personID: clerk, kind: .promote, effectiveOn: day("2025-06-01"), rank: .researcher4)
            )
            switch enforcement {
            case .refuse:
                await #expect(throws: ServiceError.self) { try await approver.approve(draft: draft) }
                await #expect(try dossier.person(clerk, on: day("2025-07-01")).rank == .principal1)
            case .warn:
                let result = try await approver.approve(draft: draft)
                #expect(result.warnings.count == 1)
                #expect(result.warnings.first?.contains("一至四级调研员") == true)
                await #expect(try dossier.person(clerk, on: day("2025-07-01")).rank == .researcher4)
                await #expect(try dossier.rankHeadcount(on: day("2025-07-01")).first?.over == 1)
            }
        }
    }

    /// Someone already counted in a band that is over its quota (after a cut) may still have
    /// other actions approved: the action does not raise the band's occupancy.
    @Test func anActionThatDoesNotChangeTheBandIsNotRefusedInABandAlreadyOverQuota() async throws {
        let (fixture, dossier) = try await node(.refuse)
        let first = try await dossier.addPerson(researcher(81), today: today)
        try await dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 2,
            effectiveOn: day("2000-01-01")
        )
        _ = try await dossier.addPerson(researcher(82), today: today)
        try await dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 1,
            effectiveOn: day("2025-01-01")
        )
        try await dossier.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
        try await dossier.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
        let officer = try await acting("officer", fixture, like: dossier)
        let approver = try await acting("approver", fixture, like: dossier)
        let draft = try await officer.draftAction(
            ActionDraftInput(personID: first, kind: .giveNotice, effectiveOn: day("2025-06-01"))
        )
        let result = try await approver.approve(draft: draft)
        #expect(result.warnings.isEmpty)
        await #expect(try dossier.person(first, on: day("2025-07-01")).status == .leaving)
    }

    @Test func anUnknownBandCannotBeGivenAQuota() async throws {
        let (_, dossier) = try await node(.warn)
        await #expect(throws: ServiceError.self) {
            try await dossier.setQuota(
                org: ServiceFixture.finance,
                subject: .rankBand("no-such-band"),
                approved: 3,
                effectiveOn: day("2020-01-01")
            )
        }
    }
}
