import Foundation
import Testing

/// `dossier archive pack|verify|list|extract` on a demo province, through the built executable.
@Suite struct ArchiveCommandTests {
    /// A small PDF whose bytes hold a marker a test can find and flip.
    private let pdf = Array("%PDF-1.4\n% 学位证书扫描件\n1 0 obj<<>>endobj\nMARKER-0123456789\ntrailer<<>>\n%%EOF\n".utf8)

    /// A demo node of 50 people, with an SM2 signing key and one PDF filed for one person.
    private func node(
        _ scratch: URL,
        key: Bool = true
    ) async throws -> (node: DossierNode, person: Int64, document: String) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["demo", "--people", "50", "--seed", "41"])
        if key { try await node.succeed(["keys", "generate", "--alg", "sm2"]) }
        let person = try #require(try await node.people().first?.id)
        let file = scratch.appendingPathComponent("学位证书.pdf")
        try Data(pdf).write(to: file)
        let added = try await node.succeed([
            "doc", "add", String(person), file.path, "--class", "4-1", "--title", "学士学位证书", "--date", "2008-07-01",
        ])
        let text = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = try #require(Int64(text.dropFirst("Added as document ".count).dropLast()), "\(added)")
        return (node, person, "data/documents/4-1/\(id)-学士学位证书.pdf")
    }

    /// Packs `person` into `name` in the scratch folder; the command must succeed.
    @discardableResult
    private func pack(_ node: DossierNode, _ person: Int64, to name: String) async throws -> URL {
        let out = node.scratch.appendingPathComponent(name)
        let result = try await node.succeed(["archive", "pack", String(person), "--out", out.path])
        #expect(result.stdout.hasPrefix("Packed 2 files ("), "\(result)")
        #expect(result.stdout.hasSuffix(out.path + "\n"), "\(result)")
        return out
    }

    /// Every name under `url` that a command could have written, leaving out the runner's
    /// captured output and SQLite's journal files.
    private func walk(_ url: URL) -> [String] {
        guard let names = FileManager.default.enumerator(atPath: url.path) else { return [] }
        var result: [String] = []
        for case let name as String in names
        where !name.hasSuffix(".stdout") && !name.hasSuffix(".stderr") && !name.hasSuffix("-wal")
            && !name.hasSuffix("-shm")
        {
            result.append(name)
        }
        return result.sorted()
    }

    /// A refusal: exit 1, nothing on stdout, one sentence on stderr.
    private func expectRefusal(
        _ result: CommandResult,
        mentioning phrase: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("dossier: "), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result)", sourceLocation: sourceLocation)
    }

    /// How many of the four aspects the report says hold.
    private func holds(_ result: CommandResult) -> Int {
        result.stdout.split(separator: "\n").filter { $0.hasSuffix(": holds") }.count
    }

    /// bagit.py splits manifest lines on U+2028 and U+2029 as well as on line feeds:
    /// a title holding one must not become a payload name that breaks an inspector's check.
    @Test func aTitleWithLineSeparatorsStillGivesAPackageBagitAccepts() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            let file = scratch.appendingPathComponent("self.pdf")
            try Data(Array("%PDF-1.4\n% 自我鉴定表\ntrailer<<>>\n%%EOF\n".utf8)).write(to: file)
            try await node.succeed([
                "doc", "add", String(person), file.path, "--class", "2", "--title", "自我\u{2028}鉴定\u{2029}表 100%",
                "--date", "2010-01-01",
            ])
            let out = node.scratch.appendingPathComponent("p.tar")
            try await node.succeed(["archive", "pack", String(person), "--out", out.path])
            let listed = try await dossier(["archive", "list", out.path], scratch: scratch)
            #expect(listed.stdout.contains("自我_鉴定_表 100_.pdf"), "\(listed)")
            let bag = scratch.appendingPathComponent("bag")
            try FileManager.default.createDirectory(at: bag, withIntermediateDirectories: true)
            var environment = ProcessInfo.processInfo.environment
            environment["LC_ALL"] = "C.UTF-8"
            let extracted = try await runCommand(
                URL(fileURLWithPath: "/usr/bin/bsdtar"),
                ["-xf", out.path, "-C", bag.path],
                environment: environment,
                scratch: scratch
            )
            #expect(extracted.status == 0, "\(extracted)")
            let folder = try #require(try FileManager.default.contentsOfDirectory(atPath: bag.path).first)
            let validated = try await runCommand(
                URL(fileURLWithPath: try await Bagit.path.value),
                ["--validate", bag.appendingPathComponent(folder).path],
                environment: environment,
                scratch: scratch
            )
            #expect(validated.status == 0, "\(validated)")
        }
    }

    /// A title of 198 Tibetan characters is within the 200 a title may have, but far over 255
    /// bytes: its name in the package is cut between characters, and the file still packs.
    @Test func aLongTitleInAWideScriptStillPacks() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            let file = scratch.appendingPathComponent("long.pdf")
            try Data(Array("%PDF-1.4\n% long title\ntrailer<<>>\n%%EOF\n".utf8)).write(to: file)
            let title = String(repeating: "ཀྵ", count: 99)
            try await node.succeed([
                "doc", "add", String(person), file.path, "--class", "2", "--title", title, "--date", "2010-01-01",
            ])
            let out = node.scratch.appendingPathComponent("p.tar")
            try await node.succeed(["archive", "pack", String(person), "--out", out.path])
            let verified = try await node.run(["archive", "verify", out.path])
            #expect(verified.status == 0, "\(verified)")
            let listed = try await dossier(["archive", "list", out.path], scratch: scratch)
            let name = try #require(listed.stdout.split(separator: "\n").first { $0.contains("documents/2/") })
            #expect(name.utf8.count < 300, "\(name)")
        }
    }

    @Test func aPackedFileVerifiesAndPackingAgainGivesTheSameBytes() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            let first = try await pack(node, person, to: "first.tar")
            let verified = try await node.run(["archive", "verify", first.path])
            #expect(verified.status == 0, "\(verified)")
            #expect(holds(verified) == 4, "\(verified)")
            for aspect in ["真实性 authenticity", "完整性 integrity", "可用性 usability", "安全性 security"] {
                #expect(verified.stdout.contains("\(aspect): holds"), "\(verified)")
            }
            #expect(verified.stdout.hasPrefix("Package dossier-\(person)-"), "\(verified)")
            #expect(verified.stdout.contains(": 2 files, "), "\(verified)")

            // SM2 signatures are randomized: the node keeps the first one, so the bytes repeat.
            let second = try await pack(node, person, to: "second.tar")
            #expect(try Data(contentsOf: first) == Data(contentsOf: second))
        }
    }

    @Test func anInspectorVerifiesWithTheExportedKeyAndNoNode() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")
            let exported = try await node.succeed(["keys", "export"])
            #expect(exported.stdout.hasPrefix("-----BEGIN PUBLIC KEY-----"), "\(exported)")
            let pem = scratch.appendingPathComponent("agency.pem")
            try exported.stdoutData.write(to: pem)

            let nowhere = scratch.appendingPathComponent("no-node")
            let inspector = DossierNode(scratch: scratch, name: "no-node")
            let trusted = try await inspector.run(["archive", "verify", package.path, "--trust", pem.path])
            #expect(trusted.status == 0, "\(trusted)")
            #expect(holds(trusted) == 4, "\(trusted)")
            #expect(!FileManager.default.fileExists(atPath: nowhere.path))

            // Without the key, nothing vouches for the signer, and its payload is not read.
            let untrusted = try await inspector.run(["archive", "verify", package.path])
            #expect(untrusted.status == 1, "\(untrusted)")
            #expect(untrusted.stdout.contains("真实性 authenticity: FAILS"), "\(untrusted)")
            #expect(untrusted.stdout.contains("完整性 integrity: FAILS\n  - The payload was not checked"), "\(untrusted)")
            #expect(holds(untrusted) == 2, "\(untrusted)")
        }
    }

    @Test func aFlippedByteFailsVerificationNamingTheFile() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, document) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")
            var bytes = try Data(contentsOf: package)
            let marker = try #require(bytes.range(of: Data("MARKER-0123456789".utf8)))
            bytes[marker.lowerBound + 7] ^= 0x01
            let tampered = scratch.appendingPathComponent("tampered.tar")
            try bytes.write(to: tampered)

            let result = try await node.run(["archive", "verify", tampered.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("完整性 integrity: FAILS"), "\(result)")
            #expect(result.stdout.contains("  - \(document): its SHA-256 does not match the manifest."), "\(result)")
            #expect(result.stdout.contains("  - \(document): its SM3 does not match the manifest."), "\(result)")
            #expect(result.stdout.contains("真实性 authenticity: holds"), "\(result)")
        }
    }

    @Test func listShowsTheRecordAndExtractCreatesAFreshFolderOnly() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, document) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")

            let listed = try await dossier(["archive", "list", package.path], scratch: scratch)
            #expect(listed.status == 0, "\(listed)")
            let paths = listed.stdout.split(separator: "\n").compactMap { $0.split(separator: "\t").last }
            #expect(paths.contains("data/record.json"), "\(listed)")
            #expect(paths.contains(Substring(document)), "\(listed)")
            #expect(paths.first == "bagit.txt", "\(listed)")

            let folder = scratch.appendingPathComponent("extracted")
            let extracted = try await dossier(["archive", "extract", package.path, folder.path], scratch: scratch)
            #expect(extracted.status == 0, "\(extracted)")
            #expect(try Data(contentsOf: folder.appendingPathComponent(document)) == Data(pdf))
            let record = try Data(contentsOf: folder.appendingPathComponent("data/record.json"))
            #expect(try JSONSerialization.jsonObject(with: record) is [String: Any])

            let before = walk(scratch)
            let again = try await dossier(["archive", "extract", package.path, folder.path], scratch: scratch)
            #expect(again.status == 1, "\(again)")
            #expect(again.stderr.contains("already exists"), "\(again)")
            #expect(walk(scratch) == before)
        }
    }

    @Test func aViewerCannotPackAndNothingIsWritten() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            try await node.succeed(["user", "add", "reader", "--role", "viewer", "--whole-node"])
            let out = scratch.appendingPathComponent("p.tar")
            let before = walk(scratch)
            let result = try await node.run(["archive", "pack", String(person), "--out", out.path, "--as", "reader"])
            expectRefusal(result, mentioning: "reader")
            #expect(!FileManager.default.fileExists(atPath: out.path))
            #expect(walk(scratch) == before)
        }
    }

    @Test func packingWithoutASigningKeyAsksForKeysGenerate() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch, key: false)
            let out = scratch.appendingPathComponent("p.tar")
            let before = walk(scratch)
            let result = try await node.run(["archive", "pack", String(person), "--out", out.path])
            expectRefusal(result, mentioning: "keys generate")
            #expect(result.stderr.hasSuffix(".\n"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
            #expect(walk(scratch) == before)
        }
    }

    @Test func extractAcceptsAFolderNamedWithATrailingSlash() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, document) = try await node(scratch)
            let package = try await pack(node, person, to: "p.tar")
            // What a shell's completion or a script's "$DIR/" hands over.
            let folder = scratch.appendingPathComponent("extracted").path + "/"
            let result = try await dossier(["archive", "extract", package.path, folder], scratch: scratch)
            #expect(result.status == 0, "\(result)")
            #expect(FileManager.default.fileExists(atPath: folder + document))
        }
    }

    /// Runs `dossier ARGUMENTS` with its data segment limited to `megabytes` (`ulimit -d`).
    private func dossierWithin(megabytes: Int, _ arguments: [String], scratch: URL) async throws -> CommandResult {
        try await runCommand(
            URL(fileURLWithPath: "/bin/bash"),
            ["-c", "ulimit -d \(megabytes * 1024); exec \"$0\" \"$@\"", try DossierBinary.require().path] + arguments,
            environment: DossierBinary.environment(),
            scratch: scratch
        )
    }

    @Test func verifyingAZstdBombOfExtraFilesIsRefusedWithinBoundedMemory() async throws {
        try await withScratchDirectory { scratch in
            let (node, person, _) = try await node(scratch)
            let genuine = try await pack(node, person, to: "p.tar")
            // 24 files of 16 MiB of zeros (384 MiB) outside data/, in a zstd tar of a few kilobytes.
            let zeros = scratch.appendingPathComponent("zeros.bin")
            try #require(FileManager.default.createFile(atPath: zeros.path, contents: nil))
            let handle = try FileHandle(forWritingTo: zeros)
            try handle.truncate(atOffset: 16 << 20)
            try handle.close()
            let spec = (1...24).map {
                "bomb/junk\($0).txt type=file uid=0 gid=0 mode=0644 time=946684800.0 contents=\(zeros.path)\n"
            }
            let specURL = scratch.appendingPathComponent("bomb.mtree")
            try Data(("#mtree\n" + spec.joined()).utf8).write(to: specURL)
            let bomb = scratch.appendingPathComponent("bomb.tar.zst")
            let built = try await runCommand(
                URL(fileURLWithPath: "/usr/bin/bsdtar"),
                ["--zstd", "--format", "pax", "-cf", bomb.path, "@" + specURL.path],
                scratch: scratch
            )
            try #require(built.status == 0, "\(built)")
            try #require(try FileManager.default.attributesOfItem(atPath: bomb.path)[.size] as? Int ?? 0 < 1 << 20)

            // Within 256 MB, the genuine package verifies and listing the bomb ends in a refusal
            // (it expands beyond 100 times its size: refused after bounded work, not streamed
            // through)...
            let control = try await dossierWithin(
                megabytes: 256,
                ["archive", "verify", genuine.path],
                scratch: scratch
            )
            #expect(control.status == 0, "\(control)")
            let listed = try await dossierWithin(megabytes: 256, ["archive", "list", bomb.path], scratch: scratch)
            #expect(listed.status == 1, "\(listed)")
            #expect(listed.stderr.contains("compression bomb"), "\(listed)")
            // ...and verifying it must end in a report, not in running out of memory.
            let verified = try await dossierWithin(
                megabytes: 256,
                ["archive", "verify", bomb.path, "--data", scratch.appendingPathComponent("none").path],
                scratch: scratch
            )
            #expect(verified.status == 1, "\(verified)")
            #expect(verified.stdout.contains("FAILS"), "\(verified)")
        }
    }
}
