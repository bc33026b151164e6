import DossierCore
import DossierService
import DossierTestSupport
import Foundation
import Testing

/// Filing, hiring, exits and rehires one person at a time.
@Suite struct PeopleTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
    }

    /// Runs `body`, which must throw a `ServiceError` of `kind`, and checks the node did not change.
    @discardableResult
    func refused(
        _ kind: ServiceError.Kind,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws -> ServiceError? {
        let before = try await ServiceSnapshot(fixture.dossier)
        let error = await #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.kind == kind, "\(String(describing: error))", sourceLocation: sourceLocation)
        await #expect(try ServiceSnapshot(fixture.dossier) == before, sourceLocation: sourceLocation)
        return error
    }

    @Test func validInputIsFiledWithItsHire() async throws {
        let input = personInput(4)
        let id = try await fixture.dossier.addPerson(input, today: today)
        let person = try await fixture.dossier.person(id, on: today, reveal: true)
        #expect(person.idNumber == input.idNumber)
        #expect(person.name == "王4")
        #expect(person.sex == .female)
        #expect(person.birthDate == day("1990-03-07"))
        #expect(person.ethnicity.code == "01")
        #expect(person.education.code == "20")
        #expect(person.politicalStatus.code == "13")
        #expect(person.phone == "13800138000")
        #expect(person.org == ServiceFixture.finance)
        #expect(person.orgName == "东海省财政厅")
        #expect(person.category == .administrative)
        #expect(person.rank == .clerk1)
        #expect(person.status == .probation)
        #expect(person.since == day("2024-01-05"))
        // The last change; reading the record with reveal (above) added a read entry after it.
        let log = try await fixture.dossier.auditLog(limit: 1_000_000)
        #expect(log.last?.action == "person.reveal")
        let entry = try #require(log.last { $0.action != "person.reveal" })
        #expect(entry.action == "person.add")
        #expect(!entry.details.contains(String(input.idNumber.prefix(14))))
        await #expect(try fixture.dossier.timeline(personID: id).map(\.kind) == [.hire])
    }

    @Test func invalidInputReportsEveryFieldProblemInOneError() async throws {
        var input = personInput(3)
        let wrong = withWrongCheckCharacter(residentID(3, born: "1990-03-07"))
        input.idNumber = wrong
        input.name = ""
        input.ethnicity = "99"
        input.education = "博士后"
        input.orgCode = "not a code"
        input.category = "temporary"
        input.rank = "L0-clerk"
        input.status = "retired"
        input.hiredOn = "05/01/2024"
        let error = try await refused(.invalid) { _ = try await fixture.dossier.addPerson(input, today: today) }
        let message = try #require(error?.message)
        for column in [
            "id_number", "name", "ethnicity", "education", "org_code", "category", "rank", "status", "hired_on",
        ] {
            #expect(message.contains(column), "\(column) missing from: \(message)")
        }
        #expect(!message.contains(wrong))
        #expect(!message.contains(String(wrong.prefix(14))))
        #expect(message.contains(masked(wrong)))
    }

    /// A right-to-left override or a zero-width space would make the name look like another
    /// one in lists, exports and package file names.
    @Test(arguments: ["王\u{202E}五", "王\u{200B}五", "\u{2066}王五\u{2069}", "王五\u{FEFF}", "王\u{200D}五"])
    func aNameWithInvisibleFormattingCharactersIsRefusedAndNothingIsWritten(name: String) async throws {
        var input = personInput(5)
        input.name = name
        let error = try await refused(.invalid) { _ = try await fixture.dossier.addPerson(input, today: today) }
        #expect(
            error?.message.contains(
                "name: a name cannot contain invisible formatting characters (such as right-to-left marks or zero-width spaces)."
            ) == true,
            "\(String(describing: error))"
        )
    }

    @Test func sexAndBirthDateMustAgreeWithTheIdentityNumber() async throws {
        var input = personInput(3)  // odd: a man, born 1990-03-07
        input.sex = "女"
        input.birthDate = "1990-03-08"
        let error = try await refused(.invalid) { _ = try await fixture.dossier.addPerson(input, today: today) }
        #expect(error?.message.contains("sex") == true)
        #expect(error?.message.contains("birth_date") == true)
    }

    @Test func lastVacancyIsFilledThenTheNextHireIsRefused() async throws {
        let archives = ServiceFixture.archives
        let slot = Headcount.Subject.category(.civilServiceManagedInstitution)
        _ = try await fixture.dossier.addPerson(personInput(3, org: archives, category: "pscs"), today: today)
        let last = try await fixture.dossier.addPerson(personInput(5, org: archives, category: "pscs"), today: today)
        await #expect(try fixture.dossier.person(last, on: today).org == archives)
        await #expect(try fixture.occupancy(archives, slot).map { [$0.approved, $0.occupied] } == [2, 2])
        let error = try await refused(.refused) {
            _ = try await fixture.dossier.addPerson(personInput(7, org: archives, category: "pscs"), today: today)
        }
        #expect(error?.message.contains("no vacancy") == true)
        await #expect(try fixture.occupancy(archives, slot).map { [$0.approved, $0.occupied] } == [2, 2])
    }

    @Test func hireIntoACategoryTheOrganisationDoesNotHaveIsRefused() async throws {
        try await refused(.refused) {
            _ = try await fixture.dossier.addPerson(personInput(3, category: "legal"), today: today)
        }
    }

    @Test func hireIntoAnUnknownOrganisationIsNotFound() async throws {
        try await refused(.notFound) {
            _ = try await fixture.dossier.addPerson(personInput(3, org: ServiceFixture.unregistered), today: today)
        }
    }

    @Test func identityNumberAlreadyOnFileIsRefused() async throws {
        var input = personInput(3)
        input.idNumber = ServiceFixture.onFile.value
        let error = try await refused(.refused) { _ = try await fixture.dossier.addPerson(input, today: today) }
        #expect(error?.message.contains(ServiceFixture.onFile.value) == false)
    }

    @Test func exitFreesTheSlotFromItsDate() async throws {
        let archives = ServiceFixture.archives
        let slot = Headcount.Subject.category(.civilServiceManagedInstitution)
        let leaving = try await fixture.dossier.addPerson(personInput(3, org: archives, category: "pscs"), today: today)
        _ = try await fixture.dossier.addPerson(personInput(5, org: archives, category: "pscs"), today: today)

        // A hire on the exit date itself is refused while the person is still in post.
        var early = personInput(7, org: archives, category: "pscs")
        early.hiredOn = "2025-06-01"
        try await refused(.refused) { _ = try await fixture.dossier.addPerson(early, today: today) }

        try await fixture.dossier.exit(personID: leaving, kind: .resign, on: day("2025-06-01"))
        await #expect(try fixture.occupancy(archives, slot, on: day("2025-05-31"))?.occupied == 2)
        await #expect(try fixture.occupancy(archives, slot, on: day("2025-06-01"))?.occupied == 1)
        await #expect(try fixture.dossier.person(leaving, on: day("2025-05-31")).status == .probation)
        await #expect(try fixture.dossier.person(leaving, on: day("2025-06-01")).status == .resigned)

        // A hire from before the exit would overfill the days between; from the exit date it fits.
        var before = personInput(7, org: archives, category: "pscs")
        before.hiredOn = "2025-05-31"
        try await refused(.refused) { _ = try await fixture.dossier.addPerson(before, today: today) }
        var after = personInput(7, org: archives, category: "pscs")
        after.hiredOn = "2025-06-01"
        _ = try await fixture.dossier.addPerson(after, today: today)
        await #expect(try fixture.occupancy(archives, slot, on: day("2025-06-01"))?.occupied == 2)
        await #expect(try fixture.dossier.timeline(personID: leaving).map(\.kind) == [.hire, .resign])
    }

    @Test func exitThatIsNotAnExitIsInvalid() async throws {
        try await refused(.invalid) {
            try await fixture.dossier.exit(personID: fixture.onFileID, kind: .hire, on: day("2025-01-01"))
        }
    }

    @Test func exitBeforeTheHireIsRefused() async throws {
        try await refused(.refused) {
            try await fixture.dossier.exit(personID: fixture.onFileID, kind: .retire, on: day("2020-02-29"))
        }
    }

    @Test func secondExitIsRefused() async throws {
        try await fixture.dossier.exit(personID: fixture.onFileID, kind: .transferOut, on: day("2025-01-01"))
        try await refused(.refused) {
            try await fixture.dossier.exit(personID: fixture.onFileID, kind: .resign, on: day("2025-02-01"))
        }
    }

    @Test func exitOfAnUnknownPersonIsNotFound() async throws {
        try await refused(.notFound) {
            try await fixture.dossier.exit(personID: 9_999, kind: .resign, on: day("2025-01-01"))
        }
    }

    @Test func rehireIsRefusedWhileInPostAndAllowedAfterExit() async throws {
        let person = fixture.onFileID
        let terms = HireTerms(
            orgCode: ServiceFixture.hospital,
            category: .partiallyFundedInstitution,
            rank: nil,
            post: nil,
            status: .active,
            effectiveOn: day("2025-03-01")
        )
        try await refused(.refused) { try await fixture.dossier.rehire(personID: person, terms: terms) }

        try await fixture.dossier.exit(personID: person, kind: .transferOut, on: day("2025-02-01"))
        try await fixture.dossier.rehire(personID: person, terms: terms)
        let now = try await fixture.dossier.person(person, on: today)
        #expect(now.org == ServiceFixture.hospital)
        #expect(now.category == .partiallyFundedInstitution)
        #expect(now.status == .active)
        await #expect(try fixture.dossier.person(person, on: day("2025-02-15")).status == .transferredOut)
        await #expect(try fixture.dossier.timeline(personID: person).map(\.kind) == [.hire, .transferOut, .rehire])
        await #expect(
            try fixture.occupancy(ServiceFixture.hospital, .category(.partiallyFundedInstitution))?.occupied == 1
        )
        await #expect(try fixture.occupancy(ServiceFixture.finance, .category(.administrative))?.occupied == 0)
        await #expect(try fixture.dossier.verifyAudit().isIntact)
    }

    @Test func rehireDatedBeforeTheExitIsRefused() async throws {
        try await fixture.dossier.exit(personID: fixture.onFileID, kind: .resign, on: day("2025-02-01"))
        let terms = HireTerms(
            orgCode: ServiceFixture.finance,
            category: .administrative,
            rank: nil,
            post: nil,
            status: .active,
            effectiveOn: day("2025-01-31")
        )
        try await refused(.refused) { try await fixture.dossier.rehire(personID: fixture.onFileID, terms: terms) }
    }

    @Test func rehireWithAnExitStatusIsInvalid() async throws {
        try await fixture.dossier.exit(personID: fixture.onFileID, kind: .resign, on: day("2025-02-01"))
        let terms = HireTerms(
            orgCode: ServiceFixture.finance,
            category: .administrative,
            rank: nil,
            post: nil,
            status: .retired,
            effectiveOn: day("2025-03-01")
        )
        try await refused(.invalid) { try await fixture.dossier.rehire(personID: fixture.onFileID, terms: terms) }
    }

    @Test func rehireIntoAFullUnitIsRefused() async throws {
        let archives = ServiceFixture.archives
        _ = try await fixture.dossier.addPerson(personInput(3, org: archives, category: "pscs"), today: today)
        _ = try await fixture.dossier.addPerson(personInput(5, org: archives, category: "pscs"), today: today)
        try await fixture.dossier.exit(personID: fixture.onFileID, kind: .transferOut, on: day("2025-02-01"))
        let terms = HireTerms(
            orgCode: archives,
            category: .civilServiceManagedInstitution,
            rank: nil,
            post: nil,
            status: .active,
            effectiveOn: day("2025-03-01")
        )
        try await refused(.refused) { try await fixture.dossier.rehire(personID: fixture.onFileID, terms: terms) }
    }

    @Test func personCanBeFoundByIdentityNumber() async throws {
        let found = try await fixture.dossier.findPerson(idNumber: ServiceFixture.onFile.value, on: today)
        #expect(found.id == fixture.onFileID)
        let missing = await #expect(throws: ServiceError.self) {
            try await fixture.dossier.findPerson(idNumber: residentID(777).value, on: today)
        }
        #expect(missing?.kind == .notFound)
        #expect(missing?.message.contains(residentID(777).value) == false)
        let malformed = await #expect(throws: ServiceError.self) {
            try await fixture.dossier.findPerson(idNumber: withWrongCheckCharacter(residentID(777)), on: today)
        }
        #expect(malformed?.kind == .invalid)
    }
}
