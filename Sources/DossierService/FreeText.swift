import DossierCore

/// Free text a person types — a document's title, a reason, a note — checked the same way
/// wherever it comes in, before it reaches the database: a bad value is a clear refusal, never a
/// database error.
enum FreeText {
    /// `text` without surrounding spaces, or an `invalid` error naming `what` (in Chinese, `chineseWhat`): it must hold at
    /// least one character that is not a space of any kind when `required`, at most `maxLength`
    /// (counted as the database counts them), no control characters but tabs and line
    /// breaks (a NUL would cut it short), and no invisible formatting characters (right-to-left
    /// overrides, zero-width spaces: `InvisibleFormatting`, the rule package names follow too).
    static func checked(
        _ text: String,
        _ what: String,
        zh chineseWhat: String,
        maxLength: Int,
        required: Bool = true
    ) throws -> String {
        let trimmed = text.trimmingSpaces()
        if required, trimmed.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            throw ServiceError(.invalid, "\(what) cannot be empty.", zh: "\(chineseWhat)不能为空。")
        }
        if trimmed.unicodeScalars.count > maxLength {
            throw ServiceError(
                .invalid,
                "\(what) can have at most \(maxLength) characters.",
                zh: "\(chineseWhat)最多 \(maxLength) 个字符。"
            )
        }
        if trimmed.unicodeScalars.contains(where: PersonInput.isRefusedControl) {
            throw ServiceError(
                .invalid,
                "\(what) cannot contain NUL or other control characters.",
                zh: "\(chineseWhat)不能含有 NUL 或其他控制字符。"
            )
        }
        if InvisibleFormatting.isIn(trimmed) {
            throw ServiceError(
                .invalid,
                InvisibleFormatting.refusal(what),
                zh: "\(chineseWhat)不能含有不可见的格式字符（如从右至左标记或零宽空格）。"
            )
        }
        return trimmed
    }

    /// An optional text checked as `checked` does; nil when absent or empty after trimming.
    static func optional(_ text: String?, _ what: String, zh chineseWhat: String, maxLength: Int) throws -> String? {
        guard let text else { return nil }
        let checked = try checked(text, what, zh: chineseWhat, maxLength: maxLength, required: false)
        return checked.isEmpty ? nil : checked
    }
}
