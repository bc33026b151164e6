public import DossierCore
import Foundation
internal import GRDB

extension DossierStore {
    /// Records a draft action; it changes nothing else until approved.
    public func draftAction(_ input: ActionDraftInput, actor: String) throws -> Int64 {
        try transaction { db in
            try Users.require(db, actor)
            guard try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id = ?", arguments: [input.personID]) != nil
            else { throw StoreError(.unknownPerson(input.personID)) }
            var orgID: Int64?
            if let code = input.orgCode {
                guard let id = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
                orgID = id
            }
            if input.kind.amendsEarlierAction {
                let recorded = try TimelineEngine(
                    db: db,
                    machine: StatusMachine(rules: [:], effectiveFrom: input.effectiveOn)
                )
                .recordedActions(of: input.personID)
                try TimelineEngine.checkAmendable(input.targetActionID, kind: input.kind, in: recorded)
            } else if input.targetActionID != nil {
                throw StoreError(.invalid("Only a correction or cancellation names an earlier action."))
            }
            return try Drafts.insert(db, input, orgID: orgID, actor: actor)
        }
    }

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
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map(Drafts.draft)
        }
    }

    /// One draft.
    public func draft(_ id: Int64) throws -> ActionDraft? {
        try read { db in try Drafts.find(db, id) }
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

    /// Rejects a draft with a reason; the draft stays, marked.
    public func rejectDraft(_ id: Int64, reason: String, actor: String) throws {
        try transaction { db in
            try Users.require(db, actor)
            let draft = try Drafts.pending(db, id, checker: actor)
            guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw StoreError(.invalid("A rejection needs a reason."))
            }
            try db.execute(
                sql: """
                    UPDATE action_draft SET state = 'rejected', decided_by = ?, decided_at = ?, reason = ?
                    WHERE id = ?
                    """,
                arguments: [actor, Timestamp.now(), reason, id]
            )
            try AuditLog.append(
                db,
                actor: actor,
                action: "action.reject",
                subject: "draft:\(id)",
                details: ["person": String(draft.personID), "kind": draft.kind.rawValue]
            )
        }
    }

    /// Approves a draft: in one transaction, records the action (for a transfer between two
    /// organisations of this node: the 调出 and 调入 pair), re-derives the person's placements
    /// from the whole timeline under `machine`, and refuses if any date from the action's on
    /// would then break the status machine or push a quota over its approved number.
    public func approveDraft(
        _ id: Int64,
        actor: String,
        machine: StatusMachine,
        rankQuotas: RankQuotaPolicy? = nil
    ) throws -> ApprovalResult {
        try transaction { db in
            try Users.require(db, actor)
            let draft = try Drafts.pending(db, id, checker: actor)
            let recordedAt = Timestamp.now()
            var engine = TimelineEngine(db: db, machine: machine, rankQuotas: rankQuotas)
            let actionIDs = try engine.apply(draft.input, recordedAt: recordedAt, actor: actor)
            try db.execute(
                sql: """
                    UPDATE action_draft SET state = 'approved', decided_by = ?, decided_at = ?, action_id = ?
                    WHERE id = ?
                    """,
                arguments: [actor, recordedAt, actionIDs.last, id]
            )
            try AuditLog.append(
                db,
                actor: actor,
                action: "action.approve",
                subject: "draft:\(id)",
                details: [
                    "person": String(draft.personID), "kind": draft.kind.rawValue,
                    "effective_on": draft.effectiveOn.description,
                    "actions": actionIDs.map(String.init).joined(separator: ","),
                    "warnings": String(engine.warnings.count),
                ]
            )
            return ApprovalResult(actionIDs: actionIDs, warnings: engine.warnings)
        }
    }
}

extension DossierStore {
    /// Files a new person without placing them and drafts their hire (录用) for a second
    /// person's approval, in one transaction. Returns the file number and the draft number.
    public func addPersonForApproval(_ person: NewPerson, actor: String) throws -> (personID: Int64, draftID: Int64) {
        try withHireBatch(actor: actor) { batch in
            let (id, problems) = try batch.fileWithoutPlacement(person)
            if let first = problems.first { throw first.error }
            let personID = id!
            let draftID = try Drafts.insert(
                batch.database,
                ActionDraftInput(
                    personID: personID,
                    kind: .hire,
                    effectiveOn: person.hire.effectiveOn,
                    orgCode: person.hire.orgCode,
                    category: person.hire.category,
                    rank: person.hire.rank,
                    post: person.hire.post,
                    status: person.hire.status
                ),
                orgID: try Organizations.id(batch.database, person.hire.orgCode),
                actor: actor
            )
            return (
                (personID, draftID),
                ("person.file", "person:\(personID)", ["draft": String(draftID), "org": person.hire.orgCode.value])
            )
        }
    }
}

enum Drafts {
    /// Records a draft and its audit entry.
    static func insert(_ db: Database, _ input: ActionDraftInput, orgID: Int64?, actor: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO action_draft(person_id, kind, effective_on, org_id, category, rank, post, status,
                                         target_action_id, note, drafted_by, drafted_at, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')
                """,
            arguments: [
                input.personID, input.kind.rawValue, input.effectiveOn.description, orgID, input.category?.code,
                input.rank?.code, input.post?.code, input.status?.code, input.targetActionID, input.note, actor,
                Timestamp.now(),
            ]
        )
        let id = db.lastInsertedRowID
        try AuditLog.append(
            db,
            actor: actor,
            action: "action.draft",
            subject: "draft:\(id)",
            details: [
                "person": String(input.personID), "kind": input.kind.rawValue,
                "effective_on": input.effectiveOn.description,
            ]
        )
        return id
    }

    static let select = """
        SELECT d.*, p.name AS person_name, o.code AS org_code
        FROM action_draft d JOIN person p ON p.id = d.person_id LEFT JOIN organization o ON o.id = d.org_id
        """

    static func find(_ db: Database, _ id: Int64) throws -> ActionDraft? {
        try Row.fetchOne(db, sql: "\(select) WHERE d.id = ?", arguments: [id]).map(draft)
    }

    /// A draft still waiting, which `checker` may decide (not its own).
    static func pending(_ db: Database, _ id: Int64, checker: String) throws -> ActionDraft {
        guard let draft = try find(db, id) else { throw StoreError(.invalid("There is no draft \(id).")) }
        guard draft.state == .draft else {
            throw StoreError(.invalid("Draft \(id) was already \(draft.state.rawValue) by \(draft.decidedBy ?? "?")."))
        }
        guard draft.draftedBy != checker else {
            throw StoreError(
                .invalid("Draft \(id) was drafted by \(checker); another person must approve or reject it.")
            )
        }
        return draft
    }

    static func draft(_ row: Row) throws -> ActionDraft {
        let orgCode: String? = row["org_code"]
        return ActionDraft(
            id: row["id"],
            personID: row["person_id"],
            personName: row["person_name"],
            kind: try Decode.actionKind(row["kind"]),
            effectiveOn: try Decode.date(row["effective_on"]),
            orgCode: try orgCode.map { try CreditCode($0) },
            category: try Decode.codedOptional(EstablishmentCategory.self, row["category"]),
            rank: try Decode.codedOptional(Rank.self, row["rank"]),
            post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
            status: try Decode.codedOptional(PersonStatus.self, row["status"]),
            targetActionID: row["target_action_id"],
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
