import DossierCore
import GRDB
import Testing

@testable import DossierStore

/// Migration v9 gives actions recorded before it the fields they stated, so a later re-fold of
/// an old timeline does not read a shown value as stated.
@Suite struct StatedFieldsMigrationTests {
    @Test func actionsRecordedBeforeV9GetTheFieldsTheirKindAndTheirChangesState() throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: "v8-credentials")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO app_user(name, role, display_name, created_at) VALUES ('admin', 'admin', 'A', 'x');
                    INSERT INTO organization(id, code, name, kind, level, created_at) VALUES
                        (1, '113900000000000001', '甲局', 'organ', 'province', 'x'),
                        (2, '113900000000000002', '乙局', 'organ', 'province', 'x');
                    INSERT INTO person(id, id_number_sealed, id_number_index, name, sex, birth_date, ethnicity,
                                       education, political_status)
                        VALUES (1, x'00', randomblob(16), '张三', '1', '1985-06-15', '01', '20', '13');
                    """
            )
            // As the engine recorded them before v9: each row shows the placement it led to.
            let rows: [(Int, String, String, Int, String, String?, String?, String)] = [
                (1, "hire", "2020-01-01", 1, "admin", "L2-clerk", nil, "active"),
                (2, "promote", "2021-01-01", 1, "admin", "L1-clerk", nil, "active"),
                (3, "appoint", "2021-06-01", 1, "admin", "L1-clerk", "section-deputy", "active"),
                // A reassignment that stated only the category still shows the post held.
                (4, "reassign", "2022-01-01", 1, "legal", "L1-clerk", "section-deputy", "active"),
                (5, "transfer-out", "2023-01-01", 1, "legal", "L1-clerk", nil, "transferred-out"),
                // A transfer that stated no rank shows the rank held.
                (6, "transfer-in", "2023-01-01", 2, "admin", "L1-clerk", nil, "active"),
                (7, "reassign", "2024-01-01", 2, "admin", "L1-clerk", "section-head", "active"),
            ]
            for (id, kind, date, org, category, rank, post, status) in rows {
                try db.execute(
                    sql: """
                        INSERT INTO personnel_action(id, person_id, kind, effective_on, org_id, category, rank, post,
                                                     status, recorded_at, recorded_by)
                        VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, 'x', 'admin')
                        """,
                    arguments: [id, kind, date, org, category, rank, post, status]
                )
            }
        }
        try Migrations.migrator.migrate(queue)
        let stated = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT id, stated FROM personnel_action ORDER BY id").map {
                ($0["id"] as Int, $0["stated"] as String?)
            }
        }
        #expect(stated.map(\.0) == [1, 2, 3, 4, 5, 6, 7])
        #expect(
            stated.map(\.1) == [nil, "rank", "post", "category", "", "org,category", "post"],
            "\(stated)"
        )
        // The rows themselves are as they were, and still may not be edited.
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE personnel_action SET stated = NULL WHERE id = 2") }
        }
    }
}
