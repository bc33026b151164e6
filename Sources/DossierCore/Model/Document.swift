/// One piece of archive material (档案材料) in a person's file: its class, title, date and pages,
/// its format, and the digests of the original file kept in the blob store.
public struct Document: Sendable, Hashable {
    public var id: Int64
    public var personID: Int64
    public var archiveClass: ArchiveClass
    public var title: String
    public var date: CivilDate
    public var pages: Int?
    public var mediaType: MediaType
    public var size: Int64
    public var sha256: String
    public var sm3: String
    public var addedBy: String
    public var addedAt: String
    /// Set when the document was retired (kept, marked, no longer part of the current file).
    public var retiredAt: String?
    public var retiredBy: String?
    public var retireReason: String?

    public init(
        id: Int64,
        personID: Int64,
        archiveClass: ArchiveClass,
        title: String,
        date: CivilDate,
        pages: Int?,
        mediaType: MediaType,
        size: Int64,
        sha256: String,
        sm3: String,
        addedBy: String,
        addedAt: String,
        retiredAt: String?,
        retiredBy: String?,
        retireReason: String?
    ) {
        self.id = id
        self.personID = personID
        self.archiveClass = archiveClass
        self.title = title
        self.date = date
        self.pages = pages
        self.mediaType = mediaType
        self.size = size
        self.sha256 = sha256
        self.sm3 = sm3
        self.addedBy = addedBy
        self.addedAt = addedAt
        self.retiredAt = retiredAt
        self.retiredBy = retiredBy
        self.retireReason = retireReason
    }
}

/// What is known of a document before it is filed: what the person adding it says.
public struct DocumentDescription: Sendable, Hashable {
    public var archiveClass: ArchiveClass
    public var title: String
    public var date: CivilDate
    public var pages: Int?

    public init(archiveClass: ArchiveClass, title: String, date: CivilDate, pages: Int?) {
        self.archiveClass = archiveClass
        self.title = title
        self.date = date
        self.pages = pages
    }
}
