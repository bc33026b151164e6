import Foundation
import Glibc

/// Lists and extracts packages with the same checks as verification: nothing touches the disk
/// before its entry passed them, only regular files (mode 0644) and folders are written, into
/// a fresh folder; a refused package leaves nothing behind.
public enum PackageExtractor {
    /// The entries of a package, checked, with their sizes.
    public static func list(
        path: String,
        limits: PackageLimits = PackageLimits()
    ) throws -> [(path: String, size: Int64)] {
        let reader = try TarReader(path: path, limits: limits)
        var result: [(String, Int64)] = []
        while let entry = try reader.next() {
            if !entry.isDirectory {
                result.append((entry.path, entry.size))
                try reader.readData { _ in }
            }
        }
        return result
    }

    /// Extracts into `destination`, which must not exist yet: the bag's content is written to a
    /// temporary folder beside it and renamed into place only when every entry passed.
    public static func extract(path: String, to folder: String, limits: PackageLimits = PackageLimits()) throws {
        let fileManager = FileManager.default
        var destination = folder
        while destination.count > 1, destination.hasSuffix("/") { destination.removeLast() }
        guard !fileManager.fileExists(atPath: destination) else {
            throw ArchiveError("\(destination) already exists; extraction needs a fresh folder.")
        }
        let staging = destination + ".partial-\(getpid())"
        guard mkdir(staging, 0o755) == 0 else { throw ArchiveError("Cannot create \(staging).") }
        var done = false
        defer { if !done { try? fileManager.removeItem(atPath: staging) } }
        let reader = try TarReader(path: path, limits: limits)
        while let entry = try reader.next() {
            let target = staging + "/" + entry.path
            do {
                if entry.isDirectory {
                    try fileManager.createDirectory(atPath: target, withIntermediateDirectories: true)
                    continue
                }
                let parent = (target as NSString).deletingLastPathComponent
                try fileManager.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw ArchiveError("The package holds \(entry.path) where a file and a folder collide.")
            }
            let fd = open(target, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw ArchiveError("Cannot write \(entry.path).") }
            defer { close(fd) }
            try reader.readData { chunk in
                var offset = 0
                while offset < chunk.count {
                    let written = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                    guard written > 0 else { throw ArchiveError("Writing \(entry.path) failed.") }
                    offset += written
                }
            }
        }
        guard rename(staging, destination) == 0 else {
            throw ArchiveError("Cannot move the extracted files to \(destination).")
        }
        done = true
    }
}
