public import DossierCore
import Yams

/// Reads `documents.yaml` into a `DocumentPolicy`.
public enum DocumentPolicyFile {
    public static let fileName = "documents.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "documents"

    private struct File: Decodable {
        var max_bytes: Int64
        var media_types: [String]
    }

    /// Parses and checks the file: one undated version (see `PolicyEnvelope`).
    public static func load(yaml text: String, file: String = fileName) throws(PolicyError) -> DocumentPolicy {
        try PolicyEnvelope.undated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(version.text, file: file)
        }
    }

    private static func loadVersion(_ text: String, file: String) throws(PolicyError) -> DocumentPolicy {
        func fail(_ reason: String) -> PolicyError { PolicyError(file: file, reason: reason) }
        try KnownKeys.check(text, top: ["kind", "version", "max_bytes", "media_types"], entries: [:], file: file)
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: text)
        } catch {
            throw fail("it is not valid YAML of the expected shape (\(error))")
        }
        guard parsed.max_bytes > 0 else { throw fail("max_bytes must be positive") }
        var types: Set<MediaType> = []
        for name in parsed.media_types {
            guard let type = MediaType(rawValue: name) else {
                throw fail("'\(name)' is not a known format; use pdf, ofd, jpeg, png or tiff")
            }
            types.insert(type)
        }
        guard !types.isEmpty else { throw fail("media_types lists no format") }
        return DocumentPolicy(maxBytes: parsed.max_bytes, mediaTypes: types)
    }
}
