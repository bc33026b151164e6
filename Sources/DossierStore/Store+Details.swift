public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    /// Keeps what an approved change or correction of personal details states, beside its action.
    public func insertDetailsChange(_ change: DetailsChange, actionID: Int64, personID: Int64) throws {
        let values = try DetailsColumns.values(change, cipher: try FieldCipher(keys: store.keys))
        try db.execute(
            sql: """
                INSERT INTO person_details_change(action_id, person_id, name, ethnicity, education, political_status,
                                                  phone_sealed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [actionID, personID] + values
        )
    }
}

/// Reading and writing the details an action or a draft states: the same five columns in both
/// tables, the phone sealed as the person's is.
enum DetailsColumns {
    /// The select list, for alias `alias` (`name`, `ethnicity`, `education`, `political_status`,
    /// `phone_sealed`, in this order).
    static func columns(_ alias: String) -> String {
        ["name", "ethnicity", "education", "political_status", "phone_sealed"].map { "\(alias).\($0)" }
            .joined(separator: ", ")
    }

    /// The bound values for those columns.
    static func values(_ change: DetailsChange, cipher: FieldCipher) throws -> StatementArguments {
        let phone = try change.phone.map { Data(try cipher.seal(Array($0.utf8), context: PersonColumns.phone)) }
        return [change.name, change.ethnicity?.code, change.education?.code, change.politicalStatus?.code, phone]
    }

    /// The change read from those columns starting at `first`; nil when they are all NULL (a
    /// LEFT JOIN that found nothing).
    static func decode(_ row: Row, from first: Int, cipher: FieldCipher) throws -> DetailsChange? {
        let name: String? = row[first]
        let ethnicity: String? = row[first + 1]
        let education: String? = row[first + 2]
        let political: String? = row[first + 3]
        let phoneSealed: Data? = row[first + 4]
        let change = DetailsChange(
            name: name,
            ethnicity: try ethnicity.map { try Decode.coded(Ethnicity.self, $0) },
            education: try education.map { try Decode.coded(Education.self, $0) },
            politicalStatus: try political.map { try Decode.coded(PoliticalStatus.self, $0) },
            phone: try phoneSealed.map {
                String(decoding: try cipher.open(Array($0), context: PersonColumns.phone), as: UTF8.self)
            }
        )
        return change.isEmpty ? nil : change
    }

    /// The changes and corrections of personal details recorded for a person, as
    /// `PersonDetails.applying` reads them.
    static func entries(_ db: Database, personID: Int64, cipher: FieldCipher) throws -> [PersonDetails.Entry] {
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT a.id, a.kind, a.effective_on, \(columns("c"))
                    FROM person_details_change c JOIN personnel_action a ON a.id = c.action_id
                    WHERE c.person_id = ?
                    """
            ),
            arguments: [personID]
        ).compactMap { row in
            guard let change = try decode(row, from: 3, cipher: cipher) else { return nil }
            return PersonDetails.Entry(
                actionID: row[0],
                kind: try Decode.actionKind(row[1]),
                effectiveOn: try Decode.date(row[2]),
                change: change
            )
        }
    }
}

extension StoreTransaction {
    /// Gives a person's file a new identity number, re-sealed and re-indexed, with the sex and
    /// birth date it gives; the old number is kept, sealed, in `person_id_number_change`.
    public func changeIdentityNumber(
        of personID: Int64,
        to number: ResidentID,
        reason: String,
        by actor: String
    ) throws -> IdentityNumberChangeOutcome {
        let sealer = try PersonSealer(keys: store.keys)
        let sealed = try sealer.seal(number)
        if let holder = try Int64.fetchOne(
            db,
            sql: "SELECT id FROM person WHERE id_number_index = ?",
            arguments: [Data(sealed.index)]
        ) {
            return holder == personID ? .unchanged : .heldBy(holder)
        }
        guard
            let old = try Data.fetchOne(
                db,
                sql: "SELECT id_number_sealed FROM person WHERE id = ?",
                arguments: [personID]
            )
        else { throw StoreError(.unknownPerson(personID)) }
        try db.execute(
            sql: """
                INSERT INTO person_id_number_change(person_id, old_sealed, new_sealed, reason, changed_by, changed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [personID, old, Data(sealed.sealed), reason, actor, recordedAt]
        )
        try db.execute(
            sql: """
                UPDATE person SET id_number_sealed = ?, id_number_index = ?, sex = ?, birth_date = ?
                WHERE id = ?
                """,
            arguments: [
                Data(sealed.sealed), Data(sealed.index), number.sex.code, number.birthDate.description, personID,
            ]
        )
        return .changed
    }
}

extension DossierStore {
    /// The changes of a person's identity number, oldest first.
    public func identityNumberChanges(personID: Int64) throws -> [IdentityNumberChange] {
        let cipher = try FieldCipher(keys: keys)
        func number(_ sealed: Data) throws -> ResidentID {
            try ResidentID(
                String(decoding: try cipher.open(Array(sealed), context: PersonColumns.idNumber), as: UTF8.self)
            )
        }
        return try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT old_sealed, new_sealed, reason, changed_by, changed_at FROM person_id_number_change
                    WHERE person_id = ? ORDER BY id
                    """,
                arguments: [personID]
            ).map { row in
                IdentityNumberChange(
                    old: try number(row[0]),
                    new: try number(row[1]),
                    reason: row[2],
                    changedBy: row[3],
                    changedAt: row[4]
                )
            }
        }
    }
}

extension DossierStore {
    /// SQL for a personal detail of `person` (the alias of a `person` row; `column` one of name,
    /// ethnicity, education, political_status) in force on `date` (an SQL date expression): as
    /// filed, unless a change in force or a correction says otherwise — the rule of
    /// `PersonDetails.applying`, for searches and statistical tables that count by it. The people
    /// with no change at all (most) are told apart through one list SQLite builds once per statement.
    static func detailInForce(_ column: String, of person: String, on date: String) -> String {
        """
        (CASE WHEN \(person).id IN (SELECT person_id FROM person_details_change) THEN coalesce(
            (SELECT c.\(column) FROM person_details_change c JOIN personnel_action a ON a.id = c.action_id
             WHERE c.person_id = \(person).id AND c.\(column) IS NOT NULL
               AND (a.kind = 'correct-details' OR a.effective_on <= \(date))
             ORDER BY a.kind = 'change-details' DESC, a.effective_on DESC, a.id DESC LIMIT 1),
            \(person).\(column)) ELSE \(person).\(column) END)
        """
    }
}
