import DossierCore
import DossierTestSupport
internal import GRDB
import Testing

@testable import DossierStore

/// The code tables exist twice: as Swift values (for validation and display) and as rows in the
/// schema (so the database refuses unknown codes). These tests keep the two identical.
@Suite struct CodeTableConsistencyTests {
    private func rows(_ table: String) async throws -> [String: String] {
        let store = try makeStore()
        return try store.read { db in
            var result: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT code, name FROM \(table)") {
                result[row["code"]] = row["name"]
            }
            return result
        }
    }

    private func swiftTable<T: CodedValue>(_ type: T.Type) -> [String: String] {
        Dictionary(uniqueKeysWithValues: T.allCases.map { ($0.code, $0.chineseName) })
    }

    @Test func establishmentCategoriesMatch() async throws {
        await #expect(try rows("code_category") == swiftTable(EstablishmentCategory.self))
    }

    /// The ranks are policy data: a fresh database knows every rank of the shipped ladder.
    @Test func ranksMatchTheShippedLadder() async throws {
        let shipped = Dictionary(uniqueKeysWithValues: RankLadder.shipped.steps.map { ($0.rank.code, $0.name) })
        await #expect(try rows("code_rank") == shipped)
    }

    @Test func leadershipPostsMatch() async throws {
        await #expect(try rows("code_post") == swiftTable(LeadershipPost.self))
    }

    @Test func statusesMatchIncludingWhichOccupyASlot() async throws {
        await #expect(try rows("code_status") == swiftTable(PersonStatus.self))
        let store = try makeStore()
        let occupying = try store.read { db in
            try Set(String.fetchAll(db, sql: "SELECT code FROM code_status WHERE occupies = 1"))
        }
        #expect(occupying == Set(PersonStatus.allCases.filter(\.occupiesSlot).map(\.code)))
    }

    @Test func organisationKindsAndLevelsMatch() async throws {
        await #expect(try rows("code_org_kind") == swiftTable(OrgKind.self))
        await #expect(try rows("code_org_level") == swiftTable(OrgLevel.self))
    }

    @Test func ethnicityEducationAndPoliticalStatusMatch() async throws {
        await #expect(try rows("code_ethnicity") == swiftTable(Ethnicity.self))
        await #expect(try rows("code_education") == swiftTable(Education.self))
        await #expect(try rows("code_political_status") == swiftTable(PoliticalStatus.self))
    }

    @Test func rolesAndActionKindsMatch() async throws {
        await #expect(try Set(rows("code_role").keys) == Set(Role.allCases.map(\.rawValue)))
        await #expect(
            try rows("action_kind")
                == Dictionary(uniqueKeysWithValues: ActionKind.allCases.map { ($0.rawValue, $0.chineseName) })
        )
    }
}
