public import DossierCore
import Foundation

extension ReportTable {
    /// CSV as Excel opens it: UTF-8 with a byte-order mark (so Chinese headers show), one header
    /// line (two-level headers joined with `/`), the row label first, numbers as numbers, the
    /// 合计 row last. Lines end in CRLF (RFC 4180).
    public func csv() -> [UInt8] {
        var out: [UInt8] = [0xEF, 0xBB, 0xBF]
        func line(_ fields: [String]) {
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                CSVCell.append(field, to: &out)
            }
            out.append(contentsOf: [13, 10])
        }
        line([rowHeader] + columns)
        for row in rows { line([row.label] + row.values.map(String.init)) }
        return out
    }

    /// The table as JSON (keys sorted, so the same table gives the same bytes).
    public func json() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return Array(try encoder.encode(self))
    }
}
