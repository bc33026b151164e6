import DossierCore
import Foundation

/// Valid identifiers made with Dossier's own check-character rules.
enum Fixture {
    /// A valid unified social credit code for a test organisation, distinct per `number`.
    static func creditCode(_ number: Int) -> String {
        let digits = String(number)
        let organization = "Q" + String(repeating: "0", count: max(8 - digits.count, 0)) + digits
        return CreditCode.make(authority: "1", entityType: "1", divisionCode: "390000", organizationCode: organization)
            .value
    }

    /// A valid resident identity number, distinct per `number` (0...999).
    static func identityNumber(_ number: Int, born: String = "1985-06-15") -> String {
        ResidentID.make(addressCode: "110105", birthDate: CivilDate(iso: born)!, sequence: number).value
    }
}

/// A people file in the import format: a header and rows keyed by column name.
struct PeopleCSV {
    /// The import format's columns, in the documented order (issue 2).
    static let importColumns = [
        "id_number", "name", "sex", "birth_date", "ethnicity", "education", "political_status", "phone", "org_code",
        "category", "rank", "post", "status", "hired_on",
    ]

    var columns: [String]
    var rows: [[String: String]]

    /// Reads a file written by `dossier demo --people-csv`, which quotes nothing.
    static func read(_ url: URL) throws -> PeopleCSV {
        let text = try String(contentsOf: url, encoding: .utf8)
        guard !text.contains("\"") else {
            throw CommandError("\(url.path) has quoted values; this reader splits on commas")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map {
            $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        guard !lines.isEmpty else { throw CommandError("\(url.path) has no header") }
        let columns = lines.removeFirst()
        let rows = lines.map { Dictionary(uniqueKeysWithValues: zip(columns, $0)) }
        return PeopleCSV(columns: columns, rows: rows)
    }

    /// One line of the file for `row`, in this file's column order.
    func line(_ row: [String: String]) -> String {
        columns.map { row[$0] ?? "" }.joined(separator: ",")
    }

    /// Writes the header and `lines` (already rendered), optionally after a UTF-8 byte order mark.
    func write(_ url: URL, lines: [String], byteOrderMark: Bool = false) throws {
        let text = ([columns.joined(separator: ",")] + lines).joined(separator: "\n") + "\n"
        try Data(((byteOrderMark ? "\u{FEFF}" : "") + text).utf8).write(to: url)
    }

    func write(_ url: URL, byteOrderMark: Bool = false) throws {
        try write(url, lines: rows.map(line), byteOrderMark: byteOrderMark)
    }
}
