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

    init(_ kind: Kind, position: Int? = nil, _ description: String) {
        self.kind = kind
        self.position = position
        self.description = description
    }
}

extension IdentifierError {
    static func wrongLength(of subject: String, found: Int) -> IdentifierError {
        IdentifierError(.wrongLength, "The \(subject) must have 18 characters, not \(found).")
    }

    static func badCharacter(at position: Int, mustBe allowed: String) -> IdentifierError {
        IdentifierError(.badCharacter, position: position, "Character \(position) must be \(allowed).")
    }

    static func badCheckCharacter(expected: UInt8, found: UInt8) -> IdentifierError {
        let expectedText = String(UnicodeScalar(expected))
        let foundText = String(UnicodeScalar(found))
        return IdentifierError(
            .badCheckCharacter,
            position: 18,
            "The check character is wrong: expected \(expectedText), found \(foundText)."
        )
    }

    /// Checks text that is not 18 ASCII bytes, so that a non-ASCII character (say a full-width digit) in an
    /// otherwise 18-character identifier is reported by position rather than as a length problem.
    static func forNonASCII(
        _ bytes: UnsafeBufferPointer<UInt8>,
        subject: String,
        isAllowed: (_ position: Int, _ byte: UInt8) -> Bool,
        allowedDescription: (_ position: Int) -> String
    ) -> IdentifierError {
        let text = String(decoding: bytes, as: UTF8.self)
        let count = text.count
        guard count == 18 else { return .wrongLength(of: subject, found: count) }
        var position = 0
        for character in text {
            position += 1
            guard let ascii = character.asciiValue, isAllowed(position, ascii) else {
                return .badCharacter(at: position, mustBe: allowedDescription(position))
            }
        }
        // Unreachable: 18 characters that are all ASCII would have been 18 bytes.
        return .wrongLength(of: subject, found: bytes.count)
    }
}
