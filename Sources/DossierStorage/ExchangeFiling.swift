public import DossierCore

/// A transfer package about to be recorded as sent.
public struct NewOutgoingTransfer: Sendable, Hashable {
    public var draftID: Int64
    public var personID: Int64
    public var toAgency: CreditCode
    public var slipNumber: String
    public var nonce: String
    /// The envelope and its signature, as signed.
    public var envelope: [UInt8]
    public var signature: [UInt8]
    public var keyID: String
    public var tagManifestSHA256: String
    public var exportedOn: CivilDate
    public var expiresOn: CivilDate

    public init(
        draftID: Int64,
        personID: Int64,
        toAgency: CreditCode,
        slipNumber: String,
        nonce: String,
        envelope: [UInt8],
        signature: [UInt8],
        keyID: String,
        tagManifestSHA256: String,
        exportedOn: CivilDate,
        expiresOn: CivilDate
    ) {
        self.draftID = draftID
        self.personID = personID
        self.toAgency = toAgency
        self.slipNumber = slipNumber
        self.nonce = nonce
        self.envelope = envelope
        self.signature = signature
        self.keyID = keyID
        self.tagManifestSHA256 = tagManifestSHA256
        self.exportedOn = exportedOn
        self.expiresOn = expiresOn
    }
}

/// A transfer package sent, and what became of it.
public struct OutgoingTransfer: Sendable, Hashable {
    public enum State: String, Sendable, Hashable {
        /// Sent; no receipt yet.
        case awaiting
        /// The receiving side's receipt came back.
        case received
        /// The receiving side returned the file.
        case refused
    }

    public var id: Int64
    public var sent: NewOutgoingTransfer
    public var personName: String
    public var exportedBy: String
    public var exportedAt: String
    public var state: State
    public var answeredOn: CivilDate?
    /// The received receipt or refusal.
    public var answerID: Int64?
    /// After a refusal: the draft prepared to cancel the transfer-out.
    public var cancelDraftID: Int64?

    public init(
        id: Int64,
        sent: NewOutgoingTransfer,
        personName: String,
        exportedBy: String,
        exportedAt: String,
        state: State,
        answeredOn: CivilDate?,
        answerID: Int64?,
        cancelDraftID: Int64?
    ) {
        self.id = id
        self.sent = sent
        self.personName = personName
        self.exportedBy = exportedBy
        self.exportedAt = exportedAt
        self.state = state
        self.answeredOn = answeredOn
        self.answerID = answerID
        self.cancelDraftID = cancelDraftID
    }
}

/// What kind of exchange file was received.
public enum IncomingKind: String, Sendable, Hashable {
    case transfer, receipt, refusal

    /// The Chinese name: 调动包, 回执 or 退回通知.
    public var chineseName: String {
        switch self {
        case .transfer: return "调动包"
        case .receipt: return "回执"
        case .refusal: return "退回通知"
        }
    }
}

/// An exchange file about to be recorded as received.
public struct NewIncomingPackage: Sendable, Hashable {
    public var kind: IncomingKind
    /// SHA-256 of the whole file: the same file twice is recognised.
    public var fileSHA256: String
    public var nonce: String
    public var fromAgency: CreditCode
    public var slipNumber: String
    public var keyID: String
    /// The envelope (or answer) as received.
    public var envelope: [UInt8]
    /// For a transfer: the person filed or linked, and the transfer-in drafted.
    public var personID: Int64?
    public var draftID: Int64?

    public init(
        kind: IncomingKind,
        fileSHA256: String,
        nonce: String,
        fromAgency: CreditCode,
        slipNumber: String,
        keyID: String,
        envelope: [UInt8],
        personID: Int64?,
        draftID: Int64?
    ) {
        self.kind = kind
        self.fileSHA256 = fileSHA256
        self.nonce = nonce
        self.fromAgency = fromAgency
        self.slipNumber = slipNumber
        self.keyID = keyID
        self.envelope = envelope
        self.personID = personID
        self.draftID = draftID
    }
}

/// An exchange file received, and for a transfer the answer sent back.
public struct IncomingPackage: Sendable, Hashable {
    public var id: Int64
    public var received: NewIncomingPackage
    public var importedBy: String
    public var importedAt: String
    /// For a transfer: the receipt or refusal this node wrote, kept so it can be written again
    /// identically (the answer's JSON and the signature over its tag manifest).
    public var answerKind: IncomingKind?
    public var answerEnvelope: [UInt8]?
    public var answerSignature: [UInt8]?
    public var answeredBy: String?
    public var answeredAt: String?

    public init(
        id: Int64,
        received: NewIncomingPackage,
        importedBy: String,
        importedAt: String,
        answerKind: IncomingKind?,
        answerEnvelope: [UInt8]?,
        answerSignature: [UInt8]?,
        answeredBy: String?,
        answeredAt: String?
    ) {
        self.id = id
        self.received = received
        self.importedBy = importedBy
        self.importedAt = importedAt
        self.answerKind = answerKind
        self.answerEnvelope = answerEnvelope
        self.answerSignature = answerSignature
        self.answeredBy = answeredBy
        self.answeredAt = answeredAt
    }
}
