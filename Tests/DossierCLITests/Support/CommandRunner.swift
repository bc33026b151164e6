import DossierTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What one finished command printed and how it ended.
struct CommandResult: CustomStringConvertible {
    /// The command line, for failure messages.
    var commandLine: String
    /// The exit status, or 128 + the signal number when a signal ended the process.
    var status: Int32
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// The non-empty lines written to stderr.
    var stderrLines: [String] {
        stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    var description: String {
        "`\(commandLine)` exited \(status)\n--- stdout ---\n\(stdout.prefix(2_000))\n--- stderr ---\n\(stderr.prefix(2_000))"
    }
}

/// A process started but not yet waited for, so several can run at the same time. Started with
/// `posix_spawn` (`ChildProcess`), not Foundation's `Process`, which crashes now and then on
/// this toolchain.
struct RunningCommand {
    private let pid: pid_t
    private let commandLine: String
    private let stdoutURL: URL
    private let stderrURL: URL
    private let ended: AsyncStream<Int32>
    private let watchdog: Task<Void, Never>

    /// Starts `executable` with `arguments`; stdout and stderr go to files in `scratch` (files,
    /// not pipes, so a chatty child can never block on a full pipe while nobody reads it).
    /// `environment` replaces the inherited environment entirely.
    init(executable: URL, arguments: [String], environment: [String: String], scratch: URL) throws {
        let name = UUID().uuidString
        stdoutURL = scratch.appendingPathComponent("\(name).stdout")
        stderrURL = scratch.appendingPathComponent("\(name).stderr")
        commandLine = ([executable.lastPathComponent] + arguments).joined(separator: " ")
        let pid = try ChildProcess.spawn(
            executable: executable.path,
            arguments: arguments,
            environment: environment,
            directory: scratch.path,
            stdout: stdoutURL.path,
            stderr: stderrURL.path
        )
        self.pid = pid
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        ended = stream
        // waitpid blocks: on a thread of its own, not on the test's executor.
        Thread.detachNewThread {
            continuation.yield(ChildProcess.wait(pid))
            continuation.finish()
        }
        // A hung child (a lock never released, say) must fail the test, not stall CI forever.
        watchdog = Task {
            try? await Task.sleep(for: .seconds(300))
            if !Task.isCancelled { kill(pid, SIGKILL) }
        }
    }

    /// Sends a signal to the process (e.g. SIGTERM, to stop a server).
    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the process to end and collects what it printed.
    func finish() async throws -> CommandResult {
        var status: Int32 = -1
        for await ended in ended { status = ended }
        watchdog.cancel()
        return CommandResult(
            commandLine: commandLine,
            status: status,
            stdoutData: try Data(contentsOf: stdoutURL),
            stderrData: try Data(contentsOf: stderrURL)
        )
    }
}

/// A problem in the test setup itself (a missing binary, an unwritable scratch directory).
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program to the end.
func runCommand(
    _ executable: URL,
    _ arguments: [String],
    environment: [String: String] = ProcessInfo.processInfo.environment,
    scratch: URL
) async throws -> CommandResult {
    try await RunningCommand(executable: executable, arguments: arguments, environment: environment, scratch: scratch)
        .finish()
}

/// Runs `body` with a fresh temporary directory, removed afterwards.
func withScratchDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
