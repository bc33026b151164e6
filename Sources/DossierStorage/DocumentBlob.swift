public import DossierCore

/// What a database snapshot (a backup's copy) refers to, read in the same transaction as the
/// copy: the document files to back up beside it, and the audit head it ends with.
public struct BackupSnapshot: Sendable, Hashable {
    public var documents: [DocumentBlob]
    public var auditHead: AuditEntry?

    public init(documents: [DocumentBlob], auditHead: AuditEntry?) {
        self.documents = documents
        self.auditHead = auditHead
    }
}

/// A document file as the records know it: the digests and size recorded when it was stored.
public struct DocumentBlob: Sendable, Hashable {
    public var sha256: String
    public var sm3: String
    public var size: Int64

    public init(sha256: String, sm3: String, size: Int64) {
        self.sha256 = sha256
        self.sm3 = sm3
        self.size = size
    }
}
