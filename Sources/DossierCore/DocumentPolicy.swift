/// What document intake accepts: a size limit and the formats (policy data, `documents.yaml`).
public struct DocumentPolicy: Sendable, Hashable {
    public var maxBytes: Int64
    public var mediaTypes: Set<MediaType>

    public init(maxBytes: Int64, mediaTypes: Set<MediaType>) {
        self.maxBytes = maxBytes
        self.mediaTypes = mediaTypes
    }
}
