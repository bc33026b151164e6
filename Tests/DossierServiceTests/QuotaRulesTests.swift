import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

/// Establishment quotas (编制) and leadership posts (领导职数): their history, the headcount
/// against them, and the hires they refuse.
@Suite struct QuotaRulesTests {
    let fixture: ServiceFixture
    /// The node acting as the administrator.
    let admin: Dossier

    init() async throws {
        fixture = try await ServiceFixture()
        admin = fixture.dossier
    }

    @Test func quotaChangesKeepTheirHistory() async throws {
        let org = try await fixture.addBureau(1)
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 5,
            effectiveOn: day("2024-01-01")
        )
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 3,
            effectiveOn: day("2024-07-01")
        )
        try await admin.recordQuota(
            org: org,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-03-01")
        )
        let history = try fixture.store.quotaHistory(org: org)
        let actor = admin.actor.name
        #expect(
            history == [
                QuotaChange(
                    orgCode: org,
                    subject: .category(.administrative),
                    approved: 5,
                    effectiveOn: day("2024-01-01"),
                    recordedBy: actor
                ),
                QuotaChange(
                    orgCode: org,
                    subject: .post(.divisionHead),
                    approved: 1,
                    effectiveOn: day("2024-03-01"),
                    recordedBy: actor
                ),
                QuotaChange(
                    orgCode: org,
                    subject: .category(.administrative),
                    approved: 3,
                    effectiveOn: day("2024-07-01"),
                    recordedBy: actor
                ),
            ]
        )
    }

    @Test func headcountFollowsTheQuotaInForceOnTheDate() async throws {
        let store = fixture.store
        let org = try await fixture.addBureau(1, approved: 5, from: "2024-01-01")
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 3,
            effectiveOn: day("2024-07-01")
        )
        #expect(try store.headcount(on: day("2023-12-31"), org: org).isEmpty)
        let before = try #require(try store.headcount(on: day("2024-06-30"), org: org).first)
        #expect(before.orgCode == org && before.orgName == "Bureau 1")
        #expect(before.subject == .category(.administrative))
        #expect(before.approved == 5 && before.occupied == 0 && before.vacant == 5 && before.over == 0)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-01-01"))?.approved == 5)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-07-01"))?.approved == 3)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2030-01-01"))?.approved == 3)
    }

    @Test func headcountListsCategoriesThenPostsPerOrganisation() async throws {
        let store = fixture.store
        let first = try await fixture.addBureau(1, approved: 4)
        let second = try await fixture.addBureau(2, category: .fullyFundedInstitution, approved: 7)
        try await admin.recordQuota(
            org: first,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-01-01")
        )
        try await admin.recordQuota(
            org: first,
            subject: .category(.serviceWorker),
            approved: 2,
            effectiveOn: day("2024-01-01")
        )
        // The fixture's own organisations are listed too; only the two bureaus are checked.
        let all = try store.headcount(on: day("2024-02-01")).filter { [first, second].contains($0.orgCode) }
        #expect(
            all.map(\.subject) == [
                .category(.administrative), .category(.serviceWorker), .category(.fullyFundedInstitution),
                .post(.divisionHead),
            ]
        )
        #expect(all.map(\.orgCode) == [first, first, second, first])
        #expect(all.map(\.approved) == [4, 2, 7, 1])
        let onlySecond = try store.headcount(on: day("2024-02-01"), org: second)
        #expect(onlySecond.count == 1)
        #expect(onlySecond.first?.approved == 7)
        #expect(throws: StoreError(.unknownOrganization(bureauCode(9)))) {
            try store.headcount(on: day("2024-02-01"), org: bureauCode(9))
        }
    }

    @Test func sameDayQuotaRowsTheLaterOneWins() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 2,
            effectiveOn: day("2024-01-01")
        )
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-01-01"))?.approved == 2)
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        _ = try await admin.hire(newPerson(2, org: org, on: "2024-01-01"))
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(3, org: org, on: "2024-01-01"))
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func negativeQuotaIsRefusedAndNothingIsWritten() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        let error = try await fixture.refusedWrite {
            try await admin.recordQuota(
                org: org,
                subject: .category(.administrative),
                approved: -1,
                effectiveOn: day("2024-02-01")
            )
        }
        #expect(error != nil)
        #expect(error?.isQuotaRefusal == false)
    }

    @Test func quotaForUnknownOrganisationOrActorIsRefused() async throws {
        let org = try await fixture.addBureau(1)
        let unknownOrg = try await fixture.refusedWrite(as: StoreError.self) {
            try await admin.recordQuota(
                org: bureauCode(9),
                subject: .category(.administrative),
                approved: 1,
                effectiveOn: day("2024-01-01")
            )
        }
        #expect(unknownOrg == StoreError(.unknownOrganization(bureauCode(9))))
        let unknownActor = try await fixture.refusedWrite(as: StoreError.self) {
            try await fixture.rules(as: "nobody").recordQuota(
                org: org,
                subject: .category(.administrative),
                approved: 1,
                effectiveOn: day("2024-01-01")
            )
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
        #expect(throws: StoreError(.unknownOrganization(bureauCode(9)))) {
            try fixture.store.quotaHistory(org: bureauCode(9))
        }
    }

    @Test func leadershipPostHeadcountCountsHoldersOfThePost() async throws {
        let org = try await fixture.addBureau(1, approved: 10)
        try await admin.recordQuota(
            org: org,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-01-01")
        )
        try await admin.recordQuota(
            org: org,
            subject: .post(.divisionDeputy),
            approved: 2,
            effectiveOn: day("2024-01-01")
        )
        _ = try await admin.hire(newPerson(1, org: org, post: .divisionHead, on: "2024-02-01"))
        _ = try await admin.hire(newPerson(2, org: org, post: .divisionDeputy, on: "2024-02-01"))
        _ = try await admin.hire(newPerson(3, org: org, on: "2024-02-01"))
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-02-01"))! == (10, 3))
        await #expect(try fixture.occupancy(org, .post(.divisionHead), on: day("2024-02-01"))! == (1, 1))
        await #expect(try fixture.occupancy(org, .post(.divisionDeputy), on: day("2024-02-01"))! == (2, 1))
        await #expect(try fixture.occupancy(org, .post(.divisionHead), on: day("2024-01-31"))! == (1, 0))
        // The head post is full even though the category has room.
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(4, org: org, post: .divisionHead, on: "2024-03-01"))
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(error?.description.contains("leadership post") == true)
    }

    @Test func postWithoutAQuotaIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 10)
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: org, post: .bureauHead, on: "2024-02-01"))
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func everyQuotaChangeAppendsOneAuditEntry() async throws {
        let org = try await fixture.addBureau(1)
        let before = try fixture.store.auditEntries(limit: 1_000_000).count
        try await admin.recordQuota(org: org, subject: .post(.sectionHead), approved: 2, effectiveOn: day("2024-01-01"))
        let entries = try fixture.store.auditEntries(limit: 1_000_000)
        #expect(entries.count == before + 1)
        #expect(entries.last?.action == "quota.set")
        #expect(entries.last?.subject == "org:\(org)")
        #expect(entries.last?.details.contains("section-head") == true)
    }
}
