public import DossierCore
import Yams

/// Reads `rank-quotas.yaml` into a `RankQuotaPolicy`, refusing ranks the rank ladder in force on a
/// version's date does not hold, empty or duplicate bands, an unknown enforcement and an organisation listed under both `refuse` and `warn`.
public enum RankQuotaPolicyFile {
    public static let fileName = "rank-quotas.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "rank-quotas"

    private struct File: Decodable {
        var bands: [String: BandEntry]
        var enforcement: EnforcementEntry
    }

    private struct BandEntry: Decodable {
        var name: String
        var ranks: [String]
    }

    private struct EnforcementEntry: Decodable {
        var `default`: String
        var refuse: [String]?
        var warn: [String]?
    }

    /// Parses and checks every version of the file (see `PolicyEnvelope`); a band's ranks are
    /// read (by code or name) with the rank ladder in force on the version's date.
    public static func load(
        yaml text: String,
        ladder: Dated<RankLadder>,
        file: String = fileName
    ) throws(PolicyError) -> Dated<RankQuotaPolicy> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(version, ladder: ladder.at(version.effectiveFrom!), file: file)
        }
    }

    private static func loadVersion(
        _ version: PolicyEnvelope.Version,
        ladder: RankLadder,
        file: String
    ) throws(PolicyError)
        -> RankQuotaPolicy
    {
        let text = version.text
        func fail(_ reason: String) -> PolicyError {
            PolicyError(file: file, reason: "the version starting on line \(version.line): \(reason)")
        }
        try KnownKeys.check(
            text,
            top: ["kind", "version", "effective_from", "bands", "enforcement"],
            entries: ["bands": ["name", "ranks"]],
            mappings: ["enforcement": ["default", "refuse", "warn"]],
            file: file
        )
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw fail("it is not valid YAML of the expected shape (\(error))")
        }
        var bands: [RankQuotaPolicy.Band] = []
        for (code, entry) in parsed.bands.sorted(by: { $0.key < $1.key }) {
            guard code.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }) else {
                throw fail("band code '\(code)' may hold only lower-case letters, digits and '-'")
            }
            var ranks: Set<Rank> = []
            for name in entry.ranks {
                guard let rank = ladder.rank(codeOrName: name) else {
                    throw fail("band '\(code)' names a rank the rank ladder does not hold: '\(name)'")
                }
                ranks.insert(rank)
            }
            guard !ranks.isEmpty else { throw fail("band '\(code)' has no ranks") }
            bands.append(RankQuotaPolicy.Band(code: code, name: entry.name, ranks: ranks))
        }
        guard let fallback = Enforcement(rawValue: parsed.enforcement.default) else {
            throw fail("enforcement default must be refuse or warn, not '\(parsed.enforcement.default)'")
        }
        var exceptions: [CreditCode: Enforcement] = [:]
        for (mode, codes) in [
            (Enforcement.refuse, parsed.enforcement.refuse), (.warn, parsed.enforcement.warn),
        ] {
            for text in codes ?? [] {
                let code: CreditCode
                do { code = try CreditCode(text) } catch { throw fail("'\(text)' under \(mode.rawValue): \(error)") }
                guard exceptions[code] == nil else { throw fail("\(text) is listed under both refuse and warn") }
                exceptions[code] = mode
            }
        }
        return RankQuotaPolicy(bands: bands, defaultEnforcement: fallback, exceptions: exceptions)
    }
}
