import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

/// Hires inside one write transaction (`HireBatch`, what a bulk import and a single hire both
/// go through): it commits only with an audit record, sees its own earlier hires, and reports
/// every problem of a row.
@Suite struct HireBatchTests {
    let fixture: ServiceFixture
    /// The node acting as the administrator.
    let admin: Dossier

    init() async throws {
        fixture = try await ServiceFixture()
        admin = fixture.dossier
    }

    @Test func batchReturningNoAuditRollsEverythingBack() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        let filed = try fixture.store.personCount()
        let before = try await ActionSnapshot(fixture)
        let hired = try await admin.withHireBatch { batch -> (result: Int, audit: BatchAudit) in
            var id: Int64?
            for number in 2...4 {
                let problems = try batch.hire(newPerson(number, org: org, on: "2024-02-01"), personID: &id)
                #expect(problems.isEmpty)
                #expect(id != nil)
            }
            return (batch.hired, nil)
        }
        #expect(hired == 3)
        #expect(try fixture.store.personCount() == filed)
        await #expect(try ActionSnapshot(fixture).differences(from: before).isEmpty)
    }

    @Test func batchThatThrowsRollsEverythingBack() async throws {
        struct Abort: Error {}
        let org = try await fixture.addBureau(1, approved: 5)
        let before = try await ActionSnapshot(fixture)
        await #expect(throws: Abort.self) {
            try await admin.withHireBatch { batch -> (result: Void, audit: BatchAudit) in
                var id: Int64?
                try batch.hire(newPerson(1, org: org, on: "2024-02-01"), personID: &id)
                throw Abort()
            }
        }
        await #expect(try ActionSnapshot(fixture).differences(from: before).isEmpty)
    }

    @Test func committedBatchAppendsOneAuditEntryAndCountsEarlierRows() async throws {
        let org = try await fixture.addBureau(1, approved: 2)
        let filed = try fixture.store.personCount()
        let auditBefore = try fixture.store.auditEntries(limit: 1_000_000).count
        let outcome = try await admin.withHireBatch { batch -> (result: [[HireProblem]], audit: BatchAudit) in
            var id: Int64?
            var problems: [[HireProblem]] = []
            for person in [
                newPerson(1, org: org, on: "2024-02-01"),
                newPerson(1, org: org, on: "2024-02-01"),
                newPerson(2, org: org, on: "2024-03-01"),
                newPerson(3, org: org, on: "2024-04-01"),
                newPerson(4, org: bureauCode(9), on: "2024-04-01"),
            ] {
                problems.append(try batch.hire(person, personID: &id))
            }
            #expect(batch.hired == 2)
            #expect(batch.firstPersonID != nil && batch.lastPersonID != nil)
            #expect(batch.firstPersonID! < batch.lastPersonID!)
            return (problems, ("person.import", "org:\(org)", ["rows": "5"]))
        }
        #expect(outcome.map(\.isEmpty) == [true, false, true, false, false])
        // The same identity number twice in one input is reported as such, not as "already on file".
        #expect(outcome[1].map(\.column) == ["id_number"])
        #expect(outcome[1].first?.error.isDuplicateIdentityNumber == false)
        #expect(outcome[1].first?.description.contains("earlier row") == true)
        // The third hire sees the two made earlier in the same batch.
        #expect(outcome[3].map(\.column) == ["category"])
        #expect(outcome[3].first?.error.isQuotaRefusal == true)
        #expect(outcome[4].map(\.column) == ["org_code"])
        #expect(try fixture.store.personCount() == filed + 2)
        await #expect(try fixture.occupancy(org, .category(.administrative), on: day("2024-03-01"))?.occupied == 2)
        let entries = try fixture.store.auditEntries(limit: 1_000_000)
        #expect(entries.count == auditBefore + 1)
        #expect(entries.last?.action == "person.import")
        #expect(try fixture.store.verifyAudit().isIntact)
    }

    @Test func batchReportsEveryProblemOfARow() async throws {
        let org = try await fixture.addBureau(1, approved: 1)
        _ = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        let problems = try await admin.withHireBatch { batch -> (result: [HireProblem], audit: BatchAudit) in
            var id: Int64?
            let problems = try batch.hire(newPerson(1, org: org, post: .sectionHead, on: "2024-02-01"), personID: &id)
            #expect(id == nil)
            return (problems, nil)
        }
        #expect(problems.map(\.column) == ["category", "post", "id_number"])
        #expect(problems.last?.error.isDuplicateIdentityNumber == true)
    }

    /// Rehires go through the timeline engine, which counts everyone already in post: of two
    /// rehires into the last free slot, the second is refused.
    @Test func secondRehireIntoTheLastSlotIsRefused() async throws {
        let org = try await fixture.addBureau(1, approved: 2)
        let a = try await admin.hire(newPerson(1, org: org, on: "2024-01-01"))
        let b = try await admin.hire(newPerson(2, org: org, on: "2024-01-01"))
        try await admin.recordExit(personID: a, kind: .resign, on: day("2024-03-01"))
        try await admin.recordExit(personID: b, kind: .resign, on: day("2024-03-01"))
        _ = try await admin.hire(newPerson(3, org: org, on: "2024-03-01"))
        // One slot is free from 2024-03-01.
        try await admin.recordRehire(personID: a, terms: rehireTerms(org: org, on: "2024-04-01"))
        let refused = try await fixture.refusedWrite {
            try await admin.recordRehire(personID: b, terms: rehireTerms(org: org, on: "2024-04-01"))
        }
        #expect(refused?.isQuotaRefusal == true)
    }

    @Test func batchByAnUnknownActorIsRefused() async throws {
        let auditBefore = try fixture.store.auditEntries(limit: 1_000_000).count
        await #expect(throws: StoreError(.unknownUser("nobody"))) {
            try await fixture.rules(as: "nobody").withHireBatch { _ -> (result: Int, audit: BatchAudit) in
                (0, ("x", "y", [:]))
            }
        }
        #expect(try fixture.store.auditEntries(limit: 1_000_000).count == auditBefore)
    }
}
