import DossierCore
import DossierStore
import Foundation
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

    @Test func aRejectionsReasonIsRecordedWithNumbersInItMasked() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let id = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        try await admin.addUser(User(name: "maker", role: .officer, displayName: "M"), reach: .wholeNode)
        let maker = try await Dossier.acting(on: fixture.store, as: "maker", policies: fixture.policies)
        let draft = try await maker.draftAction(
            ActionDraftInput(personID: id, kind: .resign, effectiveOn: day("2024-05-01"))
        )
        let number = newPersonResidentID(1).value
        try await admin.reject(draft: draft, reason: "身份证号 \(number) 与档案不符，电话 13912345678")
        let entry = try #require(try await admin.auditLog(action: "action.reject").last)
        #expect(entry.details.contains("身份证号 \(number.prefix(6))************ 与档案不符"), "\(entry.details)")
        #expect(entry.details.contains("电话 ***********"), "\(entry.details)")
        #expect(!entry.details.contains(number))
    }

    @Test func theLogIsFilteredByPersonUserActionAndDayAndReadNewestFirst() async throws {
        let org = try await fixture.addBureau(1, approved: 5)
        let first = try await admin.hire(newPerson(1, org: org, on: "2024-02-01"))
        let second = try await admin.hire(newPerson(2, org: org, on: "2024-02-01"))
        try await admin.recordExit(personID: first, kind: .resign, on: day("2024-03-01"))
        let aboutFirst = try await admin.auditLog(person: first)
        #expect(aboutFirst.map(\.action) == ["person.add", "person.exit"])
        #expect(try await admin.auditLog(person: second).map(\.action) == ["person.add"])
        let people = try await admin.auditLog(action: "person.")
        #expect(Set(people.map(\.action)) == ["person.add", "person.exit"])
        #expect(try await admin.auditLog(action: "person.add").count == people.count - 1)
        #expect(try await admin.auditLog(user: "nobody").isEmpty)

        let all = try await admin.auditLog(limit: 1000)
        let newest = try await admin.auditLog(newestFirst: true, limit: 2)
        #expect(newest.map(\.seq) == all.suffix(2).reversed().map(\.seq))
        let older = try await admin.auditLog(newestFirst: true, cursor: newest.last!.seq, limit: 2)
        #expect(older.map(\.seq) == all.dropLast(2).suffix(2).reversed().map(\.seq))

        // Today (by the machine's zone) holds every entry; the day before holds none.
        let utcNow = try #require(all.last?.at)
        let localDay = try #require(CivilDate(iso: String(AuditText.localTime(utcNow).prefix(10))))
        #expect(try await admin.auditLog(from: localDay, to: localDay, limit: 1000).count == all.count)
        #expect(try await admin.auditLog(to: localDay.adding(days: -1), limit: 1000).isEmpty)
        await #expect(throws: ServiceError.self) {
            try await admin.auditLog(from: localDay, to: localDay.adding(days: -1))
        }
    }
}

@Suite struct AuditTextTests {
    @Test func identityAndPhoneNumbersInFreeTextAreMaskedAndOtherNumbersKept() {
        #expect(AuditText.masked("110105198506150012 错误") == "110105************ 错误")
        #expect(AuditText.masked("11010519850615001X") == "110105************")
        #expect(AuditText.masked("电话13912345678。") == "电话***********。")
        #expect(AuditText.masked("2024年第3号文件，编号 1234567890") == "2024年第3号文件，编号 1234567890")
    }

    @Test func timesAreShownInTheNodesZoneAndDaysStartAtItsMidnight() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        #expect(AuditText.localTime("2026-12-03T16:30:05.123Z", in: shanghai) == "2026-12-04 00:30:05 +08:00")
        #expect(AuditText.startOfDay(CivilDate(iso: "2026-12-04")!, in: shanghai) == "2026-12-03T16:00:00.000Z")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(AuditText.localTime("2026-12-04T03:00:00.000Z", in: newYork) == "2026-12-03 22:00:00 -05:00")
        #expect(AuditText.localTime("not a time") == "not a time")
    }
}
