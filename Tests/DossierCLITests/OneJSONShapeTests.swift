import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The command line's `--format json` and the JSON API write each thing in one shape: the same
/// keys and the same values, whichever door a script reads it through.
@Suite struct OneJSONShapeTests {
    private static let curl = URL(fileURLWithPath: "/usr/bin/curl")

    /// The JSON text parsed into plain values (dictionaries, arrays, strings, numbers, null).
    private func parsed(_ data: Data, sourceLocation: SourceLocation = #_sourceLocation) throws -> NSObject {
        try #require(
            try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? NSObject,
            sourceLocation: sourceLocation
        )
    }

    @Test func theCommandLineAndTheAPIWriteEachThingInTheSameShape() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["demo", "--people", "20", "--seed", "1", "--as-of", "2026-11-01"])
            let file = scratch.appendingPathComponent("cv.pdf")
            try Data("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".utf8).write(to: file)
            try await node.succeed([
                "doc", "add", "1", file.path, "--class", "1", "--title", "履历表", "--date", "2020-01-01",
            ])
            try await node.succeed([
                "action", "draft", "1", "--kind", "resign", "--on", "2026-11-20", "--note", "本人申请",
            ])
            let secret = try await node.succeed(["user", "token", "admin", "--label", "shapes"]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let port = Int.random(in: 20_000..<40_000)
            let server = try node.start(["serve", "--port", String(port)])
            defer { server.signal(SIGTERM) }
            func api(_ path: String) async throws -> CommandResult {
                try await runCommand(
                    Self.curl,
                    [
                        "-s", "--max-time", "5", "-H", "Authorization: Bearer \(secret)",
                        "http://127.0.0.1:\(port)/api/v1/\(path)",
                    ],
                    scratch: scratch
                )
            }
            var ready = false
            for _ in 0..<150 where !ready {
                ready = try await api("users").status == 0
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready)

            // Each pair: the command, and the API route that gives the same thing (for a page of
            // a list, its `items`).
            let pairs: [(command: [String], path: String, page: Bool)] = [
                (["org", "list"], "organizations", false),
                (["user", "list"], "users", false),
                (
                    ["person", "list", "--date", "2026-11-01", "--limit", "20"], "people?as_of=2026-11-01&limit=20",
                    true
                ),
                (["person", "show", "1", "--date", "2026-11-01"], "people/1?as_of=2026-11-01", false),
                (["person", "timeline", "1"], "people/1/timeline", false),
                (["doc", "list", "1"], "people/1/documents", false),
                (["doc", "show", "1"], "documents/1", false),
                (["action", "list", "--all"], "actions?state=all", true),
                (["action", "show", "1"], "actions/1", false),
                (["audit", "log", "--limit", "20"], "audit?limit=20", true),
            ]
            for pair in pairs {
                let printed = try await node.succeed(pair.command + ["--format", "json"])
                let served = try await api(pair.path)
                var answer = try parsed(served.stdoutData)
                if pair.page { answer = try #require((answer as? NSDictionary)?["items"] as? NSObject) }
                #expect(
                    try parsed(printed.stdoutData) == answer,
                    "\(pair.command.joined(separator: " ")) against \(pair.path)"
                )
                #expect((answer as? NSArray)?.count != 0, "\(pair.path) gave nothing to compare")
            }
            // The head is the last entry, whichever door: compared after the reads above, which
            // write nothing to the log.
            let head = try parsed(try await node.succeed(["audit", "head", "--format", "json"]).stdoutData)
            #expect(head == (try parsed(try await api("audit/head").stdoutData)))
            // Every headcount row the command prints is a row of the API's, key for key.
            let rows = try #require(
                try parsed(
                    try await node.succeed(["quota", "show", "--date", "2026-11-01", "--format", "json"]).stdoutData
                )
                    as? [NSDictionary]
            )
            let quotas = try #require(try parsed(try await api("quotas?as_of=2026-11-01").stdoutData) as? NSDictionary)
            let served = try #require(quotas["establishment"] as? [NSDictionary])
            #expect(!rows.isEmpty)
            #expect(rows.allSatisfy { served.contains($0) })
        }
    }
}
