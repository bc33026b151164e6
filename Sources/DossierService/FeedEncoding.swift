import DossierCrypto
import Glibc

/// How a feed file's text is encoded: UTF-8 (with or without a byte-order mark), or GB18030, which
/// many government systems export.
public enum FeedEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case gb18030
}

/// The first look at a feed file, before anything is parsed: its SHA-256 (to recognise a file
/// imported before) and whether its bytes are UTF-8 (to choose the encoding when none was given).
struct FeedFileSurvey {
    var sha256: String
    var isUTF8: Bool

    /// Reads the whole file once, in chunks; nil when it cannot be read.
    init?(path: String, chunkSize: Int = 1 << 20) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let hasher = Hasher(.sha256)
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        // The bytes of a character cut by the end of the previous chunk.
        var carried: [UInt8] = []
        var valid = true
        while true {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard read >= 0 else { return nil }
            if read == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<read])) }
            guard valid else { continue }
            var chunk = carried
            chunk.append(contentsOf: buffer[0..<read])
            let cut = Self.completeLength(chunk)
            carried = Array(chunk[cut...])
            valid = String(validating: chunk[..<cut], as: UTF8.self) != nil
        }
        sha256 = Hex.encode(hasher.finish())
        isUTF8 = valid && carried.isEmpty
    }

    /// The encoding of a CSV file judged from its first mebibyte: GB18030 when those bytes are
    /// not UTF-8 but are GB18030 throughout (as a file Excel or WPS saved in China is), else
    /// UTF-8, so that a UTF-8 file with a damaged value is still read as UTF-8 and the value is
    /// reported in its row and column. nil when the file cannot be read.
    static func encoding(ofCSV path: String) -> FeedEncoding? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var sample = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        while filled < sample.count {
            let read = sample.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            guard read >= 0 else { return nil }
            if read == 0 { break }
            filled += read
        }
        let bytes = sample[0..<filled]
        let whole = bytes.prefix(completeLength(Array(bytes)))
        if String(validating: whole, as: UTF8.self) != nil { return .utf8 }
        return isGB18030(bytes) ? .gb18030 : .utf8
    }

    /// Whether `bytes` are well-formed GB18030 (a character cut by the end is allowed): ASCII,
    /// two-byte characters (lead 81–FE, trail 40–7E or 80–FE) and four-byte ones (81–FE, 30–39,
    /// 81–FE, 30–39).
    static func isGB18030(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        let lead: ClosedRange<UInt8> = 0x81...0xFE
        let digit: ClosedRange<UInt8> = 0x30...0x39
        while index < bytes.endIndex {
            let first = bytes[index]
            if first < 0x80 {
                index += 1
                continue
            }
            guard lead.contains(first) else { return false }
            guard index + 1 < bytes.endIndex else { return true }
            let second = bytes[index + 1]
            if (0x40...0x7E).contains(second) || (0x80...0xFE).contains(second) {
                index += 2
            } else if digit.contains(second) {
                guard index + 3 < bytes.endIndex else { return true }
                guard lead.contains(bytes[index + 2]), digit.contains(bytes[index + 3]) else { return false }
                index += 4
            } else {
                return false
            }
        }
        return true
    }

    /// The length of the longest prefix of `bytes` that does not end inside a UTF-8 character
    /// (which the next chunk completes).
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        // A character is at most 4 bytes: look back for its lead byte.
        while start > 0, bytes.count - start < 4 {
            start -= 1
            let byte = bytes[start]
            if byte & 0xC0 == 0x80 { continue }
            let length = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            return start + length > bytes.count ? start : bytes.count
        }
        return bytes.count
    }
}

/// Turns GB18030 bytes into UTF-8 with glibc's iconv, chunk by chunk: a character cut by the end
/// of one chunk is completed by the next. A byte that is not GB18030 becomes 0xFF, which no UTF-8
/// reader accepts, so the CSV reader reports the value that holds it instead of guessing.
///
/// Holds an iconv descriptor: made and used on one thread, freed in `deinit`.
final class GB18030Decoder {
    private let descriptor: iconv_t
    private var pending: [UInt8] = []

    init?() {
        guard let descriptor = iconv_open("UTF-8", "GB18030"), Int(bitPattern: descriptor) != -1 else {
            return nil
        }
        self.descriptor = descriptor
    }

    deinit { iconv_close(descriptor) }

    /// Decodes `input` after whatever the previous call left pending into `output` (replacing
    /// its contents). `final`: there is no more input, so an unfinished character is an error.
    func decode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8], final: Bool) {
        var source = pending
        source.append(contentsOf: input)
        pending.removeAll()
        output.removeAll(keepingCapacity: true)
        guard !source.isEmpty else { return }
        source.withUnsafeMutableBytes { raw in
            var next: UnsafeMutablePointer<CChar>? = raw.baseAddress!.assumingMemoryBound(to: CChar.self)
            var left = raw.count
            while left > 0 {
                // GB18030 never takes more than twice its bytes in UTF-8.
                let capacity = left * 2 + 16
                let start = output.count
                output.append(contentsOf: repeatElement(0, count: capacity))
                var room = capacity
                let result = output.withUnsafeMutableBytes { out -> Int in
                    var target: UnsafeMutablePointer<CChar>? = (out.baseAddress! + start)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(descriptor, &next, &left, &target, &room)
                }
                let failure = errno
                output.removeLast(room)
                guard result == -1 else { break }
                switch failure {
                case E2BIG:
                    continue
                case EINVAL where !final:
                    pending = Array(UnsafeRawBufferPointer(start: next, count: left))
                    left = 0
                case EINVAL:
                    output.append(0xFF)
                    left = 0
                default:
                    output.append(0xFF)
                    next = next.map { $0 + 1 }
                    left -= 1
                }
            }
        }
    }
}
