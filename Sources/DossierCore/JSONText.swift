/// A value written in JSON as one string: a code table entry (its code), a date
/// (`YYYY-MM-DD`), a credit code, or text itself.
///
/// Response types that write every key (absent values as null) use
/// `encodeText(_:forKey:)`: it hands the encoder a plain `String`, which JSON encoders write
/// directly, instead of a nested value they must encode through a container of its own (several
/// times the work on a hot path such as a person look-up).
public protocol JSONText {
    /// The string written for this value; the same as its `Encodable` form.
    var jsonText: String { get }
}

extension String: JSONText {
    public var jsonText: String { self }
}

extension CivilDate: JSONText {
    public var jsonText: String { description }
}

extension CreditCode: JSONText {
    public var jsonText: String { value }
}

extension CodedValue {
    public var jsonText: String { code }
}

extension KeyedEncodingContainerProtocol {
    /// Writes `value` as its text, or null when it is absent, so the key is always there.
    public mutating func encodeText(_ value: (some JSONText)?, forKey key: Key) throws {
        if let value { try encode(value.jsonText, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
