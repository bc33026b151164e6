public import DossierCore
import DossierStorage
import Foundation

extension Dossier {
    func requireBlobs() throws -> BlobStore {
        guard let blobs else {
            throw ServiceError(.setup, "This node has no document store (no data directory).", zh: "本节点没有材料库（没有数据目录）。")
        }
        return blobs
    }

    /// The person must be on file, readable, and within the user's reach in `role` by the one
    /// rule for acting on a person (`requireWithinReach`: where they belong, which for someone
    /// not yet placed is the organisation that filed them).
    private func requirePersonInScope(_ personID: Int64, as role: Role) async throws {
        _ = try await self.person(personID)
        try await requireWithinReach(personID: personID, as: role)
    }

    /// Throws unless the acting user may add a document to this person's file: asked before a
    /// front receives the file, so a refused upload never reaches the node's disk.
    public func checkDocumentIntake(personID: Int64) async throws {
        _ = try await documentIntake(personID: personID)
    }

    /// The document store, once the acting user may add a document to this person's file.
    private func documentIntake(personID: Int64) async throws -> BlobStore {
        try require(.writePeople)
        try await requirePersonInScope(personID, as: actor.role)
        return try requireBlobs()
    }

    /// Adds a document to a person's file: the file is copied into the blob store (hashed with
    /// SHA-256 and SM3 on the way), its format recognised from its content, and its record
    /// written with an audit entry. A refused document leaves neither a record nor a new blob.
    public func addDocument(personID: Int64, file path: String, description: DocumentDescription) async throws -> Int64
    {
        let blobs = try await documentIntake(personID: personID)
        let title = try FreeText.checked(description.title, "A document's title", zh: "材料题名", maxLength: 200)
        if let pages = description.pages, pages < 1 {
            throw ServiceError(.invalid, "The number of pages must be at least 1.", zh: "页数至少为 1。")
        }
        let accepted = documentPolicy.mediaTypes
        let stored: BlobStore.Stored
        do {
            stored = try blobs.put(fileAt: path, maxBytes: documentPolicy.maxBytes) { head in
                guard let media = MediaType.detect(head), accepted.contains(media) else {
                    let names = accepted.map(\.rawValue).sorted().joined(separator: ", ")
                    return "This is not a file of an accepted format (\(names)), judging by its content."
                }
                return nil
            }
        } catch {
            throw ServiceError(.invalid, String(describing: error), zh: "所存材料文件无法读取。")
        }
        guard let media = MediaType.detect(stored.head) else {
            try? await store.discardUnreferenced(stored, in: blobs)
            throw ServiceError(.invalid, "This is not a file of an accepted format.", zh: "该文件不是允许的格式。")
        }
        var cleaned = description
        cleaned.title = title
        do {
            return try await mapErrors {
                try await store.write { tx in
                    try tx.requireUser(actor.name)
                    let id = try tx.insertDocument(
                        personID: personID,
                        description: cleaned,
                        stored: stored,
                        blobs: blobs,
                        mediaType: media,
                        by: actor.name
                    )
                    try audit(
                        tx,
                        action: "doc.add",
                        subject: "document:\(id)",
                        details: [
                            "person": String(personID), "class": cleaned.archiveClass.code, "sha256": stored.sha256,
                            "size": String(stored.size), "media_type": media.rawValue,
                        ]
                    )
                    return id
                }
            }
        } catch {
            try? await store.discardUnreferenced(stored, in: blobs)
            throw error
        }
    }

    /// A person's documents (retired ones too when asked).
    public func documents(personID: Int64, includeRetired: Bool = false) async throws -> [Document] {
        try require(.readPeople)
        try await requirePersonInScope(personID, as: actor.role)
        return try await mapErrors { try await store.documents(personID: personID, includeRetired: includeRetired) }
    }

    /// One document's record.
    public func document(_ id: Int64) async throws -> Document {
        try require(.readPeople)
        let missing = ServiceError(.notFound, "There is no document \(id).", zh: "没有编号为 \(id) 的材料。")
        guard let document = try await mapErrors({ try await store.document(id) }) else { throw missing }
        // Out of reach reads exactly as missing: the answer must not name the owner's file.
        do {
            try await requirePersonInScope(document.personID, as: actor.role)
        } catch let error as ServiceError where error.kind == .notFound {
            throw missing
        }
        return document
    }

    /// Writes a document's file to `destination`, checking its digest on the way; the copy is
    /// audited as a download.
    public func exportDocument(_ id: Int64, to destination: String) async throws {
        let document = try await self.document(id)
        do {
            try requireBlobs().copy(sha256: document.sha256, to: destination)
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError(.refused, String(describing: error), zh: "所存材料文件无法读取。")
        }
        try await recordDownload(document)
    }

    /// Records that the acting user took a copy of a document's file: who, which document of
    /// whose file, and when (the entry's time). Archive material is personal data; reading a
    /// record is not audited, but taking a copy of the material is.
    func recordDownload(_ document: Document) async throws {
        try await mapErrors {
            try await store.recordEvent(
                actor: actor.name,
                action: "document.download",
                subject: "document:\(document.id)",
                details: ["person": String(document.personID)]
            )
        }
    }

    /// Retires a document: kept with its file, marked, with the reason.
    public func retireDocument(_ id: Int64, reason: String) async throws {
        try require(.writePeople)
        _ = try await document(id)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard let document = try tx.document(id) else {
                    throw RuleRefusal.refused("There is no document \(id).", zh: "没有编号为 \(id) 的材料。")
                }
                guard document.retiredAt == nil else {
                    throw RuleRefusal.refused("Document \(id) is already retired.", zh: "材料 \(id) 已经停用。")
                }
                try tx.retireDocument(id, reason: reason, by: actor.name)
                try audit(
                    tx,
                    action: "doc.retire",
                    subject: "document:\(id)",
                    details: ["person": String(document.personID), "reason": AuditText.masked(reason)]
                )
            }
        }
    }
}

extension Dossier {
    /// A document's record and the path of its file in the blob store, for fronts that stream
    /// it (same permission and scope as `document(_:)`); audited as a download. The file was
    /// verified at intake and is never changed (content-addressed).
    public func documentFile(_ id: Int64) async throws -> (document: Document, path: String) {
        let document = try await self.document(id)
        let path = try requireBlobs().path(forSHA256: document.sha256)
        try await recordDownload(document)
        return (document, path)
    }

    /// A fresh path for a temporary file on the node's own disk (for uploads streamed before
    /// they are checked); the caller removes it.
    public func temporaryFilePath(_ suffix: String = "") -> String {
        let folder = dataDirectory.map { $0.path + "/tmp" } ?? NSTemporaryDirectory()
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder + "/upload-" + UUID().uuidString + suffix
    }
}
