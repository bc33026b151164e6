/// How one value becomes one CSV cell, for every CSV file Dossier writes (the command line's
/// `--format csv` listings and the people file `dossier demo --people-csv` writes for import).
///
/// A spreadsheet opening a CSV file runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula (a tab or carriage return in front is skipped by some of them), so a name such as
/// `=HYPERLINK("http://…")` typed into Dossier would become a live link, or a command, on the
/// desk of whoever opens the export. Such a cell is written with a `'` in front, which
/// spreadsheets read as "text follows" (the OWASP advice on CSV injection). This is done for
/// every cell, numbers included: `-3` is written `'-3`, and a phone number `+86…` is written
/// `'+86…`.
///
/// So that Dossier reads back what it writes, the importer removes that one `'` again
/// (`importedValue`): a cell `'+8613800000000` imports as `+8613800000000`. A value that really
/// starts with `'` followed by one of those characters therefore loses its `'` on import.
public enum CSVCell {
    /// True for the first characters a spreadsheet may read as the start of a formula.
    public static func startsFormula(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D: return true
        default: return false
        }
    }

    /// The cell for `value`: a `'` in front when it could start a formula, then quoted (with
    /// doubled quotes) when it holds a comma, quote or line break, as RFC 4180 says.
    public static func field(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 3)
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the cell for `value` to `buffer` (for writers that build a file in bytes).
    public static func append(_ value: String, to buffer: inout [UInt8]) {
        let utf8 = value.utf8
        let neutralised = utf8.first.map(startsFormula) ?? false
        let needsQuotes = utf8.contains { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }
        if needsQuotes { buffer.append(34) }
        if neutralised { buffer.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            if byte == 34 { buffer.append(34) }
            buffer.append(byte)
        }
        if needsQuotes { buffer.append(34) }
    }

    /// A value as read from an import file: one `'` in front of a character that could start a
    /// formula is removed, undoing what `field` adds.
    public static func importedValue(_ cell: String) -> String {
        let utf8 = cell.utf8
        guard utf8.count >= 2, utf8.first == UInt8(ascii: "'"), startsFormula(utf8[utf8.index(after: utf8.startIndex)])
        else { return cell }
        return String(cell.dropFirst())
    }
}
