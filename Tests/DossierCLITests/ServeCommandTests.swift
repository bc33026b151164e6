import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `dossier serve` as an operator runs it: it answers on its port, and SIGTERM (a service
/// manager) or SIGINT (Ctrl-C) stop it cleanly, with exit status 0, after which nothing listens.
@Suite struct ServeCommandTests {
    private static let curl = URL(fileURLWithPath: "/usr/bin/curl")
    private static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    private func health(_ port: Int, scratch: URL) async throws -> CommandResult {
        try await runCommand(
            Self.curl,
            ["-sf", "--max-time", "2", "http://127.0.0.1:\(port)/healthz"],
            scratch: scratch
        )
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func theServerAnswersThenStopsCleanlyOnASignal(_ signal: Int32) async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "20", "--seed", "1"])
            let port = Int.random(in: 20_000..<40_000)
            let server = try node.start(["serve", "--port", String(port)])
            var answer: CommandResult?
            for _ in 0..<150 {
                let reply = try await health(port, scratch: scratch)
                if reply.status == 0 {
                    answer = reply
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer?.stdout == "ok\n", "\(String(describing: answer))")
            server.signal(signal)
            let result = try await server.finish()
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("http://127.0.0.1:\(port)/"), "\(result)")
            #expect(try await health(port, scratch: scratch).status != 0, "something still answers on \(port)")
        }
    }

    /// The server remembers who a token belongs to for up to two seconds (`PrincipalCache`): a
    /// token revoked by another process — the command line — is refused once that has passed.
    @Test func aTokenRevokedFromTheCommandLineIsRefusedByTheRunningServerWithinTwoSeconds() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "20", "--seed", "1"])
            let secret = try await node.succeed(["user", "token", "viewer", "--label", "script"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            struct Token: Decodable { var id: Int64 }
            let listed = try await node.succeed(["user", "tokens", "viewer", "--format", "json"])
            let id = try #require(try JSONDecoder().decode([Token].self, from: listed.stdoutData).first?.id)
            let port = Int.random(in: 20_000..<40_000)
            let server = try node.start(["serve", "--port", String(port)])
            var stopped = false
            defer { if !stopped { server.signal(SIGTERM) } }
            func status() async throws -> String {
                try await runCommand(
                    Self.curl,
                    [
                        "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "2",
                        "-H", "Authorization: Bearer \(secret)", "http://127.0.0.1:\(port)/api/v1/people/1",
                    ],
                    scratch: scratch
                ).stdout
            }
            var before = ""
            for _ in 0..<150 {
                before = try await status()
                if before == "200" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(before == "200")

            try await node.succeed(["user", "revoke-token", String(id)])
            try await Task.sleep(for: .milliseconds(2_100))
            #expect(try await status() == "401")
            server.signal(SIGTERM)
            stopped = true
            _ = try await server.finish()
        }
    }

    /// While another process holds the database's write lock, requests that write wait for it
    /// (off the event loops), and the server keeps answering everything else.
    @Test func writesWaitingForTheDatabaseLockDoNotHoldUpOtherRequests() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "20", "--seed", "1"])
            let secret = try await node.succeed(["user", "token", "admin", "--label", "script"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let port = Int.random(in: 20_000..<40_000)
            // Two event loops whatever the machine, so four waiting writes would hold up both.
            let server = try node.start(
                ["serve", "--port", String(port)],
                environment: ["NIO_SINGLETON_GROUP_LOOP_COUNT": "2"]
            )
            var stopped = false
            defer { if !stopped { server.signal(SIGTERM) } }
            var ready = false
            for _ in 0..<150 where !ready {
                ready = try await health(port, scratch: scratch).status == 0
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready)

            // Another process takes the write lock and keeps it until the file `release` appears
            // (at most a minute, so a failing test cannot hang).
            let database = node.directory.appendingPathComponent("dossier.sqlite").path
            let holder = try RunningCommand(
                executable: Self.sqlite3,
                arguments: [
                    database, ".timeout 10000", "BEGIN IMMEDIATE;",
                    ".shell for i in $(seq 600); do [ -e release ] && break; sleep 0.1; done", "COMMIT;",
                ],
                environment: ProcessInfo.processInfo.environment,
                scratch: scratch
            )
            func release() {
                FileManager.default.createFile(atPath: scratch.appendingPathComponent("release").path, contents: nil)
            }
            defer { release() }
            var locked = false
            for _ in 0..<200 where !locked {
                let probe = try await runCommand(
                    Self.sqlite3,
                    [database, ".timeout 0", "BEGIN IMMEDIATE;", "ROLLBACK;"],
                    scratch: scratch
                )
                locked = probe.status != 0
                if !locked { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(locked, "the other process never took the write lock")

            // More writes than the server has event loops, each waiting for the lock.
            let writes = try (0..<4).map { _ in
                try RunningCommand(
                    executable: Self.curl,
                    arguments: [
                        "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "120", "-X", "POST",
                        "-H", "Authorization: Bearer \(secret)", "-H", "Content-Type: application/json",
                        "--data", #"{"role":"viewer","org":null}"#,
                        "http://127.0.0.1:\(port)/api/v1/users/viewer/grants",
                    ],
                    environment: ProcessInfo.processInfo.environment,
                    scratch: scratch
                )
            }
            // The server keeps answering while all four wait: its metrics show them in flight
            // (with the metrics request itself), and /healthz answers.
            var waiting = false
            // Generous: on two cores busy with other builds the four writes take a while to arrive.
            let deadline = ContinuousClock.now + .seconds(60)
            while !waiting, ContinuousClock.now < deadline {
                let metrics = try await runCommand(
                    Self.curl,
                    ["-sf", "--max-time", "5", "http://127.0.0.1:\(port)/metrics"],
                    scratch: scratch
                )
                let inFlight = metrics.stdout.split(separator: "\n")
                    .first { $0.hasPrefix("dossier_http_requests_in_flight ") }
                    .flatMap { Double($0.split(separator: " ").last ?? "") }
                waiting = (inFlight ?? 0) >= 5
                if !waiting { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(waiting, "the server stopped answering, or the writes never arrived")
            let answer = try await runCommand(
                Self.curl,
                ["-sf", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"],
                scratch: scratch
            )
            #expect(answer.status == 0 && answer.stdout == "ok\n", "the server stopped answering: \(answer)")

            release()
            #expect(try await holder.finish().status == 0)
            for write in writes {
                let result = try await write.finish()
                #expect(result.stdout == "201", "\(result)")
            }
            server.signal(SIGTERM)
            stopped = true
            _ = try await server.finish()
        }
    }

    @Test func aPortOutOfRangeIsAUsageError() async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(["serve", "--port", "70000"], scratch: scratch)
            #expect(result.status == 64, "\(result)")
        }
    }

    @Test(arguments: ["0", "257"])
    func aPackageCheckLimitOutOfRangeIsAUsageError(_ limit: String) async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(["serve", "--max-package-checks", limit], scratch: scratch)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("--max-package-checks must be from 1 to 256."), "\(result)")
        }
    }
}
