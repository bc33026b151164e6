// Benchmark driver for archive packages (scripts/bench-archive.sh runs it beside the stock
// tools) and for the transfer exchange (scripts/bench-exchange.sh). Not part of the product: it
// packs or verifies the files of a folder with the same code `dossier archive pack|verify` uses,
// or runs the service's own use cases on real nodes, and prints the seconds taken.
//
//   dossier-bench pack FOLDER OUT.tar KEY.pem
//   dossier-bench verify PACKAGE.tar PUBLIC.pem
//   dossier-bench lookup DATA-DIR TOKEN PEOPLE   (the parts of an HTTP person look-up, timed)
//   dossier-bench exchange-seed A-DIR TO-AGENCY FIRST COUNT DOCS KB
//       (setup: DOCS documents of KB kilobytes for people FIRST..<FIRST+COUNT of node A, and
//       their transfer-outs to TO-AGENCY drafted and approved; prints "PERSON DRAFT" lines)
//   dossier-bench exchange A-DIR B-DIR TRANSFERS ORG-B OUT-DIR archive-first|exchange-first
//       (for every "PERSON DRAFT" line of TRANSFERS: archive pack at A + verify at B, and
//       export at A + import at B + receipt at B + import of the receipt at A, each phase timed)
import DossierArchive
import DossierCore
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
case "exchange-seed" where arguments.count == 8:
    guard let agency = try? CreditCode(arguments[3]), let first = Int64(arguments[4]), let count = Int64(arguments[5]),
        let documents = Int(arguments[6]), let kilobytes = Int(arguments[7]), kilobytes >= 1
    else { fail("usage: dossier-bench exchange-seed A-DIR TO-AGENCY FIRST COUNT DOCS KB") }
    let node = try await Dossier.open(DataDirectory.resolve(arguments[2], backend: SQLiteBackend()), as: "officer")
    guard let approverPrincipal = try await node.principal(named: "approver") else { fail("node A has no approver") }
    let approver = node.acting(as: approverPrincipal)
    let scratch = node.temporaryFilePath(".pdf")
    defer { unlink(scratch) }
    var lines = ""
    for person in first..<(first + count) {
        for index in 0..<documents {
            // Random bytes behind a PDF header: every document distinct, nothing compresses.
            let bytes = Array("%PDF-1.4\n".utf8) + SecureRandom.bytes(kilobytes * 1024 - 9)
            try Data(bytes).write(to: URL(fileURLWithPath: scratch))
            _ = try await node.addDocument(
                personID: person,
                file: scratch,
                description: DocumentDescription(
                    archiveClass: .degrees,
                    title: "学历证明 \(index + 1)",
                    date: CivilDate(iso: "2020-07-01")!,
                    pages: 2
                )
            )
        }
        let draft = try await node.draftAction(
            ActionDraftInput(personID: person, kind: .transferOut, effectiveOn: node.today),
            transfer: TransferOrder(toAgency: agency, reason: "转任")
        )
        _ = try await approver.approve(draft: draft)
        lines += "\(person) \(draft)\n"
    }
    print(lines, terminator: "")
case "exchange" where arguments.count == 8 && ["archive-first", "exchange-first"].contains(arguments[7]):
    guard let orgB = try? CreditCode(arguments[5]) else { fail("ORG-B is not a credit code") }
    let transfers: [(person: Int64, draft: Int64)] = try String(contentsOfFile: arguments[4], encoding: .utf8)
        .split(separator: "\n").map { line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, let person = Int64(parts[0]), let draft = Int64(parts[1]) else {
                fail("\(arguments[4]): '\(line)' is not 'PERSON DRAFT'")
            }
            return (person, draft)
        }
    let a = try await Dossier.open(DataDirectory.resolve(arguments[2], backend: SQLiteBackend()), as: "officer")
    let b = try await Dossier.open(DataDirectory.resolve(arguments[3], backend: SQLiteBackend()), as: "officer")
    guard let bApprover = try await b.principal(named: "approver") else { fail("node B has no approver") }
    let approverB = b.acting(as: bApprover)
    let out = arguments[6]
    for folder in ["pack", "transfer", "receipt"] {
        try FileManager.default.createDirectory(atPath: "\(out)/\(folder)", withIntermediateDirectories: true)
    }
    let placement = TransferPlacement(orgCode: orgB, category: .administrative, effectiveOn: b.today)
    var seconds: [(phase: String, seconds: Double, cpu: Double)] = []
    /// Processor seconds (user and system) of the whole process so far.
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    /// Runs `body` for every transfer and records the seconds it took as one phase.
    func phase(_ name: String, _ body: (Int, Int64, Int64) async throws -> Void) async throws {
        let start = Date()
        let cpu = cpuSeconds()
        for (index, transfer) in transfers.enumerated() { try await body(index, transfer.person, transfer.draft) }
        seconds.append((name, Date().timeIntervalSince(start), cpuSeconds() - cpu))
    }
    func archiveSide() async throws {
        try await phase("archive pack (A)") { _, person, _ in
            _ = try await a.packArchive(personID: person, out: "\(out)/pack/\(person).tar")
        }
        try await phase("archive verify (B)") { _, person, _ in
            let report = try await b.verifyPackage(at: "\(out)/pack/\(person).tar")
            guard report.passed else { fail("archive verify of person \(person) failed: \(report.problems)") }
        }
    }
    func exchangeSide() async throws {
        var drafts = [Int64](repeating: 0, count: transfers.count)
        try await phase("exchange export (A)") { _, person, draft in
            _ = try await a.exportTransfer(draft: draft, out: "\(out)/transfer/\(person).tar")
        }
        try await phase("exchange import (B)") { index, person, _ in
            let result = try await b.importExchange(file: "\(out)/transfer/\(person).tar", placement: placement)
            guard result.status == .imported, let draft = result.draft else { fail("person \(person) not imported") }
            drafts[index] = draft
        }
        // The transfer-ins' approvals are quota work, not exchange: not timed.
        for draft in drafts { _ = try await approverB.approve(draft: draft) }
        try await phase("exchange receipt (B)") { index, person, _ in
            try await b.writeReceipt(draft: drafts[index], out: "\(out)/receipt/\(person).tar")
        }
        try await phase("exchange import receipt (A)") { _, person, _ in
            let result = try await a.importExchange(file: "\(out)/receipt/\(person).tar")
            guard result.status == .imported, result.draft == nil else { fail("receipt \(person) not imported") }
        }
    }
    if arguments[7] == "archive-first" {
        try await archiveSide()
        try await exchangeSide()
    } else {
        try await exchangeSide()
        try await archiveSide()
    }
    let archive = seconds.filter { $0.phase.hasPrefix("archive") }.reduce(0) { $0 + $1.seconds }
    let exchange = seconds.filter { $0.phase.hasPrefix("exchange") }.reduce(0) { $0 + $1.seconds }
    func line(_ label: String, _ figure: String) {
        print("  " + label.padding(toLength: 30, withPad: " ", startingAt: 0) + figure)
    }
    for (name, time, cpu) in seconds { line(name, String(format: "%8.2f s  (processor %.2f s)", time, cpu)) }
    line("pack + verify", String(format: "%8.2f s", archive))
    line("exchange", String(format: "%8.2f s", exchange))
    line("ratio exchange/(pack+verify)", String(format: "%8.2fx", exchange / archive))
default:
    fail("usage: dossier-bench pack FOLDER OUT KEY | verify PACKAGE PUBLIC | exchange-seed … | exchange …")
}
