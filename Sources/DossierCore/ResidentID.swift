/// A citizen identity number (公民身份号码), GB 11643-1999: 6-digit address code, 8-digit birth date, 3-digit
/// sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check character.
///
/// `description` is the masked form, so that string interpolation in a log line cannot leak the number;
/// use `value` deliberately where the whole number is needed.
public struct ResidentID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, with a check character `X` in upper case.
    public let value: String

    /// Validates `text` exactly as given (no trimming); a lower-case `x` check character becomes `X`.
    public init(_ text: String) throws(IdentifierError) {
        var copy = text
        let result = copy.withUTF8 { ResidentID.validate($0) }
        switch result {
        case .success(let needsUppercase):
            value = needsUppercase ? ResidentID.uppercasedCheck(text) : text
        case .failure(let error):
            throw error
        }
    }

    /// Validates UTF-8 bytes by the same rules as `init(_:)`, without creating a `String` on failure.
    public init(bytes: some Collection<UInt8>) throws(IdentifierError) {
        let result: Result<String, IdentifierError> = bytes.withContiguousBytes { buffer in
            ResidentID.validate(buffer).map { _ in ResidentID.makeValue(buffer) }
        }
        value = try result.get()
    }

    /// For text already known to be valid and normalised.
    private init(unchecked value: String) {
        self.value = value
    }

    /// The 6-digit administrative division code of the place of registration (characters 1 to 6).
    public var addressCode: String {
        String(value.utf8.prefix(6))!
    }

    /// The birth date (characters 7 to 14).
    public var birthDate: CivilDate {
        withBytes { CivilDate.parseCompact($0, at: 6)! }
    }

    /// Sex from the sequence code: odd 17th digit for a man, even for a woman.
    public var sex: Sex {
        withBytes { $0[16] & 1 == 1 ? .male : .female }
    }

    /// The number with everything after the region hidden: first 6, then twelve `*`, e.g. `110105************`
    /// (see `mask`).
    public var masked: String {
        ResidentID.mask(value)
    }

    /// The masked form, so that interpolation never leaks the whole number.
    public var description: String {
        masked
    }

    /// Rejects a number whose birth date is after `today`, for callers that know the reference date.
    public func validate(notAfter today: CivilDate) throws(IdentifierError) {
        let birth = birthDate
        guard birth <= today else {
            let digits = withBytes { String(decoding: UnsafeBufferPointer(rebasing: $0[6..<14]), as: UTF8.self) }
            throw IdentifierError(
                .birthDateInFuture,
                "The birth date \(digits) in the identity number is after \(today).",
                zh: "公民身份号码中的出生日期 \(digits) 晚于 \(today)。"
            )
        }
    }

    /// The check character (ASCII `0`...`9` or `X`) for the first 17 digits.
    ///
    /// - Precondition: `first17` is 17 ASCII digits.
    public static func checkCharacter(first17: some Collection<UInt8>) -> UInt8 {
        precondition(first17.count == 17, "an identity number's check needs 17 digits")
        return first17.withContiguousBytes { buffer in
            precondition(buffer.allSatisfy { $0 &- UInt8(ascii: "0") < 10 }, "an identity number is digits")
            return checkCharacter(digits: buffer)
        }
    }

    /// Masks any text the way identity numbers are masked: the first 6 characters (the region) are kept and
    /// every later one becomes `*`, for text of at least 16 characters; shorter text becomes all `*`.
    ///
    /// Everything after the region is hidden because the rest can be rebuilt from very little: the birth
    /// date is shown beside the number and the sequence's parity is the sex, so showing the last four
    /// characters (as an earlier mask did) left exactly one valid number. With the region, birth date and
    /// sex known, this mask leaves 500 valid numbers (the 3-digit sequence of that parity; the check
    /// character follows from it).
    ///
    /// The threshold keeps at least 6 characters hidden, so a short or mistyped value is never shown whole.
    public static func mask(_ text: String) -> String {
        let count = text.count
        guard count >= 16 else { return String(repeating: "*", count: count) }
        return String(text.prefix(6)) + String(repeating: "*", count: count - 6)
    }

    /// Makes a valid number for demonstration data and tests, computing the check character.
    ///
    /// - Precondition: `addressCode` is 6 ASCII digits, `sequence` is in 0...999 and `birthDate` is in 1900...9999.
    public static func make(addressCode: String, birthDate: CivilDate, sequence: Int) -> ResidentID {
        let address = Array(addressCode.utf8)
        precondition(
            address.count == 6 && address.allSatisfy { $0 &- UInt8(ascii: "0") < 10 },
            "an address code is 6 digits"
        )
        precondition((0...999).contains(sequence), "a sequence code is 0...999")
        precondition(birthDate.year >= 1900, "identity numbers have birth years from 1900")
        let text = String(unsafeUninitializedCapacity: 18) { buffer in
            for (index, byte) in address.enumerated() {
                buffer[index] = byte
            }
            CivilDate.writeDigits(birthDate.year, count: 4, into: buffer, at: 6)
            CivilDate.writeDigits(birthDate.month, count: 2, into: buffer, at: 10)
            CivilDate.writeDigits(birthDate.day, count: 2, into: buffer, at: 12)
            CivilDate.writeDigits(sequence, count: 3, into: buffer, at: 14)
            buffer[17] = checkCharacter(digits: UnsafeBufferPointer(rebasing: buffer[0..<17]))
            return 18
        }
        return ResidentID(unchecked: text)
    }
}

extension ResidentID {
    private static let subject = IdentifierError.Subject(name: "identity number", chineseName: "公民身份号码") {
        $0 == 18 ? ("a digit or X", "数字或 X") : ("a digit", "数字")
    }
    private static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    /// Check characters indexed by S mod 11.
    private static let checkCharacters: [UInt8] = Array("10X98765432".utf8)

    private func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        value.utf8.withContiguousBytes(body)
    }

    /// The weighted-sum check over the first 17 bytes, which must be digits.
    static func checkCharacter(digits: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sum = 0
        for index in 0..<17 {
            sum += Int(digits[index] &- UInt8(ascii: "0")) * weights[index]
        }
        return checkCharacters[sum % 11]
    }

    /// Applies the rules in order: length, characters, birth date, check character. On success, tells whether
    /// the check character is a lower-case `x` that needs upper-casing.
    static func validate(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Bool, IdentifierError> {
        guard bytes.count == 18 else {
            return .failure(
                bytes.contains { $0 >= 0x80 }
                    ? IdentifierError.forNonASCII(
                        bytes,
                        subject: subject,
                        isAllowed: isAllowed
                    )
                    : .wrongLength(of: subject, found: bytes.count)
            )
        }
        for index in 0..<18 where !isAllowed(position: index + 1, byte: bytes[index]) {
            return .failure(.badCharacter(at: index + 1, of: subject))
        }
        guard let birth = CivilDate.parseCompact(bytes, at: 6), birth.year >= 1900 else {
            let digits = String(decoding: UnsafeBufferPointer(rebasing: bytes[6..<14]), as: UTF8.self)
            let notADate = CivilDate.parseCompact(bytes, at: 6) == nil
            let problem = notADate ? "is not a real date" : "is before 1900"
            return .failure(
                IdentifierError(
                    .impossibleBirthDate,
                    "The birth date \(digits) in the identity number \(problem).",
                    zh: "公民身份号码中的出生日期 \(digits) \(notADate ? "不是有效日期" : "早于 1900 年")。"
                )
            )
        }
        let expected = checkCharacter(digits: bytes)
        let found = bytes[17] == UInt8(ascii: "x") ? UInt8(ascii: "X") : bytes[17]
        guard found == expected else {
            return .failure(.badCheckCharacter(expected: expected, found: bytes[17]))
        }
        return .success(bytes[17] == UInt8(ascii: "x"))
    }

    private static func isAllowed(position: Int, byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
            || (position == 18 && (byte == UInt8(ascii: "X") || byte == UInt8(ascii: "x")))
    }

    /// The normalised value from validated bytes.
    private static func makeValue(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: 18) { buffer in
            for index in 0..<18 {
                buffer[index] = bytes[index]
            }
            if buffer[17] == UInt8(ascii: "x") {
                buffer[17] = UInt8(ascii: "X")
            }
            return 18
        }
    }

    private static func uppercasedCheck(_ text: String) -> String {
        text.utf8.withContiguousBytes { makeValue($0) }
    }
}
