import DossierCore
import DossierStorage
import DossierTestSupport
import Testing

@testable import DossierStore

@Suite struct PersonStoreTests {
    @Test func hiresOccupySlotsUntilTheLastVacancyThenAreRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 3)
        for number in 1...3 {
            #expect(try occupancy(store, org, .category(.administrative), on: "2024-03-01")?.occupied == number - 1)
            _ = try await store.addPerson(newPerson(number, org: org, on: "2024-0\(number)-01"), actor: admin)
        }
        let full = try #require(try store.headcount(on: day("2024-03-01"), org: org).first)
        #expect(full.approved == 3 && full.occupied == 3 && full.vacant == 0 && full.over == 0)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-02-15")?.occupied == 2)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(4, org: org, on: "2024-04-01"), actor: admin)
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(error?.isDuplicateIdentityNumber == false)
        #expect(
            error
                == RuleRefusal.quota(
                    .noVacancy(on: day("2024-04-01"), approved: 3, occupied: 3),
                    orgName: "Bureau 1",
                    subject: .category(.administrative)
                )
        )
        #expect(error?.description.contains("no vacancy") == true)
        #expect(try store.personCount() == 3)
    }

    @Test func backDatedHireIsRefusedWhereALaterHireFillsTheLastSlot() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-06-01"), actor: admin)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(2, org: org, on: "2024-02-01"), actor: admin)
        }
        #expect(
            error
                == RuleRefusal.quota(
                    .noVacancy(on: day("2024-06-01"), approved: 1, occupied: 1),
                    orgName: "Bureau 1",
                    subject: .category(.administrative)
                )
        )
    }

    @Test func futureQuotaCutRefusesAHireThatWouldExceedIt() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 2)
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 1,
            effectiveOn: day("2024-07-01"),
            actor: admin
        )
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-02-01"), actor: admin)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(2, org: org, on: "2024-03-01"), actor: admin)
        }
        #expect(
            error
                == RuleRefusal.quota(
                    .noVacancy(on: day("2024-07-01"), approved: 1, occupied: 1),
                    orgName: "Bureau 1",
                    subject: .category(.administrative)
                )
        )
    }

    @Test func hireIntoACategoryTheOrganisationLacksIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(
                newPerson(1, org: org, category: .fullyFundedInstitution, on: "2024-02-01"),
                actor: admin
            )
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(
            error
                == RuleRefusal.quota(
                    .notEstablished(on: day("2024-02-01")),
                    orgName: "Bureau 1",
                    subject: .category(.fullyFundedInstitution)
                )
        )
    }

    @Test func hireBeforeTheQuotaTakesEffectIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5, from: "2024-01-01")
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(1, org: org, on: "2023-12-31"), actor: admin)
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func hireIntoAnUnknownOrganisationOrByAnUnknownActorIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let unknownOrg = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(1, org: orgCode(9), on: "2024-02-01"), actor: admin)
        }
        #expect(unknownOrg == RuleRefusal.unknownOrganization(orgCode(9)))
        let unknownActor = try await refusal(of: store, as: StoreError.self) {
            _ = try await store.addPerson(newPerson(1, org: org, on: "2024-02-01"), actor: "nobody")
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
    }

    @Test func duplicateIdentityNumberIsRefusedAndNothingIsWritten() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let other = try await addOrganization(store, 2, approved: 5)
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-02-01"), actor: admin)
        var again = newPerson(1, org: other, on: "2024-03-01")
        again.name = "Someone Else"
        let error = try await refusal(of: store) { _ = try await store.addPerson(again, actor: admin) }
        #expect(error?.isDuplicateIdentityNumber == true)
        #expect(error?.isQuotaRefusal == false)
        #expect(error?.description.contains(residentID(1).value) == false)
    }

    @Test func identityNumberStaysTakenAfterTheHolderLeaves() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let id = try await store.addPerson(newPerson(1, org: org, on: "2024-02-01"), actor: admin)
        try await store.exit(personID: id, kind: .resign, on: day("2024-03-01"), actor: admin, machine: machine)
        let error = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(1, org: org, on: "2024-04-01"), actor: admin)
        }
        #expect(error?.isDuplicateIdentityNumber == true)
    }

    @Test func exitFreesTheSlotFromTheExitDate() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        try await store.setQuota(
            org: org,
            subject: .post(.sectionHead),
            approved: 1,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        let first = try await store.addPerson(
            newPerson(1, org: org, post: .sectionHead, on: "2024-01-01"),
            actor: admin
        )
        try await store.exit(personID: first, kind: .transferOut, on: day("2024-06-01"), actor: admin, machine: machine)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-05-31")?.occupied == 1)
        #expect(try occupancy(store, org, .post(.sectionHead), on: "2024-05-31")?.occupied == 1)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-06-01")?.occupied == 0)
        #expect(try occupancy(store, org, .post(.sectionHead), on: "2024-06-01")?.occupied == 0)
        // Before the exit date the slot is still taken.
        let early = try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(2, org: org, post: .sectionHead, on: "2024-05-31"), actor: admin)
        }
        expectNoVacancy(early, on: "2024-05-31")
        let second = try await store.addPerson(
            newPerson(2, org: org, post: .sectionHead, on: "2024-06-01"),
            actor: admin
        )
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-06-01")?.occupied == 1)
        #expect(try occupancy(store, org, .post(.sectionHead), on: "2024-06-01")?.occupied == 1)
        #expect(try store.person(second, on: day("2024-06-01"))?.placement?.post == .sectionHead)
        #expect(try store.person(first, on: day("2024-06-01"))?.placement?.status == .transferredOut)
        #expect(try store.person(first, on: day("2024-06-01"))?.placement?.post == nil)
    }

    @Test func exitsThatMakeNoSenseAreRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let id = try await store.addPerson(newPerson(1, org: org, on: "2024-03-01"), actor: admin)
        let notAnExit = try await refusal(of: store) {
            try await store.exit(personID: id, kind: .hire, on: day("2024-04-01"), actor: admin, machine: machine)
        }
        #expect(notAnExit != nil)
        let beforeHire = try await refusal(of: store) {
            try await store.exit(personID: id, kind: .resign, on: day("2024-02-29"), actor: admin, machine: machine)
        }
        #expect(beforeHire == RuleRefusal.dateBeforeLastAction(day("2024-03-01")))
        let unknown = try await refusal(of: store) {
            try await store.exit(personID: 999, kind: .retire, on: day("2024-04-01"), actor: admin, machine: machine)
        }
        #expect(unknown == RuleRefusal.unknownPerson(999))
        let unknownActor = try await refusal(of: store, as: StoreError.self) {
            try await store.exit(personID: id, kind: .retire, on: day("2024-04-01"), actor: "nobody", machine: machine)
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
        try await store.exit(personID: id, kind: .retire, on: day("2024-04-01"), actor: admin, machine: machine)
        let twice = try await refusal(of: store) {
            try await store.exit(personID: id, kind: .resign, on: day("2024-05-01"), actor: admin, machine: machine)
        }
        #expect(twice == RuleRefusal.alreadyLeft(id, .retired))
    }

    @Test func rehireOnlyAfterAnExit() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        let first = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        let whilePlaced = try await refusal(of: store) {
            try await store.rehire(
                personID: first,
                terms: terms(org: org, on: "2024-02-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(whilePlaced == RuleRefusal.stillInPost(first, .active))
        try await store.exit(personID: first, kind: .resign, on: day("2024-06-01"), actor: admin, machine: machine)
        let beforeExit = try await refusal(of: store) {
            try await store.rehire(
                personID: first,
                terms: terms(org: org, on: "2024-05-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(beforeExit == RuleRefusal.dateBeforeLastAction(day("2024-06-01")))
        // Someone else takes the freed slot: a rehire now finds no vacancy.
        _ = try await store.addPerson(newPerson(2, org: org, on: "2024-06-15"), actor: admin)
        let full = try await refusal(of: store) {
            try await store.rehire(
                personID: first,
                terms: terms(org: org, on: "2024-07-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(full?.isQuotaRefusal == true)
        let lacking = try await refusal(of: store) {
            try await store.rehire(
                personID: first,
                terms: terms(org: org, category: .serviceWorker, on: "2024-07-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(lacking?.isQuotaRefusal == true)
        let unknownOrg = try await refusal(of: store) {
            try await store.rehire(
                personID: first,
                terms: terms(org: orgCode(9), on: "2024-07-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(unknownOrg == RuleRefusal.unknownOrganization(orgCode(9)))
        let unknownPerson = try await refusal(of: store) {
            try await store.rehire(
                personID: 999,
                terms: terms(org: org, on: "2024-07-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(unknownPerson != nil)
        try await store.setQuota(
            org: org,
            subject: .category(.administrative),
            approved: 2,
            effectiveOn: day("2024-07-01"),
            actor: admin
        )
        try await store.rehire(
            personID: first,
            terms: terms(org: org, on: "2024-07-01"),
            actor: admin,
            machine: machine
        )
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-07-01")?.occupied == 2)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-06-30")?.occupied == 1)
        let placement = try #require(try store.person(first, on: day("2024-07-01"))?.placement)
        #expect(placement.status == .active && placement.since == day("2024-07-01"))
        #expect(try store.person(first, on: day("2024-06-30"))?.placement?.status == .resigned)
        #expect(try store.timeline(personID: first).map(\.kind) == [.hire, .resign, .rehire])
    }

    @Test func exitAndRehireOnTheSameDay() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        let id = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        try await store.exit(personID: id, kind: .resign, on: day("2024-03-01"), actor: admin, machine: machine)
        try await store.rehire(personID: id, terms: terms(org: org, on: "2024-03-01"), actor: admin, machine: machine)
        #expect(try store.person(id, on: day("2024-03-01"))?.placement?.status == .active)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-03-01")?.occupied == 1)
        #expect(try store.storageProblems().isEmpty)
    }

    /// `HireTerms.status` is documented as 试用 (probation) or 在职 (active). A "hire" straight into an
    /// exit status passes the quota check yet stores a placement that occupies no slot, and the
    /// person can then never exit.
    @Test func hireWithAnExitStatusIsRefused() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        try await refusal(of: store) {
            _ = try await store.addPerson(newPerson(1, org: org, status: .retired, on: "2024-02-01"), actor: admin)
        }
    }

    @Test func findPersonAndPlacementAsOfADate() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let clerk = Rank.clerk1
        let id = try await store.addPerson(
            newPerson(7, org: org, rank: clerk, status: .probation, on: "2024-03-01", phone: "13800138000"),
            actor: admin
        )
        let found = try #require(try store.findPerson(idNumber: residentID(7), on: day("2024-03-01")))
        #expect(found.id == id)
        #expect(found.idNumber == residentID(7))
        #expect(found.name == "Person 7")
        #expect(found.sex == residentID(7).sex)
        #expect(found.birthDate == day("1990-03-07"))
        #expect(found.ethnicity == Ethnicity(codeOrName: "01"))
        #expect(found.education == Education(codeOrName: "20"))
        #expect(found.politicalStatus == PoliticalStatus(codeOrName: "13"))
        #expect(found.phone == "13800138000")
        #expect(
            found.placement
                == Placement(
                    orgCode: org,
                    orgName: "Bureau 1",
                    category: .administrative,
                    rank: clerk,
                    post: nil,
                    status: .probation,
                    since: day("2024-03-01")
                )
        )
        #expect(try store.person(id, on: day("2024-02-29"))?.placement == nil)
        #expect(try store.person(id, on: day("2024-02-29"))?.name == "Person 7")
        #expect(try store.person(id, on: day("2030-01-01")) == found)
        #expect(try store.findPerson(idNumber: residentID(8), on: day("2024-03-01")) == nil)
        #expect(try store.person(999, on: day("2024-03-01")) == nil)
    }

    @Test func peopleListsByFileNumberAndFiltersByOrganisation() async throws {
        let store = try await makeStore()
        let first = try await addOrganization(store, 1, approved: 5)
        let second = try await addOrganization(store, 2, approved: 5)
        let a = try await store.addPerson(newPerson(1, org: first, on: "2024-01-01"), actor: admin)
        let b = try await store.addPerson(newPerson(2, org: second, on: "2024-01-01"), actor: admin)
        let c = try await store.addPerson(newPerson(3, org: first, on: "2024-06-01"), actor: admin)
        try await store.exit(personID: a, kind: .transferOut, on: day("2024-07-01"), actor: admin, machine: machine)
        #expect(try store.personCount() == 3)
        await #expect(try store.people(on: day("2024-03-01"), today: day("2024-03-01")).map(\.id) == [a, b, c])
        await #expect(try store.people(on: day("2024-03-01"), org: first, today: day("2024-03-01")).map(\.id) == [a])
        await #expect(
            try store.people(on: day("2024-06-01"), org: first, today: day("2024-06-01")).map(\.id) == [a, c]
        )
        await #expect(
            try store.people(on: day("2024-06-01"), today: day("2024-06-01"), after: a, limit: 1).map(\.id) == [b]
        )
        #expect(throws: StoreError(.unknownOrganization(orgCode(9)))) {
            try store.people(on: day("2024-03-01"), org: orgCode(9), today: day("2024-03-01"))
        }
    }

    @Test func timelineEntriesAreInDateOrder() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        try await store.setQuota(
            org: org,
            subject: .post(.divisionDeputy),
            approved: 1,
            effectiveOn: day("2024-01-01"),
            actor: admin
        )
        let id = try await store.addPerson(
            newPerson(1, org: org, post: .divisionDeputy, on: "2024-02-01"),
            actor: admin
        )
        try await store.exit(personID: id, kind: .retire, on: day("2024-05-01"), actor: admin, machine: machine)
        try await store.rehire(personID: id, terms: terms(org: org, on: "2024-08-01"), actor: admin, machine: machine)
        let timeline = try store.timeline(personID: id)
        #expect(timeline.map(\.kind) == [.hire, .retire, .rehire])
        #expect(timeline.map(\.effectiveOn) == [day("2024-02-01"), day("2024-05-01"), day("2024-08-01")])
        #expect(timeline.map(\.status) == [.active, .retired, .active])
        #expect(timeline.map(\.post) == [.divisionDeputy, nil, nil])
        #expect(timeline.allSatisfy { $0.orgCode == org && $0.recordedBy == admin })
        #expect(timeline.map(\.actionID) == timeline.map(\.actionID).sorted())
        #expect(throws: StoreError(.unknownPerson(999))) { try store.timeline(personID: 999) }
    }
}

/// Checks that `error` is a no-vacancy quota refusal on `date`.
func expectNoVacancy(_ error: RuleRefusal?, on date: String, sourceLocation: SourceLocation = #_sourceLocation) {
    guard case .noVacancy(let on, _, _)? = error?.quotaRefusal else {
        Issue.record("expected a no-vacancy refusal, got \(String(describing: error))", sourceLocation: sourceLocation)
        return
    }
    #expect(on == day(date), sourceLocation: sourceLocation)
}
