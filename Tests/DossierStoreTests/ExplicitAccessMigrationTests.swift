import DossierCore
import GRDB
import Testing

@testable import DossierStore

/// Migration v10 turns the implicit whole-node reach of users without grants into a grant on
/// record, so an existing node keeps its meaning when "no grant" comes to mean "nothing".
@Suite struct ExplicitAccessMigrationTests {
    @Test func usersWithoutGrantsKeepTheWholeNodeAndScopedUsersKeepTheirScope() throws {
        let queue = try DatabaseQueue()
        try Migrations.migrator.migrate(queue, upTo: "v9-stated-fields")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO app_user(name, role, display_name, created_at) VALUES
                        ('admin', 'admin', 'A', '2020-01-01T00:00:00.000Z'),
                        ('reader', 'viewer', 'R', '2021-01-01T00:00:00.000Z'),
                        ('clerk', 'officer', 'C', '2022-01-01T00:00:00.000Z');
                    INSERT INTO organization(id, code, name, kind, level, created_at) VALUES
                        (1, '113900000000000001', '甲局', 'organ', 'province', 'x');
                    INSERT INTO user_grant(user_name, role, org_id, granted_by, granted_at)
                        VALUES ('clerk', 'officer', 1, 'admin', 'x');
                    """
            )
        }
        try Migrations.migrator.migrate(queue)
        let grants = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT user_name, role, org_id FROM user_grant ORDER BY user_name").map {
                "\($0["user_name"] as String) \($0["role"] as String) \(($0["org_id"] as Int64?).map(String.init) ?? "*")"
            }
        }
        // The viewer had no grant (the whole node, implicitly): now it is on record. The scoped
        // officer keeps exactly their grant; the administrator needs none.
        #expect(grants == ["clerk officer 1", "reader viewer *"])
        try queue.read { db in
            let reader = try #require(try Users.find(db, "reader"))
            #expect(try Users.readableOrganizations(db, reader) == nil)
            let clerk = try #require(try Users.find(db, "clerk"))
            #expect(try Users.readableOrganizations(db, clerk) == [1])
            #expect(reader.disabled == false)
        }
    }
}
