import DossierArchive
import Foundation

extension ReportTable {
    /// Writes the table as an Excel workbook at `path`: sheet 1 (named 表N) holds the title, the
    /// cover, the header with its merged cells and the figures as numbers, frozen below the
    /// header and right of the row labels; sheet 2 (校核) lists every check with both figures.
    ///
    /// The SpreadsheetML is written by hand and the zip has fixed timestamps, so the same table
    /// and cover give the same file byte for byte (a report sent twice can be told unchanged).
    public func xlsx(cover: ReportCover, to path: String) throws {
        try ZipWriter.write(xlsxParts(cover: cover), to: path)
    }

    /// The workbook `xlsx(cover:to:)` writes, as bytes (written through a file in the system's
    /// temporary folder, as libarchive writes zips to files, and removed again).
    public func xlsx(cover: ReportCover) throws -> [UInt8] {
        let file = FileManager.default.temporaryDirectory
            .appendingPathComponent("dossier-report-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        try xlsx(cover: cover, to: file.path)
        return Array(try Data(contentsOf: file))
    }

    /// The workbook's parts (zip path, bytes) in the order they are zipped.
    func xlsxParts(cover: ReportCover) -> [(path: String, bytes: [UInt8])] {
        let sheetName = "表\(number)"
        let layout = XLSXLayout(table: self, coverLines: cover.lines(for: self).count)
        let parts: [(String, String)] = [
            ("[Content_Types].xml", XLSXPackage.contentTypes),
            ("_rels/.rels", XLSXPackage.rootRelationships),
            ("xl/workbook.xml", XLSXPackage.workbook(sheetName: sheetName, titleRows: layout.headerRowNumbers)),
            ("xl/_rels/workbook.xml.rels", XLSXPackage.workbookRelationships),
            ("xl/styles.xml", XLSXPackage.styles),
            ("xl/worksheets/sheet1.xml", tableSheet(cover: cover, layout: layout)),
            ("xl/worksheets/sheet2.xml", checkSheet()),
        ]
        return parts.map { ($0.0, Array($0.1.utf8)) }
    }

    /// Sheet 1: title, cover, header, rows.
    private func tableSheet(cover: ReportCover, layout: XLSXLayout) -> String {
        var sheet = XLSXSheet()
        let lastColumn = columns.count

        sheet.set(row: 1, column: 0, .text(title), style: .title)
        sheet.merge(row: 1, column: 0, width: lastColumn + 1, height: 1)

        for (index, line) in cover.lines(for: self).enumerated() {
            sheet.set(row: 2 + index, column: 0, .text(line.label + "："), style: .plain)
            sheet.set(row: 2 + index, column: 1, .text(line.text ?? XLSXSheet.blankLine), style: .plain)
        }

        let top = layout.headerTop
        for row in 0..<headerRows {
            for column in 0...lastColumn { sheet.set(row: top + row, column: column, .blank, style: .header) }
        }
        sheet.set(row: top, column: 0, .text(rowHeader), style: .header)
        sheet.merge(row: top, column: 0, width: 1, height: headerRows)
        for cell in header {
            sheet.set(row: top + cell.row, column: 1 + cell.column, .text(cell.label), style: .header)
            sheet.merge(row: top + cell.row, column: 1 + cell.column, width: cell.width, height: cell.height)
        }

        for (index, row) in rows.enumerated() {
            let number = layout.firstDataRow + index
            let bold = row.kind != .item
            sheet.set(row: number, column: 0, .text(row.label), style: bold ? .boldLabel : .label)
            for (column, value) in row.values.enumerated() {
                sheet.set(row: number, column: 1 + column, .number(value), style: bold ? .boldNumber : .number)
            }
        }

        var widths = [XLSXSheet.width(of: [rowHeader] + rows.map(\.label) + ["单位负责人："], minimum: 10, maximum: 50)]
        for column in columns.indices {
            let labels = header.filter { $0.column == column && $0.width == 1 }.map(\.label)
            let figures = rows.map { String($0.values[column]) }
            widths.append(XLSXSheet.width(of: labels + figures, minimum: 6, maximum: 20))
        }
        return sheet.xml(
            columnWidths: widths,
            frozen: (columns: 1, rows: layout.firstDataRow - 1),
            landscape: true,
            selected: true
        )
    }

    /// Sheet 2 (校核): one row per check, both figures as numbers.
    private func checkSheet() -> String {
        var sheet = XLSXSheet()
        for (column, heading) in ["校核式", "单元格", "应为", "实为", "结果"].enumerated() {
            sheet.set(row: 1, column: column, .text(heading), style: .header)
        }
        for (index, check) in checks.enumerated() {
            let row = 2 + index
            sheet.set(row: row, column: 0, .text(check.rule), style: .label)
            sheet.set(row: row, column: 1, .text(check.cell), style: .label)
            sheet.set(row: row, column: 2, .number(check.expected), style: .number)
            sheet.set(row: row, column: 3, .number(check.actual), style: .number)
            sheet.set(row: row, column: 4, .text(check.passed ? "通过" : "未通过"), style: check.passed ? .label : .failed)
        }
        if checks.isEmpty { sheet.set(row: 2, column: 0, .text("本表没有校核式。"), style: .plain) }
        let widths = [
            XLSXSheet.width(of: ["校核式"] + checks.map(\.rule), minimum: 20, maximum: 60),
            XLSXSheet.width(of: ["单元格"] + checks.map(\.cell), minimum: 12, maximum: 40),
            10, 10, 8,
        ]
        return sheet.xml(columnWidths: widths, frozen: (columns: 0, rows: 1), landscape: true, selected: false)
    }
}

/// Where sheet 1's parts go: the title in row 1, the cover's lines below it, a blank row, the
/// header rows, then the rows of figures.
struct XLSXLayout {
    /// The first header row (1-based).
    var headerTop: Int
    var firstDataRow: Int

    init(table: ReportTable, coverLines: Int) {
        headerTop = 2 + coverLines + 1
        firstDataRow = headerTop + table.headerRows
    }

    /// The header rows, repeated on every printed page.
    var headerRowNumbers: ClosedRange<Int> { headerTop...(firstDataRow - 1) }
}

/// One worksheet's cells, merged ranges and view, written as SpreadsheetML.
struct XLSXSheet {
    enum Value: Hashable {
        /// An inline string (no shared-string table: a report's labels are few).
        case text(String)
        case number(Int)
        /// A cell with a style only (the borders of a merged header cell).
        case blank
    }

    /// The cell formats of `XLSXPackage.styles`, by their index in its `cellXfs`.
    enum Style: Int {
        case plain = 0
        case title
        case header
        case label
        case number
        case boldLabel
        case boldNumber
        case failed
    }

    /// What a line to fill in by hand holds.
    static let blankLine = "________________"

    /// Row → column → cell.
    private var cells: [Int: [Int: (value: Value, style: Style)]] = [:]
    private var merges: [String] = []

    mutating func set(row: Int, column: Int, _ value: Value, style: Style) {
        cells[row, default: [:]][column] = (value, style)
    }

    /// Merges the cells from (`row`, `column`) over `width` columns and `height` rows; a single
    /// cell is left alone.
    mutating func merge(row: Int, column: Int, width: Int, height: Int) {
        guard width > 1 || height > 1 else { return }
        let first = Self.reference(row: row, column: column)
        merges.append("\(first):\(Self.reference(row: row + height - 1, column: column + width - 1))")
    }

    /// The sheet's XML. `frozen`: columns left of and rows above the frozen pane (none when 0).
    func xml(columnWidths: [Int], frozen: (columns: Int, rows: Int), landscape: Bool, selected: Bool) -> String {
        let lastRow = cells.keys.max() ?? 1
        let lastColumn = cells.values.compactMap { $0.keys.max() }.max() ?? 0
        var out = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="\(XLSXPackage.spreadsheetML)" xmlns:r="\(XLSXPackage.relationshipsNS)">\
            <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>\
            <dimension ref="A1:\(Self.reference(row: lastRow, column: lastColumn))"/>
            """
        out += "<sheetViews><sheetView\(selected ? " tabSelected=\"1\"" : "") workbookViewId=\"0\">"
        if frozen.columns > 0 || frozen.rows > 0 {
            let topLeft = Self.reference(row: frozen.rows + 1, column: frozen.columns)
            let pane =
                frozen.columns > 0 && frozen.rows > 0 ? "bottomRight" : frozen.rows > 0 ? "bottomLeft" : "topRight"
            out += "<pane"
            if frozen.columns > 0 { out += " xSplit=\"\(frozen.columns)\"" }
            if frozen.rows > 0 { out += " ySplit=\"\(frozen.rows)\"" }
            out += " topLeftCell=\"\(topLeft)\" activePane=\"\(pane)\" state=\"frozen\"/>"
            out += "<selection pane=\"\(pane)\" activeCell=\"\(topLeft)\" sqref=\"\(topLeft)\"/>"
        }
        out += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (index, width) in columnWidths.enumerated() {
            out += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(width)\" customWidth=\"1\"/>"
        }
        out += "</cols><sheetData>"
        for row in cells.keys.sorted() {
            out +=
                row == 1 && cells[row]?[0]?.style == .title
                ? "<row r=\"1\" ht=\"24\" customHeight=\"1\">" : "<row r=\"\(row)\">"
            for (column, cell) in cells[row]!.sorted(by: { $0.key < $1.key }) {
                let reference = Self.reference(row: row, column: column)
                let style = cell.style == .plain ? "" : " s=\"\(cell.style.rawValue)\""
                switch cell.value {
                case .text(let text):
                    let escaped = ReportMarkup.escaped(text, ooxml: true)
                    out +=
                        "<c r=\"\(reference)\"\(style) t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped)</t></is></c>"
                case .number(let number):
                    out += "<c r=\"\(reference)\"\(style)><v>\(number)</v></c>"
                case .blank:
                    out += "<c r=\"\(reference)\"\(style)/>"
                }
            }
            out += "</row>"
        }
        out += "</sheetData>"
        if !merges.isEmpty {
            out += "<mergeCells count=\"\(merges.count)\">"
            for range in merges { out += "<mergeCell ref=\"\(range)\"/>" }
            out += "</mergeCells>"
        }
        // 12 mm margins, as the HTML page prints; fitted to the page's width, any number of pages long.
        out += "<pageMargins left=\"0.47\" right=\"0.47\" top=\"0.47\" bottom=\"0.47\" header=\"0.3\" footer=\"0.3\"/>"
        out += "<pageSetup paperSize=\"9\" orientation=\"\(landscape ? "landscape" : "portrait")\""
        out += " fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>"
        return out
    }

    /// A cell reference, `B7`, from a 1-based row and a 0-based column.
    static func reference(row: Int, column: Int) -> String {
        var index = column + 1
        var letters: [Character] = []
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.insert(Character(Unicode.Scalar(UInt8(65 + remainder))), at: 0)
            index = (index - 1) / 26
        }
        return String(letters) + String(row)
    }

    /// A column width (in characters of the default font) that shows the widest of `texts`,
    /// counting a Chinese character as two.
    static func width(of texts: [String], minimum: Int, maximum: Int) -> Int {
        let widest =
            texts.map { text in text.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) } }.max() ?? 0
        return min(max(widest + 2, minimum), maximum)
    }
}

/// The parts of a workbook that do not depend on the table.
enum XLSXPackage {
    static let spreadsheetML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationshipsNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"

    static let contentTypes = """
        \(declaration)<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/worksheets/sheet2.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
        """

    static let rootRelationships = """
        \(declaration)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(relationshipsNS)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """

    static let workbookRelationships = """
        \(declaration)<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="\(relationshipsNS)/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="\(relationshipsNS)/worksheet" Target="worksheets/sheet2.xml"/>\
        <Relationship Id="rId3" Type="\(relationshipsNS)/styles" Target="styles.xml"/></Relationships>
        """

    /// The workbook: the table's sheet, then the second (校核 for a report); the header rows
    /// printed on every page.
    static func workbook(sheetName: String, secondSheetName: String = "校核", titleRows: ClosedRange<Int>) -> String {
        let name = ReportMarkup.escaped(sheetName)
        // A sheet name in a formula is quoted with apostrophes, an apostrophe in it doubled.
        let quoted = "'" + name.replacingOccurrences(of: "&#39;", with: "''") + "'"
        return """
            \(declaration)<workbook xmlns="\(spreadsheetML)" xmlns:r="\(relationshipsNS)">\
            <bookViews><workbookView activeTab="0"/></bookViews><sheets>\
            <sheet name="\(name)" sheetId="1" r:id="rId1"/><sheet name="\(ReportMarkup.escaped(secondSheetName))" sheetId="2" r:id="rId2"/></sheets>\
            <definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">\
            \(quoted)!$\(titleRows.lowerBound):$\(titleRows.upperBound)</definedName></definedNames></workbook>
            """
    }

    /// Fonts: plain, bold, the title's, a failed check's (bold, red). Cell formats in the order
    /// of `XLSXSheet.Style`.
    static let styles: String = {
        func font(bold: Bool = false, size: Int = 11, color: String? = nil) -> String {
            let weight = bold ? "<b/>" : ""
            let tint = color.map { "<color rgb=\"\($0)\"/>" } ?? ""
            return
                "<font>\(weight)<sz val=\"\(size)\"/>\(tint)<name val=\"宋体\"/><family val=\"3\"/><charset val=\"134\"/></font>"
        }
        let fonts = [font(), font(bold: true), font(bold: true, size: 14), font(bold: true, color: "FFC00000")]
        let thin = "style=\"thin\"><color auto=\"1\"/>"
        let borders = [
            "<border><left/><right/><top/><bottom/><diagonal/></border>",
            "<border><left \(thin)</left><right \(thin)</right><top \(thin)</top><bottom \(thin)</bottom><diagonal/></border>",
        ]
        func xf(font: Int, border: Int, alignment: String? = nil) -> String {
            var text = "<xf numFmtId=\"0\" fontId=\"\(font)\" fillId=\"0\" borderId=\"\(border)\" xfId=\"0\""
            if font > 0 { text += " applyFont=\"1\"" }
            if border > 0 { text += " applyBorder=\"1\"" }
            guard let alignment else { return text + "/>" }
            return text + " applyAlignment=\"1\"><alignment \(alignment)/></xf>"
        }
        let formats = [
            xf(font: 0, border: 0),
            xf(font: 2, border: 0, alignment: "horizontal=\"center\" vertical=\"center\""),
            xf(font: 1, border: 1, alignment: "horizontal=\"center\" vertical=\"center\" wrapText=\"1\""),
            xf(font: 0, border: 1, alignment: "vertical=\"center\""),
            xf(font: 0, border: 1),
            xf(font: 1, border: 1, alignment: "vertical=\"center\""),
            xf(font: 1, border: 1),
            xf(font: 3, border: 1, alignment: "vertical=\"center\""),
        ]
        return """
            \(declaration)<styleSheet xmlns="\(spreadsheetML)">\
            <fonts count="\(fonts.count)">\(fonts.joined())</fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill>\
            <fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="\(borders.count)">\(borders.joined())</borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="\(formats.count)">\(formats.joined())</cellXfs>\
            <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
            """
    }()
}
