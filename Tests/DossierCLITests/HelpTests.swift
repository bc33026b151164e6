import Foundation
import Testing

/// Plain-language `--help` that names what a user needs.
@Suite struct HelpTests {
    @Test(
        arguments: [
            (["--help"], ["init", "demo", "org", "quota", "person", "audit", "--data", "YYYY-MM-DD"]),
            (["person", "import", "--help"], PeopleCSV.importColumns + ["--dry-run", "--data", "row"]),
            (["quota", "show", "--help"], ["--date", "--format", "json", "--org", "approved", "vacant", "over"]),
            (["person", "list", "--help"], ["--reveal", "--format", "--limit", "--date"]),
            (["audit", "--help"], ["verify", "head", "log"]),
            (["policy", "--help"], ["list", "show", "validate", "DATA/policies", "shipped", "effective_from"]),
            (["policy", "validate", "--help"], ["kind:", "shipped", "--data"]),
        ]
    )
    func helpExitsZeroAndNamesTheKeyWords(arguments: [String], words: [String]) async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(arguments, scratch: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty, "\(result)")
            for word in words {
                #expect(
                    result.stdout.contains(word),
                    "'\(word)' missing from `dossier \(arguments.joined(separator: " "))`"
                )
            }
        }
    }
}
