import DossierCrypto
import DossierStorage
import DossierStore
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A scratch directory holding source files and a blob store under `blobs/`, laid out as
/// `dossier init` leaves it (`blobs/tmp` already there).
private final class BlobFixture {
    let directory: URL
    let store: BlobStore

    init(createRoot: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-blobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = BlobStore(root: directory.appendingPathComponent("blobs").path)
        if createRoot {
            try FileManager.default.createDirectory(atPath: store.root + "/tmp", withIntermediateDirectories: true)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `bytes` to a new source file outside the store and returns its path.
    func source(_ bytes: [UInt8], name: String = UUID().uuidString) throws -> String {
        let url = directory.appendingPathComponent("in-\(name)")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// A path outside the store that does not exist yet.
    func destination() -> String {
        directory.appendingPathComponent("out-\(UUID().uuidString)").path
    }

    /// Everything under the store's root, relative, directories ending in "/", sorted.
    func walk() -> [String] {
        walkTree(store.root)
    }

    /// The stored blobs: the regular files outside `tmp/`.
    func blobs() -> [String] {
        walk().filter { !$0.hasSuffix("/") && !$0.hasPrefix("tmp/") }
    }

    /// Stores `bytes` accepting any content.
    func put(_ bytes: [UInt8], maxBytes: Int64 = 1 << 30) throws -> BlobStore.Stored {
        try store.put(fileAt: try source(bytes), maxBytes: maxBytes) { _ in nil }
    }
}

/// Every entry under `root`, relative, directories ending in "/", sorted; empty when `root` is absent.
private func walkTree(_ root: String) -> [String] {
    guard let names = FileManager.default.enumerator(atPath: root) else { return [] }
    var entries: [String] = []
    for case let name as String in names {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: root + "/" + name, isDirectory: &isDirectory)
        entries.append(isDirectory.boolValue ? name + "/" : name)
    }
    return entries.sorted()
}

/// Reproducible bytes that do not repeat in any short period (a 64-bit LCG's high bytes).
private func sampleBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

private func contents(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

@Suite struct BlobStoreTests {
    @Test func putThenCopyGivesBackTheSameBytesWithBothDigests() throws {
        let fixture = try BlobFixture()
        // Larger than the 1 MiB read buffer, so the digests and the copy cross several reads.
        let bytes = sampleBytes(3 * 1024 * 1024 + 17, seed: 1)
        var seenHead: [UInt8]?
        let stored = try fixture.store.put(fileAt: try fixture.source(bytes), maxBytes: 1 << 30) { head in
            seenHead = head
            return nil
        }
        #expect(stored.isNew)
        #expect(stored.size == Int64(bytes.count))
        #expect(stored.sha256 == Hex.encode(Digest.sha256(bytes)))
        #expect(stored.sm3 == Hex.encode(Digest.sm3(bytes)))
        #expect(stored.sha256 != stored.sm3)
        #expect(stored.head == Array(bytes.prefix(512)))
        #expect(seenHead == stored.head)

        let path = fixture.store.path(forSHA256: stored.sha256)
        #expect(path == "\(fixture.store.root)/\(stored.sha256.prefix(2))/\(stored.sha256.dropFirst(2))")
        #expect(try contents(path) == bytes)
        #expect(
            fixture.walk() == [
                "\(stored.sha256.prefix(2))/", "\(stored.sha256.prefix(2))/\(stored.sha256.dropFirst(2))", "tmp/",
            ]
        )

        let out = fixture.destination()
        try fixture.store.copy(sha256: stored.sha256, to: out)
        #expect(try contents(out) == bytes)
    }

    @Test func aSmallFileKeepsAllItsBytesAsTheHead() throws {
        let fixture = try BlobFixture()
        let bytes = Array("%PDF-1.4\n%%EOF\n".utf8)
        let stored = try fixture.put(bytes)
        #expect(stored.head == bytes)
        #expect(stored.size == Int64(bytes.count))
    }

    @Test func theStoreCreatesItsDirectoriesWhenTheyAreMissing() throws {
        let fixture = try BlobFixture(createRoot: false)
        let bytes = sampleBytes(100, seed: 2)
        let stored = try fixture.put(bytes)
        #expect(fixture.blobs() == ["\(stored.sha256.prefix(2))/\(stored.sha256.dropFirst(2))"])
        #expect(walkTree(fixture.store.root + "/tmp").isEmpty)
    }

    @Test func theSameContentTwiceIsOneBlob() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(10_000, seed: 3)
        let first = try fixture.put(bytes)
        let afterFirst = fixture.walk()
        let second = try fixture.put(bytes)
        #expect(first.isNew)
        #expect(!second.isNew)
        #expect(second.sha256 == first.sha256)
        #expect(second.sm3 == first.sm3)
        #expect(second.size == first.size)
        #expect(fixture.walk() == afterFirst, "the second put left something behind")
        #expect(fixture.blobs() == ["\(first.sha256.prefix(2))/\(first.sha256.dropFirst(2))"])
    }

    @Test func filesReceivedTogetherAreKeptTogetherOnceEach() throws {
        let fixture = try BlobFixture()
        let already = try fixture.put(sampleBytes(5_000, seed: 40))
        // Forty files (more than one batch of syncs), one of them twice and one already stored.
        var payloads = (0..<38).map { sampleBytes(1_000 + $0, seed: 41 + UInt64($0)) }
        payloads += [payloads[0], sampleBytes(5_000, seed: 40)]
        let files = try payloads.map { bytes in
            let incoming = try fixture.store.receive()
            try bytes.withUnsafeBytes { try incoming.write($0) }
            return (incoming: incoming, sha256: Hex.encode(Digest.sha256(bytes)), sm3: Hex.encode(Digest.sm3(bytes)))
        }
        var kept: [BlobStore.Stored] = []
        try BlobStore.Incoming.keep(files, appendingTo: &kept)
        #expect(kept.map(\.sha256) == payloads.map { Hex.encode(Digest.sha256($0)) })
        #expect(kept.map(\.isNew) == Array(repeating: true, count: 38) + [false, false])
        #expect(kept.map(\.size) == payloads.map { Int64($0.count) })
        #expect(kept.last?.sha256 == already.sha256)
        #expect(walkTree(fixture.store.root + "/tmp").isEmpty, "a received file was left in tmp/")
        #expect(Set(fixture.blobs()).count == 39)
        for (stored, bytes) in zip(kept, payloads) {
            let out = fixture.destination()
            try fixture.store.copy(sha256: stored.sha256, to: out)
            #expect(try contents(out) == bytes)
        }
    }

    @Test func aFileOverTheLimitIsRefusedAndLeavesNothingBehind() throws {
        let fixture = try BlobFixture()
        _ = try fixture.put(sampleBytes(50, seed: 4))
        let before = fixture.walk()
        let bytes = sampleBytes(1000, seed: 5)
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: try fixture.source(bytes), maxBytes: 999) { _ in nil }
        }
        #expect(fixture.walk() == before)
        // Past the limit in the second read of a large file, too.
        let large = sampleBytes((1 << 20) + 4096, seed: 6)
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: try fixture.source(large), maxBytes: (1 << 20) + 1) { _ in nil }
        }
        #expect(error?.description.contains("larger than the limit of 1048577 bytes") == true)
        #expect(fixture.walk() == before)
    }

    @Test func aFileOfExactlyTheLimitIsAccepted() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(1000, seed: 7)
        let stored = try fixture.put(bytes, maxBytes: 1000)
        #expect(stored.size == 1000)
        #expect(try contents(fixture.store.path(forSHA256: stored.sha256)) == bytes)
    }

    @Test func contentThatAcceptRefusesIsNotStored() throws {
        let fixture = try BlobFixture()
        _ = try fixture.put(sampleBytes(50, seed: 8))
        let before = fixture.walk()
        let bytes = Array("plain text, not a scan\n".utf8)
        var seen: [UInt8]?
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: try fixture.source(bytes), maxBytes: 1 << 20) { head in
                seen = head
                return "Not a file of an accepted format."
            }
        }
        #expect(error?.description == "Not a file of an accepted format.")
        #expect(seen == bytes)
        #expect(fixture.walk() == before)
    }

    @Test func contentAlreadyStoredIsUntouchedWhenAcceptRefusesIt() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(2000, seed: 9)
        let stored = try fixture.put(bytes)
        let before = fixture.walk()
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: try fixture.source(bytes), maxBytes: 1 << 20) { _ in "refused" }
        }
        #expect(fixture.walk() == before)
        #expect(try contents(fixture.store.path(forSHA256: stored.sha256)) == bytes)
    }

    @Test func discardRemovesANewBlobAndItsEmptyDirectory() throws {
        let fixture = try BlobFixture()
        let before = fixture.walk()
        let stored = try fixture.put(sampleBytes(300, seed: 10))
        #expect(fixture.blobs().count == 1)
        fixture.store.discard(stored)
        #expect(fixture.walk() == before)
    }

    @Test func discardNeverRemovesABlobThatWasAlreadyThere() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(300, seed: 11)
        let first = try fixture.put(bytes)
        let again = try fixture.put(bytes)
        let before = fixture.walk()
        fixture.store.discard(again)
        #expect(fixture.walk() == before)
        #expect(try contents(fixture.store.path(forSHA256: first.sha256)) == bytes)
    }

    @Test func discardKeepsADirectorySharedWithAnotherBlob() throws {
        let fixture = try BlobFixture()
        let kept = sampleBytes(100, seed: 12)
        let keptDigest = Hex.encode(Digest.sha256(kept))
        // Another content whose SHA-256 starts with the same two hex digits (about 256 tries).
        var seed: UInt64 = 1000
        var other = sampleBytes(100, seed: seed)
        while Hex.encode(Digest.sha256(other)).prefix(2) != keptDigest.prefix(2) {
            seed += 1
            other = sampleBytes(100, seed: seed)
        }
        _ = try fixture.put(kept)
        let before = fixture.walk()
        let stored = try fixture.put(other)
        #expect(stored.isNew)
        #expect(fixture.blobs().count == 2)
        fixture.store.discard(stored)
        #expect(fixture.walk() == before)
        #expect(try contents(fixture.store.path(forSHA256: keptDigest)) == kept)
    }

    @Test func copyNeverOverwritesAnExistingFile() throws {
        let fixture = try BlobFixture()
        let stored = try fixture.put(sampleBytes(500, seed: 13))
        let out = fixture.destination()
        let precious = Array("已有文件，不得覆盖\n".utf8)
        try Data(precious).write(to: URL(fileURLWithPath: out))
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.copy(sha256: stored.sha256, to: out)
        }
        #expect(try contents(out) == precious)
    }

    @Test func copyOfADamagedBlobFailsAndLeavesNoFile() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(200_000, seed: 14)
        let stored = try fixture.put(bytes)
        var damaged = bytes
        damaged[123_456] ^= 0x01
        try Data(damaged).write(to: URL(fileURLWithPath: fixture.store.path(forSHA256: stored.sha256)))
        let out = fixture.destination()
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.copy(sha256: stored.sha256, to: out)
        }
        #expect(error?.description.contains("damaged") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func copyOfATruncatedBlobFailsAndLeavesNoFile() throws {
        let fixture = try BlobFixture()
        let bytes = sampleBytes(5000, seed: 15)
        let stored = try fixture.put(bytes)
        try Data(bytes.dropLast()).write(to: URL(fileURLWithPath: fixture.store.path(forSHA256: stored.sha256)))
        let out = fixture.destination()
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.copy(sha256: stored.sha256, to: out)
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func copyOfAMissingBlobFailsAndLeavesNoFile() throws {
        let fixture = try BlobFixture()
        let out = fixture.destination()
        let digest = Hex.encode(Digest.sha256(Array("never stored".utf8)))
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.copy(sha256: digest, to: out)
        }
        #expect(error?.description.contains("missing") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aDirectoryIsNotAcceptedAsAFile() throws {
        let fixture = try BlobFixture()
        let before = fixture.walk()
        let folder = fixture.directory.appendingPathComponent("a-folder")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: folder.path, maxBytes: 1 << 20) { _ in nil }
        }
        #expect(error?.description.contains("not a regular file") == true, "\(String(describing: error))")
        #expect(fixture.walk() == before)
    }

    @Test func aPipeIsNotAcceptedAsAFile() throws {
        let fixture = try BlobFixture()
        let before = fixture.walk()
        let fifo = fixture.directory.appendingPathComponent("a-fifo").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // Held open for reading and writing here, so that opening it cannot block.
        let held = open(fifo, O_RDWR | O_NONBLOCK)
        try #require(held >= 0)
        defer { close(held) }
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: fifo, maxBytes: 1 << 20) { _ in nil }
        }
        #expect(fixture.walk() == before)
    }

    @Test func aMissingFileIsRefused() throws {
        let fixture = try BlobFixture()
        let before = fixture.walk()
        #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: fixture.destination(), maxBytes: 1 << 20) { _ in nil }
        }
        #expect(fixture.walk() == before)
    }

    @Test func anEmptyFileIsRefusedAndNotStored() throws {
        let fixture = try BlobFixture()
        let before = fixture.walk()
        var asked = false
        let error = #expect(throws: BlobStore.Failure.self) {
            try fixture.store.put(fileAt: try fixture.source([]), maxBytes: 1 << 20) { _ in
                asked = true
                return nil
            }
        }
        #expect(error?.description.contains("is empty") == true, "\(String(describing: error))")
        #expect(!asked)
        #expect(fixture.walk() == before)
    }
}
