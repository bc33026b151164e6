public import DossierCore
public import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
    /// Removes a blob that `put` newly stored for a document that was then refused, unless a
    /// document refers to it by now; serialised with inserts by the write transaction.
    @discardableResult
    public func discardUnreferenced(_ stored: BlobStore.Stored, in blobs: BlobStore) throws -> Bool {
        guard stored.isNew else { return false }
        return try transaction { db in
            let references = try Int.fetchOne(
                db,
                sql: "SELECT count(*) FROM document WHERE sha256 = ?",
                arguments: [stored.sha256]
            )
            if references == 0 { blobs.discard(stored) }
            return references == 0
        }
    }

    /// One document.
    public func document(_ id: Int64) throws -> Document? {
        try read { db in try Documents.find(db, id) }
    }

    /// A person's documents, by class then date; retired ones too when asked.
    public func documents(personID: Int64, includeRetired: Bool = false) throws -> [Document] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM document WHERE person_id = ? \(includeRetired ? "" : "AND retired_at IS NULL")
                    ORDER BY CAST(class AS INTEGER), class, doc_date, id
                    """,
                arguments: [personID]
            ).map(Documents.document)
        }
    }
}

enum Documents {
    static func find(_ db: Database, _ id: Int64) throws -> Document? {
        try Row.fetchOne(db, sql: "SELECT * FROM document WHERE id = ?", arguments: [id]).map(document)
    }

    static func document(_ row: Row) throws -> Document {
        guard let media = MediaType(rawValue: row["media_type"]) else {
            throw StoreError(.invalid("The database holds an unknown media type."))
        }
        return Document(
            id: row["id"],
            personID: row["person_id"],
            archiveClass: try Decode.coded(ArchiveClass.self, row["class"]),
            title: row["title"],
            date: try Decode.date(row["doc_date"]),
            pages: row["pages"],
            mediaType: media,
            size: row["size"],
            sha256: row["sha256"],
            sm3: row["sm3"],
            addedBy: row["added_by"],
            addedAt: row["added_at"],
            retiredAt: row["retired_at"],
            retiredBy: row["retired_by"],
            retireReason: row["retire_reason"]
        )
    }
}

extension StoreTransaction {
    /// Records a document already stored in the blob store. The same file twice in one person's
    /// file is refused (it is one document, one blob).
    public func insertDocument(
        personID: Int64,
        description: DocumentDescription,
        stored: BlobStore.Stored,
        blobs: BlobStore,
        mediaType: MediaType,
        by actor: String
    ) throws -> Int64 {
        // Checked inside the write transaction: a concurrent refused add may have removed a blob
        // it thought unused just before this insert.
        guard blobs.contains(sha256: stored.sha256) else {
            throw StoreError(
                .invalid(
                    "The stored file went missing while it was added; add the document again.",
                    zh: "添加过程中所存文件丢失；请重新添加该材料。"
                )
            )
        }
        guard try Int64.fetchOne(db, sql: "SELECT id FROM person WHERE id = ?", arguments: [personID]) != nil else {
            throw StoreError(.unknownPerson(personID))
        }
        if let existing = try Int64.fetchOne(
            db,
            sql: "SELECT id FROM document WHERE person_id = ? AND sha256 = ?",
            arguments: [personID, stored.sha256]
        ) {
            throw StoreError(
                .invalid(
                    "This file is already in person \(personID)'s file as document \(existing).",
                    zh: "该文件已作为材料 \(existing) 存入档案号 \(personID) 的档案。"
                )
            )
        }
        try db.execute(
            sql: """
                INSERT INTO document(person_id, class, title, doc_date, pages, media_type, size, sha256, sm3,
                                     added_at, added_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                personID, description.archiveClass.code, description.title, description.date.description,
                description.pages, mediaType.rawValue, stored.size, stored.sha256, stored.sm3, recordedAt, actor,
            ]
        )
        return db.lastInsertedRowID
    }

    /// One document, read in this transaction.
    public func document(_ id: Int64) throws -> Document? {
        try Documents.find(db, id)
    }

    /// Marks a document retired, with who, when and why; it stays, with its file.
    public func retireDocument(_ id: Int64, reason: String, by actor: String) throws {
        try db.execute(
            sql: "UPDATE document SET retired_at = ?, retired_by = ?, retire_reason = ? WHERE id = ?",
            arguments: [recordedAt, actor, reason, id]
        )
    }
}
