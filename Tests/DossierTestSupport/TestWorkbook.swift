import DossierArchive
import Foundation

/// Builds `.xlsx` workbooks part by part, as ECMA-376 lays them out, for tests that read them:
/// the XML is written here by hand, the zip by libarchive.
public enum TestWorkbook {
    public static let spreadsheetML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    public static let relationshipsNS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    public static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// XML text with `&`, `<`, `>` and `"` escaped.
    public static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// The column letters of a 0-based column (0 is A, 26 is AA).
    public static func column(_ index: Int) -> String {
        var index = index + 1
        var letters = ""
        while index > 0 {
            let remainder = (index - 1) % 26
            letters = String(UnicodeScalar(UInt8(65 + remainder))) + letters
            index = (index - 1) / 26
        }
        return letters
    }

    /// A workbook part listing its sheets (first in tab order first) by relationship id.
    public static func workbookXML(sheets: [String], date1904: Bool = false) -> String {
        let list = sheets.enumerated().map {
            "<sheet name=\"S\($0.offset + 1)\" sheetId=\"\($0.offset + 1)\" r:id=\"\($0.element)\"/>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="\(spreadsheetML)" xmlns:r="\(relationshipsNS)">\
            <workbookPr\(date1904 ? " date1904=\"1\"" : "")/><sheets>\(list.joined())</sheets></workbook>
            """
    }

    /// The workbook's relationships: (id, type's last word, target relative to `xl/`).
    public static func relationshipsXML(_ relationships: [(id: String, type: String, target: String)]) -> String {
        let list = relationships.map {
            "<Relationship Id=\"\($0.id)\" Type=\"\(relationshipsNS)/\($0.type)\" Target=\"\($0.target)\"/>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="\(packageRelationships)">\(list.joined())</Relationships>
            """
    }

    /// A sheet part around rows of cell XML.
    public static func sheetXML(_ rows: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <worksheet xmlns="\(spreadsheetML)"><sheetData>\(rows)</sheetData></worksheet>
        """
    }

    /// A styles part whose cell formats (`s` 0, 1, …) use these number formats; custom ones
    /// (id 164 and up) with their codes.
    public static func stylesXML(formats: [Int], custom: [Int: String] = [:]) -> String {
        let codes = custom.sorted { $0.key < $1.key }.map {
            "<numFmt numFmtId=\"\($0.key)\" formatCode=\"\(escaped($0.value))\"/>"
        }
        let xfs = formats.map { "<xf numFmtId=\"\($0)\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\"/>" }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="\(spreadsheetML)"><numFmts count="\(codes.count)">\(codes.joined())</numFmts>\
            <cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>\
            <cellXfs count="\(xfs.count)">\(xfs.joined())</cellXfs></styleSheet>
            """
    }

    /// The parts every workbook has, around one sheet (`xl/worksheets/sheet1.xml`) and, if
    /// given, a shared-string table and styles.
    public static func parts(
        sheet: String,
        sharedStrings: String? = nil,
        styles: String? = nil,
        date1904: Bool = false
    ) -> [(path: String, bytes: [UInt8])] {
        var relationships = [(id: "rId1", type: "worksheet", target: "worksheets/sheet1.xml")]
        var parts: [(path: String, bytes: [UInt8])] = [
            ("[Content_Types].xml", Array(contentTypes.utf8)),
            ("_rels/.rels", Array(rootRelationships.utf8)),
            ("xl/workbook.xml", Array(workbookXML(sheets: ["rId1"], date1904: date1904).utf8)),
        ]
        if let sharedStrings {
            relationships.append(("rId2", "sharedStrings", "sharedStrings.xml"))
            parts.append(("xl/sharedStrings.xml", Array(sharedStrings.utf8)))
        }
        if let styles {
            relationships.append(("rId3", "styles", "styles.xml"))
            parts.append(("xl/styles.xml", Array(styles.utf8)))
        }
        parts.insert(("xl/_rels/workbook.xml.rels", Array(relationshipsXML(relationships).utf8)), at: 3)
        // As Excel orders them: the sheet before the shared strings it points into.
        parts.insert(("xl/worksheets/sheet1.xml", Array(sheet.utf8)), at: 4)
        return parts
    }

    /// A workbook holding `rows` as text cells, through a shared-string table as Excel writes
    /// text; an empty string leaves its cell out.
    public static func write(rows: [[String]], to path: String) throws {
        var strings: [String] = []
        var index: [String: Int] = [:]
        var rowsXML = ""
        for (number, row) in rows.enumerated() {
            rowsXML += "<row r=\"\(number + 1)\">"
            for (column, value) in row.enumerated() where !value.isEmpty {
                let position = index[value] ?? strings.count
                if position == strings.count {
                    strings.append(value)
                    index[value] = position
                }
                rowsXML += "<c r=\"\(Self.column(column))\(number + 1)\" t=\"s\"><v>\(position)</v></c>"
            }
            rowsXML += "</row>"
        }
        let shared = strings.map { "<si><t xml:space=\"preserve\">\(escaped($0))</t></si>" }
        let table = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <sst xmlns="\(spreadsheetML)" count="\(strings.count)" uniqueCount="\(strings.count)">\(shared.joined())</sst>
            """
        try ZipWriter.write(parts(sheet: sheetXML(rowsXML), sharedStrings: table), to: path)
    }

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>
        """

    static let rootRelationships = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="\(packageRelationships)">\
        <Relationship Id="rId1" Type="\(relationshipsNS)/officeDocument" Target="xl/workbook.xml"/></Relationships>
        """
}
