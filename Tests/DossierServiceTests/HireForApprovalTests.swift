import DossierCore
import DossierService
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

    private func occupied(_ dossier: Dossier, _ org: CreditCode, on date: String) throws -> Int {
        try dossier.headcount(on: day(date), org: org).filter {
            $0.subject == .category(.civilServiceManagedInstitution)
        }
        .map(\.occupied).reduce(0, +)
    }

    @Test func theHireTakesEffectOnlyWhenAnotherUserApprovesIt() throws {
        let fixture = try ServiceFixture()
        let officer = try fixture.acting(as: "officer", role: .officer)
        let approver = try fixture.acting(as: "approver", role: .approver)
        let (person, draft) = try officer.addPersonForApproval(input(31), today: today)
        // Filed, not placed, not counted.
        #expect(try fixture.dossier.person(person, on: day("2025-06-01")).org == nil)
        #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 0)
        // The maker cannot approve.
        #expect(throws: ServiceError.self) { try officer.approve(draft: draft) }
        let result = try approver.approve(draft: draft)
        #expect(result.actionIDs.count == 1)
        let placed = try fixture.dossier.person(person, on: day("2025-06-01"))
        #expect(placed.org == ServiceFixture.archives)
        #expect(placed.status == PersonStatus.probation)
        #expect(try fixture.dossier.person(person, on: day("2025-02-28")).org == nil)
        #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 1)
    }

    @Test func draftedHiresBeyondTheVacanciesAreRefusedAtApproval() throws {
        let fixture = try ServiceFixture()
        let officer = try fixture.acting(as: "officer", role: .officer)
        let approver = try fixture.acting(as: "approver", role: .approver)
        // The archives have 2 slots: three drafted hires may wait, only two may be approved.
        let drafts = try (41...43).map { try officer.addPersonForApproval(input($0), today: today).draftID }
        try approver.approve(draft: drafts[0])
        try approver.approve(draft: drafts[1])
        #expect {
            try approver.approve(draft: drafts[2])
        } throws: { error in
            (error as? ServiceError)?.kind == .refused && "\(error)".contains("no vacancy")
        }
        #expect(try occupied(fixture.dossier, ServiceFixture.archives, on: "2025-06-01") == 2)
    }

    @Test func aScopedOfficerReadsTheRecordTheyFiledForApprovalAndOthersDoNot() throws {
        let fixture = try ServiceFixture()
        let archivist = try fixture.scoped("archivist", role: .officer, to: ServiceFixture.archives)
        // The hospital is outside the archives' branch (the finance department above it would
        // see the record: the archives are under it).
        let clerk = try fixture.scoped("hospital-clerk", role: .officer, to: ServiceFixture.hospital)
        let (person, _) = try archivist.addPersonForApproval(input(51), today: today)
        // Not placed yet: the draft's organisation decides who may read the record.
        #expect(try archivist.person(person).name == "王待批")
        #expect(try archivist.timeline(personID: person).isEmpty)
        #expect {
            try clerk.person(person)
        } throws: { error in
            (error as? ServiceError)?.kind == .notFound
        }
    }

    @Test func aDuplicateIdentityNumberIsRefusedAndNothingIsFiled() throws {
        let fixture = try ServiceFixture()
        let officer = try fixture.acting(as: "officer", role: .officer)
        var duplicate = input(51)
        duplicate.idNumber = ServiceFixture.onFile.value
        let before = try fixture.dossier.people(on: day("2025-06-01"), limit: 1000)
        let draftsBefore = try fixture.dossier.drafts(state: nil)
        #expect(throws: ServiceError.self) { try officer.addPersonForApproval(duplicate, today: today) }
        #expect(try fixture.dossier.people(on: day("2025-06-01"), limit: 1000) == before)
        #expect(try fixture.dossier.drafts(state: nil) == draftsBefore)
    }
}
