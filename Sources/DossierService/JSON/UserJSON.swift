public import DossierCore

/// A user as the API and the command line write them; never a password or a token's secret.
public struct UserJSON: Sendable, Encodable {
    public var name: String
    public var role: Role
    public var displayName: String
    public var disabled: Bool

    public init(_ user: User) {
        name = user.name
        role = user.role
        displayName = user.displayName
        disabled = user.disabled
    }

    private enum CodingKeys: String, CodingKey {
        case name, role
        case displayName = "display_name"
        case disabled
    }
}

/// An API token as listed: its number, user and label, never its secret; absent values left out.
public struct TokenJSON: Sendable, Encodable {
    public var id: Int64
    public var user: String
    public var label: String
    public var createdAt: String
    public var revokedAt: String?

    public init(_ token: APIToken) {
        id = token.id
        user = token.user
        label = token.label
        createdAt = token.createdAt
        revokedAt = token.revokedAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, user, label
        case createdAt = "created_at"
        case revokedAt = "revoked_at"
    }
}
