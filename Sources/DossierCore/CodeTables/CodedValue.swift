/// One entry of a national code table (代码表): a stable code and its Chinese name.
///
/// Records store the code; people type either the code or the name, so both are accepted on input.
public protocol CodedValue: Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible, JSONText {
    /// The code from the national standard or from Dossier's own table, e.g. "1", "01", "admin".
    var code: String { get }
    /// The Chinese name, e.g. 男, 汉族, 行政编制.
    var chineseName: String { get }
    /// The table's English name for messages: "sex", "ethnicity", ...
    static var tableName: String { get }
    /// Every accepted spelling (code, Chinese name and any aliases) mapped to its value, built once per type
    /// (usually with `makeLookup(aliases:)`).
    static var byCodeOrName: [String: Self] { get }
}

extension CodedValue {
    /// Looks up a code or Chinese name, ignoring leading and trailing white space; nil if unknown.
    public init?(codeOrName: String) {
        if let value = Self.byCodeOrName[codeOrName] {
            self = value
            return
        }
        let trimmed = codeOrName.trimmingWhiteSpace()
        guard trimmed.startIndex != codeOrName.startIndex || trimmed.endIndex != codeOrName.endIndex,
            let value = Self.byCodeOrName[String(trimmed)]
        else { return nil }
        self = value
    }

    /// The Chinese name.
    public var description: String {
        chineseName
    }

    /// Builds `byCodeOrName` from every case's code and Chinese name plus extra spellings.
    ///
    /// - Precondition: no spelling names two different values.
    public static func makeLookup(aliases: [String: Self] = [:]) -> [String: Self] {
        var lookup: [String: Self] = [:]
        func add(_ key: String, _ value: Self) {
            if let existing = lookup.updateValue(value, forKey: key) {
                precondition(existing == value, "\(tableName) table: \(key) names two values")
            }
        }
        for value in allCases {
            add(value.code, value)
            add(value.chineseName, value)
        }
        for (key, value) in aliases {
            add(key, value)
        }
        return lookup
    }

    /// Decodes from a code or a Chinese name.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(codeOrName: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "\"\(text)\" is not a code or name in the \(Self.tableName) table."
            )
        }
        self = value
    }

    /// Encodes as the code.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

extension String {
    /// The text without leading and trailing white space (including the ideographic space U+3000).
    func trimmingWhiteSpace() -> Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
