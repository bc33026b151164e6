import DossierCore
import Foundation
import Synchronization

/// Progress of long work on standard error, when it is a terminal: how much is done, the rate
/// and, when the total is known, the time left; at most twice a second, on one line rewritten in
/// place. Silent when standard error is not a terminal (scripts, logs, `--format json` callers
/// that redirect it), so nothing but results reaches a file.
final class ProgressMeter: Sendable {
    /// What is counted.
    enum Unit: Sendable {
        case bytes
        /// Items, named in the plural (`rows`, `people`).
        case items(String)
    }

    private let label: String
    private let unit: Unit
    private let total: Int64?
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    init(label: String, unit: Unit, total: Int64? = nil, quiet: Bool = false) {
        self.label = label
        self.unit = unit
        self.total = total
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Shows `done` (bytes or items so far) if half a second has passed since the last line.
    func show(_ done: Int64) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let due = last.withLock { last -> Bool in
            if let previous = last, now - previous < .milliseconds(500) { return false }
            last = now
            return true
        }
        guard due else { return }
        let rate = Double(done) / max((now - start).seconds, 0.001)
        var line = "\(label): \(amount(Double(done)))"
        if let total { line += " of \(amount(Double(total)))" }
        line += ", \(amount(rate))/s"
        if let total, rate > 0, total > done {
            line += ", about \(Int((Double(total - done) / rate).rounded(.up))) s left"
        }
        FileHandle.standardError.write(Data(("\r" + line + "\u{1B}[K").utf8))
    }

    /// Ends the progress line (if one was shown), so what follows starts on a line of its own.
    func end() {
        let shown = last.withLock { last -> Bool in
            defer { last = nil }
            return last != nil
        }
        if enabled, shown { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private func amount(_ value: Double) -> String {
        switch unit {
        case .bytes: return "\(Int((value / 1_000_000).rounded())) MB"
        case .items(let noun): return "\(Int(value.rounded())) \(noun)"
        }
    }
}
