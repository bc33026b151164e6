/// A stored API token, without its secret (only the secret's SHA-256 is ever stored).
public struct APIToken: Sendable, Hashable {
    public var id: Int64
    public var user: String
    public var label: String
    public var createdAt: String
    public var revokedAt: String?

    public init(id: Int64, user: String, label: String, createdAt: String, revokedAt: String?) {
        self.id = id
        self.user = user
        self.label = label
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}
