import DossierCrypto
import Glibc

/// Writes a node backup: a POSIX pax tar whose entries all sit under one folder
/// (`dossier-backup/`), regular files only, written in the order given with fixed times and
/// owners (as packages are), each file hashed with SHA-256 on the way for the manifest.
public final class BackupWriter {
    /// The folder every entry of a backup sits in.
    public static let root = "dossier-backup"
    private let tar: TarWriter

    /// Starts a backup file at `path` (created or truncated).
    public init(path: String) throws(ArchiveError) {
        do { tar = try TarWriter(path: path, zstd: false) } catch let error as ArchiveError { throw error } catch {
            throw ArchiveError("Cannot create the backup file \(path).")
        }
    }

    /// Adds a small file from memory; returns its SHA-256 (hex).
    @discardableResult
    public func add(_ path: String, bytes: [UInt8]) throws(ArchiveError) -> String {
        do { try tar.add("\(Self.root)/\(path)", bytes: bytes) } catch { throw Self.failure(error, path) }
        return Hex.encode(Digest.sha256(bytes))
    }

    /// Copies a file into the backup, streaming; returns its SHA-256 (hex). When `sha256` is
    /// given the file must match it (a stored document whose content changed is not backed up
    /// as if it were sound).
    @discardableResult
    public func add(_ path: String, file source: String, sha256: String? = nil) throws(ArchiveError) -> String {
        var info = stat()
        guard stat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw ArchiveError("Cannot read \(source) for the backup.")
        }
        do {
            return try tar.add(
                "\(Self.root)/\(path)",
                file: source,
                size: Int64(info.st_size),
                sha256: sha256,
                hashing: true
            )!
        } catch {
            throw Self.failure(error, path)
        }
    }

    /// Writes the end of the archive and closes the file.
    public func finish() throws(ArchiveError) {
        do { try tar.finish() } catch { throw Self.failure(error, "the end") }
    }

    private static func failure(_ error: any Error, _ path: String) -> ArchiveError {
        (error as? ArchiveError) ?? ArchiveError("Cannot write \(path) into the backup.")
    }
}

/// Reads a backup back, never trusting it: the same checks as for a package (files and folders
/// only, no links, no absolute or `..` paths, no duplicates, one root folder, bytes counted as
/// read, nothing appended), with limits sized for a whole node.
public final class BackupReader {
    /// One entry: its path under the backup's folder and its size.
    public struct Entry: Sendable, Hashable {
        public var path: String
        public var size: Int64
    }

    private let tar: TarReader

    /// Bounds for a node's backup: up to 50 million files and 16 TiB (a 1,000,000-person node
    /// with its scans stays far below).
    public static let limits = PackageLimits(
        maxEntries: 50_000_000,
        maxTotalBytes: 16 << 40,
        maxEntryBytes: 4 << 40,
        maxExpansionRatio: 1,
        minimumExpansionAllowance: 16 << 40
    )

    public init(path: String) throws(ArchiveError) {
        do { tar = try TarReader(path: path, limits: Self.limits) } catch let error as ArchiveError {
            throw error
        } catch {
            throw ArchiveError("Cannot open the backup file.")
        }
    }

    /// The next file (folders are skipped), or nil at the end.
    public func next() throws(ArchiveError) -> Entry? {
        do {
            while let entry = try tar.next() {
                if entry.isDirectory { continue }
                guard tar.root == BackupWriter.root else {
                    throw ArchiveError("This is not a Dossier backup (its files are not in \(BackupWriter.root)/).")
                }
                return Entry(path: entry.path, size: entry.size)
            }
            return nil
        } catch {
            throw (error as? ArchiveError) ?? ArchiveError("The backup cannot be read.")
        }
    }

    /// Streams the current file's data to `handler`.
    public func readData(_ handler: (UnsafeRawBufferPointer) throws -> Void) throws {
        try tar.readData(handler)
    }

    /// Reads the current file whole (for the manifest and small files).
    public func readAll(limit: Int = 64 << 20) throws -> [UInt8] {
        try tar.readAll(limit: limit)
    }
}
