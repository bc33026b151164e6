import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The package root (Tests/DossierCLITests/Support/InspectorTools.swift → the root).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

/// The inspector's script, exactly as Archives/README.md hands it out.
let inspectScript = packageRoot.appendingPathComponent("Archives/inspect.sh")

/// The Library of Congress `bagit.py`: `$BAGIT` (set by `make test`), else the package's
/// `.venv-tools`, else a virtual environment made once in the temporary folder with `pip`.
enum Bagit {
    static let path = Task<String, any Error> { try await locate() }

    private static func locate() async throws -> String {
        if let given = ProcessInfo.processInfo.environment["BAGIT"], !given.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: given) else {
                throw CommandError("BAGIT is set to \(given), which is not an executable file")
            }
            return given
        }
        let local = packageRoot.appendingPathComponent(".venv-tools/bin/bagit.py").path
        if FileManager.default.isExecutableFile(atPath: local) { return local }
        let temporary = FileManager.default.temporaryDirectory
        let shared = temporary.appendingPathComponent("dossier-tests-bagit-\(getuid())")
        let tool = shared.appendingPathComponent("bin/bagit.py").path
        if FileManager.default.isExecutableFile(atPath: tool) { return tool }
        // A venv cannot be moved (its scripts name their interpreter by absolute path): make it
        // under a unique name and publish it with one atomic symlink, so parallel runs agree.
        let fresh = temporary.appendingPathComponent("dossier-tests-bagit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: fresh, withIntermediateDirectories: true)
        let venv = try await runCommand(
            URL(fileURLWithPath: "/usr/bin/env"),
            ["python3", "-m", "venv", fresh.appendingPathComponent("venv").path],
            scratch: fresh
        )
        guard venv.status == 0 else { throw CommandError("python3 -m venv failed: \(venv)") }
        let pip = try await runCommand(
            fresh.appendingPathComponent("venv/bin/pip"),
            ["install", "--quiet", "bagit"],
            scratch: fresh
        )
        guard pip.status == 0 else { throw CommandError("pip install bagit failed: \(pip)") }
        if symlink(fresh.appendingPathComponent("venv").path, shared.path) != 0 {
            try? FileManager.default.removeItem(at: fresh)
        }
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw CommandError("bagit.py was not installed at \(tool)")
        }
        return tool
    }
}
