public import DossierCore
import Yams

/// Reads `rank-ladder.yaml` into a dated `RankLadder`, refusing an empty ladder, a step without
/// a code or a name, a code or a name given twice, and any key it does not know.
public enum RankLadderFile {
    public static let fileName = "rank-ladder.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "rank-ladder"

    private struct File: Decodable {
        var ranks: [[String: String]]
    }

    /// Parses and checks every version of the file (see `PolicyEnvelope`).
    public static func load(yaml text: String, file: String = fileName) throws(PolicyError) -> Dated<RankLadder> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(version, file: file)
        }
    }

    private static func loadVersion(_ version: PolicyEnvelope.Version, file: String) throws(PolicyError) -> RankLadder {
        func fail(_ reason: String) -> PolicyError {
            PolicyError(file: file, reason: "the version starting on line \(version.line): \(reason)")
        }
        try KnownKeys.check(
            version.text,
            top: ["kind", "version", "effective_from", "ranks"],
            entries: [:],
            file: file
        )
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: version.text)
        } catch {
            throw fail("it is not valid YAML of the expected shape (ranks: a list of {code, name}) (\(error))")
        }
        guard !parsed.ranks.isEmpty else { throw fail("ranks lists no rank") }
        var steps: [RankLadder.Step] = []
        var spellings: Set<String> = []
        for (index, entry) in parsed.ranks.enumerated() {
            let position = "rank \(index + 1) of the list"
            if let unknown = entry.keys.sorted().first(where: { $0 != "code" && $0 != "name" }) {
                throw fail("\(position) has an unknown key '\(unknown)' (a rank has a code and a name)")
            }
            guard let code = entry["code"], !code.isEmpty else { throw fail("\(position) has no code") }
            guard let name = entry["name"], !name.isEmpty else { throw fail("\(position) (\(code)) has no name") }
            guard code.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else {
                throw fail("the code '\(code)' may hold only letters, digits and punctuation, no spaces")
            }
            for spelling in [code, name] {
                guard spellings.insert(spelling).inserted else {
                    throw fail("'\(spelling)' names two ranks; each code and each name names one")
                }
            }
            steps.append(RankLadder.Step(rank: Rank(code: code), name: name))
        }
        return RankLadder(steps)
    }
}
