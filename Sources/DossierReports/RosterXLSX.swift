import DossierArchive
import Foundation

/// 花名册: a staff roster of a unit as an Excel workbook, through the same SpreadsheetML writer
/// as the statistical tables. Sheet 1 (花名册) holds the title, the header and one row per
/// person, frozen below the header; sheet 2 (说明) says what the roster covers and who exported it.
/// Every cell is text but the sequence numbers, so an identity number keeps all its digits.
public struct Roster: Sendable, Hashable {
    /// The title over the sheet, e.g. "某某局花名册".
    public var title: String
    /// Lines of the 说明 sheet: (label, text).
    public var notes: [Note]
    /// The column headers, after 序号.
    public var headers: [String]
    /// One row per person, in the order of `headers`.
    public var rows: [[String]]

    public struct Note: Sendable, Hashable {
        public var label: String
        public var text: String

        public init(_ label: String, _ text: String) {
            self.label = label
            self.text = text
        }
    }

    public init(title: String, notes: [Note], headers: [String], rows: [[String]]) {
        self.title = title
        self.notes = notes
        self.headers = headers
        self.rows = rows
    }

    /// Writes the workbook at `path` (the same roster gives the same bytes).
    public func xlsx(to path: String) throws {
        try ZipWriter.write(xlsxParts(), to: path)
    }

    func xlsxParts() -> [(path: String, bytes: [UInt8])] {
        let headerRow = 2
        let parts: [(String, String)] = [
            ("[Content_Types].xml", XLSXPackage.contentTypes),
            ("_rels/.rels", XLSXPackage.rootRelationships),
            (
                "xl/workbook.xml",
                XLSXPackage.workbook(sheetName: "花名册", secondSheetName: "说明", titleRows: headerRow...headerRow)
            ),
            ("xl/_rels/workbook.xml.rels", XLSXPackage.workbookRelationships),
            ("xl/styles.xml", XLSXPackage.styles),
            ("xl/worksheets/sheet1.xml", rosterSheet(headerRow: headerRow)),
            ("xl/worksheets/sheet2.xml", notesSheet()),
        ]
        return parts.map { ($0.0, Array($0.1.utf8)) }
    }

    private func rosterSheet(headerRow: Int) -> String {
        var sheet = XLSXSheet()
        let columns = ["序号"] + headers
        sheet.set(row: 1, column: 0, .text(title), style: .title)
        sheet.merge(row: 1, column: 0, width: columns.count, height: 1)
        for (column, header) in columns.enumerated() {
            sheet.set(row: headerRow, column: column, .text(header), style: .header)
        }
        for (index, row) in rows.enumerated() {
            sheet.set(row: headerRow + 1 + index, column: 0, .number(index + 1), style: .number)
            for (column, value) in row.enumerated() {
                sheet.set(row: headerRow + 1 + index, column: column + 1, .text(value), style: .label)
            }
        }
        let widths = columns.indices.map { column in
            XLSXSheet.width(
                of: [columns[column]]
                    + rows.prefix(500).map {
                        column == 0 ? "" : ($0.indices.contains(column - 1) ? $0[column - 1] : "")
                    },
                minimum: 6,
                maximum: 40
            )
        }
        return sheet.xml(columnWidths: widths, frozen: (columns: 2, rows: headerRow), landscape: true, selected: true)
    }

    private func notesSheet() -> String {
        var sheet = XLSXSheet()
        for (index, note) in notes.enumerated() {
            sheet.set(row: index + 1, column: 0, .text(note.label), style: .boldLabel)
            sheet.set(row: index + 1, column: 1, .text(note.text), style: .label)
        }
        let widths = [
            XLSXSheet.width(of: notes.map(\.label), minimum: 8, maximum: 30),
            XLSXSheet.width(of: notes.map(\.text), minimum: 20, maximum: 80),
        ]
        return sheet.xml(columnWidths: widths, frozen: (columns: 0, rows: 0), landscape: false, selected: false)
    }
}
