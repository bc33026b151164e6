import CArchive
import Glibc

/// What a person is told when a file is not a workbook Dossier can read; the start of every
/// such refusal, so the message reads the same whatever was wrong.
let notAWorkbook = "The file is not an Excel workbook (.xlsx)"

/// The zip file under a workbook, open once, read by one or more passes of libarchive's
/// seekable zip reader (it trusts the central directory, as Excel does, and skips a part by
/// seeking instead of inflating it).
///
/// Before libarchive sees the file, its end-of-central-directory record is checked: a file cut
/// short while copied has none (and is refused in plain words), and a directory of more
/// entries than the limit is refused before libarchive builds its list of them.
final class ZipFile {
    let fd: Int32
    let size: Int64
    let limits: XLSXLimits
    /// Bytes inflated so far, over every pass: what the work has cost.
    var expandedBytes: Int64 = 0
    let expansionBudget: Int64

    init(path: String, limits: XLSXLimits) throws(ArchiveError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ArchiveError("Cannot read the file.") }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw ArchiveError("Cannot read the file.")
        }
        self.fd = fd
        self.size = Int64(info.st_size)
        self.limits = limits
        expansionBudget = limits.expansionBudget(forFileOf: size)
        try checkDirectory()
    }

    deinit { close(fd) }

    /// Reads `count` bytes at `offset` (fewer at the end of the file).
    func read(at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let read = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, count, off_t(offset)) }
        guard read >= 0 else { return nil }
        bytes.removeLast(count - read)
        return bytes
    }

    /// Checks the end-of-central-directory record (APPNOTE 4.3.16): present, and naming no more
    /// entries than the limit.
    private func checkDirectory() throws(ArchiveError) {
        guard let head = read(at: 0, count: 8) else { throw ArchiveError("Cannot read the file.") }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw ArchiveError(Self.compoundFileMessage)
        }
        guard head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) else {
            throw ArchiveError("\(notAWorkbook): save it from the spreadsheet program as an Excel workbook or as CSV.")
        }
        // The record is 22 bytes plus a comment of at most 65,535.
        let tailLength = Int(min(size, 22 + 65_535))
        guard let tail = read(at: size - Int64(tailLength), count: tailLength), tail.count >= 22 else {
            throw ArchiveError(Self.truncatedMessage)
        }
        var index = tail.count - 22
        while index >= 0 {
            if tail[index] == 0x50, tail[index + 1] == 0x4B, tail[index + 2] == 0x05, tail[index + 3] == 0x06 {
                let entries = Int(tail[index + 10]) | Int(tail[index + 11]) << 8
                // 0xFFFF: the count is in a ZIP64 record; a workbook never needs one.
                guard entries != 0xFFFF, entries <= limits.maxEntries else {
                    throw ArchiveError(
                        "\(notAWorkbook): it holds more than \(limits.maxEntries) parts, far more than a workbook has."
                    )
                }
                return
            }
            index -= 1
        }
        throw ArchiveError(Self.truncatedMessage)
    }

    static let truncatedMessage =
        "\(notAWorkbook): it is incomplete, perhaps cut short while it was copied or sent. Copy it again."
    static let compoundFileMessage =
        "\(notAWorkbook): it is a password-protected workbook or an old .xls file. Remove the password, "
        + "or save it as an Excel workbook (.xlsx) or as CSV, and import that."
}

/// One pass of libarchive over a `ZipFile`: entries in the directory's order, each part's data
/// read as it inflates, counting bytes actually read against the part's limit and the file's
/// expansion budget.
///
/// Holds a libarchive handle: made, used and freed on one thread.
final class ZipPass {
    private let archive: OpaquePointer
    private let file: ZipFile
    private var position: Int64 = 0
    private let window: UnsafeMutableRawBufferPointer
    private var entries = 0
    private var partLimit: Int64 = 0
    private var partRead: Int64 = 0
    private var partName = ""
    /// Why a callback stopped libarchive, when one did.
    private var stop: ArchiveError?

    init(_ file: ZipFile) throws(ArchiveError) {
        guard let archive = archive_read_new() else { throw ArchiveError("libarchive could not start reading.") }
        self.archive = archive
        self.file = file
        window = .allocate(byteCount: 1 << 16, alignment: 16)
        // The zip format alone: a tar or a 7z renamed .xlsx is not read as a workbook.
        archive_read_support_format_zip_seekable(archive)
        archive_read_set_callback_data(archive, Unmanaged.passUnretained(self).toOpaque())
        archive_read_set_read_callback(archive) { _, pass, buffer in
            guard let pass, let buffer else { return -1 }
            return Unmanaged<ZipPass>.fromOpaque(pass).takeUnretainedValue().supply(buffer)
        }
        archive_read_set_seek_callback(archive) { _, pass, offset, whence in
            guard let pass else { return Int64(ARCHIVE_FATAL) }
            return Unmanaged<ZipPass>.fromOpaque(pass).takeUnretainedValue().seek(offset, whence)
        }
        guard archive_read_open1(archive) == ARCHIVE_OK else {
            let error = stop ?? ArchiveError(ZipFile.truncatedMessage)
            // `deinit` frees the handle and the window (every stored property is set).
            throw error
        }
    }

    deinit {
        archive_read_free(archive)
        window.deallocate()
    }

    private func supply(_ buffer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let count = pread(file.fd, window.baseAddress, window.count, off_t(position))
        guard count >= 0 else {
            stop = ArchiveError("Cannot read the file.")
            return -1
        }
        position += Int64(count)
        buffer.pointee = UnsafeRawPointer(window.baseAddress)
        return count
    }

    private func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
        let target: Int64
        switch whence {
        case SEEK_SET: target = offset
        case SEEK_CUR: target = position + offset
        case SEEK_END: target = file.size + offset
        default: return Int64(ARCHIVE_FATAL)
        }
        guard target >= 0 else { return Int64(ARCHIVE_FATAL) }
        position = target
        return target
    }

    /// The next entry's name (nil at the end); its data is then readable with `read`. Directory
    /// entries are passed over.
    func nextEntry() throws(ArchiveError) -> String? {
        var entryPointer: OpaquePointer?
        let status = archive_read_next_header(archive, &entryPointer)
        if status == ARCHIVE_EOF { return nil }
        guard status == ARCHIVE_OK || status == ARCHIVE_WARN, let entry = entryPointer else {
            throw stop ?? ArchiveError("\(notAWorkbook): its contents are damaged.")
        }
        entries += 1
        guard entries <= file.limits.maxEntries else {
            throw ArchiveError(
                "\(notAWorkbook): it holds more than \(file.limits.maxEntries) parts, far more than a workbook has."
            )
        }
        guard let raw = withUTF8Locale({ archive_entry_pathname_utf8(entry) }) else {
            throw ArchiveError("\(notAWorkbook): it holds a part whose name is not valid text.")
        }
        let name = String(cString: raw)
        if archive_entry_is_encrypted(entry) != 0 {
            throw ArchiveError(
                "\(notAWorkbook) Dossier can read: it is encrypted. Remove the password, save it again, and import that."
            )
        }
        if archive_entry_filetype(entry) & CArchive_AE_IFMT() == CArchive_AE_IFDIR() || name.hasSuffix("/") {
            return try nextEntry()
        }
        partName = name
        partRead = 0
        partLimit = 0
        if archive_entry_size_is_set(entry) != 0 {
            // The declared size is checked at once; the bytes actually read are counted in `read`.
            partDeclared = archive_entry_size(entry)
        } else {
            partDeclared = nil
        }
        return name
    }

    private var partDeclared: Int64?

    /// Prepares to read the current entry's data, refusing it at once when its declared size is
    /// beyond `limit`.
    func beginPart(limit: Int64) throws(ArchiveError) {
        partLimit = limit
        if let declared = partDeclared, declared > limit { throw tooLarge() }
    }

    private func tooLarge() -> ArchiveError {
        ArchiveError(
            "\(notAWorkbook) Dossier can read: its part \(partName) expands beyond the limit (a compression bomb, or far "
                + "more than an import holds); it is refused."
        )
    }

    /// Fills `buffer` with the current entry's next bytes; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ArchiveError) -> Int {
        let count = archive_read_data(archive, buffer.baseAddress, buffer.count)
        guard count >= 0 else {
            throw stop ?? ArchiveError("\(notAWorkbook): its part \(partName) is damaged (\(errorString)).")
        }
        partRead += Int64(count)
        file.expandedBytes += Int64(count)
        guard partRead <= partLimit else { throw tooLarge() }
        // libarchive inflates on past a size the directory understates: stop there.
        if let declared = partDeclared, partRead > declared {
            throw ArchiveError(
                "\(notAWorkbook) Dossier can read: its part \(partName) holds more than the file says it does "
                    + "(a damaged or deliberately misleading file); it is refused."
            )
        }
        guard file.expandedBytes <= file.expansionBudget else {
            throw ArchiveError(
                "\(notAWorkbook) Dossier can read: it expands to more than \(file.limits.maxExpansionRatio) times its "
                    + "size (a compression bomb); it is refused."
            )
        }
        return count
    }

    /// The current entry's data whole (for the small parts).
    func readAll(limit: Int64) throws -> [UInt8] {
        try beginPart(limit: limit)
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = try chunk.withUnsafeMutableBytes { raw in try read(into: raw) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private var errorString: String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown error"
    }
}
