import Glibc

/// A streaming RFC 4180 reader: comma-separated fields, double-quoted fields may hold commas,
/// quotes (doubled) and line breaks; records end with LF or CRLF; a UTF-8 byte-order mark at the
/// start is skipped. Reads the file in fixed-size chunks, so memory stays flat whatever its size.
/// Given a decoder, it reads GB18030 text, turned into UTF-8 chunk by chunk.
final class CSVReader {
    private let fd: Int32
    /// Records read so far (the header included): the row number of the last one.
    var records = 0
    private var buffer: [UInt8]
    private var position = 0
    private var count = 0
    private var atEnd = false
    private var first = true
    /// Observes every byte read (the import hashes the file for its audit entry).
    private let onBytes: (UnsafeRawBufferPointer) -> Void
    private var field: [UInt8] = []
    /// Turns the file's GB18030 bytes into UTF-8 (nil: the file is UTF-8).
    private let decoder: GB18030Decoder?
    /// The file's bytes as read, before decoding (only with a decoder).
    private var raw: [UInt8] = []

    /// Opens `path`; nil when it cannot be read.
    init?(
        path: String,
        chunkSize: Int = 1 << 20,
        decoder: GB18030Decoder? = nil,
        onBytes: @escaping (UnsafeRawBufferPointer) -> Void = { _ in }
    ) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.fd = fd
        self.buffer = [UInt8](repeating: 0, count: chunkSize)
        self.onBytes = onBytes
        self.decoder = decoder
        if decoder != nil { raw = [UInt8](repeating: 0, count: chunkSize) }
        field.reserveCapacity(256)
    }

    deinit { close(fd) }

    private func refill() -> Bool {
        guard !atEnd else { return false }
        if let decoder { return refill(decoding: decoder) }
        let read = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard read > 0 else {
            atEnd = true
            return false
        }
        buffer.withUnsafeBytes { onBytes(UnsafeRawBufferPointer(rebasing: $0[0..<read])) }
        count = read
        position = 0
        skipByteOrderMark()
        return true
    }

    /// `refill` for a file that is not UTF-8: reads raw bytes and decodes them into the buffer.
    private func refill(decoding decoder: GB18030Decoder) -> Bool {
        repeat {
            let read = raw.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if read <= 0 {
                atEnd = true
                decoder.decode(UnsafeRawBufferPointer(start: nil, count: 0), into: &buffer, final: true)
            } else {
                raw.withUnsafeBytes {
                    let chunk = UnsafeRawBufferPointer(rebasing: $0[0..<read])
                    onBytes(chunk)
                    decoder.decode(chunk, into: &buffer, final: false)
                }
            }
        } while buffer.isEmpty && !atEnd
        count = buffer.count
        position = 0
        skipByteOrderMark()
        // A chunk that held only the byte-order mark: read on.
        return count > position || (!atEnd && refill(decoding: decoder))
    }

    private func skipByteOrderMark() {
        if first {
            first = false
            if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        }
    }

    @inline(__always)
    private func nextByte() -> UInt8? {
        if position == count, !refill() { return nil }
        let byte = buffer[position]
        position += 1
        return byte
    }

    @inline(__always)
    private func peekByte() -> UInt8? {
        if position == count, !refill() { return nil }
        return buffer[position]
    }

    /// Reads the next record: nil at the end of the file, a problem for a malformed record (the
    /// reader then continues with the next line).
    func next() -> Result<[String], RecordProblem>? {
        var fields: [String] = []
        var problem: RecordProblem?
        field.removeAll(keepingCapacity: true)
        guard peekByte() != nil else { return nil }
        var quoted = false
        var fieldStarted = false
        func finishField() {
            if problem == nil {
                if let text = String(validating: field, as: UTF8.self) {
                    fields.append(text)
                } else {
                    problem = .invalidUTF8(field: fields.count + 1)
                    fields.append("")
                }
            } else {
                fields.append("")
            }
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        while true {
            guard let byte = nextByte() else {
                if quoted { problem = problem ?? .unterminatedQuote }
                finishField()
                break
            }
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if peekByte() == UInt8(ascii: "\"") {
                        _ = nextByte()
                        field.append(byte)
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                finishField()
            case UInt8(ascii: "\n"):
                finishField()
                return problem.map { .failure($0) } ?? .success(fields)
            case UInt8(ascii: "\r"):
                if peekByte() == UInt8(ascii: "\n") {
                    _ = nextByte()
                    finishField()
                    return problem.map { .failure($0) } ?? .success(fields)
                }
                field.append(byte)
            case UInt8(ascii: "\""):
                if !fieldStarted && field.isEmpty {
                    quoted = true
                    fieldStarted = true
                } else {
                    problem = problem ?? .strayQuote(field: fields.count + 1)
                }
            default:
                field.append(byte)
                fieldStarted = true
            }
        }
        return problem.map { .failure($0) } ?? .success(fields)
    }
}
