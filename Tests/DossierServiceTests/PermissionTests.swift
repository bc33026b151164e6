import DossierCore
import DossierService
import Foundation
import Testing

/// Who may do what: every use case authorises the acting user before it touches anything.
@Suite struct PermissionTests {
    let fixture: ServiceFixture

    init() async throws {
        fixture = try await ServiceFixture()
    }

    /// Runs `body`, which must be refused as forbidden, and checks the node did not change.
    func forbidden(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async throws {
        let before = try await ServiceSnapshot(fixture.dossier)
        let error = await #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.kind == .forbidden, "\(String(describing: error))", sourceLocation: sourceLocation)
        await #expect(try ServiceSnapshot(fixture.dossier) == before, sourceLocation: sourceLocation)
    }

    @Test func viewerCannotImport() async throws {
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        let path = try fixture.file(csvText([ImportRow(3).line()]))
        try await forbidden { _ = try await fixture.importFile(path, as: viewer) }
        try await forbidden { _ = try await fixture.importFile(path, dryRun: true, as: viewer) }
    }

    @Test func viewerCannotAddPeopleOrSetQuotasOrRecordExits() async throws {
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        try await forbidden { _ = try await viewer.addPerson(personInput(3), today: today) }
        try await forbidden {
            try await viewer.setQuota(
                org: ServiceFixture.finance,
                subject: .category(.administrative),
                approved: 100,
                effectiveOn: day("2025-01-01")
            )
        }
        try await forbidden { try await viewer.exit(personID: fixture.onFileID, kind: .resign, on: day("2025-01-01")) }
        try await forbidden {
            _ = try await viewer.addOrganization(
                NewOrganization(code: orgCode(50), name: "新机构", kind: .organ, level: .county)
            )
        }
    }

    @Test func officerCanAddPeopleButCannotSetQuotas() async throws {
        let officer = try await fixture.acting(as: "officer", role: .officer)
        let id = try await officer.addPerson(personInput(3), today: today)
        await #expect(try fixture.dossier.person(id, on: today).name == "王3")
        try await forbidden {
            try await officer.setQuota(
                org: ServiceFixture.finance,
                subject: .category(.administrative),
                approved: 100,
                effectiveOn: day("2025-01-01")
            )
        }
        try await forbidden {
            _ = try await officer.addOrganization(
                NewOrganization(code: orgCode(50), name: "新机构", kind: .organ, level: .county)
            )
        }
        try await forbidden {
            try await officer.addUser(User(name: "someone", role: .admin, displayName: "S"), reach: nil)
        }
    }

    @Test func officerCanImport() async throws {
        let officer = try await fixture.acting(as: "officer", role: .officer)
        let outcome = try await fixture.importFile(try fixture.file(csvText([ImportRow(3).line()])), as: officer)
        #expect(outcome.summary.imported == 1)
        let entry = try await #require(try fixture.dossier.auditLog(limit: 1_000_000).last)
        #expect(entry.action == "person.import")
        #expect(entry.actor == "officer")
    }

    @Test func viewerCannotRevealIdentityNumbers() async throws {
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        #expect(!viewer.mayRevealIdentity)
        try await forbidden { _ = try await viewer.person(fixture.onFileID, on: today, reveal: true) }
        try await forbidden { _ = try await viewer.people(on: today, reveal: true) }
        try await forbidden {
            _ = try await viewer.findPerson(idNumber: ServiceFixture.onFile.value, on: today, reveal: true)
        }
    }

    @Test func viewerSeesMaskedIdentityAndPhoneNumbers() async throws {
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        let input = personInput(3)
        let id = try await fixture.dossier.addPerson(input, today: today)
        let shown = try await viewer.person(id, on: today)
        #expect(shown.idNumber == String(input.idNumber.prefix(6)) + String(repeating: "*", count: 12))
        #expect(shown.idNumber.count == 18)
        #expect(shown.phone == "138****8000")
        let listed = try await #require(try viewer.people(on: today, limit: 1_000).first { $0.id == id })
        #expect(listed.idNumber == shown.idNumber)
        await #expect(try viewer.findPerson(idNumber: input.idNumber, on: today).id == id)
    }

    @Test func adminAndOfficerMayRevealIdentityNumbers() async throws {
        let officer = try await fixture.acting(as: "officer", role: .officer)
        await #expect(
            try fixture.dossier.person(fixture.onFileID, on: today, reveal: true).idNumber
                == ServiceFixture.onFile.value
        )
        await #expect(
            try officer.person(fixture.onFileID, on: today, reveal: true).idNumber == ServiceFixture.onFile.value
        )
        await #expect(try officer.person(fixture.onFileID, on: today).idNumber == ServiceFixture.onFile.masked)
    }

    @Test(arguments: [
        (Role.admin, true), (.officer, true), (.inspector, true), (.viewer, false), (.statistician, false),
        (.approver, false),
    ])
    func onlyThoseWhoReceiveOrInspectPackagesMayHaveTheNodeCheckOne(role: Role, may: Bool) async throws {
        let user = try await fixture.acting(as: "user-\(role.rawValue)", role: role)
        if may {
            try user.requireMayVerifyPackages()
        } else {
            try await forbidden { try user.requireMayVerifyPackages() }
        }
    }

    @Test func aDocumentIsRefusedBeforeItsFileIsReceivedWhenTheUserMayNotAddIt() async throws {
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        try await forbidden { try await viewer.checkDocumentIntake(personID: fixture.onFileID) }
        // An officer limited to the hospital cannot reach the person in the finance department.
        let officer = try await fixture.acting(
            as: "hospital-officer",
            role: .officer,
            reach: .organization(ServiceFixture.hospital)
        )
        let error = await #expect(throws: ServiceError.self) {
            try await officer.checkDocumentIntake(personID: fixture.onFileID)
        }
        #expect(error?.kind == .notFound)
    }

    @Test func unknownUserCannotAct() async throws {
        let error = await #expect(throws: ServiceError.self) {
            try await Dossier.acting(on: fixture.store, as: "nobody")
        }
        #expect(error?.kind == .forbidden)
    }
}
