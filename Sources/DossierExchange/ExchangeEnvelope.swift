public import DossierCore
import Foundation

/// The profile every exchange document names, so a receiver knows how to read it.
public enum ExchangeProfile {
    public static let version = "dossier-exchange/1.0"
}

/// 干部（人事）档案转递通知单: the transfer slip that travels with a person's file, as the
/// uniform three-part form has it (the sender keeps the 存根, the receiver returns the 回执).
public struct TransferSlip: Codable, Sendable, Hashable {
    /// 字第…号: the slip's number at the sending agency.
    public var number: String
    /// 姓名
    public var personName: String
    /// 单位及职务: the unit, and the post and rank held there.
    public var unit: String
    public var post: String
    /// 转递原因: 转任, 调任, …
    public var reason: String
    /// The date of the transfer-out.
    public var transferOn: CivilDate
    /// 正本卷数 and 材料份数: volumes and documents sent.
    public var volumes: Int
    public var documents: Int
    /// The dates from which the 工资关系, 组织关系 and 社保关系 move.
    public var salaryMovesOn: CivilDate
    public var organizationMovesOn: CivilDate
    public var insuranceMovesOn: CivilDate
    /// Who sent it (a user of the sending node) and the transfer-out's number there.
    public var sentBy: String
    public var senderAction: Int64
    /// The person's file number at the sending node.
    public var senderFileNumber: Int64

    public init(
        number: String,
        personName: String,
        unit: String,
        post: String,
        reason: String,
        transferOn: CivilDate,
        volumes: Int,
        documents: Int,
        salaryMovesOn: CivilDate,
        organizationMovesOn: CivilDate,
        insuranceMovesOn: CivilDate,
        sentBy: String,
        senderAction: Int64,
        senderFileNumber: Int64
    ) {
        self.number = number
        self.personName = personName
        self.unit = unit
        self.post = post
        self.reason = reason
        self.transferOn = transferOn
        self.volumes = volumes
        self.documents = documents
        self.salaryMovesOn = salaryMovesOn
        self.organizationMovesOn = organizationMovesOn
        self.insuranceMovesOn = insuranceMovesOn
        self.sentBy = sentBy
        self.senderAction = senderAction
        self.senderFileNumber = senderFileNumber
    }
}

/// The envelope of a transfer package (`exchange/envelope.json`): who sends the file to whom,
/// the slip, a random nonce (a package is received once), when it was made and until when it may
/// be received, and the tag manifest of the archive package it travels with. Its signature
/// (`exchange/envelope.sig`, by the key that signed the archive) so covers the envelope and,
/// through the tag manifest, every document.
public struct TransferEnvelope: Codable, Sendable, Hashable {
    public var profile = ExchangeProfile.version
    public var kind = "transfer"
    public var nonce: String
    public var createdOn: CivilDate
    public var expiresOn: CivilDate
    public var sender: Agency
    /// The receiving agency; its name as the sender knows it, if at all.
    public var receiver: CreditCode
    public var slip: TransferSlip
    /// The archive package's id and the SHA-256 of its tag manifest.
    public var packageID: String
    public var tagManifestSHA256: String

    // Spelled as the snake_case key strategy reads them back (`sha256`, not `s_h_a256`).
    private enum CodingKeys: String, CodingKey {
        case profile, kind, nonce, createdOn, expiresOn, sender, receiver, slip
        case packageID = "packageId"
        case tagManifestSHA256 = "tagManifestSha256"
    }

    public init(
        nonce: String,
        createdOn: CivilDate,
        expiresOn: CivilDate,
        sender: Agency,
        receiver: CreditCode,
        slip: TransferSlip,
        packageID: String,
        tagManifestSHA256: String
    ) {
        self.nonce = nonce
        self.createdOn = createdOn
        self.expiresOn = expiresOn
        self.sender = sender
        self.receiver = receiver
        self.slip = slip
        self.packageID = packageID
        self.tagManifestSHA256 = tagManifestSHA256
    }
}

/// The receiving side's answer to a transfer package: a receipt (回执) once the person is
/// placed, or a refusal returning the file (incomplete or wrong material). It travels as a
/// small signed package of its own (`data/answer.json`).
public struct ExchangeAnswer: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable {
        case receipt, refusal

        /// The Chinese name: 回执, or 退回通知 for a refusal.
        public var chineseName: String {
            switch self {
            case .receipt: return "回执"
            case .refusal: return "退回通知"
            }
        }
    }

    public var profile = ExchangeProfile.version
    public var kind: Kind
    public var nonce: String
    public var createdOn: CivilDate
    /// The agency answering (the transfer's receiver) and the one answered (its sender).
    public var sender: Agency
    public var receiver: CreditCode
    /// The slip, the transfer package's nonce and the SHA-256 of the package file received.
    public var slipNumber: String
    public var transferNonce: String
    public var packageSHA256: String
    /// Who received or refused it, and on what date; for a receipt, the transfer-in's number.
    public var answeredBy: String
    public var answeredOn: CivilDate
    public var receiverAction: Int64?
    /// Why the file is returned (a refusal).
    public var reason: String?

    private enum CodingKeys: String, CodingKey {
        case profile, kind, nonce, createdOn, sender, receiver, slipNumber, transferNonce
        case packageSHA256 = "packageSha256"
        case answeredBy, answeredOn, receiverAction, reason
    }

    public init(
        kind: Kind,
        nonce: String,
        createdOn: CivilDate,
        sender: Agency,
        receiver: CreditCode,
        slipNumber: String,
        transferNonce: String,
        packageSHA256: String,
        answeredBy: String,
        answeredOn: CivilDate,
        receiverAction: Int64?,
        reason: String?
    ) {
        self.kind = kind
        self.nonce = nonce
        self.createdOn = createdOn
        self.sender = sender
        self.receiver = receiver
        self.slipNumber = slipNumber
        self.transferNonce = transferNonce
        self.packageSHA256 = packageSHA256
        self.answeredBy = answeredBy
        self.answeredOn = answeredOn
        self.receiverAction = receiverAction
        self.reason = reason
    }
}

/// One JSON form for everything exchanged: snake_case keys, sorted, so the same envelope is
/// the same bytes.
enum ExchangeJSON {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(value))
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(type, from: Data(bytes)) } catch {
            throw ExchangeError("\(what) is not an envelope Dossier can read (\(ExchangeProfile.version)).")
        }
    }
}
