import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

/// Every hire goes through one writer of placements: filed by import, one by one, or drafted and
/// approved, the same hire leaves the same action and placement rows.
@Suite struct OneWriterTests {
    /// What a person's stored timeline holds, leaving out what differs by design: file and
    /// action numbers, and who recorded it when.
    private struct StoredTimeline: Equatable {
        var actions: [ActionRecord]
        var placements: [TimelineFold.Interval]
    }

    private func stored(_ fixture: ServiceFixture, _ personID: Int64) throws -> StoredTimeline {
        try fixture.store.write(bulk: false) { tx in
            let recorded = try tx.recordedActions(of: personID)
            var actions = try recorded.map { try #require(try tx.actionRecord($0.id)) }
            for index in actions.indices { actions[index].personID = 0 }
            var placements = try tx.placements(of: personID)
            // Each placement names the action that opened it: by its place in the timeline.
            for index in placements.indices {
                placements[index].actionID = Int64(recorded.firstIndex { $0.id == placements[index].actionID } ?? -1)
            }
            return .rollBack(StoredTimeline(actions: actions, placements: placements))
        }
    }

    @Test func aHireByImportAndTheSameHireByApprovalLeaveIdenticalRows() async throws {
        let fixture = try await ServiceFixture()
        var row = ImportRow(41, org: ServiceFixture.finance, hiredOn: "2024-03-01")
        row["rank"] = "L1-clerk"
        let imported = try await fixture.importFile(try fixture.file(csvText([row.line()])))
        #expect(imported.problems.isEmpty)
        let importedID = try await #require(try fixture.dossier.findPerson(idNumber: residentID(41).value).id)

        let officer = try await fixture.acting(as: "officer", role: .officer)
        let approver = try await fixture.acting(as: "approver", role: .approver)
        var input = personInput(42, org: ServiceFixture.finance)
        input.rank = "L1-clerk"
        input.status = "active"
        input.hiredOn = "2024-03-01"
        let (approvedID, draft) = try await officer.addPersonForApproval(input, today: today)
        try await approver.approve(draft: draft)

        let byImport = try stored(fixture, importedID)
        let byApproval = try stored(fixture, approvedID)
        #expect(byImport.actions.count == 1)
        #expect(byImport.actions.first?.stated.text == "org,category,rank,status")
        #expect(byImport.placements.count == 1)
        #expect(byImport == byApproval)

        // And one by one, through the form.
        var single = personInput(43, org: ServiceFixture.finance)
        single.rank = "L1-clerk"
        single.status = "active"
        single.hiredOn = "2024-03-01"
        let singleID = try await fixture.dossier.addPerson(single, today: today)
        #expect(try stored(fixture, singleID) == byApproval)
    }
}
