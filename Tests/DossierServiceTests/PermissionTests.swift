import DossierCore
import DossierService
import Foundation
import Testing

/// Who may do what: every use case authorises the acting user before it touches anything.
@Suite struct PermissionTests {
    let fixture: ServiceFixture

    init() throws {
        fixture = try ServiceFixture()
    }

    /// Runs `body`, which must be refused as forbidden, and checks the node did not change.
    func forbidden(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) throws {
        let before = try ServiceSnapshot(fixture.dossier)
        let error = #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try body() }
        #expect(error?.kind == .forbidden, "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(try ServiceSnapshot(fixture.dossier) == before, sourceLocation: sourceLocation)
    }

    @Test func viewerCannotImport() throws {
        let viewer = try fixture.acting(as: "viewer", role: .viewer)
        let path = try fixture.file(csvText([ImportRow(3).line()]))
        try forbidden { _ = try fixture.importFile(path, as: viewer) }
        try forbidden { _ = try fixture.importFile(path, dryRun: true, as: viewer) }
    }

    @Test func viewerCannotAddPeopleOrSetQuotasOrRecordExits() throws {
        let viewer = try fixture.acting(as: "viewer", role: .viewer)
        try forbidden { _ = try viewer.addPerson(personInput(3), today: today) }
        try forbidden {
            try viewer.setQuota(
                org: ServiceFixture.finance,
                subject: .category(.administrative),
                approved: 100,
                effectiveOn: day("2025-01-01")
            )
        }
        try forbidden { try viewer.exit(personID: fixture.onFileID, kind: .resign, on: day("2025-01-01")) }
        try forbidden {
            _ = try viewer.addOrganization(
                NewOrganization(code: orgCode(50), name: "新机构", kind: .organ, level: .county)
            )
        }
    }

    @Test func officerCanAddPeopleButCannotSetQuotas() throws {
        let officer = try fixture.acting(as: "officer", role: .officer)
        let id = try officer.addPerson(personInput(3), today: today)
        #expect(try fixture.dossier.person(id, on: today).name == "王3")
        try forbidden {
            try officer.setQuota(
                org: ServiceFixture.finance,
                subject: .category(.administrative),
                approved: 100,
                effectiveOn: day("2025-01-01")
            )
        }
        try forbidden {
            _ = try officer.addOrganization(
                NewOrganization(code: orgCode(50), name: "新机构", kind: .organ, level: .county)
            )
        }
        try forbidden { try officer.addUser(User(name: "someone", role: .admin, displayName: "S"), reach: nil) }
    }

    @Test func officerCanImport() throws {
        let officer = try fixture.acting(as: "officer", role: .officer)
        let outcome = try fixture.importFile(try fixture.file(csvText([ImportRow(3).line()])), as: officer)
        #expect(outcome.summary.imported == 1)
        let entry = try #require(try fixture.dossier.auditLog(limit: 1_000_000).last)
        #expect(entry.action == "person.import")
        #expect(entry.actor == "officer")
    }

    @Test func viewerCannotRevealIdentityNumbers() throws {
        let viewer = try fixture.acting(as: "viewer", role: .viewer)
        #expect(!viewer.mayRevealIdentity)
        try forbidden { _ = try viewer.person(fixture.onFileID, on: today, reveal: true) }
        try forbidden { _ = try viewer.people(on: today, reveal: true) }
        try forbidden { _ = try viewer.findPerson(idNumber: ServiceFixture.onFile.value, on: today, reveal: true) }
    }

    @Test func viewerSeesMaskedIdentityAndPhoneNumbers() throws {
        let viewer = try fixture.acting(as: "viewer", role: .viewer)
        let input = personInput(3)
        let id = try fixture.dossier.addPerson(input, today: today)
        let shown = try viewer.person(id, on: today)
        #expect(shown.idNumber == String(input.idNumber.prefix(6)) + String(repeating: "*", count: 12))
        #expect(shown.idNumber.count == 18)
        #expect(shown.phone == "138****8000")
        let listed = try #require(try viewer.people(on: today, limit: 1_000).first { $0.id == id })
        #expect(listed.idNumber == shown.idNumber)
        #expect(try viewer.findPerson(idNumber: input.idNumber, on: today).id == id)
    }

    @Test func adminAndOfficerMayRevealIdentityNumbers() throws {
        let officer = try fixture.acting(as: "officer", role: .officer)
        #expect(
            try fixture.dossier.person(fixture.onFileID, on: today, reveal: true).idNumber
                == ServiceFixture.onFile.value
        )
        #expect(try officer.person(fixture.onFileID, on: today, reveal: true).idNumber == ServiceFixture.onFile.value)
        #expect(try officer.person(fixture.onFileID, on: today).idNumber == ServiceFixture.onFile.masked)
    }

    @Test(arguments: [
        (Role.admin, true), (.officer, true), (.inspector, true), (.viewer, false), (.statistician, false),
        (.approver, false),
    ])
    func onlyThoseWhoReceiveOrInspectPackagesMayHaveTheNodeCheckOne(role: Role, may: Bool) throws {
        let user = try fixture.acting(as: "user-\(role.rawValue)", role: role)
        if may {
            try user.requireMayVerifyPackages()
        } else {
            try forbidden { try user.requireMayVerifyPackages() }
        }
    }

    @Test func aDocumentIsRefusedBeforeItsFileIsReceivedWhenTheUserMayNotAddIt() throws {
        let viewer = try fixture.acting(as: "viewer", role: .viewer)
        try forbidden { try viewer.checkDocumentIntake(personID: fixture.onFileID) }
        // An officer limited to the hospital cannot reach the person in the finance department.
        let officer = try fixture.acting(
            as: "hospital-officer",
            role: .officer,
            reach: .organization(ServiceFixture.hospital)
        )
        let error = #expect(throws: ServiceError.self) { try officer.checkDocumentIntake(personID: fixture.onFileID) }
        #expect(error?.kind == .notFound)
    }

    @Test func unknownUserCannotAct() throws {
        let error = #expect(throws: ServiceError.self) { try Dossier.acting(on: fixture.store, as: "nobody") }
        #expect(error?.kind == .forbidden)
    }
}
