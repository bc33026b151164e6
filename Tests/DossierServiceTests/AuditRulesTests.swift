import DossierCore
import DossierStore
import Testing

@testable import DossierService

/// What the service writes to the audit chain: one entry for every write, and no identity or
/// phone number in any of them.
@Suite struct AuditRulesTests {
    let fixture: ServiceFixture
    /// The node acting as the administrator.
    let admin: Dossier

    init() async throws {
        fixture = try await ServiceFixture()
        admin = fixture.dossier
    }

    @Test func everyWriteAppendsExactlyOneEntry() async throws {
        let store = fixture.store
        var expected = try store.auditEntries(limit: 1000).count
        func check(_ action: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
            expected += 1
            let entries = try store.auditEntries(limit: 1000)
            #expect(entries.count == expected, sourceLocation: sourceLocation)
            #expect(entries.last?.action == action, sourceLocation: sourceLocation)
            #expect(entries.last?.actor == admin.actor.name, sourceLocation: sourceLocation)
        }
        // The node's first user, who added themselves, opens the chain.
        #expect(try store.auditEntries().first?.action == "user.add")
        try await admin.recordUser(
            User(name: "clerk", role: .officer, displayName: "Clerk"),
            passwordHash: nil,
            reach: nil
        )
        try check("user.add")
        let org = try await fixture.addBureau(1)
        try check("org.add")
        try await admin.recordQuota(
            org: org,
            subject: .category(.administrative),
            approved: 2,
            effectiveOn: day("2024-01-01")
        )
        try check("quota.set")
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        try check("person.add")
        #expect(try store.auditEntries(limit: 1000).last?.subject == "person:\(id)")
        try await admin.recordExit(personID: id, kind: .resign, on: day("2024-03-01"))
        try check("person.exit")
        try await admin.recordRehire(personID: id, terms: rehireTerms(org: org, on: "2024-04-01"))
        try check("person.rehire")
        let entries = try store.auditEntries(limit: 1000)
        #expect(entries.map(\.seq) == Array(1...Int64(entries.count)))
    }

    @Test func auditDetailsNeverHoldIdentityOrPhoneNumbers() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-02-01", phone: "13912345678"))
        try await admin.recordExit(personID: id, kind: .resign, on: day("2024-03-01"))
        try await admin.recordRehire(personID: id, terms: rehireTerms(org: org, on: "2024-04-01"))
        let number = newPersonResidentID(1).value
        for entry in try fixture.store.auditEntries(limit: 1000) {
            let text = [entry.actor, entry.action, entry.subject, entry.details].joined(separator: "|")
            #expect(!text.contains(number))
            #expect(!text.contains(String(number.prefix(17))))
            #expect(!text.contains("13912345678"))
        }
    }
}
