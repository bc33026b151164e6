import DossierCore
import DossierStorage
import Testing

@testable import DossierStore

@Suite struct QuotaStoreTests {
    @Test func quotaChangesKeepTheirHistory() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1)
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 5,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 3,
            effectiveOn: day("2024-07-01"),
            actor: admin
        )
        try await store.setQuota(
            org: org,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-03-01"),
            actor: admin
        )
        let history = try store.quotaHistory(org: org)
        #expect(
            history == [
                QuotaChange(
                    orgCode: org,
                    subject: .category(.administrative),
                    approved: 5,
                    effectiveOn: day("2024-01-01"),
                    recordedBy: admin
                ),
                QuotaChange(
                    orgCode: org,
                    subject: .post(.divisionHead),
                    approved: 1,
                    effectiveOn: day("2024-03-01"),
                    recordedBy: admin
                ),
                QuotaChange(
                    orgCode: org,
                    subject: .category(.administrative),
                    approved: 3,
                    effectiveOn: day("2024-07-01"),
                    recordedBy: admin
                ),
            ]
        )
    }

    @Test func headcountFollowsTheQuotaInForceOnTheDate() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5, from: "2024-01-01")
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 3,
            effectiveOn: day("2024-07-01"),
            actor: admin
        )
        #expect(try store.headcount(on: day("2023-12-31"), org: org).isEmpty)
        let before = try #require(try store.headcount(on: day("2024-06-30"), org: org).first)
        #expect(before.orgCode == org && before.orgName == "Bureau 1")
        #expect(before.subject == .category(.administrative))
        #expect(before.approved == 5 && before.occupied == 0 && before.vacant == 5 && before.over == 0)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-01-01")?.approved == 5)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-07-01")?.approved == 3)
        #expect(try occupancy(store, org, .category(.administrative), on: "2030-01-01")?.approved == 3)
    }

    @Test func headcountListsCategoriesThenPostsPerOrganisation() async throws {
        let store = try await makeStore()
        let first = try await addOrganization(store, 1, approved: 4)
        let second = try await addOrganization(store, 2, category: .fullyFundedInstitution, approved: 7)
        try await store.setQuota(
            org: first,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        try await store.setQuota(
            org: first,
            subject: .category(.serviceWorker),
            approved: 2,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        let all = try store.headcount(on: day("2024-02-01"))
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
        #expect(throws: StoreError(.unknownOrganization(orgCode(9)))) {
            try store.headcount(on: day("2024-02-01"), org: orgCode(9))
        }
    }

    @Test func sameDayQuotaRowsTheLaterOneWins() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 2,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-01-01")?.approved == 2)
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        _ = try await store.addPerson(newPerson(2, org: org, on: "2024-01-01"), actor: admin)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(3, org: org, on: "2024-01-01"), actor: admin)
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func negativeQuotaIsRefusedAndNothingIsWritten() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        let error = try await refusal(of: store) {
            try await store.setQuota(
                org: org,
                subject: .category(.administrative),
                approved: -1,
                effectiveOn: day("2024-02-01"),
                actor: admin
            )
        }
        #expect(error != nil)
        #expect(error?.isQuotaRefusal == false)
    }

    @Test func quotaForUnknownOrganisationOrActorIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1)
        let unknownOrg = try await refusal(of: store, as: StoreError.self) {
            try await store.setQuota(
                org: orgCode(9),
                subject: .category(.administrative),
                approved: 1,
                effectiveOn: day("2024-01-01"),
                actor: admin
            )
        }
        #expect(unknownOrg == StoreError(.unknownOrganization(orgCode(9))))
        let unknownActor = try await refusal(of: store, as: StoreError.self) {
            try await store.setQuota(
                org: org,
                subject: .category(.administrative),
                approved: 1,
                effectiveOn: day("2024-01-01"),
                actor: "nobody"
            )
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
        #expect(throws: StoreError(.unknownOrganization(orgCode(9)))) { try store.quotaHistory(org: orgCode(9)) }
    }

    @Test func leadershipPostHeadcountCountsHoldersOfThePost() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 10)
        try await store.setQuota(
            org: org,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        try await store.setQuota(
            org: org,
            subject: .post(.divisionDeputy),
            approved: 2,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        _ = try await store.addPerson(newPerson(1, org: org, post: .divisionHead, on: "2024-02-01"), actor: admin)
        _ = try await store.addPerson(newPerson(2, org: org, post: .divisionDeputy, on: "2024-02-01"), actor: admin)
        _ = try await store.addPerson(newPerson(3, org: org, on: "2024-02-01"), actor: admin)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-02-01")! == (10, 3))
        #expect(try occupancy(store, org, .post(.divisionHead), on: "2024-02-01")! == (1, 1))
        #expect(try occupancy(store, org, .post(.divisionDeputy), on: "2024-02-01")! == (2, 1))
        #expect(try occupancy(store, org, .post(.divisionHead), on: "2024-01-31")! == (1, 0))
        // The head post is full even though the category has room.
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(4, org: org, post: .divisionHead, on: "2024-03-01"), actor: admin)
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(error?.description.contains("leadership post") == true)
    }

    @Test func postWithoutAQuotaIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 10)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(1, org: org, post: .bureauHead, on: "2024-02-01"), actor: admin)
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func everyQuotaChangeAppendsOneAuditEntry() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1)
        let before = try store.auditEntries().count
        try await store.setQuota(
            org: org,
            subject: .post(.sectionHead),
            approved: 2,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        let entries = try store.auditEntries()
        #expect(entries.count == before + 1)
        #expect(entries.last?.action == "quota.set")
        #expect(entries.last?.subject == "org:\(org)")
        #expect(entries.last?.details.contains("section-head") == true)
    }
}
