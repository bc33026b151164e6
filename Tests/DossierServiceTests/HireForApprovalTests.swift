import DossierCore
import DossierService
import DossierTestSupport
import Testing

/// A new hire through maker-checker: the record is filed at once, the hire waits for another
/// user's approval and counts against no quota until then.
@Suite struct HireForApprovalTests {
    private func input(_ sequence: Int, org: CreditCode = ServiceFixture.archives) -> PersonInput {
        var input = PersonInput()
        input.idNumber = residentID(sequence).value
        input.name = "王待批"
        input.ethnicity = "01"
        input.education = "20"
        input.politicalStatus = "13"
        input.orgCode = org.value
        input.category = "pscs"
        input.status = "probation"
        input.hiredOn = "2025-03-01"
        return input
    }

    private func occupied(_ dossier: Dossier, _ org: CreditCode, on date: String) async throws -> Int {
        try await dossier.headcount(on: day(date), org: org).filter {
            $0.subject == .category(.civilServiceManagedInstitution)
        }
        .map(\.occupied).reduce(0, +)
    }

    @Test func theHireTakesEffectOnlyWhenAnotherUserApprovesIt() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        let approver = try await fixture.acting(as: "approver", role: .approver)
        let (person, draft) = try await officer.addPersonForApproval(input(31), today: today)
        // Filed, not placed, not counted.
        await #expect(try fixture.dossier.person(person, on: day("2025-06-01")).org == nil)
        await #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 0)
        // The maker cannot approve.
        await #expect(throws: ServiceError.self) { try await officer.approve(draft: draft) }
        let result = try await approver.approve(draft: draft)
        #expect(result.actionIDs.count == 1)
        let placed = try await fixture.dossier.person(person, on: day("2025-06-01"))
        #expect(placed.org == ServiceFixture.archives)
        #expect(placed.status == PersonStatus.probation)
        await #expect(try fixture.dossier.person(person, on: day("2025-02-28")).org == nil)
        await #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 1)
    }

    @Test func draftedHiresBeyondTheVacanciesAreRefusedAtApproval() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        let approver = try await fixture.acting(as: "approver", role: .approver)
        // The archives have 2 slots: three drafted hires may wait, only two may be approved.
        let drafts = try await (41...43).asyncMap {
            try await officer.addPersonForApproval(input($0), today: today).draftID
        }
        try await approver.approve(draft: drafts[0])
        try await approver.approve(draft: drafts[1])
        await #expect {
            try await approver.approve(draft: drafts[2])
        } throws: { error in
            (error as? ServiceError)?.kind == .refused && "\(error)".contains("no vacancy")
        }
        await #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 2)
    }

    @Test func aScopedOfficerReadsTheRecordTheyFiledForApprovalAndOthersDoNot() async throws {
        let fixture = try await ServiceFixture()
        let archivist = try await fixture.scoped("archivist", role: .officer, to: ServiceFixture.archives)
        // The hospital is outside the archives' branch (the finance department above it would
        // see the record: the archives are under it).
        let clerk = try await fixture.scoped("hospital-clerk", role: .officer, to: ServiceFixture.hospital)
        let (person, _) = try await archivist.addPersonForApproval(input(51), today: today)
        // Not placed yet: the draft's organisation decides who may read the record.
        await #expect(try archivist.person(person).name == "王待批")
        await #expect(try archivist.timeline(personID: person).isEmpty)
        await #expect {
            try await clerk.person(person)
        } throws: { error in
            (error as? ServiceError)?.kind == .notFound
        }
    }

    @Test func aDuplicateIdentityNumberIsRefusedAndNothingIsFiled() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        var duplicate = input(51)
        duplicate.idNumber = ServiceFixture.onFile.value
        let before = try await fixture.dossier.people(on: day("2025-06-01"), limit: 1000)
        let draftsBefore = try await fixture.dossier.drafts(state: nil)
        await #expect(throws: ServiceError.self) { try await officer.addPersonForApproval(duplicate, today: today) }
        await #expect(try fixture.dossier.people(on: day("2025-06-01"), limit: 1000) == before)
        await #expect(try fixture.dossier.drafts(state: nil) == draftsBefore)
    }
}
