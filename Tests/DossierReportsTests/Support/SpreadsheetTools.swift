import DossierTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The package root (Tests/DossierReportsTests/Support/SpreadsheetTools.swift → the root).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// A program a test needs is missing. The test fails with this rather than skipping: a skipped
/// check would let a workbook other programs refuse pass CI unnoticed, and a test that passes
/// without checking anything is what our style rules out. `make test` installs both tools.
struct ToolMissing: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The programs that open our workbooks as people's spreadsheet software would: openpyxl and
/// LibreOffice. Each is looked for once per test run.
enum SpreadsheetTools {
    /// A Python that imports openpyxl: `$REPORT_PYTHON` (set by `make test`), else the package's
    /// `.venv-tools`, else a virtual environment made once in the temporary folder with `pip`
    /// (as the CLI tests find `bagit.py`).
    static let python = Task<String, any Error> { try await offThread(locatePython) }

    /// LibreOffice's `soffice`: on `PATH`, else `/usr/bin/soffice`. Not installable from here:
    /// `make test-deps` installs `libreoffice-calc-nogui`.
    static let soffice = Task<String, any Error> { try locateSoffice() }

    private static func locatePython() throws -> String {
        if let given = ProcessInfo.processInfo.environment["REPORT_PYTHON"], !given.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw ToolMissing("REPORT_PYTHON is set to \(given), which is not an executable file")
            }
            guard try importsOpenpyxl(given) else {
                throw ToolMissing("REPORT_PYTHON (\(given)) cannot import openpyxl; `make test` installs it")
            }
            return given
        }
        let local = packageRoot.appendingPathComponent(".venv-tools/bin/python").path
        if FileManager.default.isExecutableFile(atPath: local), try importsOpenpyxl(local) { return local }
        let temporary = FileManager.default.temporaryDirectory
        let shared = temporary.appendingPathComponent("dossier-tests-openpyxl-\(getuid())")
        let python = shared.appendingPathComponent("bin/python").path
        if FileManager.default.isExecutableFile(atPath: python), try importsOpenpyxl(python) { return python }
        // A venv cannot be moved (its scripts name their interpreter by absolute path): made
        // under a unique name and published with one atomic symlink, so parallel runs agree.
        let fresh = temporary.appendingPathComponent("dossier-tests-openpyxl-\(UUID().uuidString)")
        let venv = try ChildProcess.run("/usr/bin/env", ["python3", "-m", "venv", fresh.path])
        guard venv.status == 0 else {
            throw ToolMissing("no Python with openpyxl, and python3 -m venv failed: \(venv.output.prefix(2_000))")
        }
        let pip = try ChildProcess.run(
            fresh.appendingPathComponent("bin/pip").path,
            ["install", "--quiet", "openpyxl"]
        )
        guard pip.status == 0 else {
            throw ToolMissing("no Python with openpyxl, and pip install openpyxl failed: \(pip.output.prefix(2_000))")
        }
        if symlink(fresh.path, shared.path) != 0 { try? FileManager.default.removeItem(at: fresh) }
        guard FileManager.default.isExecutableFile(atPath: python), try importsOpenpyxl(python) else {
            throw ToolMissing("openpyxl was not installed at \(shared.path)")
        }
        return python
    }

    private static func importsOpenpyxl(_ python: String) throws -> Bool {
        try ChildProcess.run(python, ["-c", "import openpyxl"]).status == 0
    }

    private static func locateSoffice() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/soffice" } + ["/usr/bin/soffice"]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw ToolMissing(
                "LibreOffice is not installed (no soffice on PATH or at /usr/bin/soffice): `make test-deps` installs libreoffice-calc-nogui"
            )
        }
        return found
    }
}

/// Runs a blocking `body` (a child process waited for) on a thread of its own, so the tests'
/// few cooperative threads are not held while pip or LibreOffice work.
func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
    }
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withScratchDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-reports-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
