public import DossierCore
import Foundation
import Yams

/// The envelope every policy file shares, read in one place: a file holds one or more versions
/// of its policy as YAML documents separated by a line `---`, each with `version` (the format
/// of the file: 1), `effective_from` (the first day the version is in force, YYYY-MM-DD) where
/// the policy is dated, and optionally `kind` (the policy's name, checked when given). Versions
/// are listed oldest first. A new rule is added as a new version below the old ones, so what
/// was in force on any past day stays on file.
public enum PolicyEnvelope {
    /// One version of a policy: its own YAML text and where it starts in the file.
    public struct Version: Sendable, Hashable {
        /// The document's text alone (parsed by the policy's own reader).
        public var text: String
        /// The line of the file the document starts on (1-based), for messages.
        public var line: Int
        /// The first day it is in force (nil for an undated policy).
        public var effectiveFrom: CivilDate?
    }

    /// The versions in `text`, checked: a known format version, a date where the policy is
    /// `dated`, the right `kind` when one is named, and dates strictly increasing.
    ///
    /// - Parameters:
    ///   - allowingNone: a file of comments only holds no version instead of being refused (local
    ///     rules, which a node need not have).
    ///   - datesIncreaseWithin: the top-level key whose value groups the versions whose dates must
    ///     increase (local rules: each changed policy has its own sequence of dates); nil: the
    ///     whole file is one sequence.
    public static func versions(
        of text: String,
        kind: String,
        dated: Bool,
        file: String,
        allowingNone: Bool = false,
        datesIncreaseWithin groupKey: String? = nil
    ) throws(PolicyError) -> [Version] {
        var documents: [(text: String, line: Int)] = []
        var current: [Substring] = []
        var start = 1
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.trimmingCharacters(in: .whitespaces) == "---" {
                documents.append((current.joined(separator: "\n"), start))
                current = []
                start = index + 2
            } else {
                current.append(line)
            }
        }
        documents.append((current.joined(separator: "\n"), start))
        // Comments or nothing before a first `---`, or after a last one, are no version.
        documents.removeAll { document in
            document.text.split(separator: "\n").allSatisfy {
                let content = $0.trimmingCharacters(in: .whitespaces)
                return content.isEmpty || content.hasPrefix("#")
            }
        }
        guard !documents.isEmpty else {
            if allowingNone { return [] }
            throw PolicyError(file: file, reason: "it holds no YAML document")
        }

        var versions: [Version] = []
        var lastDates: [String: CivilDate] = [:]
        for document in documents {
            func fail(_ reason: String) -> PolicyError {
                // An undated policy holds one version: the line would say nothing.
                PolicyError(
                    file: file,
                    reason: dated ? "the version starting on line \(document.line): \(reason)" : reason
                )
            }
            let fields = try topLevelScalars(document.text, fail)
            if let named = fields["kind"], named != kind {
                throw fail("kind is '\(named)', expected '\(kind)'")
            }
            guard fields["version"] == "1" else {
                throw fail("version \(fields["version"] ?? "(missing)") is not supported (expected 1)")
            }
            var effectiveFrom: CivilDate?
            if dated {
                guard let text = fields["effective_from"] else { throw fail("effective_from is missing") }
                guard let date = CivilDate(iso: text) else {
                    throw fail("effective_from '\(text)' is not a YYYY-MM-DD date")
                }
                let group = groupKey.map { fields[$0] ?? "" } ?? ""
                if let previous = lastDates[group], date <= previous {
                    let of = groupKey.map { " for \($0) \(group)" } ?? ""
                    throw fail("effective_from \(date) does not come after the version before it\(of) (\(previous))")
                }
                lastDates[group] = date
                effectiveFrom = date
            }
            versions.append(Version(text: document.text, line: document.line, effectiveFrom: effectiveFrom))
        }
        return versions
    }

    /// Reads a dated policy: every version through `parse`, each answering from its own date.
    public static func dated<Value>(
        _ text: String,
        kind: String,
        file: String,
        parse: (Version) throws(PolicyError) -> Value
    ) throws(PolicyError) -> Dated<Value> {
        var dated: [Dated<Value>.Version] = []
        for version in try versions(of: text, kind: kind, dated: true, file: file) {
            dated.append(Dated.Version(from: version.effectiveFrom!, value: try parse(version)))
        }
        return Dated(dated)
    }

    /// Reads an undated policy: exactly one version, through `parse`.
    public static func undated<Value>(
        _ text: String,
        kind: String,
        file: String,
        parse: (Version) throws(PolicyError) -> Value
    ) throws(PolicyError) -> Value {
        let found = try versions(of: text, kind: kind, dated: false, file: file)
        guard found.count == 1 else {
            throw PolicyError(
                file: file,
                reason: "it holds \(found.count) versions; this policy is not dated and holds one"
            )
        }
        return try parse(found[0])
    }

    /// The plain scalars at the top level of a YAML document, as written (a date stays text).
    private static func topLevelScalars(
        _ text: String,
        _ fail: (String) -> PolicyError
    ) throws(PolicyError) -> [String: String] {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw fail("it is not valid YAML (\(error))") }
        guard let mapping = node?.mapping else { throw fail("it is not a YAML mapping") }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            if let key = key.scalar?.string, let value = value.scalar?.string { result[key] = value }
        }
        return result
    }
}
