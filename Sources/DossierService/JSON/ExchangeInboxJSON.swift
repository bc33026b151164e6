import DossierCore
public import DossierStorage

/// A transfer package received, as the API writes it: every key present, absent values null.
public struct IncomingTransferJSON: Sendable, Encodable {
    public var transfer: IncomingTransfer

    public init(_ transfer: IncomingTransfer) { self.transfer = transfer }

    private enum CodingKeys: String, CodingKey {
        case id, person, name, draft
        case draftState = "draft_state"
        case org
        case effectiveOn = "effective_on"
        case from, slip
        case importedAt = "imported_at"
        case importedBy = "imported_by"
        case answer
        case answeredAt = "answered_at"
        case stage
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(transfer.id, forKey: .id)
        try container.encode(transfer.person, forKey: .person)
        try container.encodeText(transfer.personName, forKey: .name)
        try container.encode(transfer.draft, forKey: .draft)
        try container.encodeText(transfer.draftState?.rawValue, forKey: .draftState)
        try container.encodeText(transfer.org, forKey: .org)
        try container.encodeText(transfer.effectiveOn, forKey: .effectiveOn)
        try container.encodeText(transfer.from, forKey: .from)
        try container.encodeText(transfer.slipNumber, forKey: .slip)
        try container.encodeText(transfer.importedAt, forKey: .importedAt)
        try container.encodeText(transfer.importedBy, forKey: .importedBy)
        try container.encodeText(transfer.answer?.rawValue, forKey: .answer)
        try container.encodeText(transfer.answeredAt, forKey: .answeredAt)
        try container.encodeText(transfer.stage.rawValue, forKey: .stage)
    }
}
