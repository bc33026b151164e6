import DossierArchive
import DossierCrypto
import Foundation
import Testing

/// One entry a hostile tar adds to a genuine package, written by Python's `tarfile` (which, unlike
/// libarchive, writes whatever header it is given).
private struct HostileEntry: Encodable {
    enum Kind: String, Encodable {
        case file, dir, symlink, hardlink, fifo, chr
    }

    /// The raw name bytes, in hex (so names that are not UTF-8 survive the trip).
    var name: String
    var type: Kind
    /// The content in hex, for files.
    var data: String?
    /// A file of this many zero bytes instead of `data`.
    var zeros: Int?
    /// A size written in the header with no data after it (a lie only the header tells).
    var declared: Int64?
    /// The link target, for links.
    var link: String?
    /// Where among the genuine entries it goes (default: at the end).
    var at: Int?

    init(
        _ name: [UInt8],
        _ type: Kind = .file,
        data: [UInt8] = [],
        zeros: Int? = nil,
        declared: Int64? = nil,
        link: String? = nil,
        at: Int? = nil
    ) {
        self.name = Hex.encode(name)
        self.type = type
        self.data = Hex.encode(data)
        self.zeros = zeros
        self.declared = declared
        self.link = link
        self.at = at
    }

    init(_ name: String, _ type: Kind = .file, data: String = "", link: String? = nil, at: Int? = nil) {
        self.init(Array(name.utf8), type, data: Array(data.utf8), link: link, at: at)
    }
}

/// Copies every entry of a genuine package into a new tar of the given format, inserting the
/// hostile entries.
private let tarBuilder = """
    import io, json, sys, tarfile
    base, out, fmt, extras = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    formats = {"pax": tarfile.PAX_FORMAT, "gnu": tarfile.GNU_FORMAT, "ustar": tarfile.USTAR_FORMAT}
    types = {"file": tarfile.REGTYPE, "dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE,
             "hardlink": tarfile.LNKTYPE, "fifo": tarfile.FIFOTYPE, "chr": tarfile.CHRTYPE}
    entries = []
    with tarfile.open(base, encoding="utf-8") as source:
        for member in source.getmembers():
            entries.append((member, source.extractfile(member).read()))
    for extra in extras:
        info = tarfile.TarInfo(bytes.fromhex(extra["name"]).decode("utf-8", "surrogateescape"))
        info.type = types[extra["type"]]
        info.mtime = 946684800
        info.mode = 0o644
        info.linkname = extra.get("link") or ""
        if extra["type"] == "chr":
            info.devmajor, info.devminor = 1, 3
        data = bytes(extra["zeros"]) if extra.get("zeros") else bytes.fromhex(extra.get("data") or "")
        info.size = len(data) if extra["type"] == "file" else 0
        if extra.get("declared"):
            info.size, data = extra["declared"], None
        at = extra.get("at")
        entries.insert(len(entries) if at is None else at, (info, data))
    with tarfile.open(out, "w", format=formats[fmt], encoding="utf-8", errors="surrogateescape") as tar:
        for info, data in entries:
            if data is None:
                # Only the header: its size is a lie no data backs.
                header = info.tobuf(tar.format, tar.encoding, tar.errors)
                tar.fileobj.write(header)
                tar.offset += len(header)
            else:
                tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    """

/// Each way a hostile package can try to escape, hide or exhaust: refused by everything that
/// reads packages.
enum Hostility: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case absolutePath, dotDotComponent, backslash, entryOutsideTheBagRoot
    case symlink, hardLink, characterDevice, fifo
    case duplicatePath, duplicateTagFile
    case moreEntriesThanTheLimit, entryLargerThanTheLimit, moreBytesThanTheLimit
    case nameNotUTF8InGNU, nameNotUTF8InUSTAR, nameNotUTF8InPax
    case zstdWithHugeDeclaredEntry, zstdBombOverTheTotalLimit
    case terminalEscapeInAName, lineSeparatorInAName, overlongName, overlongPath
    case rightToLeftOverrideInAName, zeroWidthSpaceInAName

    var testDescription: String { rawValue }

    /// The tar format Python writes it in.
    var format: String {
        switch self {
        case .nameNotUTF8InGNU: return "gnu"
        case .nameNotUTF8InUSTAR: return "ustar"
        default: return "pax"
        }
    }

    var zstd: Bool { self == .zstdWithHugeDeclaredEntry || self == .zstdBombOverTheTotalLimit }

    /// What the refusal says.
    var phrase: String {
        switch self {
        case .absolutePath, .backslash, .terminalEscapeInAName, .lineSeparatorInAName, .overlongName, .overlongPath,
            .rightToLeftOverrideInAName, .zeroWidthSpaceInAName:
            return "unsafe path"
        case .dotDotComponent: return "'..'"
        case .entryOutsideTheBagRoot: return "outside its bag folder"
        case .symlink, .hardLink, .characterDevice, .fifo: return "link, device or other special entry"
        case .duplicatePath: return "data/record.json twice"
        case .duplicateTagFile: return "signature/public-key.pem twice"
        case .moreEntriesThanTheLimit: return "more than"
        case .entryLargerThanTheLimit, .zstdWithHugeDeclaredEntry: return "larger than the limit"
        case .moreBytesThanTheLimit: return "than the limits allow"
        // The bomb's files are not in the signed manifests, which refuse them first, unread.
        case .zstdBombOverTheTotalLimit: return "is not listed in the signed manifest-sha256.txt"
        case .nameNotUTF8InGNU, .nameNotUTF8InUSTAR, .nameNotUTF8InPax: return "not valid UTF-8"
        }
    }

    /// The hostile entries, for a package whose bag folder is `root`, in a scratch folder at
    /// `scratch` (targets point into it, so a followed one would show in the walk).
    fileprivate func entries(root: String, scratch: String) -> [HostileEntry] {
        let notUTF8 = Array("\(root)/data/documents/4-1/13-".utf8) + [0xB5, 0xDA, 0xFF] + Array(".pdf".utf8)
        switch self {
        case .absolutePath:
            return [HostileEntry(scratch + "/evil.txt", data: "absolute")]
        case .dotDotComponent:
            return [HostileEntry("\(root)/data/../../../evil.txt", data: "dot dot")]
        case .backslash:
            return [HostileEntry("\(root)/data/..\\..\\..\\evil.txt", data: "backslash")]
        case .entryOutsideTheBagRoot:
            return [HostileEntry("other-bag/data/evil.txt", data: "second root")]
        case .symlink:
            return [
                HostileEntry("\(root)/data/link", .symlink, link: scratch),
                HostileEntry("\(root)/data/link/evil.txt", data: "through the link"),
            ]
        case .hardLink:
            return [HostileEntry("\(root)/data/hard", .hardlink, link: scratch + "/victim.txt")]
        case .characterDevice:
            return [HostileEntry("\(root)/data/null", .chr)]
        case .fifo:
            return [HostileEntry("\(root)/data/fifo", .fifo)]
        case .duplicatePath:
            // The classic: a second, different record after the genuine one (the last would win).
            return [HostileEntry("\(root)/data/record.json", data: #"{"name":"李四"}"#)]
        case .duplicateTagFile:
            return [HostileEntry("\(root)/signature/public-key.pem", data: "not the key", at: 6)]
        case .moreEntriesThanTheLimit, .entryLargerThanTheLimit, .moreBytesThanTheLimit:
            return []
        case .nameNotUTF8InGNU, .nameNotUTF8InUSTAR, .nameNotUTF8InPax:
            return [HostileEntry(notUTF8, data: pdf)]
        case .zstdWithHugeDeclaredEntry:
            return [HostileEntry(Array("\(root)/data/documents/4-1/99-bomb.pdf".utf8), declared: 5 << 30)]
        case .zstdBombOverTheTotalLimit:
            return (1...3).map {
                HostileEntry(Array("\(root)/data/documents/4-1/9\($0)-bomb.pdf".utf8), zeros: 8 << 20)
            }
        case .terminalEscapeInAName:
            // Would paint "holds" over an inspector's terminal when the name is printed.
            return [HostileEntry("\(root)/data/\u{1B}[2K\u{1B}[1Aholds.pdf", data: "hostile")]
        case .lineSeparatorInAName:
            // bagit.py splits manifest lines on U+2028.
            return [HostileEntry("\(root)/data/documents/2/7-Self\u{2028}assessment.pdf", data: "hostile")]
        case .rightToLeftOverrideInAName:
            // Shows as "8-reportexe.pdf": a program named like a PDF.
            return [HostileEntry("\(root)/data/documents/4-1/8-report\u{202E}fdp.exe", data: "hostile")]
        case .zeroWidthSpaceInAName:
            // Looks exactly like the genuine record.
            return [HostileEntry("\(root)/data/record\u{200B}.json", data: "{}")]
        case .overlongName:
            return [HostileEntry("\(root)/data/" + String(repeating: "a", count: 300) + ".pdf", data: "hostile")]
        case .overlongPath:
            return [HostileEntry("\(root)/data/" + String(repeating: "a/", count: 700) + "x.pdf", data: "hostile")]
        }
    }

    /// The limits it is read with, given the genuine package's entry sizes (the genuine
    /// package is exactly at these limits' edge, so only the hostile part is over).
    func limits(genuine sizes: [Int64]) -> PackageLimits {
        switch self {
        case .moreEntriesThanTheLimit: return PackageLimits(maxEntries: sizes.count - 1)
        case .entryLargerThanTheLimit: return PackageLimits(maxEntryBytes: sizes.max()! - 1)
        case .moreBytesThanTheLimit: return PackageLimits(maxTotalBytes: sizes.reduce(0, +) - 1)
        case .zstdBombOverTheTotalLimit: return PackageLimits(maxTotalBytes: 16 << 20, maxEntryBytes: 8 << 20)
        default: return PackageLimits()
        }
    }
}

/// Malicious tars built in the test are refused by verify, list and extract, and a refused
/// extraction leaves nothing behind, inside or outside its destination.
@Suite struct UntrustedTarTests {
    private let root = "dossier-7-test"

    /// A genuine package, its key, and its entry sizes as listed.
    private func genuine(_ scratch: Scratch) async throws -> (path: String, key: SigningKey, sizes: [Int64]) {
        let key = try SigningKey.generate(.ed25519)
        let path = scratch.path("genuine.tar")
        _ = try await ArchivePackage.pack(content(), signer: key, to: path)
        return (path, key, try PackageExtractor.list(path: path).map(\.size))
    }

    /// Writes the genuine package's entries plus `entries` as a new tar, optionally zstd-compressed
    /// (with stock bsdtar's raw format, which compresses the tar's bytes unchanged).
    private func hostileTar(
        from base: String,
        _ entries: [HostileEntry],
        format: String,
        zstd: Bool,
        to output: String
    ) throws {
        let json = String(decoding: try JSONEncoder().encode(entries), as: UTF8.self)
        let plain = zstd ? output + ".plain" : output
        let built = try runTool("/usr/bin/env", ["python3", "-c", tarBuilder, base, plain, format, json])
        try #require(built.status == 0, "\(built)")
        if zstd {
            let spec = output + ".mtree"
            try Data("#mtree\npackage type=file contents=\(mtreePath(plain))\n".utf8)
                .write(to: URL(fileURLWithPath: spec))
            let compressed = try runTool("/usr/bin/bsdtar", ["--format", "raw", "--zstd", "-cf", output, "@" + spec])
            try #require(compressed.status == 0, "\(compressed)")
            for leftover in [spec, plain] { try FileManager.default.removeItem(atPath: leftover) }
        }
    }

    /// Every file and folder under `path`, relative, folders ending in "/", with each file's size.
    private func walk(_ path: String) -> [String] {
        guard let names = FileManager.default.enumerator(atPath: path) else { return [] }
        var entries: [String] = []
        for case let name as String in names {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
            let type = attributes?[.type] as? FileAttributeType
            let size = attributes?[.size] as? Int ?? -1
            entries.append(type == .typeDirectory ? name + "/" : "\(name) \(type?.rawValue ?? "?") \(size)")
        }
        return entries.sorted()
    }

    @Test(arguments: ["pax", "gnu", "ustar"])
    func theBuilderWithoutHostileEntriesMakesAPackageThatPasses(_ format: String) async throws {
        let scratch = try Scratch()
        let (base, key, sizes) = try await genuine(scratch)
        let copy = scratch.path("copy.tar")
        try hostileTar(from: base, [], format: format, zstd: false, to: copy)
        let report = PackageVerifier.verify(path: copy, trusted: [key])
        #expect(report.passed, "\(report.problems)")
        #expect(try PackageExtractor.list(path: copy).map(\.size) == sizes)
        try PackageExtractor.extract(path: copy, to: scratch.path("bag"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("bag/data/documents/4-1/12-学士学位证书.pdf")))
    }

    @Test func aPackageExactlyAtEveryLimitPasses() async throws {
        let scratch = try Scratch()
        let (base, key, sizes) = try await genuine(scratch)
        let limits = PackageLimits(
            maxEntries: sizes.count,
            maxTotalBytes: sizes.reduce(0, +),
            maxEntryBytes: sizes.max()!
        )
        #expect(PackageVerifier.verify(path: base, trusted: [key], limits: limits).passed)
        #expect(try PackageExtractor.list(path: base, limits: limits).count == sizes.count)
        try PackageExtractor.extract(path: base, to: scratch.path("bag"), limits: limits)
    }

    @Test(arguments: Hostility.allCases)
    func aHostilePackageIsRefusedAndNothingIsWritten(_ hostility: Hostility) async throws {
        let scratch = try Scratch()
        let (base, key, sizes) = try await genuine(scratch)
        let victim = scratch.path("victim.txt")
        try Data("untouched".utf8).write(to: URL(fileURLWithPath: victim))
        let hostile = scratch.path(hostility.zstd ? "hostile.tar.zst" : "hostile.tar")
        try hostileTar(
            from: base,
            hostility.entries(root: root, scratch: scratch.url.path),
            format: hostility.format,
            zstd: hostility.zstd,
            to: hostile
        )
        let limits = hostility.limits(genuine: sizes)
        // The same package without the hostile part, read with the same limits, is not refused:
        // the refusal below is the hostile part's doing.
        if !hostility.entries(root: root, scratch: "").isEmpty {
            #expect(PackageVerifier.verify(path: base, trusted: [key], limits: limits).passed)
        }

        let report = PackageVerifier.verify(path: hostile, trusted: [key], limits: limits)
        #expect(!report.passed)
        let security = report.problems[.security] ?? []
        #expect(security.contains { $0.contains(hostility.phrase) }, "\(report.problems)")

        #expect(throws: ArchiveError.self) { try PackageExtractor.list(path: hostile, limits: limits) }

        let out = scratch.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let before = walk(scratch.url.path)
        let destination = out + "/bag"
        #expect(throws: ArchiveError.self) {
            try PackageExtractor.extract(path: hostile, to: destination, limits: limits)
        }
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).isEmpty)
        #expect(walk(scratch.url.path) == before)
        #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched")
    }
}
