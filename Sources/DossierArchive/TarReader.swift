import CArchive
import Glibc

/// Bounds on what a package may hold before it is refused (decompression bombs, floods).
public struct PackageLimits: Sendable, Hashable {
    public var maxEntries: Int
    public var maxTotalBytes: Int64
    public var maxEntryBytes: Int64

    public init(maxEntries: Int = 200_000, maxTotalBytes: Int64 = 64 << 30, maxEntryBytes: Int64 = 4 << 30) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
    }
}

/// One checked entry of a package.
struct TarEntry {
    /// The path inside the bag, without the bag's root folder (e.g. `data/record.json`).
    var path: String
    var size: Int64
    var isDirectory: Bool
}

/// Reads an untrusted tar (optionally zstd) one entry at a time, refusing, before any of its
/// data is used: anything but regular files and directories, links, absolute paths, `..`,
/// backslashes, names that are not UTF-8, paths outside the single bag root folder, duplicate
/// paths, and more entries or bytes than the limits (counting bytes actually read).
final class TarReader {
    private let archive: OpaquePointer
    private let limits: PackageLimits
    private(set) var root: String?
    private var seen: Set<String> = []
    private var entries = 0
    private var totalBytes: Int64 = 0
    private var currentSize: Int64 = 0

    init(path: String, limits: PackageLimits) throws {
        guard let archive = archive_read_new() else { throw ArchiveError("libarchive could not start reading.") }
        self.archive = archive
        self.limits = limits
        archive_read_support_format_tar(archive)
        archive_read_support_filter_none(archive)
        archive_read_support_filter_zstd(archive)
        // Read on past an end-of-archive marker, as GNU tar -i does: a second tar appended
        // after the first is then seen (and refused as extra content) instead of being hidden
        // from us while other tools show it.
        archive_read_set_format_option(archive, "tar", "read_concatenated_archives", "1")
        // On failure the archive is freed by deinit (the object is complete by now, so Swift
        // runs deinit when init throws): freeing it here too would free it twice.
        guard archive_read_open_filename(archive, path, 1 << 20) == ARCHIVE_OK else {
            throw ArchiveError("Cannot open the file as a package (a tar file, optionally zstd-compressed).")
        }
    }

    deinit {
        archive_read_free(archive)
    }

    func next() throws -> TarEntry? {
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(archive, &entryPointer)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
            throw ArchiveError("The package is damaged: \(errorString).")
        }
        entries += 1
        guard entries <= limits.maxEntries else {
            throw ArchiveError("The package has more than \(limits.maxEntries) entries; it is refused.")
        }
        let type = archive_entry_filetype(entry) & CArchive_AE_IFMT()
        let isDirectory = type == CArchive_AE_IFDIR()
        guard type == CArchive_AE_IFREG() || isDirectory, archive_entry_hardlink(entry) == nil,
            archive_entry_symlink(entry) == nil
        else {
            throw ArchiveError(
                "The package holds a link, device or other special entry; only files and folders are allowed."
            )
        }
        guard let rawName = withUTF8Locale({ archive_entry_pathname_utf8(entry) }) else {
            throw ArchiveError("The package holds a name that is not valid UTF-8 text.")
        }
        let name = String(cString: rawName)
        let path = try checkedPath(name, isDirectory: isDirectory)
        let size = archive_entry_size(entry)
        guard size >= 0, size <= limits.maxEntryBytes else {
            throw ArchiveError("An entry of the package is larger than the limit of \(limits.maxEntryBytes) bytes.")
        }
        currentSize = size
        guard let path else { return try next() }
        return TarEntry(path: path, size: size, isDirectory: isDirectory)
    }

    /// Checks a name and returns its path inside the bag (nil for the root folder itself).
    private func checkedPath(_ name: String, isDirectory: Bool) throws -> String? {
        guard !name.isEmpty, !name.hasPrefix("/") else {
            throw ArchiveError("The package holds an unsafe path (absolute or empty).")
        }
        // The writer's own rule: no backslash, %, control, line-breaking or invisible formatting
        // character, and bounded lengths (a name is kept in memory for the duplicate check, and
        // may be shown).
        guard !name.unicodeScalars.contains(where: ArchivePackage.isUnsafeInName),
            name.utf8.count <= ArchivePackage.maxPathBytes + ArchivePackage.maxNameBytes
        else {
            throw ArchiveError(
                "The package holds an unsafe path (with a backslash, %, a control or invisible formatting character, or too long); it is refused."
            )
        }
        var components = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if isDirectory, components.last == "" { components.removeLast() }
        guard !components.isEmpty,
            components.allSatisfy({
                !$0.isEmpty && $0 != "." && $0 != ".." && $0.utf8.count <= ArchivePackage.maxNameBytes
            })
        else {
            throw ArchiveError("The package holds an unsafe path ('..', '.' or an empty part).")
        }
        let first = components.removeFirst()
        if let root {
            guard first == root else {
                throw ArchiveError("The package holds an entry outside its bag folder \(root).")
            }
        } else {
            root = first
        }
        guard !components.isEmpty else {
            guard isDirectory else { throw ArchiveError("The package's bag folder is a file.") }
            return nil
        }
        let path = components.joined(separator: "/")
        guard seen.insert(path).inserted else {
            throw ArchiveError("The package holds \(path) twice; it is refused.")
        }
        return path
    }

    /// Streams the current entry's data to `handler`, counting the bytes actually read.
    func readData(_ handler: (UnsafeRawBufferPointer) throws -> Void) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var read: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw ArchiveError("The package is damaged: \(errorString).") }
            if count == 0 { break }
            read += Int64(count)
            totalBytes += Int64(count)
            guard read <= currentSize, read <= limits.maxEntryBytes, totalBytes <= limits.maxTotalBytes else {
                throw ArchiveError("The package holds more data than it declares or than the limits allow.")
            }
            try buffer.withUnsafeBytes { try handler(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        guard read == currentSize else { throw ArchiveError("The package is truncated.") }
    }

    /// Reads the current entry whole (for small tag files).
    func readAll(limit: Int = 16 << 20) throws -> [UInt8] {
        guard currentSize <= limit else { throw ArchiveError("A tag file of the package is too large.") }
        var bytes: [UInt8] = []
        try readData { bytes.append(contentsOf: $0) }
        return bytes
    }

    private var errorString: String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}
