import DossierCore
import Glibc

/// Writes RFC 4180 CSV through a buffer, each cell by the one CSV rule (`CSVCell`: quoted only
/// where a value needs it, a `'` before a cell a spreadsheet would run as a formula; the
/// importer removes that `'` again).
final class CSVWriter {
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var failed = false

    init?(path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.fd = fd
        buffer.reserveCapacity(1 << 20)
    }

    deinit { Glibc.close(fd) }

    func write(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { buffer.append(UInt8(ascii: ",")) }
            CSVCell.append(field, to: &buffer)
        }
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        var offset = 0
        while offset < buffer.count, !failed {
            let written = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { failed = true } else { offset += written }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and syncs; false if anything failed.
    func close() -> Bool {
        flush()
        return !failed && fsync(fd) == 0
    }
}
