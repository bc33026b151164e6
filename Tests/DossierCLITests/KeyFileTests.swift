import Foundation
import Testing

/// A database used with a key file that was not created with it.
@Suite struct KeyFileTests {
    @Test func aDatabaseCopiedToANodeWithAnotherKeyIsRefusedByEveryCommand() async throws {
        try await withScratchDirectory { scratch in
            let original = DossierNode(scratch: scratch, name: "original")
            try await original.succeed(["demo", "--people", "20", "--seed", "8"])
            let someone = try #require(try await original.people(reveal: true).first)

            let stranger = DossierNode(scratch: scratch, name: "stranger")
            try await stranger.succeed(["init"])
            let manager = FileManager.default
            for suffix in ["", "-wal", "-shm"] {
                let target = stranger.databaseURL.path + suffix
                if manager.fileExists(atPath: target) { try manager.removeItem(atPath: target) }
                if manager.fileExists(atPath: original.databaseURL.path + suffix) {
                    try manager.copyItem(atPath: original.databaseURL.path + suffix, toPath: target)
                }
            }
            let heldHead = try await original.auditHead()

            let commands: [[String]] = [
                ["person", "list"], ["person", "find", "--id-number", someone.idNumber], ["quota", "show"],
                ["org", "list"], ["audit", "verify"], ["audit", "head"],
                DossierNode.personAdd(
                    idNumber: Fixture.identityNumber(1),
                    org: someone.org ?? "",
                    hiredOn: "2021-01-04"
                ),
            ]
            for arguments in commands {
                let result = try await stranger.run(arguments)
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
                #expect(result.stderr.contains("key file"), "\(result)")
            }
            // Nothing was written or re-keyed: with the key it was created with, the copy works.
            let key = "keys/field.key"
            try manager.removeItem(at: stranger.directory.appendingPathComponent(key))
            try manager.copyItem(
                at: original.directory.appendingPathComponent(key),
                to: stranger.directory.appendingPathComponent(key)
            )
            let verify = try await stranger.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify)")
            #expect(try await stranger.auditHead() == heldHead)
            #expect(try await stranger.people(reveal: true).first == someone)
        }
    }
}
