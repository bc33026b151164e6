import DossierCore
import DossierStorage
import GRDB
import Testing

@testable import DossierStore

/// The schema of received history and action details: what it refuses by itself.
@Suite struct ReceivedHistoryStoreTests {
    private struct Grade: ActionDetails, Equatable {
        static let schema = "assessment.grade"
        var year: Int
        var grade: String
    }

    @Test func detailsReadBackAsWrittenAndAreNeverEdited() async throws {
        let store = try makeStore()
        let org = try addOrganization(store, 1, approved: 5)
        let person = try store.seedHire(newPerson(1, org: org, on: "2024-02-01"), by: admin)
        let action = try store.write { tx in try #require(try tx.recordedActions(of: person).first).id }
        try store.write { tx in try tx.insertDetails(Grade(year: 2025, grade: "优秀"), of: action) }
        #expect(try store.write { tx in try tx.details(Grade.self, of: action) } == Grade(year: 2025, grade: "优秀"))
        // Once per action and schema; never edited or removed.
        #expect(throws: (any Error).self) {
            try store.write { tx in try tx.insertDetails(Grade(year: 2026, grade: "称职"), of: action) }
        }
        #expect(throws: (any Error).self) {
            try store.transaction { db in try db.execute(sql: "UPDATE action_detail SET body = '{}'") }
        }
        #expect(throws: (any Error).self) {
            try store.transaction { db in try db.execute(sql: "DELETE FROM action_detail") }
        }
        #expect(try store.write { tx in try tx.details(Grade.self, of: action) }?.grade == "优秀")
    }

    @Test func aDetailThatIsNotAJSONObjectIsRefusedByTheSchema() async throws {
        let store = try makeStore()
        let org = try addOrganization(store, 1, approved: 5)
        let person = try store.seedHire(newPerson(1, org: org, on: "2024-02-01"), by: admin)
        let action = try store.write { tx in try #require(try tx.recordedActions(of: person).first).id }
        for body in ["not json", "[1, 2]", "\"text\""] {
            #expect(throws: (any Error).self, "\(body)") {
                try store.transaction { db in
                    try db.execute(
                        sql: "INSERT INTO action_detail(action_id, schema, body) VALUES (?, 'x', ?)",
                        arguments: [action, body]
                    )
                }
            }
        }
    }

    @Test func receivedActionsAreNeverEditedOrRemoved() async throws {
        let store = try makeStore()
        let org = try addOrganization(store, 1, approved: 5)
        let person = try store.seedHire(newPerson(1, org: org, on: "2024-02-01"), by: admin)
        let action = ReceivedAction(
            originAgency: orgCode(7),
            originActionID: 1,
            kind: .hire,
            effectiveOn: day("2019-01-01"),
            orgCode: orgCode(8),
            orgName: "外单位",
            category: .administrative,
            rank: nil,
            post: nil,
            status: .active,
            stated: [.org, .category, .status],
            recordedAt: "2019-01-01T00:00:00.000Z",
            recordedBy: "someone"
        )
        let id = try store.write { tx in try tx.insertReceived(action, personID: person, by: admin) }
        #expect(id != nil)
        #expect(try store.write { tx in try tx.insertReceived(action, personID: person, by: admin) } == nil)
        for sql in ["UPDATE received_action SET org_name = 'x'", "DELETE FROM received_action"] {
            #expect(throws: (any Error).self, "\(sql)") { try store.transaction { db in try db.execute(sql: sql) } }
        }
        #expect(try store.receivedActions(of: person) == [action])
    }
}
