public import DossierCore
import Foundation
import Yams

/// Reads a feed format (`Policies/feeds/KIND.yaml`) into a dated `FeedFormat`: which column
/// holds each field, what the local codes mean, how dates are written. A file that cannot be
/// used is refused with the file, the line and the reason, so the office that edited it can
/// put it right.
///
/// ```yaml
/// kind: feed-format
/// version: 1
/// effective_from: 2019-01-01
/// feed: social-insurance
/// columns: { id_number: 公民身份号码, name: 姓名, … }
/// codes:
///   contribution_status: { "1": contributing, "2": suspended, "3": terminated }
/// dates: { changed_on: YYYY-MM-DD }
/// ```
public enum FeedFormatFile {
    /// The policy's name in the envelope (`kind:`).
    public static let kind = "feed-format"

    /// The shipped file of each feed kind, under `Policies/`.
    public static func fileName(_ feed: FeedKind) -> String { "feeds/\(feed.rawValue).yaml" }

    /// Parses and checks the file: dated versions (see `PolicyEnvelope`), each for `feed`.
    public static func load(
        yaml text: String,
        feed: FeedKind,
        file: String
    ) throws(PolicyError) -> Dated<FeedFormat> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(version, feed: feed, file: file)
        }
    }

    private static let topKeys: Set<String> = [
        "kind", "version", "effective_from", "feed", "columns", "codes", "dates",
    ]

    private static func loadVersion(
        _ version: PolicyEnvelope.Version,
        feed: FeedKind,
        file: String
    ) throws(PolicyError) -> FeedFormat {
        func fail(_ node: Node?, _ reason: String) -> PolicyError {
            let line = node?.mark.map { version.line + $0.line - 1 } ?? version.line
            return PolicyError(file: file, reason: "line \(line): \(reason)")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: version.text) } catch {
            throw fail(nil, "it is not valid YAML (\(error))")
        }
        guard let document = root?.mapping else { throw fail(root, "it is not a YAML mapping") }
        for (key, _) in document where !topKeys.contains(key.string ?? "") {
            throw fail(key, "unknown key '\(key.string ?? "?")'")
        }
        guard let feedNode = document["feed"], let named = feedNode.string else {
            throw fail(root, "feed is missing (one of \(FeedKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard named == feed.rawValue else {
            throw fail(feedNode, "feed is '\(named)', but this file is the format of \(feed.rawValue)")
        }

        // Columns: every field of the kind, each with its own header.
        guard let columnsNode = document["columns"], let columns = columnsNode.mapping else {
            throw fail(root, "columns is missing: name the column header of each field")
        }
        var headers: [FeedField: String] = [:]
        var seenHeaders: [String: FeedField] = [:]
        for (key, value) in columns {
            guard let field = key.string.flatMap(FeedField.init(rawValue:)), feed.fields.contains(field) else {
                throw fail(key, "'\(key.string ?? "?")' is not a field of \(feed.rawValue) (\(fieldList(feed)))")
            }
            guard let header = value.string?.trimmingCharacters(in: .whitespaces), !header.isEmpty else {
                throw fail(value, "the column of \(field.rawValue) is empty")
            }
            if let other = seenHeaders[header] {
                throw fail(value, "the column '\(header)' is named for both \(other.rawValue) and \(field.rawValue)")
            }
            seenHeaders[header] = field
            headers[field] = header
        }
        for field in feed.fields where headers[field] == nil {
            throw fail(columnsNode, "columns does not name the column of \(field.rawValue)")
        }

        // Codes: every coded field of the kind, each local code with a known meaning.
        let codesNode = document["codes"]
        var codes: [FeedField: [String: String]] = [:]
        for (key, value) in codesNode?.mapping ?? Node.Mapping([]) {
            guard let field = key.string.flatMap(FeedField.init(rawValue:)), feed.fields.contains(field),
                let meanings = field.meanings
            else {
                throw fail(key, "'\(key.string ?? "?")' is not a coded field of \(feed.rawValue)")
            }
            guard let entries = value.mapping, !entries.isEmpty else {
                throw fail(value, "codes of \(field.rawValue) must map each local code to its meaning")
            }
            var table: [String: String] = [:]
            for (code, meaning) in entries {
                guard let local = code.string, !local.isEmpty else {
                    throw fail(code, "a code of \(field.rawValue) is empty")
                }
                guard let word = meaning.string, meanings.contains(word) else {
                    throw fail(
                        meaning,
                        "code '\(local)' of \(field.rawValue) means '\(meaning.string ?? "?")'; use one of \(meanings.sorted().joined(separator: ", "))"
                    )
                }
                table[local] = word
            }
            codes[field] = table
        }
        for field in feed.fields where field.meanings != nil && codes[field] == nil {
            throw fail(codesNode ?? root, "codes does not say what the codes of \(field.rawValue) mean")
        }

        // Dates: every date field of the kind, in a format of its unit.
        let datesNode = document["dates"]
        var dateFormats: [FeedField: FeedDateFormat] = [:]
        for (key, value) in datesNode?.mapping ?? Node.Mapping([]) {
            guard let field = key.string.flatMap(FeedField.init(rawValue:)), feed.fields.contains(field),
                let unit = field.dateKind
            else {
                throw fail(key, "'\(key.string ?? "?")' is not a date field of \(feed.rawValue)")
            }
            let allowed = FeedDateFormat.allCases.filter { $0.unit == unit }
            guard let format = value.string.flatMap(FeedDateFormat.init(rawValue:)), format.unit == unit else {
                throw fail(
                    value,
                    "\(field.rawValue) is written '\(value.string ?? "?")'; use one of \(allowed.map(\.rawValue).joined(separator: ", "))"
                )
            }
            dateFormats[field] = format
        }
        for field in feed.fields where field.dateKind != nil && dateFormats[field] == nil {
            throw fail(datesNode ?? root, "dates does not say how \(field.rawValue) is written")
        }
        return FeedFormat(kind: feed, headers: headers, codes: codes, dateFormats: dateFormats)
    }

    private static func fieldList(_ feed: FeedKind) -> String {
        feed.fields.map(\.rawValue).joined(separator: ", ")
    }
}
