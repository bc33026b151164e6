public import DossierCore
import Yams

/// Reads `Reports/dimensions.yaml` (dated) into the groupings the tables use: levels, age bands,
/// education, ethnicity and political-status groups.
public enum ReportDimensionsFile {
    public static let fileName = "dimensions.yaml"
    public static let kind = "report-dimensions"

    /// Parses and checks every version; ranks are read against the ladder in force on each
    /// version's date.
    public static func load(
        yaml text: String,
        ladder: Dated<RankLadder>,
        file: String = fileName
    ) throws(PolicyError) -> Dated<ReportDimensions> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            let document = try VersionDocument(version, file: file)
            try document.checkKeys(
                document.root,
                allowed: [
                    "kind", "version", "effective_from", "levels", "age_bands", "education", "ethnicity",
                    "political_status", "case_age_days",
                ],
                in: nil
            )
            let ranks = ladder.at(version.effectiveFrom!)
            return ReportDimensions(
                levels: try levels(document, ranks),
                ageBands: try ageBands(document, "age_bands"),
                education: try groups(document, "education") { Education(codeOrName: $0)?.code },
                ethnicity: try groups(document, "ethnicity") { Ethnicity(codeOrName: $0)?.code },
                politicalStatus: try groups(document, "political_status") { PoliticalStatus(codeOrName: $0)?.code },
                caseAges: try ageBands(document, "case_age_days")
            )
        }
    }

    private static func items(_ document: VersionDocument, _ key: String) throws(PolicyError) -> [Node.Mapping] {
        let node = try document.required(key, "a list of groups")
        guard let sequence = node.sequence, !sequence.isEmpty else {
            throw document.fail(node, "\(key) must be a list")
        }
        var result: [Node.Mapping] = []
        for item in sequence {
            guard let mapping = item.mapping, mapping["label"]?.scalar?.string.isEmpty == false else {
                throw document.fail(item, "each entry of \(key) is a mapping with a label")
            }
            if result.contains(where: { $0["label"]?.scalar?.string == mapping["label"]?.scalar?.string }) {
                throw document.fail(
                    item,
                    "the label \(mapping["label"]?.scalar?.string ?? "") is listed twice in \(key)"
                )
            }
            result.append(mapping)
        }
        return result
    }

    private static func rest(_ document: VersionDocument, _ mapping: Node.Mapping) throws(PolicyError) -> Bool {
        try mapping["rest"].map { node throws(PolicyError) in try document.bool(node, "rest") } ?? false
    }

    private static func codes(
        _ document: VersionDocument,
        _ node: Node?,
        _ what: String,
        _ lookup: (String) -> String?
    ) throws(PolicyError) -> Set<String> {
        var result: Set<String> = []
        for item in node?.sequence ?? [] {
            guard let code = item.scalar.flatMap({ lookup($0.string) }) else {
                throw document.fail(item, "'\(item.scalar?.string ?? "?")' is not a \(what) code or name")
            }
            result.insert(code)
        }
        return result
    }

    private static func levels(_ document: VersionDocument, _ ladder: RankLadder) throws(PolicyError) -> [ReportLevel] {
        var levels: [ReportLevel] = []
        var seenRanks: Set<String> = []
        var seenPosts: Set<String> = []
        for mapping in try items(document, "levels") {
            try document.checkKeys(mapping, allowed: ["label", "ranks", "posts", "rest"], in: "a level")
            let ranks = try codes(document, mapping["ranks"], "rank") { ladder.rank(codeOrName: $0)?.code }
            let posts = try codes(document, mapping["posts"], "leadership post") {
                LeadershipPost(codeOrName: $0)?.code
            }
            if let twice = ranks.intersection(seenRanks).first ?? posts.intersection(seenPosts).first {
                throw document.fail(mapping["label"], "\(twice) is placed in two levels")
            }
            seenRanks.formUnion(ranks)
            seenPosts.formUnion(posts)
            levels.append(
                ReportLevel(
                    label: mapping["label"]!.scalar!.string,
                    ranks: ranks,
                    posts: posts,
                    isRest: try rest(document, mapping)
                )
            )
        }
        if levels.filter(\.isRest).count > 1 {
            throw document.fail(document.key("levels"), "only one level can take the rest")
        }
        return levels
    }

    /// Bands of whole numbers (years of age, days open), going up without overlapping.
    private static func ageBands(_ document: VersionDocument, _ key: String) throws(PolicyError) -> [AgeBand] {
        var bands: [AgeBand] = []
        for mapping in try items(document, key) {
            try document.checkKeys(mapping, allowed: ["label", "min", "max"], in: "a band of \(key)")
            let minimum = try mapping["min"].map { node throws(PolicyError) in
                try document.whole(node, "min", atLeast: 0)
            }
            let maximum = try mapping["max"].map { node throws(PolicyError) in
                try document.whole(node, "max", atLeast: 0)
            }
            let band = AgeBand(label: mapping["label"]!.scalar!.string, minimum: minimum, maximum: maximum)
            if let minimum, let maximum, minimum > maximum {
                throw document.fail(mapping["label"], "the band \(band.label) starts after it ends")
            }
            // Bands go up in age and do not overlap, so each age falls in one band at most.
            if let previous = bands.last, (previous.maximum ?? Int.max) >= (minimum ?? Int.min) {
                throw document.fail(
                    mapping["label"],
                    "the band \(band.label) overlaps the one before it or is out of order"
                )
            }
            bands.append(band)
        }
        return bands
    }

    private static func groups(
        _ document: VersionDocument,
        _ key: String,
        _ lookup: (String) -> String?
    ) throws(PolicyError) -> [CodeGroup] {
        var groups: [CodeGroup] = []
        var seen: Set<String> = []
        for mapping in try items(document, key) {
            try document.checkKeys(mapping, allowed: ["label", "codes", "rest"], in: "a group of \(key)")
            let codes = try codes(
                document,
                mapping["codes"],
                key == "political_status" ? "political status" : key,
                lookup
            )
            if let twice = codes.intersection(seen).first {
                throw document.fail(mapping["label"], "the code \(twice) is placed in two groups of \(key)")
            }
            seen.formUnion(codes)
            groups.append(
                CodeGroup(label: mapping["label"]!.scalar!.string, codes: codes, isRest: try rest(document, mapping))
            )
        }
        if groups.filter(\.isRest).count > 1 {
            throw document.fail(document.key(key), "only one group of \(key) can take the rest")
        }
        return groups
    }
}
