public import DossierCore

/// One cell of a sheet as Dossier reads it: text as typed, a number as the workbook keeps it, a
/// date as `YYYY-MM-DD`, or why the value cannot be read exactly.
public enum XLSXValue: Sendable, Hashable {
    /// No cell, or a cell with no value (formatting only).
    case empty
    /// Text: a shared or inline string, or a formula's text result.
    case text(String)
    /// A number, as the workbook wrote it (`1234.5`, `-3`), with binary rounding noise beyond 15
    /// significant digits taken off as Excel itself shows it.
    case number(String)
    /// A number shown as a date: the day, `YYYY-MM-DD`.
    case date(CivilDate)
    /// TRUE or FALSE.
    case boolean(Bool)
    /// A value that cannot be read without changing it.
    case unreadable(XLSXValueProblem)

    /// The value as the text a CSV export of the sheet would hold (empty for `.unreadable`).
    public var text: String {
        switch self {
        case .empty, .unreadable: return ""
        case .text(let text), .number(let text): return text
        case .date(let date): return date.description
        case .boolean(let value): return value ? "TRUE" : "FALSE"
        }
    }

    /// True for a value typed as a number (dates and booleans are numbers in a workbook).
    public var isNumeric: Bool {
        switch self {
        case .number, .date, .boolean: return true
        case .empty, .text, .unreadable: return false
        }
    }

    var isEmpty: Bool {
        switch self {
        case .empty: return true
        case .text(let text): return text.isEmpty
        default: return false
        }
    }
}

/// Why a cell's value cannot be read exactly: a phrase that follows "the value …", naming no
/// value (it may be an identity number).
public struct XLSXValueProblem: Sendable, Hashable, CustomStringConvertible {
    public let description: String
    /// True when the cell was typed as a number (in exponent form, or of too many digits).
    public let isNumber: Bool

    init(_ description: String, isNumber: Bool = false) {
        self.description = description
        self.isNumber = isNumber
    }

    static let exponent = XLSXValueProblem(
        "is a number the workbook keeps in exponent form (such as 1.1E+17), so digits may be lost; type it as text.",
        isNumber: true
    )
    static let tooManyDigits = XLSXValueProblem(
        "is a number of more than 15 digits, which a spreadsheet cannot keep exactly; type it as text.",
        isNumber: true
    )
    static let notANumber = XLSXValueProblem("is marked as a number but is not one (the workbook is damaged).")
    static let dateOutOfRange = XLSXValueProblem("is a date the workbook cannot express (before 1900 or unreal).")
    static let missingSharedString = XLSXValueProblem(
        "points to a text the workbook does not hold (the workbook is damaged)."
    )
    static func formulaError(_ code: String) -> XLSXValueProblem {
        // The error codes are a fixed set (#N/A, #VALUE!, …): safe to show.
        let known = ["#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"]
        let shown = known.contains(code) ? " \(code)" : ""
        return XLSXValueProblem("is a formula error\(shown), not a value.")
    }
}

/// How the text of a number cell (`<v>`) is read.
enum XLSXNumber {
    /// The value of a number cell written `text` (in XML Schema's double form).
    static func value(_ text: String) -> XLSXValue {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .empty }
        if bytes.contains(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) {
            return Double(text) == nil ? .unreadable(.notANumber) : .unreadable(.exponent)
        }
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { bytes.removeFirst() }
        let point = bytes.firstIndex(of: UInt8(ascii: "."))
        var whole = Array(bytes[..<(point ?? bytes.endIndex)])
        var fraction = point.map { Array(bytes[($0 + 1)...]) } ?? []
        func isDigits(_ part: [UInt8]) -> Bool { part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard isDigits(whole), isDigits(fraction), !(whole.isEmpty && fraction.isEmpty) else {
            return .unreadable(.notANumber)
        }
        while whole.count > 1, whole.first == 0x30 { whole.removeFirst() }
        if whole.isEmpty { whole = [0x30] }
        let significantWhole = whole == [0x30] ? 0 : whole.count
        guard significantWhole <= 15 else { return .unreadable(.tooManyDigits) }
        // A double carries 15 to 17 significant digits; those beyond the 15th are binary noise
        // (0.1 + 0.2 is written 0.30000000000000004), which Excel does not show either.
        let leadingZeros = significantWhole == 0 ? fraction.prefix(while: { $0 == 0x30 }).count : 0
        let keptFraction = 15 - significantWhole + leadingZeros
        if fraction.count > keptFraction {
            let roundUp = fraction[keptFraction] >= 0x35
            fraction.removeLast(fraction.count - keptFraction)
            if roundUp {
                var digits = whole + fraction
                var index = digits.count - 1
                while index >= 0 {
                    if digits[index] == 0x39 {
                        digits[index] = 0x30
                        index -= 1
                    } else {
                        digits[index] += 1
                        break
                    }
                }
                if index < 0 { digits.insert(0x31, at: 0) }
                whole = Array(digits[..<(digits.count - fraction.count)])
                fraction = Array(digits[(digits.count - fraction.count)...])
                // Rounding 999999999999999.9 up makes a 16th digit.
                guard whole.count <= 15 else { return .unreadable(.tooManyDigits) }
            }
        }
        while fraction.last == 0x30 { fraction.removeLast() }
        var result = negative && !(whole == [0x30] && fraction.isEmpty) ? "-" : ""
        result += String(decoding: whole, as: UTF8.self)
        if !fraction.isEmpty { result += "." + String(decoding: fraction, as: UTF8.self) }
        return .number(result)
    }

    /// The day a date cell's serial number stands for: days since 1899-12-31 (serial 1 is
    /// 1900-01-01) with Lotus 1-2-3's phantom 1900-02-29 as serial 60, which Excel keeps; or days
    /// since 1904-01-01 in the 1904 system. A time of day (the fraction) is dropped, as a date
    /// format does not show it.
    static func date(_ text: String, uses1904Dates: Bool) -> XLSXValue {
        guard !text.contains(where: { $0 == "E" || $0 == "e" }), let serial = Double(text), serial.isFinite else {
            return .unreadable(.notANumber)
        }
        // Excel's last day is 9999-12-31 (serial 2,958,465).
        guard serial >= (uses1904Dates ? 0 : 1), serial < 2_958_466 else { return .unreadable(.dateOutOfRange) }
        let days = Int(serial.rounded(.down))
        let epoch1970: Int
        if uses1904Dates {
            // 1904-01-01 is 24,107 days before 1970-01-01.
            epoch1970 = days - 24_107
        } else if days == 60 {
            return .unreadable(.dateOutOfRange)
        } else {
            // 1899-12-30 is 25,569 days before 1970-01-01; serials below 60 are one day later.
            epoch1970 = days - 25_569 + (days < 60 ? 1 : 0)
        }
        // 9999-12-31, the last day Excel (and CivilDate) knows.
        guard epoch1970 <= 2_932_896 else { return .unreadable(.dateOutOfRange) }
        return .date(CivilDate(dayNumber: epoch1970))
    }
}
