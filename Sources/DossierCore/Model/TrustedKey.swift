/// A public key of another agency that this node trusts for a period.
public struct TrustedKey: Sendable, Hashable, Codable {
    public var keyID: String
    public var agencyCode: String
    public var algorithm: String
    public var publicPEM: String
    public var validFrom: CivilDate
    public var validUntil: CivilDate?
    public var revokedAt: String?
    public var revokeReason: String?

    public init(
        keyID: String,
        agencyCode: String,
        algorithm: String,
        publicPEM: String,
        validFrom: CivilDate,
        validUntil: CivilDate?,
        revokedAt: String? = nil,
        revokeReason: String? = nil
    ) {
        self.keyID = keyID
        self.agencyCode = agencyCode
        self.algorithm = algorithm
        self.publicPEM = publicPEM
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revokedAt = revokedAt
        self.revokeReason = revokeReason
    }

    /// Whether the key is trusted on `date`: within its period and not revoked.
    public func isTrusted(on date: CivilDate) -> Bool {
        revokedAt == nil && validFrom <= date && (validUntil.map { date <= $0 } ?? true)
    }

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case agencyCode = "agency"
        case algorithm
        case publicPEM = "public_pem"
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case revokedAt = "revoked_at"
        case revokeReason = "revoke_reason"
    }
}
