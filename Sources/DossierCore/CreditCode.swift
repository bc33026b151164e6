/// An organisation's unified social credit code (统一社会信用代码), GB 32100-2015: registering authority,
/// entity type, 6-digit division code, 9-character organisation code and a MOD 31 check character, all from
/// `0123456789ABCDEFGHJKLMNPQRTUWXY`.
///
/// Not personal data, so `description` is the whole code.
public struct CreditCode: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The 18 characters, letters in upper case.
    public let value: String

    /// Validates `text` exactly as given (no trimming); lower-case letters are accepted and upper-cased.
    public init(_ text: String) throws(IdentifierError) {
        var copy = text
        let result = copy.withUTF8 { CreditCode.validate($0) }
        switch result {
        case .success(let needsUppercase):
            value = needsUppercase ? text.utf8.withContiguousBytes { CreditCode.makeValue($0) } : text
        case .failure(let error):
            throw error
        }
    }

    /// Validates UTF-8 bytes by the same rules as `init(_:)`.
    public init(bytes: some Collection<UInt8>) throws(IdentifierError) {
        let result: Result<String, IdentifierError> = bytes.withContiguousBytes { buffer in
            CreditCode.validate(buffer).map { _ in CreditCode.makeValue(buffer) }
        }
        value = try result.get()
    }

    private init(unchecked value: String) {
        self.value = value
    }

    /// The registering authority (登记管理部门), character 1: 1 机构编制, 5 民政, 9 工商, ...
    public var registrationAuthority: Character {
        Character(UnicodeScalar(byte(at: 0)))
    }

    /// The entity type (机构类别), character 2: under authority 1, 1 机关 and 2 事业单位.
    public var entityType: Character {
        Character(UnicodeScalar(byte(at: 1)))
    }

    /// The administrative division code (登记管理机关行政区划码), characters 3 to 8.
    public var divisionCode: String {
        String(value.utf8.dropFirst(2).prefix(6))!
    }

    /// The organisation code (主体标识码), characters 9 to 17.
    public var organizationCode: String {
        String(value.utf8.dropFirst(8).prefix(9))!
    }

    /// The whole code.
    public var description: String {
        value
    }

    /// Makes a valid code, computing the check character.
    ///
    /// - Precondition: `authority` and `entityType` are code characters, `divisionCode` is 6 digits and
    ///   `organizationCode` is 9 code characters (upper or lower case).
    public static func make(
        authority: Character,
        entityType: Character,
        divisionCode: String,
        organizationCode: String
    ) -> CreditCode {
        let text = String(authority) + String(entityType) + divisionCode + organizationCode
        var bytes = Array(text.utf8)
        precondition(bytes.count == 17, "a credit code without its check character has 17 characters")
        for (index, byte) in bytes.enumerated() {
            precondition(
                index < 2 || index >= 8 ? values[Int(byte)] >= 0 : byte &- UInt8(ascii: "0") < 10,
                "character \(index + 1) is not allowed in a credit code"
            )
            bytes[index] = alphabet[Int(values[Int(byte)])]
        }
        bytes.append(bytes.withUnsafeBufferPointer { checkCharacter($0) })
        return CreditCode(unchecked: String(decoding: bytes, as: UTF8.self))
    }

    /// Decodes from a string, validating it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "Not a unified social credit code: \(error.description)"
            )
        }
    }

    /// Encodes as the code string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension CreditCode {
    private static let subject = IdentifierError.Subject(
        name: "unified social credit code",
        chineseName: "统一社会信用代码"
    ) { _ in ("a digit or a capital letter other than I, O, S, V and Z", "数字或除 I、O、S、V、Z 以外的大写字母") }
    private static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// The 31 code characters; a character's value is its index.
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    /// Value 0...30 of each byte, lower-case letters included; -1 for bytes not allowed.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() {
            table[Int(byte)] = Int8(value)
            if byte >= UInt8(ascii: "A") {
                table[Int(byte | 0x20)] = Int8(value)
            }
        }
        return table
    }()

    private func byte(at offset: Int) -> UInt8 {
        value.utf8[value.utf8.index(value.utf8.startIndex, offsetBy: offset)]
    }

    /// The check character for the first 17 bytes, which must be code characters.
    static func checkCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sum = 0
        for index in 0..<17 {
            sum += Int(values[Int(bytes[index])]) * weights[index]
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// Applies the rules in order: length, characters, division code, check character. On success, tells
    /// whether there are lower-case letters to upper-case.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Bool, IdentifierError> {
        guard bytes.count == 18 else {
            return .failure(
                bytes.contains { $0 >= 0x80 }
                    ? IdentifierError.forNonASCII(
                        bytes,
                        subject: subject,
                        isAllowed: { _, byte in values[Int(byte)] >= 0 }
                    )
                    : .wrongLength(of: subject, found: bytes.count)
            )
        }
        var hasLowercase = false
        for index in 0..<18 {
            let byte = bytes[index]
            guard values[Int(byte)] >= 0 else {
                return .failure(.badCharacter(at: index + 1, of: subject))
            }
            hasLowercase = hasLowercase || byte >= UInt8(ascii: "a")
        }
        for index in 2..<8 where bytes[index] &- UInt8(ascii: "0") >= 10 {
            return .failure(
                IdentifierError(
                    .badDivisionCode,
                    position: index + 1,
                    "Character \(index + 1) must be a digit: characters 3 to 8 are the division code.",
                    zh: "第 \(index + 1) 位应为数字：第 3 至 8 位是行政区划码。"
                )
            )
        }
        let expected = checkCharacter(bytes)
        guard alphabet[Int(values[Int(bytes[17])])] == expected else {
            return .failure(.badCheckCharacter(expected: expected, found: bytes[17]))
        }
        return .success(hasLowercase)
    }

    /// The upper-cased value from validated bytes.
    private static func makeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: 18) { buffer in
            for index in 0..<18 {
                buffer[index] = alphabet[Int(values[Int(bytes[index])])]
            }
            return 18
        }
    }
}
