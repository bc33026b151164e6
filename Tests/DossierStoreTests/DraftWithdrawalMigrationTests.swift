import DossierCore
import GRDB
import Testing

@testable import DossierStore

/// Migration v22 rebuilds `action_draft` to allow a fourth state, `withdrawn`: the drafts on file
/// come through unchanged, the records that point at them still do, and maker-checker still
/// holds in the schema itself (only a withdrawal is decided by its drafter).
@Suite struct DraftWithdrawalMigrationTests {
    @Test func draftsOnFileComeThroughAndOnlyTheirDrafterMayWithdrawThem() throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: "v21-sign-in-unlocks")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO app_user(name, role, display_name, created_at) VALUES
                        ('admin', 'admin', 'A', 'x'), ('officer', 'officer', 'O', 'x'), ('approver', 'approver', 'P', 'x');
                    INSERT INTO person(id, id_number_sealed, id_number_index, name, sex, birth_date, ethnicity,
                                       education, political_status)
                        VALUES (1, x'00', randomblob(16), '张三', '1', '1985-06-15', '01', '20', '13');
                    INSERT INTO action_draft(id, person_id, kind, effective_on, note, drafted_by, drafted_at, state,
                                             decided_by, decided_at, reason)
                        VALUES (1, 1, 'resign', '2025-01-01', '本人申请', 'officer', 'x', 'draft', NULL, NULL, NULL),
                               (2, 1, 'resign', '2025-02-01', '', 'officer', 'x', 'rejected', 'approver', 'y', '材料不全');
                    INSERT INTO transfer_order(draft_id, to_agency, reason) VALUES (1, '11390000D00000502B', '转任');
                    """
            )
        }
        let before = try queue.read { db in try Row.fetchAll(db, sql: "SELECT * FROM action_draft ORDER BY id") }
        try Migrations.migrator.migrate(queue)
        try queue.write { db in
            #expect(try Row.fetchAll(db, sql: "SELECT * FROM action_draft ORDER BY id") == before)
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM transfer_order WHERE draft_id = 1") == 1)

            // Someone else may not record a withdrawal; the drafter may not approve or reject.
            for (state, by) in [("withdrawn", "approver"), ("approved", "officer"), ("rejected", "officer")] {
                #expect(throws: DatabaseError.self, "\(state) by \(by)") {
                    try db.execute(
                        sql:
                            "UPDATE action_draft SET state = ?, decided_by = ?, decided_at = 'z', reason = 'r' WHERE id = 1",
                        arguments: [state, by]
                    )
                }
            }
            try db.execute(
                sql: """
                    UPDATE action_draft SET state = 'withdrawn', decided_by = 'officer', decided_at = 'z', reason = '重复'
                    WHERE id = 1
                    """
            )
            #expect(try String.fetchOne(db, sql: "SELECT state FROM action_draft WHERE id = 1") == "withdrawn")
        }
    }
}
