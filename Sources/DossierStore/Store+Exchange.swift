public import DossierCore
public import DossierStorage
import Foundation
internal import GRDB

/// How sent and received exchange files are read back.
enum ExchangeRows {
    static let outgoing = """
        SELECT x.*, p.name AS person_name FROM exchange_outgoing x JOIN person p ON p.id = x.person_id
        """

    static func outgoing(_ row: Row) throws -> OutgoingTransfer {
        let answeredOn: String? = row["answered_on"]
        return OutgoingTransfer(
            id: row["id"],
            sent: NewOutgoingTransfer(
                draftID: row["draft_id"],
                personID: row["person_id"],
                toAgency: try CreditCode(row["to_agency"] as String),
                slipNumber: row["slip_number"],
                nonce: row["nonce"],
                envelope: Array(row["envelope"] as Data),
                signature: Array(row["signature"] as Data),
                keyID: row["key_id"],
                tagManifestSHA256: row["tag_manifest_sha256"],
                exportedOn: try Decode.date(row["exported_on"]),
                expiresOn: try Decode.date(row["expires_on"])
            ),
            personName: row["person_name"],
            exportedBy: row["exported_by"],
            exportedAt: row["exported_at"],
            state: OutgoingTransfer.State(rawValue: row["state"]) ?? .awaiting,
            answeredOn: try answeredOn.map(Decode.date),
            answerID: row["answer_id"],
            cancelDraftID: row["cancel_draft_id"]
        )
    }

    static func outgoing(_ db: Database, state: OutgoingTransfer.State?) throws -> [OutgoingTransfer] {
        try Row.fetchAll(
            db,
            sql: "\(outgoing) WHERE ?1 IS NULL OR x.state = ?1 ORDER BY x.exported_on, x.id",
            arguments: [state?.rawValue]
        ).map(outgoing)
    }

    static func incoming(_ row: Row) throws -> IncomingPackage {
        let answerKind: String? = row["answer_kind"]
        let answer: Data? = row["answer_envelope"]
        let signature: Data? = row["answer_signature"]
        return IncomingPackage(
            id: row["id"],
            received: NewIncomingPackage(
                kind: IncomingKind(rawValue: row["kind"]) ?? .transfer,
                fileSHA256: row["file_sha256"],
                nonce: row["nonce"],
                fromAgency: try CreditCode(row["from_agency"] as String),
                slipNumber: row["slip_number"],
                keyID: row["key_id"],
                envelope: Array(row["envelope"] as Data),
                personID: row["person_id"],
                draftID: row["draft_id"]
            ),
            importedBy: row["imported_by"],
            importedAt: row["imported_at"],
            answerKind: answerKind.flatMap(IncomingKind.init(rawValue:)),
            answerEnvelope: answer.map { Array($0) },
            answerSignature: signature.map { Array($0) },
            answeredBy: row["answered_by"],
            answeredAt: row["answered_at"]
        )
    }

    static func incomingTransfer(_ db: Database, draftID: Int64) throws -> IncomingPackage? {
        try Row.fetchOne(
            db,
            sql: "SELECT * FROM exchange_incoming WHERE kind = 'transfer' AND draft_id = ?",
            arguments: [draftID]
        ).map(incoming)
    }

    static func slipCount(_ db: Database, year: Int) throws -> Int {
        try Int.fetchOne(
            db,
            sql: "SELECT count(*) FROM exchange_outgoing WHERE exported_on >= ? AND exported_on < ?",
            arguments: [String(format: "%04d-01-01", year), String(format: "%04d-01-01", year + 1)]
        ) ?? 0
    }

    static func agency(_ db: Database) throws -> Agency? {
        guard let row = try Row.fetchOne(db, sql: "SELECT code, name FROM node_agency WHERE id = 1") else { return nil }
        return Agency(code: try CreditCode(row["code"] as String), name: row["name"])
    }

    static func transferOrder(_ db: Database, _ draftID: Int64) throws -> TransferOrder? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: "SELECT to_agency, reason FROM transfer_order WHERE draft_id = ?",
                arguments: [draftID]
            )
        else { return nil }
        return TransferOrder(toAgency: try CreditCode(row["to_agency"] as String), reason: row["reason"])
    }
}

extension DossierStore {
    /// The agency this node speaks for, once set.
    public func nodeAgency() throws -> Agency? {
        try read { db in try ExchangeRows.agency(db) }
    }

    /// A transfer-out draft's receiving agency and reason.
    public func transferOrder(draftID: Int64) throws -> TransferOrder? {
        try read { db in try ExchangeRows.transferOrder(db, draftID) }
    }

    /// The transfer package sent for a transfer-out draft, if any.
    public func outgoingTransfer(draftID: Int64) throws -> OutgoingTransfer? {
        try read { db in
            try Row.fetchOne(db, sql: "\(ExchangeRows.outgoing) WHERE x.draft_id = ?", arguments: [draftID])
                .map(ExchangeRows.outgoing)
        }
    }

    /// Transfer packages sent, oldest first; `state` nil for all.
    public func outgoingTransfers(state: OutgoingTransfer.State?) throws -> [OutgoingTransfer] {
        try read { db in try ExchangeRows.outgoing(db, state: state) }
    }

    /// The exchange file received with this SHA-256, if any.
    public func incomingPackage(fileSHA256: String) throws -> IncomingPackage? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM exchange_incoming WHERE file_sha256 = ?", arguments: [fileSHA256])
                .map(ExchangeRows.incoming)
        }
    }

    /// An exchange file received, by its number.
    public func incomingPackage(_ id: Int64) throws -> IncomingPackage? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM exchange_incoming WHERE id = ?", arguments: [id])
                .map(ExchangeRows.incoming)
        }
    }

    /// Transfer packages received, oldest first.
    public func incomingTransfers() throws -> [IncomingPackage] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM exchange_incoming WHERE kind = 'transfer' ORDER BY id")
                .map(ExchangeRows.incoming)
        }
    }

    /// The transfer received whose transfer-in is this draft, if any.
    public func incomingTransfer(draftID: Int64) throws -> IncomingPackage? {
        try read { db in try ExchangeRows.incomingTransfer(db, draftID: draftID) }
    }

    /// How many transfer packages were sent with slips of a year.
    public func slipCount(year: Int) throws -> Int {
        try read { db in try ExchangeRows.slipCount(db, year: year) }
    }

    /// Whether a received exchange file already carried this nonce.
    public func nonceSeen(_ nonce: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM exchange_incoming WHERE nonce = ?)",
                arguments: [nonce]
            )
                ?? false
        }
    }
}

extension StoreTransaction {
    /// The SHA-256 of every document of a person's file, retired ones too.
    public func documentDigests(personID: Int64) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT sha256 FROM document WHERE person_id = ?", arguments: [personID]))
    }

    /// The agency this node speaks for, once set.
    public func nodeAgency() throws -> Agency? {
        try ExchangeRows.agency(db)
    }

    /// Sets (or changes) the agency this node speaks for.
    public func setNodeAgency(_ agency: Agency, by actor: String) throws {
        try db.execute(
            sql: """
                INSERT INTO node_agency(id, code, name, set_by, set_at) VALUES (1, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET code = excluded.code, name = excluded.name,
                    set_by = excluded.set_by, set_at = excluded.set_at
                """,
            arguments: [agency.code.value, agency.name, actor, recordedAt]
        )
    }

    /// Keeps a transfer-out draft's receiving agency and reason.
    public func insertTransferOrder(_ order: TransferOrder, draftID: Int64) throws {
        try db.execute(
            sql: "INSERT INTO transfer_order(draft_id, to_agency, reason) VALUES (?, ?, ?)",
            arguments: [draftID, order.toAgency.value, order.reason]
        )
    }

    /// A transfer-out draft's receiving agency and reason.
    public func transferOrder(draftID: Int64) throws -> TransferOrder? {
        try ExchangeRows.transferOrder(db, draftID)
    }

    /// Records a transfer package as sent, awaiting its receipt; returns its number.
    public func insertOutgoingTransfer(_ new: NewOutgoingTransfer, by actor: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO exchange_outgoing(draft_id, person_id, to_agency, slip_number, nonce, envelope, signature,
                    key_id, tag_manifest_sha256, exported_on, expires_on, exported_by, exported_at, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'awaiting')
                """,
            arguments: [
                new.draftID, new.personID, new.toAgency.value, new.slipNumber, new.nonce, Data(new.envelope),
                Data(new.signature), new.keyID, new.tagManifestSHA256, new.exportedOn.description,
                new.expiresOn.description, actor, recordedAt,
            ]
        )
        return db.lastInsertedRowID
    }

    /// The transfer package sent for a transfer-out draft, if any.
    public func outgoingTransfer(draftID: Int64) throws -> OutgoingTransfer? {
        try Row.fetchOne(db, sql: "\(ExchangeRows.outgoing) WHERE x.draft_id = ?", arguments: [draftID])
            .map(ExchangeRows.outgoing)
    }

    /// The transfer package sent with this nonce, if any.
    public func outgoingTransfer(nonce: String) throws -> OutgoingTransfer? {
        try Row.fetchOne(db, sql: "\(ExchangeRows.outgoing) WHERE x.nonce = ?", arguments: [nonce])
            .map(ExchangeRows.outgoing)
    }

    /// Transfer packages sent, oldest first; `state` nil for all.
    public func outgoingTransfers(state: OutgoingTransfer.State?) throws -> [OutgoingTransfer] {
        try ExchangeRows.outgoing(db, state: state)
    }

    /// Records the answer to a transfer sent.
    public func answerOutgoingTransfer(
        _ id: Int64,
        state: OutgoingTransfer.State,
        answerID: Int64,
        on date: CivilDate,
        cancelDraftID: Int64?
    ) throws {
        try db.execute(
            sql: """
                UPDATE exchange_outgoing SET state = ?, answer_id = ?, answered_on = ?, cancel_draft_id = ?
                WHERE id = ? AND state = 'awaiting'
                """,
            arguments: [state.rawValue, answerID, date.description, cancelDraftID, id]
        )
        guard db.changesCount == 1 else {
            throw StoreError(.invalid("Transfer \(id) is not awaiting an answer.", zh: "调动 \(id) 不在等待答复。"))
        }
    }

    /// The exchange file received with this SHA-256, if any.
    public func incomingPackage(fileSHA256: String) throws -> IncomingPackage? {
        try Row.fetchOne(db, sql: "SELECT * FROM exchange_incoming WHERE file_sha256 = ?", arguments: [fileSHA256])
            .map(ExchangeRows.incoming)
    }

    /// An exchange file received, by its number.
    public func incomingPackage(_ id: Int64) throws -> IncomingPackage? {
        try Row.fetchOne(db, sql: "SELECT * FROM exchange_incoming WHERE id = ?", arguments: [id])
            .map(ExchangeRows.incoming)
    }

    /// Whether a received exchange file already carried this nonce.
    public func nonceSeen(_ nonce: String) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM exchange_incoming WHERE nonce = ?)",
            arguments: [nonce]
        )
            ?? false
    }

    /// Records an exchange file as received; returns its number.
    public func insertIncomingPackage(_ new: NewIncomingPackage, by actor: String) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO exchange_incoming(kind, file_sha256, nonce, from_agency, slip_number, key_id, envelope,
                    person_id, draft_id, imported_by, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                new.kind.rawValue, new.fileSHA256, new.nonce, new.fromAgency.value, new.slipNumber, new.keyID,
                Data(new.envelope), new.personID, new.draftID, actor, recordedAt,
            ]
        )
        return db.lastInsertedRowID
    }

    /// Keeps the receipt or refusal written for a received transfer.
    public func recordAnswer(
        toIncoming id: Int64,
        kind: IncomingKind,
        answer: [UInt8],
        signature: [UInt8],
        by actor: String
    ) throws {
        try db.execute(
            sql: """
                UPDATE exchange_incoming SET answer_kind = ?, answer_envelope = ?, answer_signature = ?,
                    answered_by = ?, answered_at = ?
                WHERE id = ? AND answer_kind IS NULL
                """,
            arguments: [kind.rawValue, Data(answer), Data(signature), actor, recordedAt, id]
        )
        guard db.changesCount == 1 else {
            throw StoreError(.invalid("Transfer \(id) has already been answered.", zh: "调动 \(id) 已经答复过。"))
        }
    }
}
