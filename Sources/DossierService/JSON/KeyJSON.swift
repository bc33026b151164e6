public import DossierArchive
public import DossierCore

/// One of the node's signing keys as listed; absent values left out.
public struct SigningKeyJSON: Sendable, Encodable {
    public var keyID: String
    public var algorithm: String
    public var active: Bool
    public var path: String
    public var certificate: String?
    public var certificateExpires: String?
    public var revokedAt: String?

    public init(_ key: SigningKeyInfo) {
        keyID = key.keyID
        algorithm = key.algorithm
        active = key.active
        path = key.path
        certificate = key.certificate
        certificateExpires = key.certificateExpires
        revokedAt = key.revokedAt
    }

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case algorithm, active, path, certificate
        case certificateExpires = "certificate_expires"
        case revokedAt = "revoked_at"
    }
}

/// A trusted agency key or root certificate as listed; absent values left out.
public struct TrustedKeyJSON: Sendable, Encodable {
    public var keyID: String
    public var agencyCode: String
    public var algorithm: String
    public var publicPEM: String
    public var certificatePEM: String?
    public var subject: String?
    public var validFrom: CivilDate
    public var validUntil: CivilDate?
    public var revokedAt: String?
    public var revokeReason: String?

    public init(_ key: TrustedKey) {
        keyID = key.keyID
        agencyCode = key.agencyCode
        algorithm = key.algorithm
        publicPEM = key.publicPEM
        certificatePEM = key.certificatePEM
        subject = key.subject
        validFrom = key.validFrom
        validUntil = key.validUntil
        revokedAt = key.revokedAt
        revokeReason = key.revokeReason
    }

    private enum CodingKeys: String, CodingKey {
        case keyID = "key_id"
        case agencyCode = "agency"
        case algorithm
        case publicPEM = "public_pem"
        case certificatePEM = "certificate_pem"
        case subject
        case validFrom = "valid_from"
        case validUntil = "valid_until"
        case revokedAt = "revoked_at"
        case revokeReason = "revoke_reason"
    }
}

/// A package check's report as the API and the command line write it: every key present,
/// absent values as null, problems by aspect name (`authenticity`, `integrity`, `usability`,
/// `security`). What the check cost (bytes and entries examined) is not part of it.
public struct VerificationReportJSON: Sendable, Encodable {
    public var report: VerificationReport

    public init(_ report: VerificationReport) { self.report = report }

    private enum CodingKeys: String, CodingKey {
        case package
        case keyID = "key_id"
        case signer, files, bytes, passed, problems
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeText(report.packageID, forKey: .package)
        try container.encodeText(report.keyID, forKey: .keyID)
        try container.encodeText(report.signer, forKey: .signer)
        try container.encode(report.files, forKey: .files)
        try container.encode(report.payloadBytes, forKey: .bytes)
        try container.encode(report.passed, forKey: .passed)
        try container.encode(
            Dictionary(uniqueKeysWithValues: report.problems.map { ($0.key.rawValue, $0.value) }),
            forKey: .problems
        )
    }
}
