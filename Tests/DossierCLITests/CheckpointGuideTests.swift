import Foundation
import Testing

/// Signed audit checkpoints through the `dossier` executable, and the inspector's guide
/// (Archives/README.md, "Checking a signed audit checkpoint") performed with the real `openssl`:
/// the commands the guide shows are cut out of it and run as they stand.
@Suite struct CheckpointGuideTests {
    /// The shell commands of the guide's checkpoint section (its `sh` block).
    private func guideCommands() throws -> String {
        let guide = try String(contentsOf: packageRoot.appendingPathComponent("Archives/README.md"), encoding: .utf8)
        let section = try #require(guide.range(of: "## Checking a signed audit checkpoint"))
        let rest = guide[section.upperBound...]
        let start = try #require(rest.range(of: "```sh\n"))
        let end = try #require(rest[start.upperBound...].range(of: "```"))
        return String(rest[start.upperBound..<end.lowerBound])
    }

    /// Runs the guide's commands in `folder` (holding checkpoints.txt and agency.pem) for
    /// checkpoint `number`, stopping at the first failure.
    private func runGuide(in folder: URL, number: Int, scratch: URL) async throws -> CommandResult {
        let commands = try guideCommands().replacingOccurrences(of: "K=1\n", with: "K=\(number)\n")
        return try await runCommand(
            URL(fileURLWithPath: "/bin/bash"),
            ["-e", "-o", "pipefail", "-c", "cd '\(folder.path)'\n" + commands],
            scratch: scratch
        )
    }

    /// A demo node with a key of `algorithm` and two checkpoints; the export and the key are
    /// written into `folder` as an inspector receives them.
    private func node(_ scratch: URL, algorithm: String, folder: URL) async throws -> DossierNode {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["demo", "--people", "20", "--seed", "7"])
        try await node.succeed(["keys", "generate", "--alg", algorithm, "--replace"])
        try await node.succeed(["audit", "checkpoint"])
        try await node.succeed(["audit", "checkpoint"])
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await node.succeed(["audit", "checkpoint", "--export"]).stdoutData
            .write(to: folder.appendingPathComponent("checkpoints.txt"))
        try await node.succeed(["keys", "export"]).stdoutData.write(to: folder.appendingPathComponent("agency.pem"))
        return node
    }

    @Test(arguments: ["sm2", "ed25519", "ecdsa-p256"])
    func theGuidesOpenSSLCommandsVerifyAnExportedCheckpoint(_ algorithm: String) async throws {
        try await withScratchDirectory { scratch in
            let folder = scratch.appendingPathComponent("inspector")
            let node = try await node(scratch, algorithm: algorithm, folder: folder)
            let json = try await node.succeed(["audit", "checkpoint", "--export", "--format", "json"])
            let exported = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])
            #expect(exported.count == 2)
            for number in [1, 2] {
                let result = try await runGuide(in: folder, number: number, scratch: scratch)
                #expect(result.status == 0, "\(result)")
                let lines = result.stdout.split(separator: "\n").map(String.init)
                // The checkpoint's key id and the one computed from the agency's key.
                #expect(lines.count >= 2 && lines[0].count == 16 && lines[0] == lines[1], "\(result)")
                #expect(
                    result.stdout.contains("Signature Verified Successfully") || result.stdout.contains("Verified OK"),
                    "\(result)"
                )
                // The file the guide cut out is exactly the text signed, as the JSON export gives it.
                let signed = try String(contentsOf: folder.appendingPathComponent("checkpoint.txt"), encoding: .utf8)
                #expect(signed == exported[number - 1]["signed_text"] as? String)
                #expect(signed.contains("seq: \(exported[number - 1]["seq"] as? Int ?? -1)\n"))
            }
        }
    }

    @Test func theGuideRefusesACheckpointWhoseTextWasChanged() async throws {
        try await withScratchDirectory { scratch in
            let folder = scratch.appendingPathComponent("inspector")
            _ = try await node(scratch, algorithm: "sm2", folder: folder)
            let file = folder.appendingPathComponent("checkpoints.txt")
            let text = try String(contentsOf: file, encoding: .utf8)
            // Another entry number in checkpoint 1's signed text, its signature unchanged.
            let edited = text.replacingOccurrences(of: "\nseq: ", with: "\nseq: 9")
            #expect(edited != text)
            try Data(edited.utf8).write(to: file)
            let result = try await runGuide(in: folder, number: 1, scratch: scratch)
            #expect(result.status != 0, "\(result)")
            #expect(!result.stdout.contains("Signature Verified Successfully"), "\(result)")
        }
    }

    @Test func verifyExitsOneNamingACheckpointWhoseSignatureWasChanged() async throws {
        try await withScratchDirectory { scratch in
            let folder = scratch.appendingPathComponent("inspector")
            let node = try await node(scratch, algorithm: "ed25519", folder: folder)
            let good = try await node.run(["audit", "verify"])
            #expect(good.status == 0, "\(good)")
            #expect(good.stdout.contains("2 signed checkpoint(s) hold"), "\(good)")

            let edit = try await runCommand(
                URL(fileURLWithPath: "/usr/bin/sqlite3"),
                [
                    node.databaseURL.path,
                    """
                    DROP TRIGGER audit_checkpoint_append_only_update;
                    UPDATE audit_checkpoint SET signature = randomblob(length(signature)) WHERE id = 2;
                    """,
                ],
                scratch: scratch
            )
            #expect(edit.status == 0, "\(edit)")
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 1, "\(verify)")
            #expect(verify.stdout.isEmpty, "\(verify)")
            #expect(verify.stderr.hasPrefix("dossier: "), "\(verify)")
            #expect(verify.stderr.contains("Checkpoint 2 "), "\(verify)")
            #expect(verify.stderrLines.count == 1, "\(verify)")
        }
    }

    @Test func withoutASigningKeyTheCheckpointIsRefusedInOneSentence() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            try await node.succeed(["init"])
            let result = try await node.run(["audit", "checkpoint"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("dossier keys generate"), "\(result)")
            #expect(result.stderrLines.count == 1, "\(result)")
        }
    }
}
