public import DossierCore
import DossierReportFiles
import Foundation

/// Where a node's statistical tables come from: those shipped with Dossier, and the node's own
/// `reports/` folder, whose files add tables or replace a shipped one of the same name (and
/// whose `dimensions.yaml`, when present, replaces the shipped groupings).
public struct ReportSource: Sendable {
    /// The node's `reports/` folder; nil: shipped tables only.
    public let folder: String?

    public init(folder: String?) {
        self.folder = folder
    }

    /// Every table and the groupings, all or nothing: the first file that does not load is
    /// refused with its file, line and reason.
    public func catalog(ladder: Dated<RankLadder>) throws(PolicyError) -> ReportCatalog {
        var dimensionsText = ReportFiles.dimensionsText
        var dimensionsFile = "Reports/" + ReportDimensionsFile.fileName
        var texts: [String: (text: String, file: String)] = [:]
        for (name, text) in ReportFiles.tables { texts[String(name.dropLast(5))] = (text, "Reports/tables/" + name) }
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names.sorted() where name.hasSuffix(".yaml") {
                let path = folder + "/" + name
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw PolicyError(file: path, reason: "it cannot be read (it must be UTF-8 text)")
                }
                if name == ReportDimensionsFile.fileName {
                    dimensionsText = text
                    dimensionsFile = path
                } else {
                    texts[String(name.dropLast(5))] = (text, path)
                }
            }
        }
        guard let dimensionsText else {
            throw PolicyError(file: dimensionsFile, reason: "the shipped file is missing from this installation")
        }
        let dimensions = try ReportDimensionsFile.load(yaml: dimensionsText, ladder: ladder, file: dimensionsFile)
        var definitions: [ReportDefinition] = []
        for (name, source) in texts.sorted(by: { $0.key < $1.key }) {
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }), !name.isEmpty else {
                throw PolicyError(
                    file: source.file,
                    reason: "a table's file name is its name on the command line: use letters, digits and '-' only"
                )
            }
            definitions.append(try ReportDefinitionFile.load(yaml: source.text, name: name, file: source.file))
        }
        for definition in definitions {
            for case .sameTotalAs(let other) in definition.checks
            where !definitions.contains(where: { $0.name == other }) {
                let source = texts[definition.name]!
                // The line that names it, for the statistician mending the file.
                let line = source.text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                    $0.contains("same-total-as") && $0.contains(other)
                }
                throw PolicyError(
                    file: source.file,
                    reason: (line.map { "line \($0 + 1): " } ?? "")
                        + "the check same-total-as names the table '\(other)', which does not exist"
                )
            }
        }
        return ReportCatalog(definitions: definitions, dimensions: dimensions)
    }
}
