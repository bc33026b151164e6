/// The tag files at the head of a package, read without touching its payload: what a receiver
/// looks at first (the envelope, the signer's key, the tag manifest) to refuse a package that is
/// misaddressed, expired or replayed before reading a byte of its documents.
public enum PackageTags {
    /// Reads the package's tag files, the profile's and those named in `extra` (with the most of
    /// each kept in memory), stopping at the first payload entry. Entries that are neither are
    /// skipped unread. Throws when the package cannot be read safely.
    public static func read(
        path: String,
        extra: [String: Int] = [:],
        limits: PackageLimits = PackageLimits()
    ) throws -> [String: [UInt8]] {
        let reader = try TarReader(path: path, limits: limits)
        var tags: [String: [UInt8]] = [:]
        while let entry = try reader.next() {
            if entry.isDirectory { continue }
            if entry.path.hasPrefix("data/") { break }
            guard let cap = PackageVerifier.knownTagFiles[entry.path] ?? extra[entry.path] else { continue }
            tags[entry.path] = try reader.readAll(limit: cap)
        }
        return tags
    }
}
