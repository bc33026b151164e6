// Benchmark driver for archive packages (scripts/bench-archive.sh runs it beside the stock
// tools). Not part of the product: it packs or verifies the files of a folder with the same
// code `dossier archive pack|verify` uses, and prints the seconds taken.
//
//   dossier-bench pack FOLDER OUT.tar KEY.pem
//   dossier-bench verify PACKAGE.tar PUBLIC.pem
import DossierArchive
import DossierCrypto
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(64)
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { fail("usage: dossier-bench pack FOLDER OUT KEY | verify PACKAGE PUBLIC") }
let started = Date()
switch arguments[1] {
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
    let summary = try ArchivePackage.pack(
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
