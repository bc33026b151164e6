/// Why an identity number (身份证号码) or unified social credit code (统一社会信用代码) was rejected.
///
/// The message is one plain sentence a personnel officer can act on. It never contains the whole identifier,
/// because an identity number is personal data: only counts, positions, check characters and birth-date digits.
public struct IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken. New kinds may be added; switch with a `default`.
    public enum Kind: String, Sendable, Hashable {
        /// Not 18 characters.
        case wrongLength
        /// A character not allowed at its position.
        case badCharacter
        /// The last character does not match the others.
        case badCheckCharacter
        /// The birth date inside the identity number is not a real date (or is before 1900).
        case impossibleBirthDate
        /// The birth date inside the identity number is after the reference date.
        case birthDateInFuture
        /// The division code inside the credit code (characters 3 to 8) is not six digits.
        case badDivisionCode
    }

    /// The rule that was broken.
    public let kind: Kind
    /// The 1-based position of the offending character, when one character is to blame.
    public let position: Int?
    /// One plain-English sentence saying what is wrong.
    public let description: String
    /// The same sentence in Simplified Chinese, for the admin pages.
    public let chineseDescription: String

    init(_ kind: Kind, position: Int? = nil, _ description: String, zh chineseDescription: String) {
        self.kind = kind
        self.position = position
        self.description = description
        self.chineseDescription = chineseDescription
    }
}

extension IdentifierError {
    /// What an identifier is called and which characters it allows, in English and in Chinese.
    struct Subject: Sendable {
        let name: String
        let chineseName: String
        /// The characters allowed at a 1-based position, in English and in Chinese.
        let allowed: @Sendable (_ position: Int) -> (english: String, chinese: String)
    }

    static func wrongLength(of subject: Subject, found: Int) -> IdentifierError {
        IdentifierError(
            .wrongLength,
            "The \(subject.name) must have 18 characters, not \(found).",
            zh: "\(subject.chineseName)应为 18 位，现为 \(found) 位。"
        )
    }

    static func badCharacter(at position: Int, of subject: Subject) -> IdentifierError {
        let allowed = subject.allowed(position)
        return IdentifierError(
            .badCharacter,
            position: position,
            "Character \(position) must be \(allowed.english).",
            zh: "第 \(position) 位应为\(allowed.chinese)。"
        )
    }

    static func badCheckCharacter(expected: UInt8, found: UInt8) -> IdentifierError {
        let expectedText = String(UnicodeScalar(expected))
        let foundText = String(UnicodeScalar(found))
        return IdentifierError(
            .badCheckCharacter,
            position: 18,
            "The check character is wrong: expected \(expectedText), found \(foundText).",
            zh: "校验码不正确：应为 \(expectedText)，实为 \(foundText)。"
        )
    }

    /// Checks text that is not 18 ASCII bytes, so that a non-ASCII character (say a full-width digit) in an
    /// otherwise 18-character identifier is reported by position rather than as a length problem.
    static func forNonASCII(
        _ bytes: UnsafeBufferPointer<UInt8>,
        subject: Subject,
        isAllowed: (_ position: Int, _ byte: UInt8) -> Bool
    ) -> IdentifierError {
        let text = String(decoding: bytes, as: UTF8.self)
        let count = text.count
        guard count == 18 else { return .wrongLength(of: subject, found: count) }
        var position = 0
        for character in text {
            position += 1
            guard let ascii = character.asciiValue, isAllowed(position, ascii) else {
                return .badCharacter(at: position, of: subject)
            }
        }
        // Unreachable: 18 characters that are all ASCII would have been 18 bytes.
        return .wrongLength(of: subject, found: bytes.count)
    }
}
