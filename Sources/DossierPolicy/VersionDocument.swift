import DossierCore
import Yams

/// One version of a policy file composed into YAML nodes, so that a refusal can name the line of
/// the very entry at fault, not only where its version starts: a personnel officer fixing a
/// 30-line version should not have to hunt for the one wrong figure.
struct VersionDocument {
    let version: PolicyEnvelope.Version
    let file: String
    /// The document's top-level mapping.
    let root: Node.Mapping
    /// The document itself, for messages about a key that is missing.
    let node: Node

    init(_ version: PolicyEnvelope.Version, file: String) throws(PolicyError) {
        self.version = version
        self.file = file
        let composed: Node?
        do { composed = try Yams.compose(yaml: version.text) } catch {
            throw PolicyError(
                file: file,
                reason: "the version starting on line \(version.line): it is not valid YAML (\(error))"
            )
        }
        guard let composed, let mapping = composed.mapping else {
            throw PolicyError(
                file: file,
                reason: "the version starting on line \(version.line): it is not a YAML mapping"
            )
        }
        self.node = composed
        self.root = mapping
    }

    /// The line of the file `node` starts on (the version's first line when it has no mark).
    func line(of node: Node?) -> Int {
        node?.mark.map { version.line + $0.line - 1 } ?? version.line
    }

    /// A refusal naming the version and, where it differs, the line of `node`.
    func fail(_ node: Node?, _ reason: String) -> PolicyError {
        let at = line(of: node)
        let place =
            at == version.line
            ? "the version starting on line \(version.line)"
            : "the version starting on line \(version.line), at line \(at)"
        return PolicyError(file: file, reason: "\(place): \(reason)")
    }

    /// Refuses a key of `mapping` that is not in `allowed`, naming `what` the mapping is.
    func checkKeys(_ mapping: Node.Mapping, allowed: Set<String>, in what: String?) throws(PolicyError) {
        for (key, _) in mapping where !allowed.contains(key.string ?? "") {
            let known = allowed.subtracting(["kind", "version", "effective_from"]).sorted().joined(separator: ", ")
            throw fail(key, "unknown key '\(key.string ?? "?")'\(what.map { " in \($0)" } ?? "") (known: \(known))")
        }
    }

    /// The key node `name` itself (where its line is written), for a refusal about the whole
    /// section under it; nil when absent.
    func key(_ name: String) -> Node? {
        root.first { $0.key.string == name }?.key
    }

    /// The value under `key`, which must be present.
    func required(_ key: String, _ hint: String) throws(PolicyError) -> Node {
        guard let value = root[key] else { throw fail(nil, "\(key) is missing (\(hint))") }
        return value
    }

    /// A whole number of at least `minimum`, written as a plain number.
    func whole(_ node: Node, _ what: String, atLeast minimum: Int) throws(PolicyError) -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string), value >= minimum else {
            let expected = minimum == 1 ? "a positive whole number" : "a whole number of at least \(minimum)"
            throw fail(node, "\(what) must be \(expected), not '\(node.scalar?.string ?? "a list or mapping")'")
        }
        return value
    }

    /// A percentage: a whole number from 0 to 100.
    func percent(_ node: Node, _ what: String) throws(PolicyError) -> Int {
        guard let scalar = node.scalar, let value = Int(scalar.string), (0...100).contains(value) else {
            throw fail(node, "\(what) must be a whole percentage from 0 to 100, not '\(node.scalar?.string ?? "?")'")
        }
        return value
    }

    /// A rank of `ladder` by code or name.
    func rank(_ node: Node, _ what: String, ladder: RankLadder) throws(PolicyError) -> Rank {
        guard let text = node.string, let rank = ladder.rank(codeOrName: text) else {
            throw fail(
                node,
                "\(what) '\(node.string ?? "?")' is not a rank of the rank ladder in force on \(version.effectiveFrom.map(\.description) ?? "that day")"
            )
        }
        return rank
    }

    /// `refuse` or `warn`.
    func enforcement(_ node: Node, _ what: String) throws(PolicyError) -> Enforcement {
        guard let text = node.string, let value = Enforcement(rawValue: text) else {
            throw fail(node, "\(what) must be refuse or warn, not '\(node.string ?? "?")'")
        }
        return value
    }

    /// `true` or `false`.
    func bool(_ node: Node, _ what: String) throws(PolicyError) -> Bool {
        switch node.scalar?.string {
        case "true": return true
        case "false": return false
        default: throw fail(node, "\(what) must be true or false, not '\(node.scalar?.string ?? "?")'")
        }
    }
}
