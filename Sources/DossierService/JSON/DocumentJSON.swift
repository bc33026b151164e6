public import DossierCore

/// A document's record (archive material) as the API, the command line and an archive
/// package's `data/record.json` write it; absent values are left out.
public struct DocumentJSON: Sendable, Encodable {
    public var document: Document

    public init(_ document: Document) { self.document = document }

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case archiveClass = "class"
        case title
        case date
        case pages
        case mediaType = "media_type"
        case size
        case sha256
        case sm3
        case addedBy = "added_by"
        case addedAt = "added_at"
        case retiredAt = "retired_at"
        case retiredBy = "retired_by"
        case retireReason = "retire_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(document.id, forKey: .id)
        try container.encode(document.personID, forKey: .personID)
        try container.encode(document.archiveClass, forKey: .archiveClass)
        try container.encode(document.title, forKey: .title)
        try container.encode(document.date, forKey: .date)
        try container.encodeIfPresent(document.pages, forKey: .pages)
        try container.encode(document.mediaType, forKey: .mediaType)
        try container.encode(document.size, forKey: .size)
        try container.encode(document.sha256, forKey: .sha256)
        try container.encode(document.sm3, forKey: .sm3)
        try container.encode(document.addedBy, forKey: .addedBy)
        try container.encode(document.addedAt, forKey: .addedAt)
        try container.encodeIfPresent(document.retiredAt, forKey: .retiredAt)
        try container.encodeIfPresent(document.retiredBy, forKey: .retiredBy)
        try container.encodeIfPresent(document.retireReason, forKey: .retireReason)
    }
}
