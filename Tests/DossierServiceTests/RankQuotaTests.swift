import DossierCore
import DossierService
import Testing

/// Rank quotas (职级职数): recorded and reported as of a date; exceeding one is refused or
/// warned about as the policy says for the organisation.
@Suite struct RankQuotaTests {
    static let band = RankQuotaPolicy.Band(
        code: "researcher-1-4",
        name: "一至四级调研员",
        ranks: [.researcher1, .researcher2, .researcher3, .researcher4]
    )

    private func node(_ enforcement: RankQuotaPolicy.Enforcement) throws -> (ServiceFixture, Dossier) {
        let fixture = try ServiceFixture()
        let policy = RankQuotaPolicy(bands: [Self.band], defaultEnforcement: enforcement, exceptions: [:])
        let dossier = try Dossier.acting(on: fixture.store, as: "admin", rankQuotas: policy)
        try dossier.setQuota(
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

    @Test func aHireBeyondARefusingRankQuotaIsRefusedAndTheBandIsReported() throws {
        let (_, dossier) = try node(.refuse)
        _ = try dossier.addPerson(researcher(61), today: today)
        #expect {
            _ = try dossier.addPerson(researcher(62), today: today)
        } throws: { error in
            (error as? ServiceError)?.kind == .refused && "\(error)".contains("researcher-1-4")
        }
        let rows = try dossier.rankHeadcount(on: day("2025-01-01"))
        #expect(rows.count == 1)
        #expect(rows.first?.approved == 1)
        #expect(rows.first?.occupied == 1)
    }

    @Test func aPromotionIntoAFullBandIsRefusedOrWarnedAsThePolicySays() throws {
        for enforcement in [RankQuotaPolicy.Enforcement.refuse, .warn] {
            let (fixture, dossier) = try node(enforcement)
            _ = try dossier.addPerson(researcher(71), today: today)
            let clerk = try dossier.addPerson(researcher(72, rank: "L1-principal"), today: today)
            try dossier.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
            try dossier.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
            let officer = try Dossier.acting(on: fixture.store, as: "officer", rankQuotas: dossier.rankQuotas)
            let approver = try Dossier.acting(on: fixture.store, as: "approver", rankQuotas: dossier.rankQuotas)
            let draft = try officer.draftAction(
                ActionDraftInput(personID: clerk, kind: .promote, effectiveOn: day("2025-06-01"), rank: .researcher4)
            )
            switch enforcement {
            case .refuse:
                #expect(throws: ServiceError.self) { try approver.approve(draft: draft) }
                #expect(try dossier.person(clerk, on: day("2025-07-01")).rank == .principal1)
            case .warn:
                let result = try approver.approve(draft: draft)
                #expect(result.warnings.count == 1)
                #expect(result.warnings.first?.contains("一至四级调研员") == true)
                #expect(try dossier.person(clerk, on: day("2025-07-01")).rank == .researcher4)
                #expect(try dossier.rankHeadcount(on: day("2025-07-01")).first?.over == 1)
            }
        }
    }

    /// Someone already counted in a band that is over its quota (after a cut) may still have
    /// other actions approved: the action does not raise the band's occupancy.
    @Test func anActionThatDoesNotChangeTheBandIsNotRefusedInABandAlreadyOverQuota() throws {
        let (fixture, dossier) = try node(.refuse)
        let first = try dossier.addPerson(researcher(81), today: today)
        try dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 2,
            effectiveOn: day("2000-01-01")
        )
        _ = try dossier.addPerson(researcher(82), today: today)
        try dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .rankBand(Self.band.code),
            approved: 1,
            effectiveOn: day("2025-01-01")
        )
        try dossier.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
        try dossier.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
        let officer = try Dossier.acting(on: fixture.store, as: "officer", rankQuotas: dossier.rankQuotas)
        let approver = try Dossier.acting(on: fixture.store, as: "approver", rankQuotas: dossier.rankQuotas)
        let draft = try officer.draftAction(
            ActionDraftInput(personID: first, kind: .giveNotice, effectiveOn: day("2025-06-01"))
        )
        let result = try approver.approve(draft: draft)
        #expect(result.warnings.isEmpty)
        #expect(try dossier.person(first, on: day("2025-07-01")).status == .leaving)
    }

    @Test func anUnknownBandCannotBeGivenAQuota() throws {
        let (_, dossier) = try node(.warn)
        #expect(throws: ServiceError.self) {
            try dossier.setQuota(
                org: ServiceFixture.finance,
                subject: .rankBand("no-such-band"),
                approved: 3,
                effectiveOn: day("2020-01-01")
            )
        }
    }
}
