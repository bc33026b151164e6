import Yams

/// Refuses keys a policy file does not define: a misspelt `need:` must not be skipped silently
/// (Codable decoding ignores unknown keys).
enum KnownKeys {
    /// The allowed keys at each level: `top` for the document, and for the mappings under the
    /// named sections, the keys every entry may have.
    static func check(
        _ text: String,
        top: Set<String>,
        entries: [String: Set<String>],
        mappings: [String: Set<String>] = [:],
        file: String
    ) throws(PolicyError) {
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch {
            throw PolicyError(file: file, reason: "it is not valid YAML (\(error))")
        }
        guard let document = root as? [String: Any] else {
            throw PolicyError(file: file, reason: "it is not a YAML mapping")
        }
        for key in document.keys where !top.contains(key) {
            throw PolicyError(file: file, reason: "it has an unknown key '\(key)'")
        }
        for (section, allowed) in entries {
            guard let entriesOfSection = document[section] as? [String: Any] else { continue }
            for (name, value) in entriesOfSection {
                guard let entry = value as? [String: Any] else { continue }
                for key in entry.keys where !allowed.contains(key) {
                    throw PolicyError(file: file, reason: "\(section) '\(name)' has an unknown key '\(key)'")
                }
            }
        }
        for (section, allowed) in mappings {
            guard let mapping = document[section] as? [String: Any] else { continue }
            for key in mapping.keys where !allowed.contains(key) {
                throw PolicyError(file: file, reason: "\(section) has an unknown key '\(key)'")
            }
        }
    }
}
