#if canImport(Glibc)
public import Glibc
#endif

/// Starts and waits for child processes with `posix_spawn`, for the tests that run `openssl`,
/// `bsdtar` or the `dossier` binary.
///
/// Not Foundation's `Process`: on Linux with Swift 6.3.1 its `run()` reads past a buffer while
/// listing `/proc/self/fd` and crashes now and then (swift-corelibs-foundation #5472, fixed
/// upstream after this toolchain) — often enough to fail a test suite that spawns hundreds.
public enum ChildProcess {
    /// Why a child could not be started.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `executable` with `arguments` and exactly `environment`, in `directory` (through
    /// `env -C`, as glibc's `posix_spawn_file_actions_addchdir_np` is not visible to Swift),
    /// standard input from /dev/null, standard output and error into files (one file when both
    /// paths are the same). Returns the child's process id.
    public static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        directory: String? = nil,
        stdout: String,
        stderr: String
    ) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        if stderr == stdout {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        }
        let path = directory == nil ? executable : "/usr/bin/env"
        let words = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        var argv: [UnsafeMutablePointer<CChar>?] = (words + arguments).map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, &argv, &envp)
        guard result == 0 else {
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        return pid
    }

    /// Waits for the child to end: its exit status, or 128 + the signal that ended it.
    public static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return -1 }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

extension ChildProcess {
    /// Runs a program to its end: its exit status and everything it printed (standard output and
    /// error together). `environment` nil: this process's own.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        directory: String? = nil
    ) throws -> (status: Int32, output: String) {
        var template = Array("/tmp/dossier-child-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw Failure(description: "cannot make a temporary file") }
        close(descriptor)
        let output = String(cString: template)
        defer { unlink(output) }
        let pid = try spawn(
            executable: executable,
            arguments: arguments,
            environment: environment ?? currentEnvironment(),
            directory: directory,
            stdout: output,
            stderr: output
        )
        let status = wait(pid)
        return (status, try contents(of: output))
    }

    /// This process's environment.
    public static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return result
    }

    /// A file's text, read with plain POSIX calls.
    static func contents(of path: String) throws -> String {
        guard let file = fopen(path, "rb") else { throw Failure(description: "cannot read \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count == 0 { break }
            bytes += buffer[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
