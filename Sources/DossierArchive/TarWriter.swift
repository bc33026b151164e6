import CArchive
import DossierCrypto
import Glibc

/// Writes a reproducible POSIX pax tar: regular files only, in the order given, each with mtime
/// 2000-01-01T00:00:00Z, owner and group 0/root, mode 0644; optionally zstd-compressed (which
/// has no timestamp). Same entries, same bytes.
final class TarWriter {
    static let fixedTime = 946_684_800

    private let archive: OpaquePointer
    private var finished = false

    init(path: String, zstd: Bool) throws {
        guard let archive = archive_write_new() else { throw ArchiveError("libarchive could not start a tar file.") }
        self.archive = archive
        guard archive_write_set_format_pax_restricted(archive) == ARCHIVE_OK,
            !zstd || archive_write_add_filter_zstd(archive) == ARCHIVE_OK,
            archive_write_open_filename(archive, path) == ARCHIVE_OK
        else {
            // deinit frees the archive (init throwing after every property is set runs it).
            throw ArchiveError("Cannot create the file \(path).")
        }
    }

    deinit {
        if !finished { archive_write_close(archive) }
        archive_write_free(archive)
    }

    private func header(_ path: String, size: Int64) throws {
        guard let entry = archive_entry_new() else { throw ArchiveError("libarchive could not make an entry.") }
        defer { archive_entry_free(entry) }
        archive_entry_set_pathname_utf8(entry, path)
        archive_entry_set_size(entry, size)
        archive_entry_set_filetype(entry, CArchive_AE_IFREG())
        archive_entry_set_perm(entry, 0o644)
        archive_entry_set_mtime(entry, time_t(Self.fixedTime), 0)
        archive_entry_set_uid(entry, 0)
        archive_entry_set_gid(entry, 0)
        archive_entry_set_uname(entry, "root")
        archive_entry_set_gname(entry, "root")
        let status = withUTF8Locale { archive_write_header(archive, entry) }
        guard status == ARCHIVE_OK else { throw ArchiveError("Cannot write the entry \(path) into the tar file.") }
    }

    func add(_ path: String, bytes: [UInt8]) throws {
        try header(path, size: Int64(bytes.count))
        let written = bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ArchiveError("Cannot write \(path) into the tar file.") }
    }

    /// Copies a file into the package, streaming, checking it still has the size recorded and,
    /// when `sha256` is given, the digest the manifests will state (hashed on the way): a
    /// damaged stored file must not be signed into a package that will never verify.
    /// Returns the SHA-256 (hex) of what it copied when `sha256` was given or `hashing` asked.
    @discardableResult
    func add(
        _ path: String,
        file source: String,
        size: Int64,
        sha256: String? = nil,
        hashing: Bool = false
    ) throws
        -> String?
    {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw ArchiveError("Cannot read \(source).") }
        defer { close(input) }
        try header(path, size: size)
        let hasher = sha256 != nil || hashing ? Hasher(.sha256) : nil
        // Blocks of up to 1 MiB, no larger than the file: zeroing a megabyte for every
        // document of a package cost more than hashing a small one.
        var buffer = [UInt8](repeating: 0, count: Int(min(max(size, 1), 1 << 20)))
        var total: Int64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw ArchiveError("Reading \(source) failed.") }
            if count == 0 { break }
            total += Int64(count)
            guard total <= size else { throw ArchiveError("\(source) changed while it was packed.") }
            if let hasher {
                buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
            }
            let written = buffer.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, count) }
            guard written == count else { throw ArchiveError("Cannot write \(path) into the tar file.") }
        }
        guard total == size else { throw ArchiveError("\(source) changed while it was packed.") }
        let digest = hasher.map { Hex.encode($0.finish()) }
        if let sha256, digest != sha256 {
            throw ArchiveError(
                "The stored file for \(path) does not match its recorded digest: the document store is damaged."
            )
        }
        return digest
    }

    func finish() throws {
        finished = true
        guard archive_write_close(archive) == ARCHIVE_OK else { throw ArchiveError("Cannot finish the package.") }
    }
}
