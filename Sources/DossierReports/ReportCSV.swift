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

/// The files a table is written as, each with its media type: the command line and the API
/// write a table through this one switch.
public enum ReportFormat: String, Sendable, CaseIterable {
    case csv, xlsx, html, json

    public var contentType: String {
        switch self {
        case .json: "application/json"
        case .csv: "text/csv; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .html: "text/html; charset=utf-8"
        }
    }

    /// `table` in this format, with `cover` above it where the format has one (XLSX, HTML).
    public func bytes(of table: ReportTable, cover: ReportCover) throws -> [UInt8] {
        switch self {
        case .csv: table.csv()
        case .json: try table.json()
        case .html: Array(table.html(cover: cover).utf8)
        case .xlsx: try table.xlsx(cover: cover)
        }
    }
}
