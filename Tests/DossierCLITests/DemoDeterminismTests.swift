import Foundation
import Testing

/// `dossier demo` gives the same province, and the same open cases, for the same seed.
@Suite struct DemoDeterminismTests {
    private func outputs(_ node: DossierNode) async throws -> [String: Data] {
        var outputs: [String: Data] = [:]
        for arguments in [
            ["person", "list", "--format", "json", "--limit", "100000"],
            ["person", "list", "--format", "json", "--limit", "100000", "--reveal"],
            ["quota", "show", "--format", "json"],
            ["quota", "show", "--format", "json", "--posts"],
            ["org", "list", "--format", "json"],
            ["case", "list", "--format", "json"],
        ] {
            outputs[arguments.joined(separator: " ")] = try await node.succeed(arguments).stdoutData
        }
        return outputs
    }

    @Test func theSameSeedGivesByteIdenticalListingsInTwoDataDirectories() async throws {
        try await withScratchDirectory { scratch in
            var results: [[String: Data]] = []
            for (name, seed) in [("first", "42"), ("second", "42"), ("other", "43")] {
                let node = DossierNode(scratch: scratch, name: name)
                try await node.succeed(["demo", "--people", "200", "--seed", seed])
                results.append(try await outputs(node))
            }
            let (first, second, other) = (results[0], results[1], results[2])
            for (command, data) in first {
                #expect(data == second[command], "`\(command)` differs between two demos with seed 42")
            }
            #expect(
                try JSONDecoder().decode([PersonRow].self, from: first["person list --format json --limit 100000"]!)
                    .count == 200
            )
            // The demo's feeds leave open cases, the same ones for the same seed.
            let cases = try JSONSerialization.jsonObject(with: first["case list --format json"]!) as? [Any]
            #expect(cases?.count == 5)
            #expect(
                first["person list --format json --limit 100000 --reveal"]
                    != other["person list --format json --limit 100000 --reveal"]
            )
        }
    }
}
