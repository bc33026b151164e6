import DossierCore
import DossierCrypto
import Testing

@testable import DossierStore

@Suite struct AuditStoreTests {
    @Test func chainVerifiesAndTheHeadIsTheLastEntry() async throws {
        let store = try makeStore()
        let org = try addOrganization(store, 1, approved: 3)
        for number in 1...3 {
            _ = try store.seedHire(newPerson(number, org: org, on: "2024-02-01"), by: admin)
        }
        let entries = try store.auditEntries()
        let head = try #require(try store.auditHead())
        #expect(head == entries.last)
        let verification = try store.verifyAudit()
        #expect(verification.isIntact)
        #expect(verification.firstBroken == nil && verification.problem == nil)
        #expect(verification.checked == Int64(entries.count))
        #expect(verification.headSeq == head.seq)
        #expect(verification.headHash == head.hash)
        // Each entry links to the one before it.
        #expect(entries.first?.previousHash == String(repeating: "0", count: 64))
        for (previous, entry) in zip(entries, entries.dropFirst()) {
            #expect(entry.previousHash == previous.hash)
        }
        #expect(Set(entries.map(\.hash)).count == entries.count)
    }

    @Test func entryHashCoversEveryField() async throws {
        let store = try makeStore()
        try addOrganization(store, 1)
        let entry = try #require(try store.auditHead())
        func hash(
            seq: Int64? = nil,
            at: String? = nil,
            actor: String? = nil,
            action: String? = nil,
            subject: String? = nil,
            details: String? = nil,
            previous: String? = nil
        ) -> String {
            AuditLog.entryHash(
                seq: seq ?? entry.seq,
                at: at ?? entry.at,
                actor: actor ?? entry.actor,
                action: action ?? entry.action,
                subject: subject ?? entry.subject,
                details: details ?? entry.details,
                previous: previous ?? entry.previousHash
            )
        }
        #expect(hash() == entry.hash)
        let altered = [
            hash(seq: entry.seq + 1), hash(at: entry.at + " "), hash(actor: "mallory"), hash(action: "org.remove"),
            hash(subject: "org:x"), hash(details: "{}"), hash(previous: String(repeating: "f", count: 64)),
        ]
        #expect(altered.allSatisfy { $0 != entry.hash })
    }

    @Test func auditEntriesPageInSequenceOrder() async throws {
        let store = try makeStore()
        for number in 1...5 {
            try addOrganization(store, number)
        }
        let all = try store.auditEntries()
        #expect(all.count == 6)
        #expect(try store.auditEntries(after: 2, limit: 2).map(\.seq) == [3, 4])
        #expect(try store.auditEntries(after: 6).isEmpty)
    }
}
