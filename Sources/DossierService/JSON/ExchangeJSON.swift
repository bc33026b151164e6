import DossierCore
public import DossierStorage

/// What `exchange import` did, for scripts and the API: `person` and `draft` are null for a
/// receipt (and `draft` is the cancelling draft for a refusal).
public struct ExchangeImportJSON: Sendable, Encodable {
    public var result: ExchangeImport

    public init(_ result: ExchangeImport) { self.result = result }

    private enum CodingKeys: String, CodingKey {
        case kind, person, draft, status
        case importedAt = "imported_at"
        case slip, from
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.kind.rawValue, forKey: .kind)
        if let person = result.person {
            try container.encode(person, forKey: .person)
        } else {
            try container.encodeNil(forKey: .person)
        }
        if let draft = result.draft {
            try container.encode(draft, forKey: .draft)
        } else {
            try container.encodeNil(forKey: .draft)
        }
        try container.encode(result.status.rawValue, forKey: .status)
        try container.encode(result.importedAt, forKey: .importedAt)
        try container.encode(result.slipNumber, forKey: .slip)
        try container.encode(result.from.value, forKey: .from)
    }
}

/// A transfer sent and still without a receipt.
public struct PendingTransferJSON: Sendable, Encodable {
    public var action: Int64
    public var person: Int64
    public var name: String
    public var to: String
    public var slip: String
    public var exportedOn: String
    public var expiresOn: String
    public var daysWaiting: Int
    public var overdue: Bool

    public init(_ pending: PendingTransfer) {
        action = pending.action
        person = pending.person
        name = pending.personName
        to = pending.to.value
        slip = pending.slipNumber
        exportedOn = pending.exportedOn.description
        expiresOn = pending.expiresOn.description
        daysWaiting = pending.daysWaiting
        overdue = pending.overdue
    }

    private enum CodingKeys: String, CodingKey {
        case action, person, name, to, slip
        case exportedOn = "exported_on"
        case expiresOn = "expires_on"
        case daysWaiting = "days_waiting"
        case overdue
    }
}
