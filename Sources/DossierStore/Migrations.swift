internal import GRDB

/// The schema, as named migrations in plain SQL. A landed migration is never edited: a change is
/// a new migration appended to the list.
///
/// The invariants live in the schema too (not null, checks, unique and foreign keys), so a bug in
/// the code above cannot store a state the domain forbids.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-foundation") { db in
            for statement in foundation { try db.execute(sql: statement) }
        }
        return migrator
    }

    private static let categories = "'admin','legal','pscs','inst-full','inst-partial','inst-self','service'"
    private static let posts = """
        'state-head','state-deputy','province-head','province-deputy','bureau-head','bureau-deputy',\
        'division-head','division-deputy','section-head','section-deputy'
        """
    private static let ranks = """
        'L1-inspector','L2-inspector','L1-researcher','L2-researcher','L3-researcher','L4-researcher',\
        'L1-principal','L2-principal','L3-principal','L4-principal','L1-clerk','L2-clerk'
        """
    private static let statuses = """
        'probation','active','unpaid-leave','awol','leaving','transferred-out','resigned','dismissed','expelled','retired'
        """
    private static let occupying = "'probation','active','unpaid-leave','awol','leaving'"
    private static func isDate(_ column: String) -> String {
        "\(column) GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'"
    }

    static let foundation: [String] = [
        """
        CREATE TABLE dossier_meta (
            key TEXT PRIMARY KEY NOT NULL,
            value TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE app_user (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'),
            role TEXT NOT NULL CHECK (role IN ('admin','officer','approver','viewer','statistician','inspector')),
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE organization (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(code) = 18),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL CHECK (kind IN ('organ','pscs-institution','institution')),
            level TEXT NOT NULL CHECK (level IN ('central','province','sub-province','prefecture','county','township')),
            parent_id INTEGER REFERENCES organization(id) ON DELETE RESTRICT,
            created_at TEXT NOT NULL,
            CHECK (parent_id IS NULL OR parent_id <> id)
        ) STRICT
        """,
        "CREATE INDEX organization_parent ON organization(parent_id)",
        """
        CREATE TABLE establishment_quota (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            category TEXT NOT NULL CHECK (category IN (\(categories))),
            approved INTEGER NOT NULL CHECK (approved >= 0),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL REFERENCES app_user(name)
        ) STRICT
        """,
        "CREATE INDEX establishment_quota_lookup ON establishment_quota(org_id, category, effective_on)",
        """
        CREATE TABLE leadership_quota (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            post TEXT NOT NULL CHECK (post IN (\(posts))),
            approved INTEGER NOT NULL CHECK (approved >= 0),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL REFERENCES app_user(name)
        ) STRICT
        """,
        "CREATE INDEX leadership_quota_lookup ON leadership_quota(org_id, post, effective_on)",
        // The real-name file. Identity and phone numbers are sealed (AES-256-GCM) and the identity
        // number has a keyed blind index for look-up and uniqueness: the file alone reveals neither.
        """
        CREATE TABLE person (
            id INTEGER PRIMARY KEY,
            id_number_sealed BLOB NOT NULL,
            id_number_index BLOB NOT NULL UNIQUE CHECK (length(id_number_index) = 16),
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 50),
            sex TEXT NOT NULL CHECK (sex IN ('1','2')),
            birth_date TEXT NOT NULL CHECK (\(isDate("birth_date"))),
            ethnicity TEXT NOT NULL CHECK (length(ethnicity) = 2),
            education TEXT NOT NULL CHECK (length(education) = 2),
            political_status TEXT NOT NULL CHECK (length(political_status) = 2),
            phone_sealed BLOB,
            created_at TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE action_kind (
            code TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL
        ) STRICT
        """,
        """
        INSERT INTO action_kind(code, name) VALUES
            ('hire','录用'), ('rehire','再入职'), ('transfer-out','调出'), ('resign','辞职'), ('retire','退休')
        """,
        // The timeline: one row per personnel action, never updated or deleted.
        """
        CREATE TABLE personnel_action (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL REFERENCES action_kind(code),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            category TEXT NOT NULL CHECK (category IN (\(categories))),
            rank TEXT CHECK (rank IN (\(ranks))),
            post TEXT CHECK (post IN (\(posts))),
            status TEXT NOT NULL CHECK (status IN (\(statuses))),
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL REFERENCES app_user(name)
        ) STRICT
        """,
        "CREATE INDEX personnel_action_person ON personnel_action(person_id, effective_on)",
        """
        CREATE TRIGGER personnel_action_append_only_update BEFORE UPDATE ON personnel_action
        BEGIN SELECT RAISE(ABORT, 'personnel actions are never edited: record a correction instead'); END
        """,
        """
        CREATE TRIGGER personnel_action_append_only_delete BEFORE DELETE ON personnel_action
        BEGIN SELECT RAISE(ABORT, 'personnel actions are never deleted: record a cancellation instead'); END
        """,
        // Derived from the timeline, kept in the same transaction: who held which slot over which
        // dates. `valid_until` is exclusive; NULL means still open. Answers every as-of question.
        """
        CREATE TABLE placement (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            action_id INTEGER NOT NULL REFERENCES personnel_action(id) ON DELETE RESTRICT,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            category TEXT NOT NULL CHECK (category IN (\(categories))),
            rank TEXT CHECK (rank IN (\(ranks))),
            post TEXT CHECK (post IN (\(posts))),
            status TEXT NOT NULL CHECK (status IN (\(statuses))),
            occupies INTEGER NOT NULL CHECK (occupies = (status IN (\(occupying)))),
            valid_from TEXT NOT NULL CHECK (\(isDate("valid_from"))),
            valid_until TEXT CHECK (valid_until IS NULL OR (\(isDate("valid_until")) AND valid_until >= valid_from))
        ) STRICT
        """,
        "CREATE UNIQUE INDEX placement_open ON placement(person_id) WHERE valid_until IS NULL",
        "CREATE INDEX placement_person ON placement(person_id, valid_from)",
        "CREATE INDEX placement_slot ON placement(org_id, category, valid_from)",
        "CREATE INDEX placement_post ON placement(org_id, post, valid_from) WHERE post IS NOT NULL",
        // The tamper-evident audit log: each entry's hash covers the previous entry's hash.
        """
        CREATE TABLE audit_entry (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            subject TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
            hash TEXT NOT NULL UNIQUE CHECK (length(hash) = 64)
        ) STRICT
        """,
        """
        CREATE TRIGGER audit_entry_append_only_update BEFORE UPDATE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
        """,
        """
        CREATE TRIGGER audit_entry_append_only_delete BEFORE DELETE ON audit_entry
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END
        """,
    ]
}
