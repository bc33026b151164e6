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

    @Test func versionNamesTheReleaseAndTheExchangeFormat() async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(["--version"], scratch: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.hasPrefix("dossier 20"), "\(result)")
            #expect(result.stdout.contains("dossier-exchange/"), "\(result)")
        }
    }

    @Test(
        arguments: [
            (["persn", "list"], "'persn' is not a command of 'dossier'. Did you mean 'dossier person'?"),
            (["person", "lst"], "'lst' is not a command of 'dossier person'. Did you mean 'dossier person list'?"),
            (["acton", "approve", "3"], "Did you mean 'dossier action'?"),
            (["action", "aprove", "3"], "Did you mean 'dossier action approve'?"),
            (["quota", "shwo"], "Did you mean 'dossier quota show'?"),
            (["zzzzzz"], "'zzzzzz' is not a command of 'dossier'. The commands are: init, demo, org"),
        ]
    )
    func aMistypedCommandNamesTheNearestOneAndExitsAsAUsageError(arguments: [String], expected: String) async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(arguments, scratch: scratch)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains(expected), "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
        }
    }

    @Test func aKnownCommandWithItsArgumentsIsNotMistakenForATypo() async throws {
        try await withScratchDirectory { scratch in
            // 'restore' takes a file name, and 'help' is ArgumentParser's: neither is a command word.
            for arguments in [["help", "person"], ["restore", "--help"], ["person", "show", "--help"]] {
                let result = try await dossier(arguments, scratch: scratch)
                #expect(result.status == 0, "\(result)")
                #expect(!result.stderr.contains("Did you mean"), "\(result)")
            }
        }
    }
}
