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
