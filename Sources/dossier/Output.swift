import DossierCore
import Foundation

/// How listings are printed.
enum OutputFormat: String, CaseIterable {
    case table, json, csv
}

/// Renders rows as an aligned text table (Chinese characters count as two columns), CSV or JSON.
struct Listing {
    var headers: [String]
    var rows: [[String]]
    /// Whether a CSV starts with a UTF-8 byte-order mark: Excel reads a file without one in the
    /// computer's local code page, and Chinese comes out garbled.
    var byteOrderMark = false
    /// The table's headers in Chinese where the glossary's word would mislead (an organisation's
    /// `name` is its 名称, not a person's 姓名); nil: the glossary's.
    var chineseHeaders: [String]? = nil

    func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: preconditionFailure("JSON output is encoded from the values, not from a listing")
        }
    }

    private func table() -> String {
        precondition(chineseHeaders.map { $0.count == self.headers.count } ?? true, "a Chinese header for each column")
        let headers = TableWords.chinese ? (chineseHeaders ?? self.headers.map(TableWords.chinese)) : self.headers
        var widths = headers.map(Self.displayWidth)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], Self.displayWidth(cell))
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                let pad = index == cells.count - 1 ? 0 : widths[index] - Self.displayWidth(cell) + 2
                text += cell + String(repeating: " ", count: max(pad, 0))
            }
            return text
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// Every cell through the one CSV rule (`CSVCell`): a cell a spreadsheet would run as a
    /// formula is written as text.
    private func csv() -> String {
        (byteOrderMark ? "\u{FEFF}" : "")
            + ([headers] + rows).map { $0.map(CSVCell.field).joined(separator: ",") }.joined(separator: "\n")
    }

    /// Terminal columns: East Asian wide characters take two.
    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            switch scalar.value {
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
                0xFFE0...0xFFE6, 0x20000...0x3FFFD:
                return width + 2
            default:
                return width + 1
            }
        }
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// The encoder every JSON output uses (one, reused, for a long streamed list).
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
