public import DossierCore

/// A document's record (archive material) as the API, the command line and an archive
/// package's `data/record.json` write it; absent values are left out.
public struct DocumentJSON: Sendable, Encodable {
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
    public var retiredAt: String?
    public var retiredBy: String?
    public var retireReason: String?

    public init(_ document: Document) {
        id = document.id
        personID = document.personID
        archiveClass = document.archiveClass
        title = document.title
        date = document.date
        pages = document.pages
        mediaType = document.mediaType
        size = document.size
        sha256 = document.sha256
        sm3 = document.sm3
        addedBy = document.addedBy
        addedAt = document.addedAt
        retiredAt = document.retiredAt
        retiredBy = document.retiredBy
        retireReason = document.retireReason
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case archiveClass = "class"
        case title, date, pages
        case mediaType = "media_type"
        case size
        case sha256, sm3
        case addedBy = "added_by"
        case addedAt = "added_at"
        case retiredAt = "retired_at"
        case retiredBy = "retired_by"
        case retireReason = "retire_reason"
    }
}
