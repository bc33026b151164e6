import DossierCore
import DossierService
import Foundation
import Testing

/// A user limited to some organisations (`grant … --org`) files people there only, by every
/// door: one person, a person drafted for approval, and a bulk import.
@Suite struct FilingScopeTests {
    /// The fixture with an officer limited to the hospital.
    private func hospitalOfficer() async throws -> (ServiceFixture, Dossier) {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(
            as: "hospital-officer",
            role: .officer,
            reach: .organization(ServiceFixture.hospital)
        )
        return (fixture, officer)
    }

    @Test func aScopedOfficerCannotFileAPersonOutsideTheirOrganisationsAndNothingIsWritten() async throws {
        let (fixture, officer) = try await hospitalOfficer()
        let before = try await ServiceSnapshot(fixture.dossier)
        for door in ["file", "file for approval"] {
            do {
                if door == "file" {
                    _ = try await officer.addPerson(personInput(1), today: today)
                } else {
                    _ = try await officer.addPersonForApproval(personInput(1), today: today)
                }
                Issue.record("\(door): a person was filed in 东海省财政厅 by an officer of the hospital")
            } catch let error as ServiceError {
                #expect(error.kind == .notFound, "\(door): \(error)")
            }
        }
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
        // Within their organisation they may.
        let id = try await officer.addPerson(
            personInput(2, org: ServiceFixture.hospital, category: "inst-partial"),
            today: today
        )
        await #expect(try fixture.dossier.person(id, on: today).org == ServiceFixture.hospital)
    }

    @Test func aScopedOfficersImportWithARowOutsideTheirOrganisationsIsRefusedWhole() async throws {
        let (fixture, officer) = try await hospitalOfficer()
        let before = try await ServiceSnapshot(fixture.dossier)
        let text = csvText([
            ImportRow(1, org: ServiceFixture.hospital, category: "inst-partial").line(),
            ImportRow(2).line(),
        ])
        let outcome = try await fixture.importFile(try fixture.file(text), as: officer)
        #expect(!outcome.summary.accepted)
        #expect(outcome.problems.map(\.row) == [3])
        #expect(outcome.problems.first?.column == "org_code")
        #expect(outcome.problems.first?.shownValue == ServiceFixture.finance.value)
        await #expect(try ServiceSnapshot(fixture.dossier) == before)

        let inside = csvText([ImportRow(1, org: ServiceFixture.hospital, category: "inst-partial").line()])
        let accepted = try await fixture.importFile(try fixture.file(inside), as: officer)
        #expect(accepted.problems.isEmpty, "\(accepted.problems)")
        #expect(accepted.summary.imported == 1)
    }

    @Test func anOfficerOverTheWholeNodeFilesAnywhere() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "node-officer", role: .officer)
        let text = csvText([
            ImportRow(1, org: ServiceFixture.hospital, category: "inst-partial").line(), ImportRow(2).line(),
        ])
        let outcome = try await fixture.importFile(try fixture.file(text), as: officer)
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.summary.imported == 2)
    }
}
