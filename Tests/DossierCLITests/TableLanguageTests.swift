import Foundation
import Testing

/// `DOSSIER_LANG=zh` puts every table's headers in Chinese, one word for one meaning across the
/// listings; CSV and JSON keep the headers and keys scripts rely on, and without the choice the
/// tables stay as they were.
@Suite struct TableLanguageTests {
    /// Listings of a small demo node, each as a table.
    static let listings: [[String]] = [
        ["org", "find", "财政"], ["quota", "show"], ["quota", "show", "--posts"], ["person", "list", "--limit", "3"],
        ["person", "timeline", "1"], ["action", "list"], ["case", "list"], ["audit", "log", "--limit", "3"],
        ["assessment", "share", "--year", "2025"], ["doc", "list", "1"], ["keys", "list"], ["user", "list"],
        ["policy", "list"], ["report", "list"], ["promotion", "eligible", "--as-of", "2026-12-31"],
        ["exchange", "pending"], ["org", "show", "11390000D00000001U"], ["quota", "overview"],
        ["person", "id-numbers", "1"], ["user", "tokens", "officer"], ["keys", "list", "--trusted"],
        ["sanction", "list", "1"], ["assessment", "pending"],
    ]

    /// The header of the first table in `text`: the line over the first line of dashes.
    static func header(_ text: String) -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let rule = lines.firstIndex(where: { $0.hasPrefix("-") && $0.allSatisfy { $0 == "-" || $0 == " " } }),
            rule > 0
        else { return nil }
        return lines[rule - 1]
    }

    @Test func everyTableSpeaksChineseWhenAskedAndEnglishOtherwise() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "60", "--seed", "43"])
            try await node.succeed(["keys", "generate", "--alg", "ed25519"])
            for listing in Self.listings {
                let chinese = try await node.run(listing, environment: ["DOSSIER_LANG": "zh"])
                #expect(chinese.status == 0, "\(listing): \(chinese)")
                let header = try #require(Self.header(chinese.stdout), "\(listing) printed no table: \(chinese)")
                // SHA-256 is the name of the digest in either language.
                let words = header.replacingOccurrences(of: "SHA-256", with: "")
                #expect(!words.isEmpty, "\(listing) printed no table")
                #expect(
                    !words.contains { $0.isASCII && $0.isLetter },
                    "\(listing) has an English header with DOSSIER_LANG=zh: \(header)"
                )
                // Without the choice, the same table is headed in English, as scripts and tests know it.
                let english = try await node.run(listing)
                let englishHeader = try #require(Self.header(english.stdout), "\(listing): \(english)")
                #expect(englishHeader.contains { $0.isASCII && $0.isLetter }, "\(listing): \(englishHeader)")
            }
            // A CSV keeps its headers: scripts read them.
            let csv = try await node.run(
                ["quota", "show", "--format", "csv"],
                environment: ["DOSSIER_LANG": "zh"]
            )
            #expect(csv.stdout.hasPrefix("org,name,quota,approved,occupied,vacant,over"), "\(csv)")
        }
    }
}
