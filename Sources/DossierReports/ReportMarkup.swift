/// Text made safe to write between tags or inside a quoted attribute, for the workbook's XML and
/// the HTML page alike. Labels come from definition files and organisation names, which anyone
/// with an editor can fill with markup or stray control characters.
enum ReportMarkup {
    /// `text` with `&`, `<`, `>`, `"` and `'` escaped, and the characters XML 1.0 forbids (C0
    /// controls but tab, line feed and carriage return; U+FFFE and U+FFFF) left out: an
    /// escape (`&#1;`) would not help, as no XML 1.0 parser accepts them in any form.
    ///
    /// - Parameter ooxml: also escapes the underscore that starts a `_xHHHH_` sequence (as
    ///   `_x005F_`), which spreadsheet programs would otherwise read as an escaped character
    ///   (ECMA-376 Part 1, 22.9.2.19 ST_Xstring).
    static func escaped(_ text: String, ooxml: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "_" where ooxml && startsEscapeSequence(scalars, at: index): out += "_x005F_"
            default:
                guard isAllowed(scalar) else { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Whether XML 1.0 allows the character (its `Char` production; Swift strings hold no
    /// surrogates, so only the controls and two non-characters are left to refuse).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0..<0x20: false
        case 0xFFFE, 0xFFFF: false
        default: true
        }
    }

    /// Whether `_xHHHH_` (four hex digits) starts at `index`.
    private static func startsEscapeSequence(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)..<(index + 6)].allSatisfy { $0.properties.isASCIIHexDigit }
    }
}
