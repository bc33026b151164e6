public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
    /// Drafts, newest last; only those in `state` when given.
    public func drafts(state: ActionDraft.State? = nil, after: Int64 = 0, limit: Int = 100) throws -> [ActionDraft] {
        try read { db in
            var sql = "\(Drafts.select) WHERE d.id > ?"
            var arguments: StatementArguments = [after]
            if let state {
                sql += " AND d.state = ?"
                arguments += [state.rawValue]
            }
            sql += " ORDER BY d.id LIMIT ?"
            arguments += [limit]
            let cipher = try FieldCipher(keys: keys)
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map { try Drafts.draft($0, cipher: cipher) }
        }
    }

    /// One draft.
    public func draft(_ id: Int64) throws -> ActionDraft? {
        try read { db in try Drafts.find(db, id, cipher: try FieldCipher(keys: keys)) }
    }

    /// The organisations a draft concerns, for scoping: every organisation the person is placed
    /// in from the earliest date the action touches (its own date, or the date of the action it
    /// amends) until now and after, the organisation it names, the organisation of the action
    /// it amends, and the organisation the person belongs to on `today`. An officer must hold all of them, so back-dating cannot reach another's people.
    public func organizationsConcerned(by input: ActionDraftInput, today: CivilDate) throws -> [CreditCode] {
        try read { db in
            var codes: [String] = []
            var from = input.effectiveOn
            if let target = input.targetActionID,
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.effective_on, o.code FROM personnel_action a JOIN organization o ON o.id = a.org_id
                        WHERE a.id = ? AND a.person_id = ?
                        """,
                    arguments: [target, input.personID]
                )
            {
                codes.append(row["code"])
                from = min(from, try Decode.date(row["effective_on"]))
            }
            codes += try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT o.code FROM placement p JOIN organization o ON o.id = p.org_id
                    WHERE p.person_id = ? AND (p.valid_until IS NULL OR p.valid_until > ?)
                    """,
                arguments: [input.personID, from.description]
            )
            if let code = input.orgCode { codes.append(code.value) }
            // Where the person belongs (for someone never placed, the organisation that filed
            // them): a draft naming another organisation cannot carry them out of it.
            if let home = try String.fetchOne(
                db,
                sql: "SELECT code FROM organization WHERE id = \(Self.homeOrganization(of: "?", today: "?"))",
                arguments: [input.personID, today.description, input.personID]
            ) {
                codes.append(home)
            }
            var seen: Set<String> = []
            return try codes.filter { seen.insert($0).inserted }.map { try CreditCode($0) }
        }
    }
}

enum Drafts {
    /// Records a draft.
    static func insert(
        _ db: Database,
        _ input: ActionDraftInput,
        orgID: Int64?,
        actor: String,
        at: String,
        cipher: FieldCipher
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO action_draft(person_id, kind, effective_on, org_id, category, rank, post, status,
                                         target_action_id, note, drafted_by, drafted_at, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')
                """,
            arguments: [
                input.personID, input.kind.rawValue, input.effectiveOn.description, orgID, input.category?.code,
                input.rank?.code, input.post?.code, input.status?.code, input.targetActionID, input.note, actor, at,
            ]
        )
        let id = db.lastInsertedRowID
        if let details = input.details {
            try db.execute(
                sql: """
                    INSERT INTO action_draft_details(draft_id, name, ethnicity, education, political_status, phone_sealed)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id] + (try DetailsColumns.values(details, cipher: cipher))
            )
        }
        return id
    }

    /// The draft's details columns come first (read by position), then the draft's own.
    static let select = """
        SELECT \(DetailsColumns.columns("dd")), d.*, p.name AS person_name, o.code AS org_code
        FROM action_draft d JOIN person p ON p.id = d.person_id LEFT JOIN organization o ON o.id = d.org_id
        LEFT JOIN action_draft_details dd ON dd.draft_id = d.id
        """

    static func find(_ db: Database, _ id: Int64, cipher: FieldCipher) throws -> ActionDraft? {
        try Row.fetchOne(db, sql: "\(select) WHERE d.id = ?", arguments: [id]).map { try draft($0, cipher: cipher) }
    }

    static func draft(_ row: Row, cipher: FieldCipher) throws -> ActionDraft {
        let orgCode: String? = row["org_code"]
        return ActionDraft(
            id: row["id"],
            personID: row["person_id"],
            personName: row["person_name"],
            kind: try Decode.actionKind(row["kind"]),
            effectiveOn: try Decode.date(row["effective_on"]),
            orgCode: try orgCode.map { try CreditCode($0) },
            category: try Decode.codedOptional(EstablishmentCategory.self, row["category"]),
            rank: Decode.rank(row["rank"]),
            post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
            status: try Decode.codedOptional(PersonStatus.self, row["status"]),
            targetActionID: row["target_action_id"],
            details: try DetailsColumns.decode(row, from: 0, cipher: cipher),
            note: row["note"],
            draftedBy: row["drafted_by"],
            draftedAt: row["drafted_at"],
            state: ActionDraft.State(rawValue: row["state"]) ?? .draft,
            decidedBy: row["decided_by"],
            decidedAt: row["decided_at"],
            reason: row["reason"],
            actionID: row["action_id"]
        )
    }
}
