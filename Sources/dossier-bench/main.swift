// Benchmark driver for archive packages (scripts/bench-archive.sh runs it beside the stock
// tools). Not part of the product: it packs or verifies the files of a folder with the same
// code `dossier archive pack|verify` uses, and prints the seconds taken.
//
//   dossier-bench pack FOLDER OUT.tar KEY.pem
//   dossier-bench verify PACKAGE.tar PUBLIC.pem
//   dossier-bench lookup DATA-DIR TOKEN PEOPLE   (the parts of an HTTP person look-up, timed)
import DossierArchive
import DossierCrypto
import DossierService
import DossierStore
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: dossier-bench pack FOLDER OUT KEY | verify PACKAGE PUBLIC") }
let started = Date()
/// Times `body` over `count` calls and prints microseconds per call.
func time(_ label: String, _ count: Int, _ body: (Int) async throws -> Void) async rethrows {
    let start = Date()
    for index in 0..<count { try await body(index) }
    print(String(format: "%-28@ %8.1f µs", label, Date().timeIntervalSince(start) / Double(count) * 1e6))
}

switch arguments[1] {
case "lookup" where arguments.count == 5:
    let node = try await Dossier.open(DataDirectory.resolve(arguments[2], backend: SQLiteBackend()), as: "admin")
    let token = arguments[3]
    let people = Int(arguments[4]) ?? 1000
    let viewer = try await node.principal(forToken: token)!
    let dossier = node.acting(as: viewer)
    let encoder = JSONEncoder()
    let view = try await dossier.person(1)
    let n = 20000
    try await time("principal(forToken:)", n) { _ in _ = try await node.principal(forToken: token) }
    try await time("acting(as:)", n) { _ in _ = node.acting(as: viewer) }
    try await time("person(id)", n) { i in _ = try await dossier.person(Int64(1 + (i * 7919) % people)) }
    try await time("JSONEncoder(PersonJSON)", n) { _ in _ = try encoder.encode(PersonJSON(view)) }
    let keys = try FieldKeys.read(fromPath: DataDirectory.resolve(arguments[2], backend: SQLiteBackend()).fieldKeyPath)
    try await time("FieldCipher(keys:)", n) { _ in _ = try FieldCipher(keys: keys) }
    try await time("principal(named:)", n) { _ in _ = try await node.principal(named: "viewer") }
    exit(0)
case "pack" where arguments.count == 5:
    let folder = arguments[2]
    let key = try SigningKey.load(pem: String(contentsOfFile: arguments[4], encoding: .utf8))
    let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    let payload = try names.map { name -> PayloadFile in
        let path = folder + "/" + name
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return PayloadFile(
            path: "data/documents/10/" + name,
            source: .file(path: path, size: size, sha256: nil, sm3: nil)
        )
    }
    let summary = try await ArchivePackage.pack(
        PackageContent(packageID: "bench", bagInfo: [("Source-Organization", "bench")], payload: payload),
        signer: key,
        to: arguments[3]
    )
    print(
        String(
            format: "pack %.3f s (%d files, %lld bytes)",
            Date().timeIntervalSince(started),
            summary.files,
            summary.payloadBytes
        )
    )
case "verify" where arguments.count == 4:
    let key = try SigningKey.load(pem: String(contentsOfFile: arguments[3], encoding: .utf8))
    let report = PackageVerifier.verify(path: arguments[2], trusted: [key])
    guard report.passed else { fail("verify failed: \(report.problems)") }
    print(
        String(
            format: "verify %.3f s (%d files, %lld bytes)",
            Date().timeIntervalSince(started),
            report.files,
            report.payloadBytes
        )
    )
default:
    fail("usage: dossier-bench pack FOLDER OUT KEY | verify PACKAGE PUBLIC")
}
