import DossierArchive
import DossierCore
import DossierCrypto
import DossierExchange
import DossierService
import DossierStorage
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// Two independent nodes, each with its own data directory, key and agency, trusting each
/// other's keys: agency A (a provincial finance department) sends a person to agency B.
final class ExchangeNodes {
    static let agencyA = Agency(code: orgCode(501), name: "东海省财政厅")
    static let agencyB = Agency(code: orgCode(502), name: "东海省审计厅")
    /// The organisations the person leaves and joins.
    static let orgA = orgCode(511)
    static let orgB = orgCode(512)
    static let person = residentID(733)
    static let transferOn = day("2026-11-02")

    let root = FileManager.default.temporaryDirectory.appendingPathComponent("exchange-\(UUID().uuidString)")
    let directoryA: DataDirectory
    let directoryB: DataDirectory
    let clock = DayClock.fixed(today)
    /// The person's file number at A, and the approved transfer-out's draft number.
    private(set) var personA: Int64 = 0
    private(set) var transferOut: Int64 = 0

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Both nodes set up; the person filed at A with two documents; B with `vacancies` slots.
    init(vacancies: Int = 1) async throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        directoryA = DataDirectory(path: root.appendingPathComponent("a").path, backend: SQLiteBackend())
        directoryB = DataDirectory(path: root.appendingPathComponent("b").path, backend: SQLiteBackend())
        try await Dossier.initialize(directoryA, agency: Self.agencyA)
        try await Dossier.initialize(directoryB, agency: Self.agencyB)
        let adminA = try await open(directoryA, as: "admin")
        let adminB = try await open(directoryB, as: "admin")
        try await adminA.generateSigningKey(.ed25519)
        try await adminB.generateSigningKey(.sm2)
        for (admin, org, name, approved) in [
            (adminA, Self.orgA, "东海省财政厅办公室", 5), (adminB, Self.orgB, "东海省审计厅办公室", vacancies),
        ] {
            _ = try await admin.addOrganization(NewOrganization(code: org, name: name, kind: .organ, level: .province))
            try await admin.setQuota(
                org: org,
                subject: .category(.administrative),
                approved: approved,
                effectiveOn: day("2000-01-01")
            )
            try await admin.addUser(User(name: "officer", role: .officer, displayName: "o"), reach: .wholeNode)
            try await admin.addUser(User(name: "approver", role: .approver, displayName: "a"), reach: .wholeNode)
        }
        // Each trusts the other's key for the other's agency.
        try await trust(adminA.exportPublicKey(), of: Self.agencyA, at: adminB)
        try await trust(adminB.exportPublicKey(), of: Self.agencyB, at: adminA)

        var row = ImportRow(733, org: Self.orgA, hiredOn: "2020-03-01")
        row["name"] = "李调"
        var input = PersonInput()
        for (column, value) in row.values { _ = input.set(column, value) }
        personA = try await adminA.addPerson(input, today: today)
        for (index, title) in ["干部任免审批表", "学历证书"].enumerated() {
            let file = root.appendingPathComponent("doc-\(index).pdf").path
            try Data(Self.pdf("document \(index) of the person")).write(to: URL(fileURLWithPath: file))
            _ = try await adminA.addDocument(
                personID: personA,
                file: file,
                description: DocumentDescription(
                    archiveClass: index == 0 ? .appointments : .degrees,
                    title: title,
                    date: day("2020-03-0\(index + 1)"),
                    pages: 1
                )
            )
        }
        let officerA = try await open(directoryA, as: "officer")
        transferOut = try await officerA.draftAction(
            ActionDraftInput(personID: personA, kind: .transferOut, effectiveOn: Self.transferOn),
            transfer: TransferOrder(toAgency: Self.agencyB.code, reason: "转任")
        )
        try await open(directoryA, as: "approver").approve(draft: transferOut)
    }

    /// A small PDF file (what document intake recognises) carrying `text`.
    static func pdf(_ text: String) -> [UInt8] {
        Array("%PDF-1.4\n% \(text)\n%%EOF\n".utf8)
    }

    func open(_ directory: DataDirectory, as user: String) async throws -> Dossier {
        try await Dossier.open(directory, as: user, clock: clock)
    }

    func a(_ user: String = "officer") async throws -> Dossier { try await open(directoryA, as: user) }
    func b(_ user: String = "officer") async throws -> Dossier { try await open(directoryB, as: user) }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    private func trust(_ pem: String, of agency: Agency, at node: Dossier) async throws {
        let file = root.appendingPathComponent("key-\(agency.code).pem").path
        try Data(pem.utf8).write(to: URL(fileURLWithPath: file))
        try await node.trustKey(file: file, agency: agency.code, from: day("2020-01-01"), until: nil)
    }

    /// Where B places the person.
    var placement: TransferPlacement {
        TransferPlacement(orgCode: Self.orgB, category: .administrative, effectiveOn: day("2026-11-09"))
    }

    /// Exports the transfer at A.
    func export(_ name: String = "transfer.tar") async throws -> String {
        let out = path(name)
        _ = try await a().exportTransfer(draft: transferOut, out: out)
        return out
    }

    /// Everything B shows and stores, to compare before and after a refused import.
    func snapshotB() async throws -> ExchangeSnapshot {
        try await ExchangeSnapshot(try b("admin"), blobs: directoryB.blobsPath)
    }
}

/// A node as the service shows it, with the files of its document store.
struct ExchangeSnapshot: Equatable {
    var service: ServiceSnapshot
    var received: [ReceivedAction]
    var blobFiles: [String]

    init(_ dossier: Dossier, blobs: String) async throws {
        service = try await ServiceSnapshot(dossier)
        received = try await (service.people.last ?? []).asyncMap { try await dossier.receivedHistory(personID: $0.id) }
            .flatMap { $0 }
        let enumerator = FileManager.default.enumerator(atPath: blobs)
        var files: [String] = []
        while let name = enumerator?.nextObject() as? String { files.append(name) }
        blobFiles = files.sorted()
    }
}

@Suite struct ExchangeTests {
    @Test func aTransferTravelsToTheOtherNodeAndItsReceiptClosesItAtTheSender() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        #expect(try await nodes.a().pendingTransfers().map(\.action) == [nodes.transferOut])

        let imported = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        #expect(imported.kind == .transfer && imported.status == .imported)
        let personB = try #require(imported.person)
        let draft = try #require(imported.draft)
        try await nodes.b("approver").approve(draft: draft)
        let receipt = nodes.path("receipt.tar")
        try await nodes.b().writeReceipt(draft: draft, out: receipt)
        let closed = try await nodes.a().importExchange(file: receipt)
        #expect(closed.kind == .receipt && closed.person == nodes.personA)
        #expect(try await nodes.a().pendingTransfers().isEmpty)

        // The documents at B are A's, byte for byte.
        let a = try await nodes.a("admin")
        let b = try await nodes.b("admin")
        let documentsA = try await a.documents(personID: nodes.personA)
        let documentsB = try await b.documents(personID: personB)
        #expect(documentsA.map(\.sha256).sorted() == documentsB.map(\.sha256).sorted())
        #expect(documentsA.map(\.title).sorted() == documentsB.map(\.title).sorted())
        for document in documentsB {
            let original = try #require(documentsA.first { $0.sha256 == document.sha256 })
            let fileA = try await a.documentFile(original.id).path
            let fileB = try await b.documentFile(document.id).path
            #expect(FileManager.default.contentsEqual(atPath: fileA, andPath: fileB))
        }
        // A's whole timeline is B's history received from A, as it was recorded.
        let timelineA = try await a.timeline(personID: nodes.personA)
        let history = try await b.receivedHistory(personID: personB)
        #expect(history.map(\.originActionID) == timelineA.map(\.actionID))
        #expect(history.map(\.kind) == timelineA.map(\.kind))
        #expect(history.map(\.effectiveOn) == timelineA.map(\.effectiveOn))
        #expect(history.allSatisfy { $0.originAgency == ExchangeNodes.agencyA.code })
        #expect(history.map(\.recordedBy) == timelineA.map(\.recordedBy))
        // A's slot is free from the transfer date, B's taken from the transfer-in date.
        func occupied(_ node: Dossier, _ org: CreditCode, _ date: String) async throws -> Int {
            try await node.headcount(on: day(date), org: org).filter { $0.subject == .category(.administrative) }
                .map(\.occupied).reduce(0, +)
        }
        #expect(try await occupied(a, ExchangeNodes.orgA, "2026-11-01") == 1)
        #expect(try await occupied(a, ExchangeNodes.orgA, "2026-11-02") == 0)
        #expect(try await occupied(b, ExchangeNodes.orgB, "2026-11-08") == 0)
        #expect(try await occupied(b, ExchangeNodes.orgB, "2026-11-09") == 1)
        #expect(try await b.person(personB).name == "李调")
        #expect(try await a.verifyAudit().isIntact)
        #expect(try await b.verifyAudit().isIntact)
    }

    @Test func theSameFileImportedTwiceDoesNothingTheSecondTime() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let first = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        let before = try await nodes.snapshotB()
        let second = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        #expect(second.status == .alreadyImported)
        #expect(second.importedAt == first.importedAt && second.draft == first.draft)
        #expect(try await nodes.snapshotB() == before)
    }

    @Test func exportingAgainWritesTheSamePackage() async throws {
        let nodes = try await ExchangeNodes()
        let first = try await nodes.export("first.tar")
        let second = try await nodes.export("second.tar")
        #expect(FileManager.default.contentsEqual(atPath: first, andPath: second))
        #expect(try await nodes.a().pendingTransfers().count == 1)
    }

    /// Imports `file` at B expecting a refusal whose message contains `words`, and checks B is
    /// exactly as before; then the good package still imports (no nonce was spent).
    private func expectRefused(
        _ nodes: ExchangeNodes,
        _ file: String,
        saying words: String,
        placement: TransferPlacement? = nil,
        thenGoodImports good: String? = nil
    ) async throws {
        let before = try await nodes.snapshotB()
        do {
            _ = try await nodes.b().importExchange(file: file, placement: placement ?? nodes.placement)
            Issue.record("the package was imported; expected a refusal saying '\(words)'")
        } catch let error as ServiceError {
            #expect(error.message.contains(words), "\(error.message)")
        }
        #expect(try await nodes.snapshotB() == before)
        if let good {
            let imported = try await nodes.b().importExchange(file: good, placement: nodes.placement)
            #expect(imported.status == .imported)
        }
    }

    @Test func oneByteChangedAnywhereIsRefusedAndNothingIsWritten() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: package))
        // One byte in the envelope, in a tag file, in a document.
        let changes = [
            (bytes.range(of: Data("\"nonce\"".utf8))!.lowerBound + 12, "signature does not verify"),
            (bytes.range(of: Data("Payload-Oxum".utf8))!.lowerBound + 15, "bag-info.txt does not match"),
            (bytes.range(of: Data("document 1 of".utf8))!.lowerBound + 3, "does not match the manifest"),
        ]
        for (index, (offset, words)) in changes.enumerated() {
            var changed = bytes
            changed[offset] ^= 0x01
            let file = nodes.path("changed-\(index).tar")
            try changed.write(to: URL(fileURLWithPath: file))
            try await expectRefused(nodes, file, saying: words)
        }
        try await expectRefused(
            nodes,
            nodes.path("changed-2.tar"),
            saying: "does not match the manifest",
            thenGoodImports: package
        )
    }

    @Test func anEnvelopeReSignedByAnUntrustedKeyIsRefused() async throws {
        let nodes = try await ExchangeNodes()
        // The same transfer exported by a copy of A's node with a key B does not trust: a node
        // claiming to be A.
        let impostor = DataDirectory(path: nodes.path("impostor"), backend: SQLiteBackend())
        try FileManager.default.copyItem(atPath: nodes.directoryA.path, toPath: impostor.path)
        let package = try await nodes.export()
        let forger = try await Dossier.open(impostor, as: "admin", clock: nodes.clock)
        try await forger.generateSigningKey(.ed25519, replace: true)
        let forged = nodes.path("forged.tar")
        _ = try await Dossier.open(impostor, as: "officer", clock: nodes.clock).exportTransfer(
            draft: nodes.transferOut,
            out: forged
        )
        try await expectRefused(nodes, forged, saying: "trust", thenGoodImports: package)
    }

    @Test func aKeyTrustedForAnotherAgencyCannotSpeakForTheSender() async throws {
        let nodes = try await ExchangeNodes()
        // A copy of A's node with its own key, which B trusts, but for agency C: its packages
        // say they come from A.
        let impostor = DataDirectory(path: nodes.path("impostor"), backend: SQLiteBackend())
        try FileManager.default.copyItem(atPath: nodes.directoryA.path, toPath: impostor.path)
        let package = try await nodes.export()
        let other = try await Dossier.open(impostor, as: "admin", clock: nodes.clock)
        try await other.generateSigningKey(.ed25519, replace: true)
        let keyFile = nodes.path("c.pem")
        try Data(try other.exportPublicKey().utf8).write(to: URL(fileURLWithPath: keyFile))
        try await nodes.b("admin").trustKey(file: keyFile, agency: orgCode(509), from: day("2020-01-01"), until: nil)
        let forged = nodes.path("forged.tar")
        _ = try await Dossier.open(impostor, as: "officer", clock: nodes.clock).exportTransfer(
            draft: nodes.transferOut,
            out: forged
        )
        try await expectRefused(nodes, forged, saying: "does not trust to speak for", thenGoodImports: package)
    }

    @Test func aPackageForAnotherAgencyIsRefused() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        try await nodes.b("admin").setAgency(Agency(code: orgCode(503), name: "东海省商务厅"))
        try await expectRefused(nodes, package, saying: "addressed to agency \(ExchangeNodes.agencyB.code)")
    }

    @Test func anExpiredPackageIsRefused() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let late = try await Dossier.open(nodes.directoryB, as: "officer", clock: .fixed(today.adding(days: 62)))
        let before = try await nodes.snapshotB()
        await #expect { _ = try await late.importExchange(file: package, placement: nodes.placement) } throws: {
            ($0 as? ServiceError)?.message.contains("expired") == true
        }
        #expect(try await nodes.snapshotB() == before)
    }

    @Test func anotherPackageReusingANonceIsAReplay() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        _ = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        // Another package, validly signed by A's key, carrying the same nonce: the same file
        // with one more bag-info label, and an envelope made for it.
        let copy = nodes.path("copy.tar")
        let sent = try TransferPackage.envelope(at: package).envelope
        let extracted = nodes.path("extracted")
        try PackageExtractor.extract(path: package, to: extracted)
        let bag = try #require(try FileManager.default.contentsOfDirectory(atPath: extracted).first)
        let files = try #require(
            FileManager.default.enumerator(atPath: "\(extracted)/\(bag)/data")?.allObjects as? [String]
        )
        var payload: [PayloadFile] = []
        for name in files.sorted() {
            let full = "\(extracted)/\(bag)/data/\(name)"
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else {
                continue
            }
            payload.append(
                PayloadFile(
                    path: "data/\(name)",
                    source: .bytes(Array(try Data(contentsOf: URL(fileURLWithPath: full))))
                )
            )
        }
        let key = try SigningKey.load(
            pem: String(contentsOfFile: nodes.directoryA.keysPath + "/signing.pem", encoding: .utf8)
        )
        _ = try await TransferPackage.write(
            PackageContent(
                packageID: bag,
                bagInfo: [("Dossier-Package-Type", "transfer"), ("Contact-Name", "人事处")],
                payload: payload
            ),
            signer: key,
            certificates: [],
            to: copy
        ) { digest in
            var envelope = sent
            envelope.tagManifestSHA256 = digest
            return try TransferPackage.seal(envelope, with: key)
        }
        try await expectRefused(nodes, copy, saying: "replay")
    }

    @Test func aSenderKeyRevokedAtTheReceiverIsRefused() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let admin = try await nodes.b("admin")
        let keyA = try #require(
            try await admin.trustStore().first { $0.agencyCode == ExchangeNodes.agencyA.code.value }
        )
        try await admin.revokeKey(keyA.keyID, reason: "密钥泄露")
        try await expectRefused(nodes, package, saying: "revoked")
    }

    @Test func aPersonAlreadyInPostAtTheReceiverIsRefused() async throws {
        let nodes = try await ExchangeNodes(vacancies: 2)
        let package = try await nodes.export()
        var row = ImportRow(733, org: ExchangeNodes.orgB, hiredOn: "2021-01-01")
        row["name"] = "李调"
        var input = PersonInput()
        for (column, value) in row.values { _ = input.set(column, value) }
        _ = try await nodes.b("admin").addPerson(input, today: today)
        try await expectRefused(nodes, package, saying: "already in post")
    }

    @Test func aPersonWhoLeftTheReceiverBeforeIsLinkedToTheirFileThere() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        // The person worked at B years ago and was transferred out then.
        var row = ImportRow(733, org: ExchangeNodes.orgB, hiredOn: "2010-01-04")
        row["name"] = "李调"
        var input = PersonInput()
        for (column, value) in row.values { _ = input.set(column, value) }
        let admin = try await nodes.b("admin")
        let earlier = try await admin.addPerson(input, today: today)
        try await admin.exit(personID: earlier, kind: .transferOut, on: day("2019-12-31"))
        let imported = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        #expect(imported.person == earlier)
        try await nodes.b("approver").approve(draft: try #require(imported.draft))
        #expect(try await admin.person(earlier).status == .active)
        #expect(try await admin.documents(personID: earlier).count == 2)
        #expect(try await admin.timeline(personID: earlier).map(\.kind) == [.hire, .transferOut, .transferIn])
    }

    @Test func aTransferInWithoutAVacancyImportsAsADraftAndIsRefusedAtApproval() async throws {
        let nodes = try await ExchangeNodes(vacancies: 0)
        let package = try await nodes.export()
        let imported = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        let draft = try #require(imported.draft)
        await #expect { try await nodes.b("approver").approve(draft: draft) } throws: { error in
            let message = (error as? ServiceError)?.message ?? ""
            return message.contains("行政编制") || message.contains("administrative") || message.contains("quota")
        }
    }

    @Test func aRefusalReopensTheTransferAtTheSenderWithACancellationDraft() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let imported = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        let draft = try #require(imported.draft)
        let refusal = nodes.path("refusal.tar")
        try await nodes.b("approver").refuseTransfer(draft: draft, reason: "材料不全：缺少学历证书原件", out: refusal)
        #expect(try await nodes.b("admin").draft(draft).state == .rejected)
        let back = try await nodes.a().importExchange(file: refusal)
        #expect(back.kind == .refusal)
        let cancel = try #require(back.draft)
        let prepared = try await nodes.a("admin").draft(cancel)
        #expect(prepared.kind == .cancel && prepared.state == .draft)
        #expect(try await nodes.a().pendingTransfers().isEmpty)
        // Approving it puts the person back in post at A.
        try await nodes.a("approver").approve(draft: cancel)
        #expect(try await nodes.a("admin").person(nodes.personA).status == .active)
    }

    @Test func aReceiptWaitsForTheApprovalOfTheTransferIn() async throws {
        let nodes = try await ExchangeNodes()
        let imported = try await nodes.b().importExchange(file: try await nodes.export(), placement: nodes.placement)
        await #expect(throws: ServiceError.self) {
            try await nodes.b().writeReceipt(draft: try #require(imported.draft), out: nodes.path("early.tar"))
        }
        #expect(!FileManager.default.fileExists(atPath: nodes.path("early.tar")))
    }

    @Test func aTransferWithoutReceiptPastTheChasePeriodOpensACaseThatTheReceiptClears() async throws {
        let nodes = try await ExchangeNodes()
        let package = try await nodes.export()
        let runDay = today.adding(months: 1)
        let later = try await Dossier.open(nodes.directoryA, as: "officer", clock: .fixed(runDay))
        // Within the month: nothing to chase yet.
        _ = try await later.reconcile(asOf: runDay.adding(days: -1))
        #expect(try await later.cases(rule: .transferWithoutReceipt).isEmpty)
        let run = try await later.reconcile(asOf: runDay)
        #expect(run.opened == 1)
        let opened = try await later.cases(rule: .transferWithoutReceipt)
        #expect(opened.map(\.stored.personID) == [nodes.personA])
        #expect(opened.first?.stored.org == ExchangeNodes.orgA)

        let imported = try await nodes.b().importExchange(file: package, placement: nodes.placement)
        try await nodes.b("approver").approve(draft: try #require(imported.draft))
        let receipt = nodes.path("receipt.tar")
        try await nodes.b().writeReceipt(draft: try #require(imported.draft), out: receipt)
        _ = try await later.importExchange(file: receipt)
        let cleared = try await later.reconcile(asOf: runDay)
        #expect(cleared.cleared == 1)
        #expect(try await later.cases(rule: .transferWithoutReceipt).isEmpty)
    }

    @Test func pendingTransfersPastTheChasePeriodAreOverdue() async throws {
        let nodes = try await ExchangeNodes()
        _ = try await nodes.export()
        let later = try await Dossier.open(nodes.directoryA, as: "officer", clock: .fixed(today.adding(months: 1)))
        let pending = try #require(try await later.pendingTransfers().first)
        #expect(pending.overdue && pending.daysWaiting == 30)
        #expect(try await nodes.a().pendingTransfers().first?.overdue == false)
    }
}
