import DossierCore
import DossierService
import DossierStorage
import Testing

@testable import DossierStore

@Suite struct HireBatchTests {
    @Test func batchReturningNoAuditRollsEverythingBack() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        let before = try StoreSnapshot(store)
        let hired = try await store.withHireBatch(actor: admin) { batch -> (result: Int, audit: BatchAudit) in
            var id: Int64?
            for number in 2...4 {
                let problems = try batch.hire(newPerson(number, org: org, on: "2024-02-01"), personID: &id)
                #expect(problems.isEmpty)
                #expect(id != nil)
            }
            return (batch.hired, nil)
        }
        #expect(hired == 3)
        #expect(try store.personCount() == 1)
        #expect(try StoreSnapshot(store).differences(from: before).isEmpty)
    }

    @Test func batchThatThrowsRollsEverythingBack() async throws {
        struct Abort: Error {}
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let before = try StoreSnapshot(store)
        await #expect(throws: Abort.self) {
            try await store.withHireBatch(actor: admin) { batch -> (result: Void, audit: BatchAudit) in
                var id: Int64?
                try batch.hire(newPerson(1, org: org, on: "2024-02-01"), personID: &id)
                throw Abort()
            }
        }
        #expect(try StoreSnapshot(store).differences(from: before).isEmpty)
    }

    @Test func committedBatchAppendsOneAuditEntryAndCountsEarlierRows() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 2)
        let auditBefore = try store.auditEntries().count
        let outcome = try await store.withHireBatch(actor: admin) {
            batch -> (result: [[HireProblem]], audit: BatchAudit) in
            var id: Int64?
            var problems: [[HireProblem]] = []
            for person in [
                newPerson(1, org: org, on: "2024-02-01"),
                newPerson(1, org: org, on: "2024-02-01"),
                newPerson(2, org: org, on: "2024-03-01"),
                newPerson(3, org: org, on: "2024-04-01"),
                newPerson(4, org: orgCode(9), on: "2024-04-01"),
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
        #expect(try store.personCount() == 2)
        #expect(try occupancy(store, org, .category(.administrative), on: "2024-03-01")?.occupied == 2)
        let entries = try store.auditEntries()
        #expect(entries.count == auditBefore + 1)
        #expect(entries.last?.action == "person.import")
        #expect(try store.verifyAudit().isIntact)
    }

    @Test func batchReportsEveryProblemOfARow() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 1)
        _ = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        let problems = try await store.withHireBatch(actor: admin) {
            batch -> (result: [HireProblem], audit: BatchAudit) in
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
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 2)
        let a = try await store.addPerson(newPerson(1, org: org, on: "2024-01-01"), actor: admin)
        let b = try await store.addPerson(newPerson(2, org: org, on: "2024-01-01"), actor: admin)
        try await store.exit(personID: a, kind: .resign, on: day("2024-03-01"), actor: admin, machine: machine)
        try await store.exit(personID: b, kind: .resign, on: day("2024-03-01"), actor: admin, machine: machine)
        _ = try await store.addPerson(newPerson(3, org: org, on: "2024-03-01"), actor: admin)
        // One slot is free from 2024-03-01.
        try await store.rehire(personID: a, terms: terms(org: org, on: "2024-04-01"), actor: admin, machine: machine)
        let refused = try await refusal(of: store) {
            try await store.rehire(
                personID: b,
                terms: terms(org: org, on: "2024-04-01"),
                actor: admin,
                machine: machine
            )
        }
        #expect(refused?.isQuotaRefusal == true)
    }

    @Test func batchByAnUnknownActorIsRefused() async throws {
        let store = try await makeStore()
        await #expect(throws: StoreError(.unknownUser("nobody"))) {
            try await store.withHireBatch(actor: "nobody") { _ -> (result: Int, audit: BatchAudit) in
                (0, ("x", "y", [:]))
            }
        }
        #expect(try store.auditEntries().count == 1)
    }
}
