import DossierStorage
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
        migrator.registerMigration("v2-personnel-actions") { db in
            for statement in personnelActions { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3-rank-quotas") { db in
            for statement in rankQuotas { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4-documents") { db in
            for statement in documents { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v5-package-signatures") { db in
            for statement in packageSignatures { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v6-trusted-keys") { db in
            for statement in trustedKeys { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v7-trusted-roots") { db in
            for statement in trustedRoots { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v8-credentials") { db in
            for statement in credentials { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v9-stated-fields") { db in
            for statement in statedFields { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v10-explicit-access") { db in
            for statement in explicitAccess { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11-received-history") { db in
            for statement in receivedHistory { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v12-feeds") { db in
            for statement in feeds { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v13-reconciliation-cases") { db in
            for statement in reconciliationCases { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v14-assessments-and-sanctions") { db in
            for statement in assessmentsAndSanctions { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v15-failing-grade-cases") { db in
            for statement in failingGradeCases { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v16-final-grades-index") { db in
            // The promotion list reads every final grade in person order: a covering index spares
            // it a sort of the whole table (or a look-up of every row through the unique index).
            try db.execute(
                sql: """
                    CREATE INDEX assessment_final ON assessment(person_id, year, grade, decided_on)
                    WHERE state = 'final'
                    """
            )
        }
        migrator.registerMigration("v17-exchange") { db in
            for statement in exchange { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v18-exchange-look-ups") { db in
            // A receipt finds its transfer by the transfer-in's draft, and a slip number counts
            // the year's transfers sent: without these, both read the whole table.
            try db.execute(
                sql: "CREATE INDEX exchange_incoming_draft ON exchange_incoming(draft_id) WHERE draft_id IS NOT NULL"
            )
            try db.execute(sql: "CREATE INDEX exchange_outgoing_exported ON exchange_outgoing(exported_on)")
        }
        migrator.registerMigration("v19-report-filings") { db in
            for statement in reportFilings { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v20-audit-checkpoints") { db in
            for statement in auditCheckpoints { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v21-sign-in-unlocks") { db in
            for statement in signInUnlocks { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v22-draft-withdrawal") { db in
            for statement in draftWithdrawal { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v23-personal-details") { db in
            for statement in personalDetails { try db.execute(sql: statement) }
        }
        return migrator
    }

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
        // Code tables as rows: columns that hold a code reference them, so the schema refuses an
        // unknown code, and an inspector reading the file sees each code's Chinese name.
        // (Foreign keys rather than CHECK (x IN (...)): SQLite builds a temporary table for every
        // IN list on every insert, which costs more than the insert itself in bulk loads.)
        "CREATE TABLE code_role (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_role(code, name) VALUES ('admin','管理员'), ('officer','人事干部'), ('approver','审批人'),
            ('viewer','查阅人'), ('statistician','统计人员'), ('inspector','检查人员')
        """,
        "CREATE TABLE code_org_kind (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_org_kind(code, name) VALUES ('organ','机关'), ('pscs-institution','参公事业单位'),
            ('institution','事业单位')
        """,
        "CREATE TABLE code_org_level (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_org_level(code, name) VALUES ('central','中央'), ('province','省'), ('sub-province','副省级'),
            ('prefecture','地市'), ('county','县'), ('township','乡')
        """,
        "CREATE TABLE code_category (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_category(code, name) VALUES ('admin','行政编制'), ('legal','政法专项编制'),
            ('pscs','参公事业编制'), ('inst-full','全额事业编制'), ('inst-partial','差额事业编制'),
            ('inst-self','自收自支事业编制'), ('service','工勤编制')
        """,
        "CREATE TABLE code_rank (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_rank(code, name) VALUES ('L1-inspector','一级巡视员'), ('L2-inspector','二级巡视员'),
            ('L1-researcher','一级调研员'), ('L2-researcher','二级调研员'), ('L3-researcher','三级调研员'),
            ('L4-researcher','四级调研员'), ('L1-principal','一级主任科员'), ('L2-principal','二级主任科员'),
            ('L3-principal','三级主任科员'), ('L4-principal','四级主任科员'), ('L1-clerk','一级科员'),
            ('L2-clerk','二级科员')
        """,
        "CREATE TABLE code_post (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_post(code, name) VALUES ('state-head','国家级正职'), ('state-deputy','国家级副职'),
            ('province-head','省部级正职'), ('province-deputy','省部级副职'), ('bureau-head','厅局级正职'),
            ('bureau-deputy','厅局级副职'), ('division-head','县处级正职'), ('division-deputy','县处级副职'),
            ('section-head','乡科级正职'), ('section-deputy','乡科级副职')
        """,
        "CREATE TABLE code_ethnicity (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_ethnicity(code, name) VALUES
            ('01','汉族'), ('02','蒙古族'), ('03','回族'), ('04','藏族'), ('05','维吾尔族'), ('06','苗族'),
            ('07','彝族'), ('08','壮族'), ('09','布依族'), ('10','朝鲜族'), ('11','满族'), ('12','侗族'),
            ('13','瑶族'), ('14','白族'), ('15','土家族'), ('16','哈尼族'), ('17','哈萨克族'), ('18','傣族'),
            ('19','黎族'), ('20','傈僳族'), ('21','佤族'), ('22','畲族'), ('23','高山族'), ('24','拉祜族'),
            ('25','水族'), ('26','东乡族'), ('27','纳西族'), ('28','景颇族'), ('29','柯尔克孜族'), ('30','土族'),
            ('31','达斡尔族'), ('32','仫佬族'), ('33','羌族'), ('34','布朗族'), ('35','撒拉族'), ('36','毛南族'),
            ('37','仡佬族'), ('38','锡伯族'), ('39','阿昌族'), ('40','普米族'), ('41','塔吉克族'), ('42','怒族'),
            ('43','乌孜别克族'), ('44','俄罗斯族'), ('45','鄂温克族'), ('46','德昂族'), ('47','保安族'), ('48','裕固族'),
            ('49','京族'), ('50','塔塔尔族'), ('51','独龙族'), ('52','鄂伦春族'), ('53','赫哲族'), ('54','门巴族'),
            ('55','珞巴族'), ('56','基诺族'), ('97','其他'), ('98','外国血统中国籍人士')
        """,
        "CREATE TABLE code_education (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_education(code, name) VALUES
            ('10','研究生'), ('11','博士研究生'), ('14','硕士研究生'), ('20','大学本科'), ('30','大学专科'), ('40','中等职业教育'),
            ('60','普通高级中学'), ('70','初级中学'), ('80','小学'), ('90','其他')
        """,
        "CREATE TABLE code_political_status (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_political_status(code, name) VALUES
            ('01','中共党员'), ('02','中共预备党员'), ('03','共青团员'), ('04','民革党员'), ('05','民盟盟员'), ('06','民建会员'),
            ('07','民进会员'), ('08','农工党党员'), ('09','致公党党员'), ('10','九三学社社员'), ('11','台盟盟员'), ('12','无党派民主人士'),
            ('13','群众')
        """,
        // `occupies` says whether a person in this status holds an establishment slot.
        """
        CREATE TABLE code_status (
            code TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            occupies INTEGER NOT NULL CHECK (occupies IN (0, 1)),
            UNIQUE (code, occupies)
        ) STRICT, WITHOUT ROWID
        """,
        """
        INSERT INTO code_status(code, name, occupies) VALUES ('probation','试用',1), ('active','在职',1),
            ('unpaid-leave','停薪留职',1), ('awol','自离',1), ('leaving','待离职',1), ('transferred-out','调出',0),
            ('resigned','辞职',0), ('dismissed','辞退',0), ('expelled','开除',0), ('retired','退休',0)
        """,
        """
        CREATE TABLE app_user (
            name TEXT PRIMARY KEY NOT NULL CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'),
            role TEXT NOT NULL REFERENCES code_role(code),
            display_name TEXT NOT NULL,
            created_at TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE organization (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL UNIQUE CHECK (length(code) = 18),
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            kind TEXT NOT NULL REFERENCES code_org_kind(code),
            level TEXT NOT NULL REFERENCES code_org_level(code),
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
            category TEXT NOT NULL REFERENCES code_category(code),
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
            post TEXT NOT NULL REFERENCES code_post(code),
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
            sex TEXT NOT NULL CHECK (sex = '1' OR sex = '2'),
            birth_date TEXT NOT NULL CHECK (\(isDate("birth_date"))),
            ethnicity TEXT NOT NULL REFERENCES code_ethnicity(code),
            education TEXT NOT NULL REFERENCES code_education(code),
            political_status TEXT NOT NULL REFERENCES code_political_status(code),
            phone_sealed BLOB
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
            category TEXT NOT NULL REFERENCES code_category(code),
            rank TEXT REFERENCES code_rank(code),
            post TEXT REFERENCES code_post(code),
            status TEXT NOT NULL REFERENCES code_status(code),
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
        // Stored in person order (the primary key), so a person's history is one range.
        // Its person, organisation and codes are copied from the action it references, which
        // the schema checks; checking them again here would double the bulk-load cost.
        """
        CREATE TABLE placement (
            person_id INTEGER NOT NULL,
            action_id INTEGER NOT NULL REFERENCES personnel_action(id) ON DELETE RESTRICT,
            org_id INTEGER NOT NULL,
            category TEXT NOT NULL,
            rank TEXT,
            post TEXT,
            status TEXT NOT NULL,
            occupies INTEGER NOT NULL,
            valid_from TEXT NOT NULL CHECK (\(isDate("valid_from"))),
            valid_until TEXT CHECK (valid_until IS NULL OR (\(isDate("valid_until")) AND valid_until >= valid_from)),
            FOREIGN KEY (status, occupies) REFERENCES code_status(code, occupies),
            PRIMARY KEY (person_id, valid_from, action_id)
        ) STRICT, WITHOUT ROWID
        """,
        "CREATE UNIQUE INDEX placement_open ON placement(person_id) WHERE valid_until IS NULL",
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

    /// The full action catalogue, corrections and cancellations, maker-checker drafts and
    /// organisation-scoped grants.
    static let personnelActions: [String] = [
        """
        INSERT INTO action_kind(code, name) VALUES
            ('confirm','转正'), ('transfer-in','调入'), ('reassign','转岗'), ('promote','职级晋升'),
            ('demote','职级降低'), ('appoint','任职'), ('remove','免职'), ('unpaid-leave','停薪留职'),
            ('return','复职'), ('awol','自离'), ('give-notice','提出离职'), ('dismiss','辞退'), ('expel','开除'),
            ('correct','更正'), ('cancel','撤销')
        """,
        // A correction or cancellation names the action it amends; the amended row never changes.
        "ALTER TABLE personnel_action ADD COLUMN target_action_id INTEGER REFERENCES personnel_action(id)",
        "CREATE INDEX personnel_action_target ON personnel_action(target_action_id) WHERE target_action_id IS NOT NULL",
        // Drafted by one user, decided by another (the schema itself refuses maker = checker).
        // Drafts hold what the action states; they count against nothing until approved.
        """
        CREATE TABLE action_draft (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL REFERENCES action_kind(code),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            org_id INTEGER REFERENCES organization(id),
            category TEXT REFERENCES code_category(code),
            rank TEXT REFERENCES code_rank(code),
            post TEXT REFERENCES code_post(code),
            status TEXT REFERENCES code_status(code),
            target_action_id INTEGER REFERENCES personnel_action(id),
            note TEXT NOT NULL DEFAULT '',
            drafted_by TEXT NOT NULL REFERENCES app_user(name),
            drafted_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state = 'draft' OR state = 'approved' OR state = 'rejected'),
            decided_by TEXT REFERENCES app_user(name),
            decided_at TEXT,
            reason TEXT,
            action_id INTEGER REFERENCES personnel_action(id),
            CHECK (decided_by IS NULL OR decided_by <> drafted_by),
            CHECK ((state = 'draft') = (decided_by IS NULL)),
            CHECK (state <> 'rejected' OR length(trim(coalesce(reason, ''))) > 0)
        ) STRICT
        """,
        "CREATE INDEX action_draft_state ON action_draft(state, id)",
        "CREATE INDEX action_draft_person ON action_draft(person_id)",
        // What a user may do where: a role over an organisation and everything under it
        // (org_id NULL: the whole node).
        """
        CREATE TABLE user_grant (
            user_name TEXT NOT NULL REFERENCES app_user(name),
            role TEXT NOT NULL REFERENCES code_role(code),
            org_id INTEGER REFERENCES organization(id),
            granted_by TEXT NOT NULL REFERENCES app_user(name),
            granted_at TEXT NOT NULL,
            UNIQUE (user_name, role, org_id)
        ) STRICT
        """,
    ]

    /// 职级职数: approved numbers per organisation and rank band (the bands are policy data).
    static let rankQuotas: [String] = [
        """
        CREATE TABLE rank_quota (
            id INTEGER PRIMARY KEY,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            band TEXT NOT NULL CHECK (length(band) BETWEEN 1 AND 40),
            approved INTEGER NOT NULL CHECK (approved >= 0),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL REFERENCES app_user(name)
        ) STRICT
        """,
        "CREATE INDEX rank_quota_lookup ON rank_quota(org_id, band, effective_on)",
    ]

    /// Archive material: the file itself lives in the content-addressed blob store; the row keeps
    /// its class, title, date, pages, format, size and both digests.
    static let documents: [String] = [
        "CREATE TABLE code_archive_class (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_archive_class(code, name) VALUES ('1','履历类'), ('2','自传和思想类'), ('3','考核鉴定类'),
            ('4-1','学历学位类'), ('4-2','职称类'), ('4-3','学术评鉴类'), ('4-4','教育培训类'),
            ('5','政审、审计和审核类'), ('6','党、团类'), ('7','表彰奖励类'), ('8','违规违纪违法处理处分类'),
            ('9-1','工资类'), ('9-2','任免类'), ('9-3','出国（境）类'), ('9-4','会议代表类'),
            ('10','其他可供组织参考的材料')
        """,
        """
        CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            class TEXT NOT NULL REFERENCES code_archive_class(code),
            title TEXT NOT NULL CHECK (length(trim(title)) BETWEEN 1 AND 200),
            doc_date TEXT NOT NULL CHECK (\(isDate("doc_date"))),
            pages INTEGER CHECK (pages IS NULL OR pages > 0),
            media_type TEXT NOT NULL CHECK (media_type IN ('pdf','ofd','jpeg','png','tiff')),
            size INTEGER NOT NULL CHECK (size > 0),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            sm3 TEXT NOT NULL CHECK (length(sm3) = 64),
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL REFERENCES app_user(name),
            retired_at TEXT,
            retired_by TEXT REFERENCES app_user(name),
            retire_reason TEXT,
            CHECK ((retired_at IS NULL) = (retired_by IS NULL)),
            CHECK (retired_at IS NULL OR length(trim(coalesce(retire_reason, ''))) > 0),
            UNIQUE (person_id, sha256)
        ) STRICT
        """,
        "CREATE INDEX document_person ON document(person_id, class)",
        "CREATE INDEX document_sha256 ON document(sha256)",
    ]

    /// The signature made for each tag manifest: packing the same state again reuses it, so the
    /// package is byte-identical even with SM2 or ECDSA, whose signatures are randomized.
    static let packageSignatures: [String] = [
        """
        CREATE TABLE package_signature (
            tag_manifest_sha256 TEXT NOT NULL CHECK (length(tag_manifest_sha256) = 64),
            key_id TEXT NOT NULL CHECK (length(key_id) = 16),
            signature BLOB NOT NULL,
            signed_at TEXT NOT NULL,
            PRIMARY KEY (tag_manifest_sha256, key_id)
        ) STRICT
        """
    ]

    /// Other agencies' public keys this node trusts, each for a period, until revoked.
    static let trustedKeys: [String] = [
        """
        CREATE TABLE trusted_key (
            key_id TEXT PRIMARY KEY NOT NULL CHECK (length(key_id) = 16),
            agency_code TEXT NOT NULL CHECK (length(agency_code) = 18),
            algorithm TEXT NOT NULL,
            public_pem TEXT NOT NULL,
            valid_from TEXT NOT NULL CHECK (\(isDate("valid_from"))),
            valid_until TEXT CHECK (valid_until IS NULL OR (\(isDate("valid_until")) AND valid_until >= valid_from)),
            added_at TEXT NOT NULL,
            added_by TEXT NOT NULL REFERENCES app_user(name),
            revoked_at TEXT,
            revoked_by TEXT REFERENCES app_user(name),
            revoke_reason TEXT,
            CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
        ) STRICT
        """
    ]

    /// A trust anchor may be a root certificate: it then vouches for every agency key it
    /// certifies. Its key id is that of the root's own key; `subject` is kept for listing.
    static let trustedRoots: [String] = [
        "ALTER TABLE trusted_key ADD COLUMN certificate_pem TEXT",
        "ALTER TABLE trusted_key ADD COLUMN subject TEXT",
    ]

    /// Passwords (bcrypt hashes) and API tokens (SHA-256 of the secret; the secret is shown
    /// once and never stored).
    static let credentials: [String] = [
        """
        CREATE TABLE user_credential (
            user_name TEXT PRIMARY KEY NOT NULL REFERENCES app_user(name),
            password_hash TEXT NOT NULL CHECK (password_hash GLOB '$2[aby]$[0-9][0-9]$*' AND length(password_hash) = 60),
            changed_at TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TABLE api_token (
            id INTEGER PRIMARY KEY,
            user_name TEXT NOT NULL REFERENCES app_user(name),
            token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64 AND token_hash NOT GLOB '*[^0-9a-f]*'),
            label TEXT NOT NULL,
            created_at TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES app_user(name),
            revoked_at TEXT,
            revoked_by TEXT REFERENCES app_user(name),
            CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
        ) STRICT
        """,
    ]

    /// Which values an action stated. An action's row also shows the placement it led to, and a
    /// later re-fold (after a back-dated action, a correction or a cancellation) must not read a
    /// derived value as stated: a reassignment that stated a category would otherwise restate the
    /// post the person held then. NULL: every value in the row was stated (hires, and actions
    /// recorded before this column); otherwise the stated fields, comma-separated, of org,
    /// category, rank, post and status.
    ///
    /// Rows recorded before it get their stated fields from their kind; for a transfer-in or a
    /// reassignment, a value is taken as stated where it differs from the person's placement
    /// before it (the previous action's row), the only way a row could show a changed value.
    /// Filling the new column is no edit of an action, so the append-only trigger is lifted for
    /// this one statement and set again.
    static let statedFields: [String] = [
        """
        ALTER TABLE personnel_action ADD COLUMN stated TEXT
            CHECK (stated IS NULL OR stated NOT GLOB '*[^a-z,]*')
        """,
        "DROP TRIGGER personnel_action_append_only_update",
        """
        UPDATE personnel_action AS a SET stated = (
            WITH before AS (
                SELECT p.category, p.rank, p.post FROM personnel_action p
                WHERE p.person_id = a.person_id AND p.kind NOT IN ('correct', 'cancel')
                  AND (p.effective_on, p.id) < (a.effective_on, a.id)
                ORDER BY p.effective_on DESC, p.id DESC LIMIT 1
            )
            SELECT CASE a.kind
                WHEN 'promote' THEN 'rank'
                WHEN 'demote' THEN 'rank'
                WHEN 'appoint' THEN 'post'
                WHEN 'transfer-in' THEN 'org,category'
                    || CASE WHEN a.rank IS NOT (SELECT rank FROM before) THEN ',rank' ELSE '' END
                    || CASE WHEN a.post IS NOT NULL THEN ',post' ELSE '' END
                WHEN 'reassign' THEN trim(
                    CASE WHEN a.category IS NOT (SELECT category FROM before) THEN 'category' ELSE '' END
                    || CASE WHEN a.post IS NOT NULL AND a.post IS NOT (SELECT post FROM before) THEN ',post' ELSE '' END,
                    ',')
                ELSE ''
            END
        )
        WHERE a.kind NOT IN ('hire', 'rehire', 'correct', 'cancel')
        """,
        """
        CREATE TRIGGER personnel_action_append_only_update BEFORE UPDATE ON personnel_action
        BEGIN SELECT RAISE(ABORT, 'personnel actions are never edited: record a correction instead'); END
        """,
    ]

    /// Access is granted, never assumed, and can be switched off.
    ///
    /// Until now a user with no grant at all reached the whole node in their main role, so
    /// revoking someone's last organisation grant widened their reach to everything. From here a
    /// user reaches only what a grant names (`org_id` NULL: the whole node); users who held no
    /// grant get the node-wide grant they had implicitly, so existing nodes keep their meaning.
    /// `granted_by` is the user themselves: nobody granted it, the migration wrote down what was.
    ///
    /// `disabled_at` switches a user off (no sign-in, no token, no command); `session_epoch` is
    /// raised whenever a user's access changes (disabled, password, role), and a page session
    /// started under an older epoch is over.
    static let explicitAccess: [String] = [
        "ALTER TABLE app_user ADD COLUMN disabled_at TEXT",
        "ALTER TABLE app_user ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0 CHECK (session_epoch >= 0)",
        """
        INSERT INTO user_grant(user_name, role, org_id, granted_by, granted_at)
        SELECT u.name, u.role, NULL, u.name, u.created_at FROM app_user u
        WHERE u.role <> 'admin' AND NOT EXISTS (SELECT 1 FROM user_grant g WHERE g.user_name = u.name)
        """,
    ]

    /// A timeline that can hold history from elsewhere, and typed details of an action.
    ///
    /// `received_action`: actions recorded at another agency's node, received with a person's
    /// transfer package, kept exactly as recorded there. Their organisation and recorder are the
    /// sender's (a credit code and name, a user name there), not rows of this node; they are shown
    /// in the person's history and never folded into placements here, so they hold no slot of
    /// this node. The origin (agency and its action number) identifies each: the same action
    /// cannot be received twice for one person. Never edited or deleted, like the local timeline.
    ///
    /// `action_detail`: the extra fields an action kind needs (an assessment's grade, a
    /// sanction's period, a transfer's slip), one JSON object per action and schema name, checked
    /// to be an object on write, so a new kind of detail needs no new column.
    static let receivedHistory: [String] = [
        """
        CREATE TABLE received_action (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            origin_agency TEXT NOT NULL CHECK (length(origin_agency) = 18),
            origin_action_id INTEGER NOT NULL CHECK (origin_action_id > 0),
            kind TEXT NOT NULL REFERENCES action_kind(code),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            org_code TEXT NOT NULL CHECK (length(org_code) = 18),
            org_name TEXT NOT NULL CHECK (length(trim(org_name)) BETWEEN 1 AND 100),
            category TEXT NOT NULL REFERENCES code_category(code),
            rank TEXT REFERENCES code_rank(code),
            post TEXT REFERENCES code_post(code),
            status TEXT NOT NULL REFERENCES code_status(code),
            stated TEXT CHECK (stated IS NULL OR stated NOT GLOB '*[^a-z,]*'),
            target_origin_action_id INTEGER CHECK (target_origin_action_id IS NULL OR target_origin_action_id > 0),
            recorded_at TEXT NOT NULL,
            recorded_by TEXT NOT NULL CHECK (length(trim(recorded_by)) BETWEEN 1 AND 100),
            received_at TEXT NOT NULL,
            received_by TEXT NOT NULL REFERENCES app_user(name),
            UNIQUE (person_id, origin_agency, origin_action_id)
        ) STRICT
        """,
        "CREATE INDEX received_action_person ON received_action(person_id, effective_on)",
        """
        CREATE TRIGGER received_action_append_only_update BEFORE UPDATE ON received_action
        BEGIN SELECT RAISE(ABORT, 'received actions are kept as they were recorded'); END
        """,
        """
        CREATE TRIGGER received_action_append_only_delete BEFORE DELETE ON received_action
        BEGIN SELECT RAISE(ABORT, 'received actions are kept as they were recorded'); END
        """,
        """
        CREATE TABLE action_detail (
            action_id INTEGER NOT NULL REFERENCES personnel_action(id) ON DELETE RESTRICT,
            schema TEXT NOT NULL CHECK (schema GLOB '[a-z]*' AND schema NOT GLOB '*[^a-z0-9.-]*'),
            body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object'),
            PRIMARY KEY (action_id, schema)
        ) STRICT
        """,
        """
        CREATE TRIGGER action_detail_append_only_update BEFORE UPDATE ON action_detail
        BEGIN SELECT RAISE(ABORT, 'action details are never edited: record a correction instead'); END
        """,
        """
        CREATE TRIGGER action_detail_append_only_delete BEFORE DELETE ON action_detail
        BEGIN SELECT RAISE(ABORT, 'action details are never deleted'); END
        """,
    ]

    /// Reconciliation feeds: the social-insurance, payroll and attendance exports, each kept as a
    /// dated snapshot so a case can show the rows it was raised on.
    ///
    /// `feed`: one imported file — its kind, the day the export was taken (`as_of`), who imported
    /// it and when, and its SHA-256, unique per kind, so the same file cannot go in twice.
    /// `row_count` is written once the rows are in (the file is read once, as it streams).
    ///
    /// `feed_row`: one row of a file, numbered as in the file (the header is row 1). The identity
    /// number is stored as a person's is: sealed, with the keyed blind index, so the run finds a
    /// person's rows by `person.id_number_index = feed_row.id_index` and the clear number is never
    /// in the file. Each kind fills its own typed columns: social insurance `insurance`,
    /// `contribution`, `retired`, `changed_on`; payroll `month` and the amounts in fen;
    /// attendance `day` and `mark`. Both tables are kept as imported: never edited.
    static let feeds: [String] = [
        """
        CREATE TABLE feed (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('social-insurance', 'payroll', 'attendance')),
            as_of TEXT NOT NULL CHECK (\(isDate("as_of"))),
            file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
            row_count INTEGER NOT NULL CHECK (row_count >= 0),
            encoding TEXT NOT NULL CHECK (encoding IN ('utf-8', 'gb18030')),
            imported_by TEXT NOT NULL REFERENCES app_user(name),
            imported_at TEXT NOT NULL,
            UNIQUE (kind, sha256)
        ) STRICT
        """,
        "CREATE INDEX feed_kind_as_of ON feed(kind, as_of)",
        """
        CREATE TABLE feed_row (
            feed_id INTEGER NOT NULL REFERENCES feed(id) ON DELETE RESTRICT,
            row_no INTEGER NOT NULL CHECK (row_no >= 2),
            id_index BLOB NOT NULL CHECK (length(id_index) = 16),
            id_sealed BLOB NOT NULL,
            name TEXT NOT NULL,
            org_code TEXT CHECK (org_code IS NULL OR length(org_code) = 18),
            insurance TEXT CHECK (insurance IN ('pension', 'medical', 'unemployment', 'work-injury', 'maternity')),
            contribution TEXT CHECK (contribution IN ('contributing', 'suspended', 'terminated')),
            retired INTEGER CHECK (retired IN (0, 1)),
            changed_on TEXT CHECK (changed_on IS NULL OR \(isDate("changed_on"))),
            month TEXT CHECK (month IS NULL OR month GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
            gross_cents INTEGER,
            net_cents INTEGER,
            day TEXT CHECK (day IS NULL OR \(isDate("day"))),
            mark TEXT CHECK (mark IN ('present', 'absent', 'leave', 'business', 'rest')),
            PRIMARY KEY (feed_id, row_no)
        ) STRICT, WITHOUT ROWID
        """,
        "CREATE INDEX feed_row_id_index ON feed_row(id_index)",
        """
        CREATE TRIGGER feed_append_only_update BEFORE UPDATE OF id, kind, as_of, file_name, sha256, encoding,
            imported_by, imported_at ON feed
        BEGIN SELECT RAISE(ABORT, 'an imported feed is kept as it was imported'); END
        """,
        """
        CREATE TRIGGER feed_row_append_only_update BEFORE UPDATE ON feed_row
        BEGIN SELECT RAISE(ABORT, 'feed rows are kept as they were imported'); END
        """,
        """
        CREATE TRIGGER feed_row_append_only_delete BEFORE DELETE ON feed_row
        BEGIN SELECT RAISE(ABORT, 'feed rows are kept as they were imported'); END
        """,
    ]

    /// Reconciliation cases (issue 12).
    ///
    /// A feed's rows are read one identity number at a time, within one feed: the index on the
    /// blind index alone becomes one on (feed, blind index), which serves that order and the
    /// evidence look-up of a case, and costs an import no more than the old one.
    ///
    /// `recon_case`: one finding of one rule about one identity number (`subject`, the blind
    /// index: a person's, or an unknown one's from the feed, whose sealed number is kept for the
    /// office that must find them). At most one case per rule and subject is open. Its evidence
    /// (feed, rows, actions, facts) is JSON and never changes; once closed — resolved by a person,
    /// or cleared by a run that no longer finds it — nothing about it changes, and no case is
    /// ever deleted.
    static let reconciliationCases: [String] = [
        "DROP INDEX feed_row_id_index",
        "CREATE INDEX feed_row_identity ON feed_row(feed_id, id_index)",
        """
        CREATE TABLE recon_case (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL CHECK (rule IN ('contributions-stopped', 'exit-still-insured', 'retirement-mismatch', 'inactive-holds-slot', 'absent-without-leave', 'transfer-without-receipt', 'insured-elsewhere', 'paid-not-in-post', 'unknown-person')),
            subject BLOB NOT NULL CHECK (length(subject) = 16),
            person_id INTEGER REFERENCES person(id) ON DELETE RESTRICT,
            id_sealed BLOB,
            name TEXT,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            opened_on TEXT NOT NULL CHECK (\(isDate("opened_on"))),
            due_on TEXT NOT NULL CHECK (\(isDate("due_on")) AND due_on >= opened_on),
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'cleared')),
            evidence TEXT NOT NULL CHECK (json_valid(evidence)),
            fingerprint TEXT NOT NULL,
            opened_by TEXT NOT NULL REFERENCES app_user(name),
            opened_at TEXT NOT NULL,
            closed_on TEXT CHECK (closed_on IS NULL OR \(isDate("closed_on"))),
            outcome TEXT CHECK (outcome IN ('confirmed', 'corrected', 'dismissed')),
            note TEXT,
            closed_by TEXT REFERENCES app_user(name),
            closed_at TEXT,
            draft_id INTEGER REFERENCES action_draft(id),
            CHECK ((person_id IS NULL) = (rule = 'unknown-person')),
            CHECK ((id_sealed IS NOT NULL) = (rule = 'unknown-person')),
            CHECK ((status = 'open') = (closed_on IS NULL AND closed_by IS NULL)),
            CHECK ((status = 'resolved') = (outcome IS NOT NULL)),
            CHECK (status <> 'resolved' OR length(trim(note)) > 0)
        ) STRICT
        """,
        "CREATE UNIQUE INDEX recon_case_open ON recon_case(rule, subject) WHERE status = 'open'",
        "CREATE INDEX recon_case_due ON recon_case(status, due_on)",
        "CREATE INDEX recon_case_person ON recon_case(person_id) WHERE person_id IS NOT NULL",
        """
        CREATE TRIGGER recon_case_fixed BEFORE UPDATE OF id, rule, subject, person_id, id_sealed, name, org_id,
            opened_on, due_on, evidence, fingerprint, opened_by, opened_at ON recon_case
        BEGIN SELECT RAISE(ABORT, 'a case keeps what it was opened with'); END
        """,
        """
        CREATE TRIGGER recon_case_closed BEFORE UPDATE ON recon_case WHEN OLD.status <> 'open'
        BEGIN SELECT RAISE(ABORT, 'a closed case is kept as it was closed'); END
        """,
        """
        CREATE TRIGGER recon_case_kept BEFORE DELETE ON recon_case
        BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END
        """,
    ]

    /// 年度考核 and 处分: one grade per person and year (pending until an approver makes it final,
    /// unless an administrator recorded it), and sanctions with their early lifting. Grades are
    /// never edited: a wrong one is rejected and recorded again; only the decision columns change.
    static let assessmentsAndSanctions: [String] = [
        "CREATE TABLE code_grade (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_grade(code, name) VALUES ('excellent','优秀'), ('competent','称职'),
            ('basically-competent','基本称职'), ('incompetent','不称职'), ('undetermined','不定等次'), ('pass','合格'),
            ('basic-pass','基本合格'), ('fail','不合格')
        """,
        "CREATE TABLE code_sanction (code TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL) STRICT, WITHOUT ROWID",
        """
        INSERT INTO code_sanction(code, name) VALUES ('warning','警告'), ('demerit','记过'), ('major-demerit','记大过'),
            ('demotion','降级'), ('removal','撤职')
        """,
        """
        CREATE TABLE assessment (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            org_id INTEGER NOT NULL REFERENCES organization(id),
            year INTEGER NOT NULL CHECK (year BETWEEN 1950 AND 9999),
            grade TEXT NOT NULL REFERENCES code_grade(code),
            reason TEXT,
            decided_on TEXT NOT NULL CHECK (\(isDate("decided_on"))),
            state TEXT NOT NULL CHECK (state IN ('pending', 'final', 'rejected')),
            recorded_by TEXT NOT NULL REFERENCES app_user(name),
            recorded_at TEXT NOT NULL,
            decided_by TEXT REFERENCES app_user(name),
            decided_at TEXT,
            decision_reason TEXT,
            CHECK (grade <> 'undetermined' OR length(trim(coalesce(reason, ''))) > 0),
            CHECK (decided_by IS NULL OR decided_by <> recorded_by),
            CHECK (state <> 'pending' OR decided_by IS NULL),
            CHECK (state <> 'rejected' OR (decided_by IS NOT NULL AND length(trim(coalesce(decision_reason, ''))) > 0))
        ) STRICT
        """,
        "CREATE UNIQUE INDEX assessment_one_a_year ON assessment(person_id, year) WHERE state <> 'rejected'",
        "CREATE INDEX assessment_share ON assessment(org_id, year) WHERE state <> 'rejected'",
        "CREATE INDEX assessment_pending ON assessment(id) WHERE state = 'pending'",
        """
        CREATE TRIGGER assessment_fixed BEFORE UPDATE OF id, person_id, org_id, year, grade, reason, decided_on,
            recorded_by, recorded_at ON assessment
        BEGIN SELECT RAISE(ABORT, 'an assessment grade is never edited; reject it and record it again'); END
        """,
        """
        CREATE TRIGGER assessment_decided_once BEFORE UPDATE OF state ON assessment WHEN OLD.state <> 'pending'
        BEGIN SELECT RAISE(ABORT, 'the assessment grade has already been decided'); END
        """,
        """
        CREATE TABLE sanction (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL REFERENCES code_sanction(code),
            imposed_on TEXT NOT NULL CHECK (\(isDate("imposed_on"))),
            reference TEXT,
            document_id INTEGER REFERENCES document(id),
            recorded_by TEXT NOT NULL REFERENCES app_user(name),
            recorded_at TEXT NOT NULL,
            lifted_on TEXT CHECK (lifted_on IS NULL OR (\(isDate("lifted_on")) AND lifted_on >= imposed_on)),
            lift_reference TEXT,
            lifted_by TEXT REFERENCES app_user(name),
            lifted_at TEXT,
            CHECK ((lifted_on IS NULL) = (lifted_by IS NULL))
        ) STRICT
        """,
        "CREATE INDEX sanction_person ON sanction(person_id, imposed_on)",
        """
        CREATE TRIGGER sanction_fixed BEFORE UPDATE OF id, person_id, kind, imposed_on, reference, document_id,
            recorded_by, recorded_at ON sanction
        BEGIN SELECT RAISE(ABORT, 'a sanction is never edited; only its early lifting is recorded'); END
        """,
        """
        CREATE TRIGGER sanction_lifted_once BEFORE UPDATE OF lifted_on ON sanction WHEN OLD.lifted_on IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the sanction has already been lifted'); END
        """,
    ]

    /// Cases of consecutive failing grades (failing-grades) join the case list: the rule column's
    /// check names every rule, so the table is rebuilt with the longer list (SQLite cannot alter
    /// a check), its rows, indexes and triggers kept as they were.
    static let failingGradeCases: [String] = [
        """
        CREATE TABLE recon_case_v15 (
            id INTEGER PRIMARY KEY,
            rule TEXT NOT NULL CHECK (rule IN ('contributions-stopped', 'exit-still-insured', 'retirement-mismatch', 'inactive-holds-slot', 'absent-without-leave', 'transfer-without-receipt', 'insured-elsewhere', 'paid-not-in-post', 'unknown-person', 'failing-grades')),
            subject BLOB NOT NULL CHECK (length(subject) = 16),
            person_id INTEGER REFERENCES person(id) ON DELETE RESTRICT,
            id_sealed BLOB,
            name TEXT,
            org_id INTEGER NOT NULL REFERENCES organization(id) ON DELETE RESTRICT,
            opened_on TEXT NOT NULL CHECK (\(isDate("opened_on"))),
            due_on TEXT NOT NULL CHECK (\(isDate("due_on")) AND due_on >= opened_on),
            status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'cleared')),
            evidence TEXT NOT NULL CHECK (json_valid(evidence)),
            fingerprint TEXT NOT NULL,
            opened_by TEXT NOT NULL REFERENCES app_user(name),
            opened_at TEXT NOT NULL,
            closed_on TEXT CHECK (closed_on IS NULL OR \(isDate("closed_on"))),
            outcome TEXT CHECK (outcome IN ('confirmed', 'corrected', 'dismissed')),
            note TEXT,
            closed_by TEXT REFERENCES app_user(name),
            closed_at TEXT,
            draft_id INTEGER REFERENCES action_draft(id),
            CHECK ((person_id IS NULL) = (rule = 'unknown-person')),
            CHECK ((id_sealed IS NOT NULL) = (rule = 'unknown-person')),
            CHECK ((status = 'open') = (closed_on IS NULL AND closed_by IS NULL)),
            CHECK ((status = 'resolved') = (outcome IS NOT NULL)),
            CHECK (status <> 'resolved' OR length(trim(note)) > 0)
        ) STRICT
        """,
        "INSERT INTO recon_case_v15 SELECT * FROM recon_case",
        // Dropping a table runs no triggers, so 'cases are never deleted' does not stand in the way.
        "DROP TABLE recon_case",
        "ALTER TABLE recon_case_v15 RENAME TO recon_case",
        "CREATE UNIQUE INDEX recon_case_open ON recon_case(rule, subject) WHERE status = 'open'",
        "CREATE INDEX recon_case_due ON recon_case(status, due_on)",
        "CREATE INDEX recon_case_person ON recon_case(person_id) WHERE person_id IS NOT NULL",
        """
        CREATE TRIGGER recon_case_fixed BEFORE UPDATE OF id, rule, subject, person_id, id_sealed, name, org_id,
            opened_on, due_on, evidence, fingerprint, opened_by, opened_at ON recon_case
        BEGIN SELECT RAISE(ABORT, 'a case keeps what it was opened with'); END
        """,
        """
        CREATE TRIGGER recon_case_closed BEFORE UPDATE ON recon_case WHEN OLD.status <> 'open'
        BEGIN SELECT RAISE(ABORT, 'a closed case is kept as it was closed'); END
        """,
        """
        CREATE TRIGGER recon_case_kept BEFORE DELETE ON recon_case
        BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END
        """,
    ]

    /// The transfer exchange between agencies' nodes (DOMAIN.md §4–5): the node's own agency,
    /// revoked keys of its own, where a transfer-out goes and why, and the packages, receipts
    /// and refusals sent and received. What was signed is kept byte for byte, so a package's
    /// envelope or an answer can be written again identically and checked years later.
    static let exchange: [String] = [
        // The agency this node speaks for (one row): envelopes name it as sender or receiver.
        """
        CREATE TABLE node_agency (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            code TEXT NOT NULL CHECK (length(code) = 18),
            name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 100),
            set_by TEXT NOT NULL REFERENCES app_user(name),
            set_at TEXT NOT NULL
        ) STRICT
        """,
        // The node's own earlier keys, revoked here: packages they signed stop verifying here.
        """
        CREATE TABLE own_key_revocation (
            key_id TEXT PRIMARY KEY NOT NULL CHECK (length(key_id) = 16),
            reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
            revoked_by TEXT NOT NULL REFERENCES app_user(name),
            revoked_at TEXT NOT NULL
        ) STRICT
        """,
        """
        CREATE TRIGGER own_key_revocation_kept BEFORE DELETE ON own_key_revocation
        BEGIN SELECT RAISE(ABORT, 'a revocation is never withdrawn'); END
        """,
        // A transfer-out draft's receiving agency and reason (转任, 调任, …).
        """
        CREATE TABLE transfer_order (
            draft_id INTEGER PRIMARY KEY REFERENCES action_draft(id),
            to_agency TEXT NOT NULL CHECK (length(to_agency) = 18),
            reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 100)
        ) STRICT
        """,
        """
        CREATE TRIGGER transfer_order_fixed BEFORE UPDATE ON transfer_order
        BEGIN SELECT RAISE(ABORT, 'a transfer order is never edited'); END
        """,
        // Transfer packages sent: the envelope and its signature as signed, and what came back.
        """
        CREATE TABLE exchange_outgoing (
            id INTEGER PRIMARY KEY,
            draft_id INTEGER NOT NULL UNIQUE REFERENCES action_draft(id),
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            to_agency TEXT NOT NULL CHECK (length(to_agency) = 18),
            slip_number TEXT NOT NULL UNIQUE,
            nonce TEXT NOT NULL UNIQUE CHECK (length(nonce) = 32),
            envelope BLOB NOT NULL,
            signature BLOB NOT NULL,
            key_id TEXT NOT NULL CHECK (length(key_id) = 16),
            tag_manifest_sha256 TEXT NOT NULL CHECK (length(tag_manifest_sha256) = 64),
            exported_on TEXT NOT NULL CHECK (\(isDate("exported_on"))),
            expires_on TEXT NOT NULL CHECK (\(isDate("expires_on")) AND expires_on >= exported_on),
            exported_by TEXT NOT NULL REFERENCES app_user(name),
            exported_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('awaiting', 'received', 'refused')),
            answer_id INTEGER REFERENCES exchange_incoming(id),
            answered_on TEXT CHECK (answered_on IS NULL OR \(isDate("answered_on"))),
            cancel_draft_id INTEGER REFERENCES action_draft(id),
            CHECK ((state = 'awaiting') = (answer_id IS NULL)),
            CHECK ((state = 'awaiting') = (answered_on IS NULL))
        ) STRICT
        """,
        "CREATE INDEX exchange_outgoing_state ON exchange_outgoing(state, exported_on)",
        """
        CREATE TRIGGER exchange_outgoing_fixed BEFORE UPDATE OF id, draft_id, person_id, to_agency, slip_number, nonce,
            envelope, signature, key_id, tag_manifest_sha256, exported_on, expires_on, exported_by, exported_at
            ON exchange_outgoing
        BEGIN SELECT RAISE(ABORT, 'a sent transfer keeps what was signed'); END
        """,
        """
        CREATE TRIGGER exchange_outgoing_answered_once BEFORE UPDATE OF state ON exchange_outgoing
            WHEN OLD.state <> 'awaiting'
        BEGIN SELECT RAISE(ABORT, 'the transfer has already been answered'); END
        """,
        // Packages, receipts and refusals received: each file once (its SHA-256), each nonce
        // once (a replay is refused). For a transfer, the answer this node sent back.
        """
        CREATE TABLE exchange_incoming (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('transfer', 'receipt', 'refusal')),
            file_sha256 TEXT NOT NULL UNIQUE CHECK (length(file_sha256) = 64),
            nonce TEXT NOT NULL UNIQUE CHECK (length(nonce) = 32),
            from_agency TEXT NOT NULL CHECK (length(from_agency) = 18),
            slip_number TEXT NOT NULL,
            key_id TEXT NOT NULL CHECK (length(key_id) = 16),
            envelope BLOB NOT NULL,
            person_id INTEGER REFERENCES person(id) ON DELETE RESTRICT,
            draft_id INTEGER REFERENCES action_draft(id),
            imported_by TEXT NOT NULL REFERENCES app_user(name),
            imported_at TEXT NOT NULL,
            answer_kind TEXT CHECK (answer_kind IN ('receipt', 'refusal')),
            answer_envelope BLOB,
            answer_signature BLOB,
            answered_by TEXT REFERENCES app_user(name),
            answered_at TEXT,
            CHECK ((kind = 'transfer') = (person_id IS NOT NULL)),
            CHECK (answer_kind IS NULL OR kind = 'transfer'),
            CHECK ((answer_kind IS NULL) = (answer_envelope IS NULL)),
            CHECK ((answer_kind IS NULL) = (answer_signature IS NULL)),
            CHECK ((answer_kind IS NULL) = (answered_by IS NULL))
        ) STRICT
        """,
        "CREATE INDEX exchange_incoming_person ON exchange_incoming(person_id) WHERE person_id IS NOT NULL",
        """
        CREATE TRIGGER exchange_incoming_fixed BEFORE UPDATE OF id, kind, file_sha256, nonce, from_agency, slip_number,
            key_id, envelope, person_id, draft_id, imported_by, imported_at ON exchange_incoming
        BEGIN SELECT RAISE(ABORT, 'a received package is kept as it was received'); END
        """,
        """
        CREATE TRIGGER exchange_incoming_answered_once BEFORE UPDATE OF answer_kind ON exchange_incoming
            WHEN OLD.answer_kind IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'the transfer has already been answered'); END
        """,
        """
        CREATE TRIGGER exchange_incoming_kept BEFORE DELETE ON exchange_incoming
        BEGIN SELECT RAISE(ABORT, 'received packages are never deleted'); END
        """,
    ]

    /// 报出: the figures of a statistical table as sent to the statistics office, kept as
    /// filed (never edited), so next period's table can check its start against them.
    static let reportFilings: [String] = [
        """
        CREATE TABLE report_filing (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
            as_of TEXT NOT NULL CHECK (\(isDate("as_of"))),
            period_from TEXT CHECK (period_from IS NULL OR \(isDate("period_from"))),
            org_id INTEGER REFERENCES organization(id) ON DELETE RESTRICT,
            scope TEXT NOT NULL,
            figures TEXT NOT NULL CHECK (json_valid(figures)),
            filed_by TEXT NOT NULL REFERENCES app_user(name),
            filed_at TEXT NOT NULL
        ) STRICT
        """,
        "CREATE INDEX report_filing_lookup ON report_filing(name, as_of)",
        """
        CREATE TRIGGER report_filing_fixed BEFORE UPDATE ON report_filing
        BEGIN SELECT RAISE(ABORT, 'filed figures are never edited: file the table again'); END
        """,
        """
        CREATE TRIGGER report_filing_kept BEFORE DELETE ON report_filing
        BEGIN SELECT RAISE(ABORT, 'filed figures are never deleted'); END
        """,
    ]

    /// Signed audit checkpoints: the node's signature over one audit entry's number and hash,
    /// kept for good beside the chain. A chain rewritten after a checkpoint (every hash
    /// recomputed, so that the chain itself walks cleanly) no longer has the signed hash at the
    /// signed entry, and no one without the node's private key can sign the new one.
    static let auditCheckpoints: [String] = [
        """
        CREATE TABLE audit_checkpoint (
            id INTEGER PRIMARY KEY,
            seq INTEGER NOT NULL REFERENCES audit_entry(seq) ON DELETE RESTRICT,
            hash TEXT NOT NULL CHECK (length(hash) = 64),
            signed_at TEXT NOT NULL,
            made_on TEXT NOT NULL CHECK (\(isDate("made_on"))),
            key_id TEXT NOT NULL CHECK (length(key_id) = 16),
            algorithm TEXT NOT NULL CHECK (algorithm IN ('SM2-SM3', 'Ed25519', 'ECDSA-P256-SHA256')),
            -- The exact UTF-8 text signed: an inspector checks the signature over these bytes.
            signed_text TEXT NOT NULL,
            signature BLOB NOT NULL CHECK (length(signature) > 0),
            made_by TEXT NOT NULL REFERENCES app_user(name)
        ) STRICT
        """,
        // The server asks whether today's checkpoint is made yet at every start.
        "CREATE INDEX audit_checkpoint_day ON audit_checkpoint(made_on)",
        """
        CREATE TRIGGER audit_checkpoint_append_only_update BEFORE UPDATE ON audit_checkpoint
        BEGIN SELECT RAISE(ABORT, 'audit checkpoints are kept as they were signed'); END
        """,
        """
        CREATE TRIGGER audit_checkpoint_append_only_delete BEFORE DELETE ON audit_checkpoint
        BEGIN SELECT RAISE(ABORT, 'audit checkpoints are kept as they were signed'); END
        """,
    ]

    /// Sign-in lock-outs lifted by an administrator. The lock-out itself lives in the server's
    /// memory, and `dossier user unlock` runs in another process: the record is how the server
    /// learns of it. It is a message, not history (the audit log keeps that): the server removes
    /// it when it lets the name in, and a new lock-out removes one left from before it began.
    static let signInUnlocks: [String] = [
        """
        CREATE TABLE sign_in_unlock (
            user_name TEXT PRIMARY KEY NOT NULL REFERENCES app_user(name),
            unlocked_by TEXT NOT NULL REFERENCES app_user(name),
            unlocked_at TEXT NOT NULL
        ) STRICT
        """
    ]

    /// A draft its own officer takes back (撤回) before anyone decides it: a fourth state,
    /// `withdrawn`, the only decision its drafter may record (approving and rejecting stay
    /// another person's). A CHECK cannot be changed in place, so the table is rebuilt the way
    /// SQLite documents (new table, copy, drop, rename; GRDB checks the foreign keys after).
    static let draftWithdrawal: [String] = [
        """
        CREATE TABLE action_draft_v22 (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            kind TEXT NOT NULL REFERENCES action_kind(code),
            effective_on TEXT NOT NULL CHECK (\(isDate("effective_on"))),
            org_id INTEGER REFERENCES organization(id),
            category TEXT REFERENCES code_category(code),
            rank TEXT REFERENCES code_rank(code),
            post TEXT REFERENCES code_post(code),
            status TEXT REFERENCES code_status(code),
            target_action_id INTEGER REFERENCES personnel_action(id),
            note TEXT NOT NULL DEFAULT '',
            drafted_by TEXT NOT NULL REFERENCES app_user(name),
            drafted_at TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'rejected', 'withdrawn')),
            decided_by TEXT REFERENCES app_user(name),
            decided_at TEXT,
            reason TEXT,
            action_id INTEGER REFERENCES personnel_action(id),
            -- Maker-checker: only a withdrawal is decided by the drafter, and it is always theirs.
            CHECK ((state = 'withdrawn') = (decided_by IS NOT NULL AND decided_by = drafted_by)),
            CHECK ((state = 'draft') = (decided_by IS NULL)),
            CHECK (state <> 'rejected' OR length(trim(coalesce(reason, ''))) > 0)
        ) STRICT
        """,
        "INSERT INTO action_draft_v22 SELECT * FROM action_draft",
        "DROP TABLE action_draft",
        "ALTER TABLE action_draft_v22 RENAME TO action_draft",
        "CREATE INDEX action_draft_state ON action_draft(state, id)",
        "CREATE INDEX action_draft_person ON action_draft(person_id)",
    ]

    /// Personal details over time (issue 17): a change (信息变更, from its date) or a correction
    /// of a filing error (信息更正, from the filing date) is a personnel action like the others —
    /// drafted, approved by someone else, never edited — whose row shows where the person stood
    /// on its date. What it states is kept beside it, one row per action (`person_details_change`),
    /// and beside its draft until then (`action_draft_details`). `person` keeps the details as
    /// filed; the details in force on a date are the filed ones with these applied. A field left
    /// NULL is one the action does not change; the phone is sealed as the person's is.
    ///
    /// The identity number is not a detail of that kind: it is the key of the file, and only an
    /// administrator changes it, with a reason (`person_id_number_change`). The person's row then
    /// holds the new number, re-indexed, with the sex and birth date it gives; the old number
    /// stays here, sealed, with who changed it, when and why. Never edited.
    static let personalDetails: [String] = [
        "INSERT INTO action_kind(code, name) VALUES ('change-details', '信息变更'), ('correct-details', '信息更正')",
        """
        CREATE TABLE person_details_change (
            action_id INTEGER PRIMARY KEY REFERENCES personnel_action(id) ON DELETE RESTRICT,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            name TEXT CHECK (name IS NULL OR length(trim(name)) BETWEEN 1 AND 50),
            ethnicity TEXT REFERENCES code_ethnicity(code),
            education TEXT REFERENCES code_education(code),
            political_status TEXT REFERENCES code_political_status(code),
            phone_sealed BLOB,
            CHECK (coalesce(name, ethnicity, education, political_status, phone_sealed) IS NOT NULL)
        ) STRICT
        """,
        "CREATE INDEX person_details_change_person ON person_details_change(person_id)",
        """
        CREATE TRIGGER person_details_change_append_only_update BEFORE UPDATE ON person_details_change
        BEGIN SELECT RAISE(ABORT, 'personal details changes are never edited: record another change'); END
        """,
        """
        CREATE TRIGGER person_details_change_append_only_delete BEFORE DELETE ON person_details_change
        BEGIN SELECT RAISE(ABORT, 'personal details changes are never deleted: record another change'); END
        """,
        """
        CREATE TABLE person_id_number_change (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES person(id) ON DELETE RESTRICT,
            old_sealed BLOB NOT NULL,
            new_sealed BLOB NOT NULL,
            reason TEXT NOT NULL CHECK (length(trim(reason)) BETWEEN 1 AND 500),
            changed_by TEXT NOT NULL REFERENCES app_user(name),
            changed_at TEXT NOT NULL
        ) STRICT
        """,
        "CREATE INDEX person_id_number_change_person ON person_id_number_change(person_id)",
        """
        CREATE TRIGGER person_id_number_change_append_only_update BEFORE UPDATE ON person_id_number_change
        BEGIN SELECT RAISE(ABORT, 'identity number changes are kept as recorded'); END
        """,
        """
        CREATE TRIGGER person_id_number_change_append_only_delete BEFORE DELETE ON person_id_number_change
        BEGIN SELECT RAISE(ABORT, 'identity number changes are kept as recorded'); END
        """,
        """
        CREATE TABLE action_draft_details (
            draft_id INTEGER PRIMARY KEY REFERENCES action_draft(id) ON DELETE RESTRICT,
            name TEXT CHECK (name IS NULL OR length(trim(name)) BETWEEN 1 AND 50),
            ethnicity TEXT REFERENCES code_ethnicity(code),
            education TEXT REFERENCES code_education(code),
            political_status TEXT REFERENCES code_political_status(code),
            phone_sealed BLOB,
            CHECK (coalesce(name, ethnicity, education, political_status, phone_sealed) IS NOT NULL)
        ) STRICT
        """,
    ]
}
