import DossierCore
import DossierStorage
import DossierStore
import DossierTestSupport
import Testing

@testable import DossierService

/// Hires, exits and rehires against the establishment quotas and the status machine, as the
/// service's write paths decide them.
@Suite struct HireRulesTests {
    let fixture: ServiceFixture
    /// The node acting as the administrator.
    let admin: Dossier

    init() async throws {
        fixture = try await ServiceFixture()
        admin = fixture.dossier
    }

    @Test func hiresOccupySlotsUntilTheLastVacancyThenAreRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 3)
        let onFile = try fixture.store.personCount()
        for number in 1...3 {
            await #expect(
                try fixture.occupancy(org, .category(.administrative), on: day("2024-03-01"))?.occupied == number - 1
            )
            _ = try await admin.hire(newPerson(number, org: org, on: "2024-0\(number)-01"))
        }
        let full = try #require(try fixture.store.headcount(on: day("2024-03-01"), org: org).first)
        #expect(full.approved == 3 && full.occupied == 3 && full.vacant == 0 && full.over == 0)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-02-15"))?.occupied == 2)
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(4, org: org, on: "2024-04-01"))
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(error?.isDuplicateIdentityNumber == false)
        #expect(error == bureauQuotaRefusal(.noVacancy(on: day("2024-04-01"), approved: 3, occupied: 3)))
        #expect(error?.description.contains("no vacancy") == true)
        #expect(try fixture.store.personCount() == onFile + 3)
    }

    @Test func backDatedHireIsRefusedWhereALaterHireFillsTheLastSlot() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-06-01"))
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(2, org: org, on: "2024-02-01"))
        }
        #expect(error == bureauQuotaRefusal(.noVacancy(on: day("2024-06-01"), approved: 1, occupied: 1)))
    }

    @Test func futureQuotaCutRefusesAHireThatWouldExceedIt() async throws {
        let org = try await fixture.addBureau(1, approved: 2)
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 1,
            effectiveOn: day("2024-07-01")
        )
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(2, org: org, on: "2024-03-01"))
        }
        #expect(error == bureauQuotaRefusal(.noVacancy(on: day("2024-07-01"), approved: 1, occupied: 1)))
    }

    @Test func hireIntoACategoryTheOrganisationLacksIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: org, category: .fullyFundedInstitution, on: "2024-02-01"))
        }
        #expect(error?.isQuotaRefusal == true)
        #expect(
            error
                == bureauQuotaRefusal(
                    .notEstablished(on: day("2024-02-01")),
                    subject: .category(.fullyFundedInstitution)
                )
        )
    }

    @Test func hireBeforeTheQuotaTakesEffectIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 5, from: "2024-01-01")
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: org, on: "2023-12-31"))
        }
        #expect(error?.isQuotaRefusal == true)
    }

    @Test func hireIntoAnUnknownOrganisationOrByAnUnknownActorIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let unknownOrg = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: bureauCode(9), on: "2024-02-01"))
        }
        #expect(unknownOrg == RuleRefusal.unknownOrganization(bureauCode(9)))
        let unknownActor = try await fixture.refusedWrite(as: StoreError.self) {
            _ = try await fixture.rules(as: "nobody").hire(newPerson(1, org: org, on: "2024-02-01"))
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
    }

    @Test func duplicateIdentityNumberIsRefusedAndNothingIsWritten() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let other = try await fixture.addBureau(2, approved: 5)
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        var again = newPerson(1, org: other, on: "2024-03-01")
        again.name = "Someone Else"
        let error = try await fixture.refusedWrite { _ = try await admin.hire(again) }
        #expect(error?.isDuplicateIdentityNumber == true)
        #expect(error?.isQuotaRefusal == false)
        #expect(error?.description.contains(newPersonResidentID(1).value) == false)
    }

    @Test func identityNumberStaysTakenAfterTheHolderLeaves() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        try await admin.recordExit(personID: id, kind: .resign, on: day("2024-03-01"))
        let error = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: org, on: "2024-04-01"))
        }
        #expect(error?.isDuplicateIdentityNumber == true)
    }

    @Test func exitFreesTheSlotFromTheExitDate() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        try await admin.recordQuota(org: org, subject: .post(.sectionHead), approved: 1, effectiveOn: day("2024-01-01"))
        let first = try await admin.hire(newPerson(1, org: org, post: .sectionHead, on: "2024-01-01"))
        try await admin.recordExit(personID: first, kind: .transferOut, on: day("2024-06-01"))
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-05-31"))?.occupied == 1)
        await #expect(try fixture.occupancy(org, .post(.sectionHead), on: day("2024-05-31"))?.occupied == 1)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-06-01"))?.occupied == 0)
        await #expect(try fixture.occupancy(org, .post(.sectionHead), on: day("2024-06-01"))?.occupied == 0)
        // Before the exit date the slot is still taken.
        let early = try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(2, org: org, post: .sectionHead, on: "2024-05-31"))
        }
        expectNoVacancy(early, on: "2024-05-31")
        let second = try await admin.hire(newPerson(2, org: org, post: .sectionHead, on: "2024-06-01"))
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-06-01"))?.occupied == 1)
        await #expect(try fixture.occupancy(org, .post(.sectionHead), on: day("2024-06-01"))?.occupied == 1)
        #expect(try fixture.store.person(second, on: day("2024-06-01"))?.placement?.post == .sectionHead)
        #expect(try fixture.store.person(first, on: day("2024-06-01"))?.placement?.status == .transferredOut)
        #expect(try fixture.store.person(first, on: day("2024-06-01"))?.placement?.post == nil)
    }

    @Test func exitsThatMakeNoSenseAreRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-03-01"))
        let notAnExit = try await fixture.refusedWrite {
            try await admin.recordExit(personID: id, kind: .hire, on: day("2024-04-01"))
        }
        #expect(notAnExit != nil)
        let beforeHire = try await fixture.refusedWrite {
            try await admin.recordExit(personID: id, kind: .resign, on: day("2024-02-29"))
        }
        #expect(beforeHire == RuleRefusal.dateBeforeLastAction(day("2024-03-01")))
        let unknown = try await fixture.refusedWrite {
            try await admin.recordExit(personID: 999, kind: .retire, on: day("2024-04-01"))
        }
        #expect(unknown == RuleRefusal.unknownPerson(999))
        let unknownActor = try await fixture.refusedWrite(as: StoreError.self) {
            try await fixture.rules(as: "nobody").recordExit(personID: id, kind: .retire, on: day("2024-04-01"))
        }
        #expect(unknownActor == StoreError(.unknownUser("nobody")))
        try await admin.recordExit(personID: id, kind: .retire, on: day("2024-04-01"))
        let twice = try await fixture.refusedWrite {
            try await admin.recordExit(personID: id, kind: .resign, on: day("2024-05-01"))
        }
        #expect(twice == RuleRefusal.alreadyLeft(id, .retired))
    }

    @Test func rehireOnlyAfterAnExit() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        let first = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        let whilePlaced = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: first, terms: rehireTerms(org: org, on: "2024-02-01"))
        }
        #expect(whilePlaced == RuleRefusal.stillInPost(first, .active))
        try await admin.recordExit(personID: first, kind: .resign, on: day("2024-06-01"))
        let beforeExit = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: first, terms: rehireTerms(org: org, on: "2024-05-01"))
        }
        #expect(beforeExit == RuleRefusal.dateBeforeLastAction(day("2024-06-01")))
        // Someone else takes the freed slot: a rehire now finds no vacancy.
        _ = try await admin.hire(newPerson(2, org: org, on: "2024-06-15"))
        let full = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: first, terms: rehireTerms(org: org, on: "2024-07-01"))
        }
        #expect(full?.isQuotaRefusal == true)
        let lacking = try await fixture.refusedWrite {
            try await admin.recordRehire(
                personID: first,
                terms: rehireTerms(org: org, category: .serviceWorker, on: "2024-07-01")
            )
        }
        #expect(lacking?.isQuotaRefusal == true)
        let unknownOrg = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: first, terms: rehireTerms(org: bureauCode(9), on: "2024-07-01"))
        }
        #expect(unknownOrg == RuleRefusal.unknownOrganization(bureauCode(9)))
        let unknownPerson = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: 999, terms: rehireTerms(org: org, on: "2024-07-01"))
        }
        #expect(unknownPerson != nil)
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 2,
            effectiveOn: day("2024-07-01")
        )
        try await admin.recordRehire(personID: first, terms: rehireTerms(org: org, on: "2024-07-01"))
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-07-01"))?.occupied == 2)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-06-30"))?.occupied == 1)
        let placement = try #require(try fixture.store.person(first, on: day("2024-07-01"))?.placement)
        #expect(placement.status == .active && placement.since == day("2024-07-01"))
        #expect(try fixture.store.person(first, on: day("2024-06-30"))?.placement?.status == .resigned)
        #expect(try fixture.store.timeline(personID: first).map(\.kind) == [.hire, .resign, .rehire])
    }

    @Test func exitAndRehireOnTheSameDay() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        try await admin.recordExit(personID: id, kind: .resign, on: day("2024-03-01"))
        try await admin.recordRehire(personID: id, terms: rehireTerms(org: org, on: "2024-03-01"))
        #expect(try fixture.store.person(id, on: day("2024-03-01"))?.placement?.status == .active)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-03-01"))?.occupied == 1)
        #expect(try fixture.store.storageProblems().isEmpty)
    }

    /// `HireTerms.status` is documented as 试用 (probation) or 在职 (active). A "hire" straight into an
    /// exit status passes the quota check yet stores a placement that occupies no slot, and the
    /// person can then never exit.
    @Test func hireWithAnExitStatusIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        try await fixture.refusedWrite {
            _ = try await admin.hire(newPerson(1, org: org, status: .retired, on: "2024-02-01"))
        }
    }

    @Test func findPersonAndPlacementAsOfADate() async throws {
        let store = fixture.store
        let org = try await fixture.addBureau(1, approved: 5)
        let clerk = Rank.clerk1
        let id = try await admin.hire(
            newPerson(7, org: org, rank: clerk, status: .probation, on: "2024-03-01", phone: "13800138000")
        )
        let found = try #require(try store.findPerson(idNumber: newPersonResidentID(7), on: day("2024-03-01")))
        #expect(found.id == id)
        #expect(found.idNumber == newPersonResidentID(7))
        #expect(found.name == "Person 7")
        #expect(found.sex == newPersonResidentID(7).sex)
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
        #expect(try store.findPerson(idNumber: newPersonResidentID(8), on: day("2024-03-01")) == nil)
        #expect(try store.person(999, on: day("2024-03-01")) == nil)
    }

    @Test func peopleListsByFileNumberAndFiltersByOrganisation() async throws {
        let store = fixture.store
        let first = try await fixture.addBureau(1, approved: 5)
        let second = try await fixture.addBureau(2, approved: 5)
        let onFile = fixture.onFileID
        let filedBefore = try store.personCount()
        let a = try await admin.hire(newPerson(1, org: first, on: "2024-01-01"))
        let b = try await admin.hire(newPerson(2, org: second, on: "2024-01-01"))
        let c = try await admin.hire(newPerson(3, org: first, on: "2024-06-01"))
        try await admin.recordExit(personID: a, kind: .transferOut, on: day("2024-07-01"))
        #expect(try store.personCount() == filedBefore + 3)
        await #expect(
            try store.people(on: day("2024-03-01"), today: day("2024-03-01")).map(\.id) == [onFile, a, b, c]
        )
        await #expect(try store.people(on: day("2024-03-01"), org: first, today: day("2024-03-01")).map(\.id) == [a])
        await #expect(
            try store.people(on: day("2024-06-01"), org: first, today: day("2024-06-01")).map(\.id) == [a, c]
        )
        await #expect(
            try store.people(on: day("2024-06-01"), today: day("2024-06-01"), after: a, limit: 1).map(\.id) == [b]
        )
        #expect(throws: StoreError(.unknownOrganization(bureauCode(9)))) {
            try store.people(on: day("2024-03-01"), org: bureauCode(9), today: day("2024-03-01"))
        }
    }

    @Test func timelineEntriesAreInDateOrder() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        try await admin.recordQuota(
            org: org,
            subject: .post(.divisionDeputy),
            approved: 1,
            effectiveOn: day("2024-01-01")
        )
        let id = try await admin.hire(newPerson(1, org: org, post: .divisionDeputy, on: "2024-02-01"))
        try await admin.recordExit(personID: id, kind: .retire, on: day("2024-05-01"))
        try await admin.recordRehire(personID: id, terms: rehireTerms(org: org, on: "2024-08-01"))
        let timeline = try fixture.store.timeline(personID: id)
        #expect(timeline.map(\.kind) == [.hire, .retire, .rehire])
        #expect(timeline.map(\.effectiveOn) == [day("2024-02-01"), day("2024-05-01"), day("2024-08-01")])
        #expect(timeline.map(\.status) == [.active, .retired, .active])
        #expect(timeline.map(\.post) == [.divisionDeputy, nil, nil])
        #expect(timeline.allSatisfy { $0.orgCode == org && $0.recordedBy == admin.actor.name })
        #expect(timeline.map(\.actionID) == timeline.map(\.actionID).sorted())
        #expect(throws: StoreError(.unknownPerson(999))) { try fixture.store.timeline(personID: 999) }
    }
}
