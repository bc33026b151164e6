import DossierCore
import Foundation
import Testing

/// `dossier doc add|list|show|get` on a demo province, through the built executable.
@Suite struct DocCommandTests {
    /// A demo node of 50 people and the file number of one of them.
    private func demoNode(_ scratch: URL, seed: Int) async throws -> (node: DossierNode, person: Int64) {
        let node = DossierNode(scratch: scratch)
        try await node.succeed(["demo", "--people", "50", "--seed", String(seed)])
        let person = try #require(try await node.people().first?.id)
        return (node, person)
    }

    /// Writes `bytes` to a new file named `name` in the scratch directory and returns its path.
    private func write(_ bytes: [UInt8], named name: String, in scratch: URL) throws -> String {
        let url = scratch.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A PDF of a few kilobytes whose content depends on `seed`.
    private func pdf(seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        let body = (0..<6000).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        return Array("%PDF-1.5\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A] + body + Array("\n%%EOF\n".utf8)
    }

    /// Everything under `DIR/blobs`, relative, directories ending in "/", sorted.
    private func blobWalk(_ node: DossierNode) -> [String] {
        let root = node.directory.appendingPathComponent("blobs").path
        guard let names = FileManager.default.enumerator(atPath: root) else { return [] }
        var entries: [String] = []
        for case let name as String in names {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
            entries.append(isDirectory.boolValue ? name + "/" : name)
        }
        return entries.sorted()
    }

    /// `doc list PERSON --format json --all`, decoded.
    private func documents(_ node: DossierNode, person: Int64) async throws -> [DocumentRow] {
        let result = try await node.succeed(["doc", "list", String(person), "--format", "json", "--all"])
        return try JSONDecoder().decode([DocumentRow].self, from: result.stdoutData)
    }

    /// The arguments of `doc add` filing `path` under 4-1.
    private func addArguments(person: Int64, path: String, title: String = "学士学位证书") -> [String] {
        [
            "doc", "add", String(person), path, "--class", "4-1", "--title", title, "--date", "2008-07-01", "--pages",
            "2",
        ]
    }

    /// The document number in "Added as document N.".
    private func addedID(_ result: CommandResult) throws -> Int64 {
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(text.hasPrefix("Added as document ") && text.hasSuffix("."), "\(result)")
        return try #require(Int64(text.dropFirst("Added as document ".count).dropLast()), "\(result)")
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
        #expect(result.stderr.hasSuffix(".\n"), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(phrase), "\(result)", sourceLocation: sourceLocation)
    }

    @Test func addListShowAndGetRoundTripTheExactBytes() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await demoNode(scratch, seed: 21)
            let bytes = pdf(seed: 1)
            let path = try write(bytes, named: "学位证书.pdf", in: scratch)
            let title = "学士学位证书（扫描件）"
            let added = try await node.succeed(addArguments(person: person, path: path, title: title))
            #expect(added.stderr.isEmpty, "\(added)")
            let id = try addedID(added)

            let listed = try await documents(node, person: person)
            try #require(listed.count == 1, "\(listed)")
            let document = listed[0]
            #expect(document.id == id)
            #expect(document.personID == person)
            #expect(document.archiveClass == .degrees)
            #expect(document.title == title)
            #expect(document.date == CivilDate(iso: "2008-07-01"))
            #expect(document.pages == 2)
            #expect(document.mediaType == .pdf)
            #expect(document.size == Int64(bytes.count))
            #expect(document.addedBy == "admin")
            #expect(document.retiredAt == nil)

            // The SHA-256 agrees with an independent implementation.
            let sum = try await runCommand(URL(fileURLWithPath: "/usr/bin/sha256sum"), [path], scratch: scratch)
            try #require(sum.status == 0, "\(sum)")
            #expect(sum.stdout.split(separator: " ").first.map(String.init) == document.sha256)
            #expect(document.sm3.count == 64 && document.sm3 != document.sha256)

            let shown = try await node.succeed(["doc", "show", String(id), "--format", "json"])
            #expect(try JSONDecoder().decode(DocumentRow.self, from: shown.stdoutData) == document)

            let out = scratch.appendingPathComponent("导出.pdf")
            let got = try await node.succeed(["doc", "get", String(id), "--out", out.path])
            #expect(got.stderr.isEmpty, "\(got)")
            #expect([UInt8](try Data(contentsOf: out)) == bytes)

            let prefix = String(document.sha256.prefix(2))
            #expect(blobWalk(node) == ["\(prefix)/", "\(prefix)/\(document.sha256.dropFirst(2))", "tmp/"])
        }
    }

    @Test func aTextFileIsRefusedWithOneSentenceAndNothingIsStored() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await demoNode(scratch, seed: 22)
            let blobsBefore = blobWalk(node)
            let headBefore = try await node.auditHead()
            let path = try write(Array("干部履历表\n姓名,出生年月\n".utf8), named: "履历表.pdf", in: scratch)
            let result = try await node.run(addArguments(person: person, path: path))
            expectRefusal(result, mentioning: "not a file of an accepted format")
            #expect(blobWalk(node) == blobsBefore)
            #expect(try await node.auditHead() == headBefore)
            #expect(try await documents(node, person: person).isEmpty)
        }
    }

    @Test func getRefusesToOverwriteAnExistingFile() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await demoNode(scratch, seed: 23)
            let path = try write(pdf(seed: 2), named: "scan.pdf", in: scratch)
            let id = try addedID(try await node.succeed(addArguments(person: person, path: path)))
            let existing = scratch.appendingPathComponent("existing.pdf")
            let precious = Data("请勿覆盖\n".utf8)
            try precious.write(to: existing)
            let result = try await node.run(["doc", "get", String(id), "--out", existing.path])
            expectRefusal(result, mentioning: existing.path)
            #expect(try Data(contentsOf: existing) == precious)
        }
    }

    @Test(arguments: ["4", "9"])
    func aMainClassWithSubClassesIsAUsageError(archiveClass: String) async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await demoNode(scratch, seed: 24)
            let blobsBefore = blobWalk(node)
            let headBefore = try await node.auditHead()
            let path = try write(pdf(seed: 3), named: "scan.pdf", in: scratch)
            let result = try await node.run([
                "doc", "add", String(person), path, "--class", archiveClass, "--title", "学历", "--date", "2008-07-01",
            ])
            #expect(result.status == 64, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.contains("'\(archiveClass)' is not a known archive class"), "\(result)")
            #expect(result.stderr.contains("\(archiveClass)-1"), "the choices are listed: \(result)")
            #expect(blobWalk(node) == blobsBefore)
            #expect(try await node.auditHead() == headBefore)
        }
    }

    /// The same scan filed for the same person by several processes at once (a double submission):
    /// one is recorded and the others are refused as duplicates; the one recorded must keep its
    /// file. Several rounds, as each is a race.
    @Test func concurrentAddsOfTheSameNewFileKeepTheRecordedDocumentsFile() async throws {
        try await withScratchDirectory { scratch in
            let (node, person) = try await demoNode(scratch, seed: 25)
            for round in 1...10 {
                let bytes = pdf(seed: 100 + UInt64(round))
                let path = try write(bytes, named: "round-\(round).pdf", in: scratch)
                let running = try (1...20).map { _ in try node.start(addArguments(person: person, path: path)) }
                var results: [CommandResult] = []
                for command in running { results.append(try await command.finish()) }
                let winners = results.filter { $0.status == 0 }
                try #require(
                    winners.count == 1,
                    "round \(round): \(results.map(\.description).joined(separator: "\n"))"
                )
                for loser in results where loser.status != 0 {
                    expectRefusal(loser, mentioning: "already in person \(person)'s file")
                }
                let id = try addedID(winners[0])
                let out = scratch.appendingPathComponent("round-\(round)-out.pdf")
                let got = try await node.run(["doc", "get", String(id), "--out", out.path])
                #expect(got.status == 0, "round \(round): the recorded document lost its file: \(got)")
                #expect((try? Data(contentsOf: out)).map { [UInt8]($0) } == bytes, "round \(round)")
            }
        }
    }
}

/// One object of `doc list|show --format json` (the contract's fields).
private struct DocumentRow: Decodable, Equatable {
    var id: Int64
    var personID: Int64
    var archiveClass: ArchiveClass
    var title: String
    var date: CivilDate
    var pages: Int?
    var mediaType: MediaType
    var size: Int64
    var sha256: String
    var sm3: String
    var addedBy: String
    var addedAt: String
    var retiredAt: String?

    private enum CodingKeys: String, CodingKey {
        case id
        case personID = "person_id"
        case archiveClass = "class"
        case title, date, pages
        case mediaType = "media_type"
        case size, sha256, sm3
        case addedBy = "added_by"
        case addedAt = "added_at"
        case retiredAt = "retired_at"
    }
}
