import CArchive
import Glibc
import Synchronization

/// Bounds on what a package may hold before it is refused (decompression bombs, floods).
public struct PackageLimits: Sendable, Hashable {
    public var maxEntries: Int
    public var maxTotalBytes: Int64
    public var maxEntryBytes: Int64
    /// How many times its own size a compressed package may expand to (tar headers and padding
    /// included) before it is refused as a compression bomb. Scans, PDFs and OFD files hardly
    /// compress (they are compressed already); a package's JSON record and tag files compress
    /// about 5 to 20 times with zstd. A real package so stays far below 100 times its size,
    /// while a bomb (zstd reaches 32,000:1 on zeros) is stopped after reading 100 times what
    /// was sent: a 33 KB upload costs at most a few megabytes of work, not a gigabyte.
    public var maxExpansionRatio: Int64
    /// What any package may expand to whatever its ratio: small packages expand more (a tar
    /// pads every file to 512 bytes and itself to 10 KiB), and this much costs milliseconds.
    public var minimumExpansionAllowance: Int64

    public init(
        maxEntries: Int = 200_000,
        maxTotalBytes: Int64 = 64 << 30,
        maxEntryBytes: Int64 = 4 << 30,
        maxExpansionRatio: Int64 = 100,
        minimumExpansionAllowance: Int64 = 16 << 20
    ) {
        self.maxEntries = maxEntries
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.minimumExpansionAllowance = minimumExpansionAllowance
    }

    /// The most a file of `size` bytes may expand to.
    func expansionBudget(forFileOf size: Int64) -> Int64 {
        let (product, overflow) = size.multipliedReportingOverflow(by: maxExpansionRatio)
        return max(minimumExpansionAllowance, overflow ? .max : product)
    }
}

/// Set from another thread to stop a package check (the client that asked for it has gone):
/// the reader looks at it between entries and between blocks of data, and stops with a
/// cancellation error.
public final class CancellationFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    /// Asks the work to stop.
    public func cancel() { flag.store(true, ordering: .relaxed) }

    public var isCancelled: Bool { flag.load(ordering: .relaxed) }
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
///
/// The work is bounded by what was sent, not by what it expands to: libarchive reads the file
/// through `supply`, which hands it out in slices and, before each one, checks the bytes
/// decompressed so far against `PackageLimits.expansionBudget` and the cancellation flag. A
/// zstd slice of 512 bytes expands to at most 16 MiB (zstd's ceiling is about 32,000:1), so
/// even work done inside one libarchive call — skipping a gigabyte of zero blocks between two
/// headers, say — stops within that much of the budget.
final class TarReader {
    private let archive: OpaquePointer
    private let limits: PackageLimits
    private let cancellation: CancellationFlag?
    private(set) var root: String?
    private var seen: Set<String> = []
    /// Entries examined so far (directories included).
    private(set) var entries = 0
    private var totalBytes: Int64 = 0
    private var currentSize: Int64 = 0

    private let fd: Int32
    private let window: UnsafeMutableRawBufferPointer
    private var windowStart = 0
    private var windowEnd = 0
    /// How much of the window libarchive gets at a time: small until it is known that no
    /// decompression happens (see the type's comment).
    private var slice = 512
    private let expansionBudget: Int64
    /// The bytes decompressed from the file so far, the highest seen (tar headers and padding
    /// included): what the work has cost.
    private(set) var expandedBytes: Int64 = 0
    /// Why `supply` stopped libarchive, when it did.
    private var stop: ArchiveError?
    private var opened = false
    private let fileSize: Int64
    /// True for a zstd-compressed package (its frames were checked before reading).
    private var compressed = false
    /// True while an entry's data may be left unread (see `next`).
    private var inEntry = false

    init(path: String, limits: PackageLimits, cancellation: CancellationFlag? = nil) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ArchiveError("Cannot open the file as a package (a tar file, optionally zstd-compressed).")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, let archive = archive_read_new() else {
            close(fd)
            throw ArchiveError("libarchive could not start reading.")
        }
        self.fd = fd
        self.archive = archive
        self.limits = limits
        self.cancellation = cancellation
        window = .allocate(byteCount: 1 << 20, alignment: 16)
        fileSize = Int64(info.st_size)
        expansionBudget = limits.expansionBudget(forFileOf: fileSize)
        archive_read_support_format_tar(archive)
        archive_read_support_filter_none(archive)
        archive_read_support_filter_zstd(archive)
        // Read on past an end-of-archive marker, as GNU tar -i does: a second tar appended
        // after the first is then seen (and refused as extra content) instead of being hidden
        // from us while other tools show it.
        archive_read_set_format_option(archive, "tar", "read_concatenated_archives", "1")
    }

    /// Opens the archive on first use (libarchive reads while it opens: the budget and the
    /// cancellation flag apply from the first byte, and the counters show what opening cost).
    private func openIfNeeded() throws {
        guard !opened else { return }
        opened = true
        // A zstd package is one frame and nothing after it (`ZstdFrames`): checked from the raw
        // file before libarchive reads, as libarchive would skip or run on into what follows.
        if let magic = ZstdFrames.magic(fd: fd, size: fileSize), ZstdFrames.isZstd(magic) {
            try ZstdFrames.checkSingleFrame(fd: fd, size: fileSize)
            compressed = true
        }
        let status = archive_read_open(
            archive,
            Unmanaged.passUnretained(self).toOpaque(),
            nil,
            { _, reader, buffer in
                guard let reader, let buffer else { return -1 }
                return Unmanaged<TarReader>.fromOpaque(reader).takeUnretainedValue().supply(buffer)
            },
            nil
        )
        guard status == ARCHIVE_OK else {
            if let stop { throw stop }
            throw ArchiveError("Cannot open the file as a package (a tar file, optionally zstd-compressed).")
        }
        if archive_filter_code(archive, 0) == ARCHIVE_FILTER_NONE { slice = window.count }
    }

    deinit {
        archive_read_free(archive)
        window.deallocate()
        close(fd)
    }

    /// libarchive's read callback: the next slice of the file, 0 at its end, -1 to stop.
    private func supply(_ buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        do { try checkWork() } catch {
            stop = error
            return -1
        }
        if windowStart == windowEnd {
            let count = Glibc.read(fd, window.baseAddress, window.count)
            guard count >= 0 else {
                stop = ArchiveError("The package file cannot be read.")
                return -1
            }
            windowStart = 0
            windowEnd = count
            if count == 0 { return 0 }
        }
        let count = min(slice, windowEnd - windowStart)
        buffer.pointee = UnsafeRawPointer(window.baseAddress! + windowStart)
        windowStart += count
        return count
    }

    /// Throws when the check was cancelled or the package has expanded beyond its budget.
    private func checkWork() throws(ArchiveError) {
        if cancellation?.isCancelled == true { throw ArchiveError.cancelled }
        expandedBytes = max(expandedBytes, archive_filter_bytes(archive, 0))
        guard expandedBytes <= expansionBudget else {
            throw ArchiveError(
                "The package expands to more than \(limits.maxExpansionRatio) times its size (a compression bomb); it is refused."
            )
        }
    }

    /// The error for a failed libarchive call: why `supply` stopped it, or the damage it found.
    private func failure() -> ArchiveError {
        stop ?? ArchiveError("The package is damaged: \(errorString).")
    }

    func next() throws -> TarEntry? {
        try openIfNeeded()
        if inEntry {
            // The rest of the entry and its padding, consumed now, so that the position below
            // is where the next header starts (libarchive would skip them in the next call).
            inEntry = false
            guard archive_read_data_skip(archive) == ARCHIVE_OK else { throw failure() }
        }
        let headerStart = archive_filter_bytes(archive, 0)
        var entryPointer: OpaquePointer?
        try checkWork()
        let status = archive_read_next_header(archive, &entryPointer)
        if status == ARCHIVE_EOF {
            try checkEnd(after: headerStart)
            return nil
        }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
            // Damage right after an end-of-archive marker is something appended to the package.
            if stop == nil, endsAt(headerStart) { throw Self.appended }
            throw failure()
        }
        inEntry = true
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
        // libarchive reads on past an end-of-archive marker (`read_concatenated_archives`): an
        // entry found there was appended after the package, whatever it holds.
        if endsAt(headerStart) {
            throw ArchiveError(
                "The package holds \(path ?? "another folder") after the end of its tar archive (appended to it); it is refused."
            )
        }
        guard let path else { return try next() }
        return TarEntry(path: path, size: size, isDirectory: isDirectory)
    }

    /// Something was appended after the end of the tar archive.
    private static let appended = ArchiveError(
        "The package goes on after the end of its tar archive (something was appended to it); it is refused."
    )

    /// True when the tar archive ended at `offset`: an uncompressed package has an
    /// end-of-archive marker (a block of zeros) there. (In a zstd package, nothing can follow the
    /// one frame, checked when it was opened; what the frame itself holds after the marker is
    /// read as entries, and refused by whoever reads them.)
    private func endsAt(_ offset: Int64) -> Bool {
        guard !compressed else { return false }
        var block = [UInt8](repeating: 1, count: 512)
        let read = block.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 512, off_t(offset)) }
        return read == 512 && block.allSatisfy { $0 == 0 }
    }

    /// At the end of the archive, which began at `offset`: refuses more than the end-of-archive
    /// marker (two zero blocks) and padding to a 10,240-byte record, as Dossier, bsdtar, GNU tar
    /// and Python write it. libarchive has read all of it and found only zeros; more zeros
    /// than that hide nothing, but were not written by a tar writer either.
    private func checkEnd(after offset: Int64) throws {
        let record: Int64 = 10_240
        let end = archive_filter_bytes(archive, 0)
        guard end <= (offset + 1_024 + record - 1) / record * record, compressed || end == fileSize else {
            throw Self.appended
        }
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
        // Blocks of up to 1 MiB, no larger than the entry: zeroing a megabyte for each small
        // tag file was a good part of reading a package's head.
        var buffer = [UInt8](repeating: 0, count: Int(min(max(currentSize, 1), 1 << 20)))
        var read: Int64 = 0
        while true {
            try checkWork()
            let count = buffer.withUnsafeMutableBytes { archive_read_data(archive, $0.baseAddress, $0.count) }
            guard count >= 0 else { throw failure() }
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
