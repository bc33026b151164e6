/// A public key of another agency that this node trusts for a period, or a root certificate
/// (then `certificatePEM` is set) that vouches for every agency key it certifies.
public struct TrustedKey: Sendable, Hashable {
    public var keyID: String
    public var agencyCode: String
    public var algorithm: String
    public var publicPEM: String
    /// The root certificate, when this anchor is one.
    public var certificatePEM: String?
    /// Who the root certificate names.
    public var subject: String?
    public var validFrom: CivilDate
    public var validUntil: CivilDate?
    public var revokedAt: String?
    public var revokeReason: String?

    public init(
        keyID: String,
        agencyCode: String,
        algorithm: String,
        publicPEM: String,
        certificatePEM: String? = nil,
        subject: String? = nil,
        validFrom: CivilDate,
        validUntil: CivilDate?,
        revokedAt: String? = nil,
        revokeReason: String? = nil
    ) {
        self.keyID = keyID
        self.agencyCode = agencyCode
        self.algorithm = algorithm
        self.publicPEM = publicPEM
        self.certificatePEM = certificatePEM
        self.subject = subject
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.revokedAt = revokedAt
        self.revokeReason = revokeReason
    }

    /// Whether the key is trusted on `date`: within its period and not revoked.
    public func isTrusted(on date: CivilDate) -> Bool {
        revokedAt == nil && validFrom <= date && (validUntil.map { date <= $0 } ?? true)
    }
}
