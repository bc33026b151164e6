import CArchive
import Glibc

/// Writes a zip of named parts (deflated, fixed timestamps): the container of an `.xlsx`
/// workbook, for the workbooks reports will write and the ones tests build part by part.
public enum ZipWriter {
    /// Writes `parts` (zip path, bytes), in the order given, to a new file at `path`.
    /// `sizesInHeaders`: false writes each part streaming (sizes in a data descriptor after the
    /// data), as some generators do.
    public static func write(
        _ parts: [(path: String, bytes: [UInt8])],
        to path: String,
        sizesInHeaders: Bool = true
    ) throws(ArchiveError) {
        guard let archive = archive_write_new() else { throw ArchiveError("libarchive could not start a zip.") }
        defer { archive_write_free(archive) }
        guard archive_write_set_format_zip(archive) == ARCHIVE_OK,
            archive_write_zip_set_compression_deflate(archive) == ARCHIVE_OK,
            archive_write_open_filename(archive, path) == ARCHIVE_OK
        else { throw ArchiveError("Cannot create the file \(path).") }
        for part in parts {
            guard let entry = archive_entry_new() else { throw ArchiveError("libarchive could not make an entry.") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname_utf8(entry, part.path)
            if sizesInHeaders { archive_entry_set_size(entry, Int64(part.bytes.count)) }
            archive_entry_set_filetype(entry, CArchive_AE_IFREG())
            archive_entry_set_perm(entry, 0o644)
            archive_entry_set_mtime(entry, 946_684_800, 0)
            guard withUTF8Locale({ archive_write_header(archive, entry) }) == ARCHIVE_OK else {
                throw ArchiveError("Cannot write \(part.path) into the zip.")
            }
            let written = part.bytes.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            guard written == part.bytes.count else { throw ArchiveError("Cannot write \(part.path) into the zip.") }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else { throw ArchiveError("Cannot finish the file \(path).") }
    }
}
