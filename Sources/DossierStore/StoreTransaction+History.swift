public import DossierCore
import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    /// Keeps an action received from another agency's node; returns its number here, or nil when
    /// the same action (same origin) is already kept for this person.
    public func insertReceived(_ action: ReceivedAction, personID: Int64, by actor: String) throws -> Int64? {
        do {
            try db.execute(
                sql: """
                    INSERT INTO received_action(person_id, origin_agency, origin_action_id, kind, effective_on,
                                                org_code, org_name, category, rank, post, status, stated,
                                                target_origin_action_id, recorded_at, recorded_by, received_at,
                                                received_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    personID, action.originAgency.value, action.originActionID, action.kind.rawValue,
                    action.effectiveOn.description, action.orgCode.value, action.orgName, action.category.code,
                    action.rank?.code, action.post?.code, action.status.code, action.stated.text,
                    action.targetOriginActionID, action.recordedAt, action.recordedBy, recordedAt, actor,
                ]
            )
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        return db.lastInsertedRowID
    }

    /// The details of one schema stored with an action, if any.
    public func details<Details: ActionDetails>(_ type: Details.Type, of actionID: Int64) throws -> Details? {
        guard
            let body = try String.fetchOne(
                db,
                sql: "SELECT body FROM action_detail WHERE action_id = ? AND schema = ?",
                arguments: [actionID, Details.schema]
            )
        else { return nil }
        do { return try JSONDecoder().decode(Details.self, from: Data(body.utf8)) } catch {
            throw StoreError(
                .invalid("The database holds \(Details.schema) details of action \(actionID) that do not read.")
            )
        }
    }

    /// Stores the details of one schema with an action (once: details are never edited).
    public func insertDetails<Details: ActionDetails>(_ details: Details, of actionID: Int64) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = String(decoding: try encoder.encode(details), as: UTF8.self)
        try db.execute(
            sql: "INSERT INTO action_detail(action_id, schema, body) VALUES (?, ?, ?)",
            arguments: [actionID, Details.schema, body]
        )
    }
}

extension DossierStore {
    /// A person's received history, in date order (then as numbered at its origin).
    public func receivedActions(of personID: Int64) throws -> [ReceivedAction] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM received_action WHERE person_id = ?
                    ORDER BY effective_on, origin_agency, origin_action_id
                    """,
                arguments: [personID]
            ).map { row in
                ReceivedAction(
                    originAgency: try CreditCode(row["origin_agency"] as String),
                    originActionID: row["origin_action_id"],
                    kind: try Decode.actionKind(row["kind"]),
                    effectiveOn: try Decode.date(row["effective_on"]),
                    orgCode: try CreditCode(row["org_code"] as String),
                    orgName: row["org_name"],
                    category: try Decode.coded(EstablishmentCategory.self, row["category"]),
                    rank: Decode.rank(row["rank"]),
                    post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
                    status: try Decode.coded(PersonStatus.self, row["status"]),
                    stated: try Decode.stated(row["stated"] ?? ""),
                    targetOriginActionID: row["target_origin_action_id"],
                    recordedAt: row["recorded_at"],
                    recordedBy: row["recorded_by"]
                )
            }
        }
    }
}
