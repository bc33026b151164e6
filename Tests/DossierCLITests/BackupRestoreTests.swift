import DossierCore
import Foundation
import Testing

/// `dossier backup`, `dossier keys backup` and `dossier restore`: a backup taken while the node
/// works restores to a node that passes its check, and every kind of damaged or foreign backup
/// is refused with nothing left behind.
@Suite struct BackupRestoreTests {
    static let passphrase = "correct horse battery staple"
    static let bsdtar = URL(fileURLWithPath: "/usr/bin/bsdtar")
    static let openssl = URL(fileURLWithPath: "/usr/bin/openssl")

    /// Runs `dossier ARGUMENTS --data DIR` with `input` as standard input (the passphrase).
    private func run(_ node: DossierNode, _ arguments: [String], input: String) async throws -> CommandResult {
        let inputFile = node.scratch.appendingPathComponent("input-\(UUID().uuidString)")
        try Data((input + "\n").utf8).write(to: inputFile)
        defer { try? FileManager.default.removeItem(at: inputFile) }
        return try await runCommand(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "exec \"$0\" \"$@\" < \"\(inputFile.path)\"", try DossierBinary.require().path]
                + arguments + ["--data", node.directory.path],
            environment: DossierBinary.environment(),
            scratch: node.scratch
        )
    }

    /// A node with a signing key, two people, a document and its key backup.
    private func sourceNode(_ scratch: URL) async throws -> (node: DossierNode, keys: URL) {
        let node = DossierNode(scratch: scratch, name: "source")
        try await node.succeed(["init"])
        try await node.succeed(["keys", "generate", "--alg", "ed25519"])
        try await node.addOrganization(code: Fixture.creditCode(1), name: "甲厅")
        try await node.setQuota(org: Fixture.creditCode(1), approved: 50_000)
        for number in 1...2 {
            try await node.addPerson(
                idNumber: Fixture.identityNumber(number),
                org: Fixture.creditCode(1),
                hiredOn: "2021-01-04"
            )
        }
        let people = try await node.people()
        let scan = scratch.appendingPathComponent("scan.pdf")
        try Data(
            Array("%PDF-1.5\n".utf8) + (0..<3000).map { UInt8(truncatingIfNeeded: $0 &* 31) } + Array("\n%%EOF\n".utf8)
        )
        .write(to: scan)
        try await node.succeed([
            "doc", "add", String(people[0].id), scan.path, "--class", "4-1", "--title", "学位证书", "--date", "2008-07-01",
        ])
        let keys = scratch.appendingPathComponent("keys.backup")
        let keyBackup = try await run(node, ["keys", "backup", "--out", keys.path], input: Self.passphrase)
        try #require(keyBackup.status == 0, "\(keyBackup)")
        return (node, keys)
    }

    private func backUp(_ node: DossierNode, to name: String = "node.backup") async throws -> URL {
        let out = node.scratch.appendingPathComponent(name)
        try await node.succeed(["backup", "--out", out.path])
        return out
    }

    private func restore(_ backup: URL, keys: URL?, into target: DossierNode) async throws -> CommandResult {
        var arguments = ["restore", backup.path]
        if let keys { arguments += ["--keys", keys.path] }
        return try await run(target, arguments, input: Self.passphrase)
    }

    /// Unpacks a backup, lets `edit` change the folder, and packs it again as pax (what someone
    /// with the file and standard tools could do).
    private func repack(_ backup: URL, scratch: URL, _ edit: (URL) async throws -> Void) async throws -> URL {
        let folder = scratch.appendingPathComponent("unpacked-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let unpack = try await runCommand(Self.bsdtar, ["-xf", backup.path, "-C", folder.path], scratch: scratch)
        try #require(unpack.status == 0, "\(unpack)")
        try await edit(folder.appendingPathComponent("dossier-backup"))
        let out = scratch.appendingPathComponent("edited-\(UUID().uuidString).backup")
        let pack = try await runCommand(
            Self.bsdtar,
            ["--format", "pax", "-cf", out.path, "-C", folder.path, "dossier-backup"],
            scratch: scratch
        )
        try #require(pack.status == 0, "\(pack)")
        return out
    }

    private func expectRefusedAndNothingLeft(
        _ result: CommandResult,
        _ target: DossierNode,
        mentioning phrase: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("nothing was restored"), "\(result)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: target.directory.path), sourceLocation: sourceLocation)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: target.scratch.path).filter {
            $0.contains("restoring")
        }
        #expect(leftovers.isEmpty, "\(leftovers)", sourceLocation: sourceLocation)
    }

    @Test func aBackupRestoresToTheSameRecordsAndPassesTheCheck() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            let target = DossierNode(scratch: scratch, name: "restored")
            let result = try await restore(backup, keys: keys, into: target)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("passed its check"), "\(result)")
            #expect(try await target.people(reveal: true) == (try await source.people(reveal: true)))
            let check = try await target.run(["check"])
            #expect(check.status == 0, "\(check)")
            // The documents came back with their files, and the node can pack a signed package.
            let person = try await target.people()[0].id
            try await target.succeed(["archive", "pack", String(person)])
            let log = try await target.succeed(["audit", "log", "--format", "json", "--limit", "100000"]).stdout
            #expect(log.contains("node.restore"))
            // The backup is recorded once it is written, after its copy of the log was taken.
            #expect(!log.contains("node.backup"))
            let sourceLog = try await source.succeed(["audit", "log", "--format", "json", "--limit", "100000"]).stdout
            #expect(sourceLog.contains("node.backup"))
        }
    }

    @Test func aBackupTakenDuringAnImportHoldsAllOfItOrNoneOfIt() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let rows = 20_000
            var lines: [String] = []
            for number in 0..<rows {
                let born = CivilDate(iso: "1980-01-01")!.adding(days: number / 900)
                let id = ResidentID.make(addressCode: "110105", birthDate: born, sequence: number % 900 + 100).value
                lines.append("\(id),导入\(number),,,01,20,13,,\(Fixture.creditCode(1)),admin,,,active,2022-03-01")
            }
            let csv = scratch.appendingPathComponent("people.csv")
            try Data(([PeopleCSV.importColumns.joined(separator: ",")] + lines).joined(separator: "\n").utf8 + [0x0A])
                .write(to: csv)
            let before = try await source.people().count
            let importing = try source.start(["person", "import", csv.path])
            var backups: [URL] = []
            for index in 0..<3 {
                backups.append(try await backUp(source, to: "during-\(index).backup"))
            }
            let imported = try await importing.finish()
            #expect(imported.status == 0, "\(imported)")
            for (index, backup) in backups.enumerated() {
                let target = DossierNode(scratch: scratch, name: "restored-\(index)")
                let result = try await restore(backup, keys: keys, into: target)
                #expect(result.status == 0, "\(result)")
                let count = try await target.people().count
                #expect(count == before || count == before + rows, "backup \(index) holds \(count) people")
            }
        }
    }

    @Test func aBackupWithOneByteChangedIsRefused() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            var bytes = try [UInt8](Data(contentsOf: backup))
            // Inside the database copy: the second entry's data starts after two headers and the
            // first file; 8 KiB in is well inside it.
            bytes[8_192] ^= 0x20
            let damaged = scratch.appendingPathComponent("damaged.backup")
            try Data(bytes).write(to: damaged)
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(damaged, keys: keys, into: target),
                target,
                mentioning: "does not match its digest"
            )
        }
    }

    @Test func aTruncatedBackupIsRefused() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            let bytes = try Data(contentsOf: backup)
            let truncated = scratch.appendingPathComponent("truncated.backup")
            try bytes.prefix(bytes.count / 2).write(to: truncated)
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(truncated, keys: keys, into: target),
                target,
                mentioning: "damaged or truncated"
            )
        }
    }

    @Test func aBackupMissingADocumentFileIsRefused() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            var removed = ""
            let edited = try await repack(backup, scratch: scratch) { folder in
                let blobs = folder.appendingPathComponent("blobs")
                let prefix = try #require(try FileManager.default.contentsOfDirectory(atPath: blobs.path).first)
                let name = try #require(
                    try FileManager.default.contentsOfDirectory(atPath: blobs.appendingPathComponent(prefix).path).first
                )
                removed = "blobs/\(prefix)/\(name)"
                try FileManager.default.removeItem(at: folder.appendingPathComponent(removed))
            }
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(edited, keys: keys, into: target),
                target,
                mentioning: "lacks \(removed)"
            )
        }
    }

    @Test func aBackupReSignedWithAnotherKeyIsRefusedAndAnAlteredSignatureToo() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            // Someone changes a policy, lists its new digest and signs the manifest with a key of
            // their own, shipping that key's public half as the signer: sound on its own terms.
            let stranger = scratch.appendingPathComponent("stranger.pem")
            let generate = try await runCommand(
                Self.openssl,
                ["genpkey", "-algorithm", "ed25519", "-out", stranger.path],
                scratch: scratch
            )
            try #require(generate.status == 0, "\(generate)")
            let forged = try await repack(backup, scratch: scratch) { folder in
                let info = folder.appendingPathComponent("backup-info.txt")
                try Data("format: dossier-backup 1\nforged\n".utf8).write(to: info)
                let manifestURL = folder.appendingPathComponent("manifest-sha256.txt")
                let digest = String(try await Self.shell("sha256sum backup-info.txt", in: folder).prefix(64))
                let manifest =
                    try String(contentsOf: manifestURL, encoding: .utf8).split(separator: "\n").map {
                        $0.hasSuffix("  backup-info.txt") ? "\(digest)  backup-info.txt" : String($0)
                    }.joined(separator: "\n") + "\n"
                try Data(manifest.utf8).write(to: manifestURL)
                _ = try await Self.shell(
                    "openssl pkeyutl -sign -inkey '\(stranger.path)' -rawin -in manifest-sha256.txt -out manifest-sha256.txt.sig && openssl pkey -in '\(stranger.path)' -pubout -out signer.pem",
                    in: folder
                )
            }
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(forged, keys: keys, into: target),
                target,
                mentioning: "which is not one of the node's keys"
            )

            let altered = try await repack(backup, scratch: scratch) { folder in
                let signature = folder.appendingPathComponent("manifest-sha256.txt.sig")
                var bytes = try [UInt8](Data(contentsOf: signature))
                bytes[5] ^= 0x01
                try Data(bytes).write(to: signature)
            }
            try expectRefusedAndNothingLeft(
                try await restore(altered, keys: nil, into: target),
                target,
                mentioning: "does not match its signature"
            )
        }
    }

    @Test func aBackupWithAFileItsManifestDoesNotListIsRefused() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            let edited = try await repack(backup, scratch: scratch) { folder in
                try Data("status: retired\n".utf8).write(to: folder.appendingPathComponent("policies/extra.yaml"))
            }
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(edited, keys: keys, into: target),
                target,
                mentioning: "holds policies/extra.yaml, which its manifest does not list"
            )
        }
    }

    /// A node whose records were damaged before the backup (a placement edited in the file)
    /// backs up as it is, but the copy does not pass its check, so it is not kept.
    @Test func aBackupOfADamagedNodeIsNotKeptWhenRestored() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let edit = try await runCommand(
                URL(fileURLWithPath: "/usr/bin/sqlite3"),
                [
                    source.databaseURL.path,
                    "UPDATE placement SET status = 'retired', occupies = 0 WHERE valid_until IS NULL AND person_id = (SELECT min(person_id) FROM placement);",
                ],
                scratch: scratch
            )
            try #require(edit.status == 0, "\(edit)")
            let backup = try await backUp(source)
            let target = DossierNode(scratch: scratch, name: "restored")
            try expectRefusedAndNothingLeft(
                try await restore(backup, keys: keys, into: target),
                target,
                mentioning: "does not pass its check (placements: person"
            )
        }
    }

    @Test func aDirectoryThatIsNotEmptyIsNeverRestoredInto() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let backup = try await backUp(source)
            let target = DossierNode(scratch: scratch, name: "occupied")
            try FileManager.default.createDirectory(at: target.directory, withIntermediateDirectories: true)
            let keep = target.directory.appendingPathComponent("notes.txt")
            try Data("mine".utf8).write(to: keep)
            let result = try await restore(backup, keys: keys, into: target)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("is not empty"), "\(result)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: target.directory.path) == ["notes.txt"])
        }
    }

    @Test func theKeyBackupOpensWithOpenSSLAndThePassphraseAlone() async throws {
        try await withScratchDirectory { scratch in
            let (source, keys) = try await sourceNode(scratch)
            let opened = try await Self.shell(
                "printf '%s\\n' '\(Self.passphrase)' | openssl enc -d -aes-256-cbc -pbkdf2 -iter 600000 -md sha256 -in '\(keys.path)' -pass stdin",
                in: scratch
            )
            let fieldKey = try String(
                contentsOf: source.directory.appendingPathComponent("keys/field.key"),
                encoding: .utf8
            )
            let signing = try String(
                contentsOf: source.directory.appendingPathComponent("keys/signing.pem"),
                encoding: .utf8
            )
            #expect(opened.contains("=== field.key ("))
            #expect(opened.contains(fieldKey))
            #expect(opened.contains(signing))
            #expect(!(try String(decoding: Data(contentsOf: keys), as: UTF8.self)).contains("PRIVATE KEY"))
            let wrong = try await restore(
                try await backUp(source),
                keys: nil,
                into: DossierNode(scratch: scratch, name: "r")
            )
            #expect(wrong.status == 0, "without keys the files are restored: \(wrong)")
            #expect(wrong.stdout.contains("Put the keys back"), "\(wrong)")
        }
    }

    @Test func aShortPassphraseIsRefusedAndNoFileWritten() async throws {
        try await withScratchDirectory { scratch in
            let (source, _) = try await sourceNode(scratch)
            let out = scratch.appendingPathComponent("short.keys")
            let result = try await run(source, ["keys", "backup", "--out", out.path], input: "short")
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("at least 12 characters"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
    }

    /// Runs a shell command line in `folder`; fails the test with its output when it fails.
    private static func shell(_ command: String, in folder: URL) async throws -> String {
        let result = try await runCommand(
            URL(fileURLWithPath: "/bin/sh"),
            ["-c", "cd '\(folder.path)' && \(command)"],
            scratch: folder.deletingLastPathComponent()
        )
        try #require(result.status == 0, "\(result)")
        return result.stdout
    }
}
