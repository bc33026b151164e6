import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `dossier serve` as an operator runs it: it answers on its port, and SIGTERM (a service
/// manager) or SIGINT (Ctrl-C) stop it cleanly, with exit status 0, after which nothing listens.
@Suite struct ServeCommandTests {
    private static let curl = URL(fileURLWithPath: "/usr/bin/curl")

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

    @Test func aPortOutOfRangeIsAUsageError() async throws {
        try await withScratchDirectory { scratch in
            let result = try await dossier(["serve", "--port", "70000"], scratch: scratch)
            #expect(result.status == 64, "\(result)")
        }
    }
}
