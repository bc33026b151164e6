import DossierCore
import DossierCrypto
import DossierService
import DossierStorage
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// A service fixture whose node has a document store in its scratch directory, laid out as
/// `dossier init` leaves it (`blobs/tmp` already there).
private final class DocumentFixture {
    let base: ServiceFixture
    let blobs: BlobStore
    /// The administrator, with the document store.
    let admin: Dossier

    init(policy: DocumentPolicy? = nil) async throws {
        base = try await ServiceFixture()
        blobs = BlobStore(root: base.directory.appendingPathComponent("blobs").path)
        try FileManager.default.createDirectory(atPath: blobs.root + "/tmp", withIntermediateDirectories: true)
        admin = try await Dossier.acting(on: base.store, as: "admin", documentPolicy: policy, blobs: blobs)
    }

    var onFileID: Int64 { base.onFileID }

    /// Adds a user with `role` and returns the node acting as them, with the document store.
    func acting(
        as name: String,
        role: Role,
        reach: Reach = .wholeNode,
        policy: DocumentPolicy? = nil
    ) async throws -> Dossier {
        try await base.dossier.addUser(User(name: name, role: role, displayName: name), reach: reach)
        return try await Dossier.acting(on: base.store, as: name, documentPolicy: policy, blobs: blobs)
    }

    /// Writes `bytes` to a new file named `name` (any extension: the name never matters).
    func file(_ bytes: [UInt8], named name: String = "\(UUID().uuidString).pdf") throws -> String {
        let url = base.directory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        let path = url.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Everything under the blob store, relative, directories ending in "/", sorted.
    func blobWalk() -> [String] {
        guard let names = FileManager.default.enumerator(atPath: blobs.root) else { return [] }
        var entries: [String] = []
        for case let name as String in names {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: blobs.root + "/" + name, isDirectory: &isDirectory)
            entries.append(isDirectory.boolValue ? name + "/" : name)
        }
        return entries.sorted()
    }

    /// The stored blobs: regular files outside `tmp/`.
    func blobFiles() -> [String] {
        blobWalk().filter { !$0.hasSuffix("/") && !$0.hasPrefix("tmp/") }
    }

    /// Records, audit and blob files, to compare before and after a refused request.
    func state(people: [Int64]? = nil) async throws -> DocumentState {
        DocumentState(
            documents: try await (people ?? [onFileID]).asyncMap {
                try await admin.documents(personID: $0, includeRetired: true)
            },
            audit: try await admin.auditLog(limit: 1_000_000),
            blobs: blobWalk()
        )
    }

    /// Runs `body`, which must be refused with `kind`, and checks that nothing changed.
    @discardableResult
    func refused(
        _ kind: ServiceError.Kind,
        people: [Int64]? = nil,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws -> ServiceError? {
        let before = try await state(people: people)
        let error = await #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.kind == kind, "\(String(describing: error))", sourceLocation: sourceLocation)
        await #expect(
            try state(people: people) == before,
            "a refused request changed the node",
            sourceLocation: sourceLocation
        )
        return error
    }
}

private struct DocumentState: Equatable {
    var documents: [[Document]]
    var audit: [AuditEntry]
    var blobs: [String]
}

/// A minimal PDF; `marker` makes its content (and digests) distinct.
private func pdf(_ marker: String = "1") -> [UInt8] {
    Array("%PDF-1.4\n% \(marker)\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)
}

/// A PNG signature and IHDR chunk.
private let png: [UInt8] =
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D] + Array("IHDR".utf8)
    + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00]

private func describe(
    _ archiveClass: ArchiveClass = .degrees,
    title: String = "学士学位证书",
    date: String = "2008-07-01",
    pages: Int? = 1
) -> DocumentDescription {
    DocumentDescription(archiveClass: archiveClass, title: title, date: day(date), pages: pages)
}

private func contents(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

@Suite struct DocumentTests {
    /// A sanction may point at the document filed for it, which must be in the person's file and
    /// in class 8 (违规违纪违法处理处分类); otherwise it is refused and nothing is recorded.
    @Test func aSanctionPointsOnlyAtAClassEightDocumentOfThePersonsOwnFile() async throws {
        let fixture = try await DocumentFixture()
        let decision = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("处分决定")),
            description: describe(.sanctions, title: "记过处分决定", date: "2025-03-01", pages: 1)
        )
        let degree = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("学位")),
            description: describe(.degrees)
        )
        await #expect {
            _ = try await fixture.admin.recordSanction(
                personID: fixture.onFileID,
                kind: .demerit,
                on: CivilDate(iso: "2025-03-01")!,
                documentID: degree
            )
        } throws: { error in
            "\(error)".contains("belongs in class 8")
        }
        #expect(try await fixture.admin.sanctions(personID: fixture.onFileID).isEmpty)
        let sanction = try await fixture.admin.recordSanction(
            personID: fixture.onFileID,
            kind: .demerit,
            on: CivilDate(iso: "2025-03-01")!,
            reference: "东财纪〔2025〕3号",
            documentID: decision
        )
        #expect(sanction.documentID == decision)
        #expect(try await fixture.admin.sanctions(personID: fixture.onFileID).map(\.id) == [sanction.id])
    }

    @Test func addListShowAndExportRoundTripWithAChineseTitle() async throws {
        let fixture = try await DocumentFixture()
        let bytes = pdf("学位")
        let title = "学士学位证书（扫描件）·北京大学"
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(bytes, named: "学位证书.pdf"),
            description: describe(.degrees, title: title, date: "2008-07-01", pages: 2)
        )
        let listed = try await fixture.admin.documents(personID: fixture.onFileID)
        #expect(listed.count == 1)
        let document = try #require(listed.first)
        #expect(document.id == id)
        #expect(document.personID == fixture.onFileID)
        #expect(document.archiveClass == .degrees)
        #expect(document.title == title)
        #expect(document.date == day("2008-07-01"))
        #expect(document.pages == 2)
        #expect(document.mediaType == .pdf)
        #expect(document.size == Int64(bytes.count))
        #expect(document.sha256 == Hex.encode(Digest.sha256(bytes)))
        #expect(document.sm3 == Hex.encode(Digest.sm3(bytes)))
        #expect(document.addedBy == "admin")
        #expect(!document.addedAt.isEmpty)
        #expect(document.retiredAt == nil && document.retiredBy == nil && document.retireReason == nil)

        await #expect(try fixture.admin.document(id) == document)

        let out = fixture.base.directory.appendingPathComponent("导出-\(UUID().uuidString).pdf").path
        let before = try await fixture.admin.auditLog(after: 0, limit: 10_000).count
        try await fixture.admin.exportDocument(id, to: out)
        #expect(try contents(out) == bytes)
        #expect(fixture.blobFiles() == ["\(document.sha256.prefix(2))/\(document.sha256.dropFirst(2))"])
        // Taking a copy of the material is audited: who, which document, whose file.
        let added = try await fixture.admin.auditLog(after: 0, limit: 10_000).dropFirst(before)
        #expect(added.map(\.action) == ["document.download"])
        #expect(added.first?.actor == "admin" && added.first?.subject == "document:\(id)")
        #expect(added.first?.details.contains("\"person\":\"\(fixture.onFileID)\"") == true)
    }

    @Test func aDocumentWithoutPagesAndWithATitleInSpacesIsRecordedTrimmed() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe(.appointments, title: "  任免审批表  ", date: "2020-03-01", pages: nil)
        )
        let document = try await fixture.admin.document(id)
        #expect(document.title == "任免审批表")
        #expect(document.pages == nil)
        #expect(document.archiveClass == .appointments)
    }

    @Test func addingWritesOneAuditEntryWithTheDigestAndNoIdentityNumber() async throws {
        let fixture = try await DocumentFixture()
        let before = try await fixture.admin.auditLog(limit: 1_000_000)
        let bytes = pdf("audit")
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(bytes),
            description: describe(.assessment, title: "2024年度考核登记表", date: "2025-01-10")
        )
        let after = try await fixture.admin.auditLog(limit: 1_000_000)
        #expect(Array(after.prefix(before.count)) == before)
        let added = Array(after.dropFirst(before.count))
        try #require(added.count == 1, "\(added)")
        let entry = added[0]
        #expect(entry.action == "doc.add")
        #expect(entry.actor == "admin")
        #expect(entry.subject == "document:\(id)")
        let details = try #require(
            try JSONSerialization.jsonObject(with: Data(entry.details.utf8)) as? [String: String],
            "\(entry.details)"
        )
        #expect(details["sha256"] == Hex.encode(Digest.sha256(bytes)))
        #expect(details["person"] == String(fixture.onFileID))
        #expect(details["class"] == "3")
        #expect(details["media_type"] == "pdf")
        #expect(details["size"] == String(bytes.count))
        let identity = ServiceFixture.onFile.value
        for text in [entry.details, entry.subject] {
            #expect(!text.contains(identity))
            #expect(!text.contains(masked(identity)))
            #expect(!text.contains(String(identity.suffix(10))))
        }
        await #expect(try fixture.admin.verifyAudit().isIntact)
    }

    @Test func theSameFileTwiceForOnePersonIsRefusedAndChangesNothing() async throws {
        let fixture = try await DocumentFixture()
        let bytes = pdf("twice")
        let first = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(bytes),
            description: describe()
        )
        // Another copy of the same bytes, under another name and with another description.
        let error = try await fixture.refused(.refused) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(bytes, named: "copy.pdf"),
                description: describe(.other, title: "另一份", date: "2010-01-01")
            )
        }
        #expect(error?.message.contains("document \(first)") == true, "\(String(describing: error))")
        await #expect(try fixture.admin.documents(personID: fixture.onFileID).map(\.id) == [first])
    }

    @Test func theSameFileForTwoPeopleIsTwoRecordsAndOneBlob() async throws {
        let fixture = try await DocumentFixture()
        let other = try await fixture.admin.addPerson(personInput(3), today: today)
        let bytes = pdf("shared")
        let path = try fixture.file(bytes)
        let first = try await fixture.admin.addDocument(personID: fixture.onFileID, file: path, description: describe())
        let second = try await fixture.admin.addDocument(personID: other, file: path, description: describe())
        #expect(first != second)
        let a = try await fixture.admin.document(first)
        let b = try await fixture.admin.document(second)
        #expect(a.personID == fixture.onFileID && b.personID == other)
        #expect(a.sha256 == b.sha256 && a.sm3 == b.sm3)
        #expect(fixture.blobFiles() == ["\(a.sha256.prefix(2))/\(a.sha256.dropFirst(2))"])
        await #expect(try fixture.admin.documents(personID: other).map(\.id) == [second])
        // Retiring one person's record keeps the blob the other still uses.
        try await fixture.admin.retireDocument(first, reason: "误归档")
        let out = fixture.base.directory.appendingPathComponent("out-\(UUID().uuidString)").path
        try await fixture.admin.exportDocument(second, to: out)
        #expect(try contents(out) == bytes)
    }

    @Test func aFileOfUnknownFormatIsRefusedLeavingDiskAndDatabaseUnchanged() async throws {
        let fixture = try await DocumentFixture()
        _ = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        let samples: [[UInt8]] = [
            Array("干部履历表\n姓名：李已在\n".utf8),
            // A .docx-like ZIP: its first entry is not OFD.xml.
            [0x50, 0x4B, 0x03, 0x04, 20, 0] + [UInt8](repeating: 0, count: 20) + [19, 0, 0, 0]
                + Array("[Content_Types].xml".utf8) + Array("<Types/>".utf8),
        ]
        for bytes in samples {
            let path = try fixture.file(bytes, named: "scan.pdf")
            let error = try await fixture.refused(.invalid) {
                _ = try await fixture.admin.addDocument(
                    personID: fixture.onFileID,
                    file: path,
                    description: describe(.resume)
                )
            }
            #expect(error?.message.contains("not a file of an accepted format") == true, "\(String(describing: error))")
        }
    }

    @Test(arguments: ["", "   ", "a\u{0}b", "扫描件\u{7}", String(repeating: "档", count: 201)])
    func aTitleThatIsEmptyTooLongOrHoldsControlCharactersIsRefused(title: String) async throws {
        let fixture = try await DocumentFixture()
        let error = try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf()),
                description: describe(title: title)
            )
        }
        #expect(error?.message.hasPrefix("A document's title") == true, "\(String(describing: error))")
        #expect(error?.cause == nil)
    }

    /// `…<_script>\u{202E}fdp.exe.pdf` would show as a harmless PDF's name in lists, exports
    /// and the package's file names.
    @Test(arguments: ["<_script>\u{202E}fdp.exe", "学士\u{200B}学位证书", "学士学位证书\u{2060}", "\u{061C}证书"])
    func aTitleWithInvisibleFormattingCharactersIsRefusedAndNothingIsStored(title: String) async throws {
        let fixture = try await DocumentFixture()
        let error = try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf()),
                description: describe(title: title)
            )
        }
        #expect(
            error?.message
                == "A document's title cannot contain invisible formatting characters (such as right-to-left marks or zero-width spaces).",
            "\(String(describing: error))"
        )
    }

    @Test func aRetirementReasonWithControlCharactersIsRefused() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        for reason in ["", "重复\u{0}", String(repeating: "因", count: 501)] {
            let error = try await fixture.refused(.invalid) {
                try await fixture.admin.retireDocument(id, reason: reason)
            }
            #expect(error?.message.hasPrefix("The reason") == true, "\(String(describing: error))")
        }
        try await fixture.admin.retireDocument(id, reason: "重复上传\n已另存")
        await #expect(try fixture.admin.document(id).retiredAt != nil)
    }

    @Test func anEmptyFileOrAFolderIsRefused() async throws {
        let fixture = try await DocumentFixture()
        try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file([]),
                description: describe()
            )
        }
        try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: fixture.base.directory.path,
                description: describe()
            )
        }
        try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: fixture.base.directory.appendingPathComponent("no-such-file.pdf").path,
                description: describe()
            )
        }
    }

    @Test func aRenamedFileIsRecordedAsWhatItsContentIs() async throws {
        let fixture = try await DocumentFixture()
        let pdfNamedPNG = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("renamed"), named: "photo.png"),
            description: describe()
        )
        let pngNamedPDF = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(png, named: "certificate.pdf"),
            description: describe(.titles, title: "职称证书")
        )
        await #expect(try fixture.admin.document(pdfNamedPNG).mediaType == .pdf)
        await #expect(try fixture.admin.document(pngNamedPDF).mediaType == .png)
    }

    @Test func aFileOverThePolicyLimitIsRefusedAndOneAtTheLimitAccepted() async throws {
        let limit = pdf("limit").count
        let fixture = try await DocumentFixture(
            policy: DocumentPolicy(maxBytes: Int64(limit), mediaTypes: Set(MediaType.allCases))
        )
        let error = try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf("limit") + Array("\n".utf8)),
                description: describe()
            )
        }
        #expect(
            error?.message.contains("larger than the limit of \(limit) bytes") == true,
            "\(String(describing: error))"
        )
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("limit")),
            description: describe()
        )
        await #expect(try fixture.admin.document(id).size == Int64(limit))
    }

    @Test func aFormatTheNodeDoesNotAcceptIsRefused() async throws {
        let fixture = try await DocumentFixture(policy: DocumentPolicy(maxBytes: 1 << 20, mediaTypes: [.pdf, .ofd]))
        let error = try await fixture.refused(.invalid) {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(png, named: "photo.png"),
                description: describe()
            )
        }
        #expect(error?.message.contains("(ofd, pdf)") == true, "\(String(describing: error))")
        _ = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
    }

    @Test func aTitleOrPageCountOutOfRangeIsRefusedBeforeAnythingIsStored() async throws {
        let fixture = try await DocumentFixture()
        let path = try fixture.file(pdf())
        for description in [
            describe(title: ""), describe(title: "   "), describe(title: String(repeating: "档", count: 201)),
            describe(pages: 0), describe(pages: -3),
        ] {
            try await fixture.refused(.invalid) {
                _ = try await fixture.admin.addDocument(
                    personID: fixture.onFileID,
                    file: path,
                    description: description
                )
            }
        }
        _ = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: path,
            description: describe(title: String(repeating: "档", count: 200))
        )
    }

    @Test func aLongTitleOfCombinedCharactersIsJudgedByTheServiceNotByTheDatabase() async throws {
        // 200 characters as a reader counts them, each of two code points (e + combining acute,
        // a flag): either filed, or refused as invalid input; never a database failure.
        for title in [String(repeating: "e\u{301}", count: 200), String(repeating: "🇨🇳", count: 200)] {
            let fixture = try await DocumentFixture()
            #expect(title.count == 200)
            let before = try await fixture.state()
            do {
                let id = try await fixture.admin.addDocument(
                    personID: fixture.onFileID,
                    file: try fixture.file(pdf()),
                    description: describe(title: title)
                )
                await #expect(try fixture.admin.document(id).title == title)
            } catch let error as ServiceError {
                #expect(error.kind == .invalid, "\(error)")
                #expect(!error.message.contains("database"), "\(error)")
                await #expect(try fixture.state() == before)
            }
        }
    }

    @Test func aPersonsDocumentsAreListedByClassFromOneToTenThenByDate() async throws {
        let fixture = try await DocumentFixture()
        let filed: [(ArchiveClass, String)] = [
            (.other, "2001-01-01"), (.salary, "2019-01-01"), (.resume, "2020-01-01"), (.degrees, "2008-07-01"),
            (.autobiography, "2005-01-01"), (.resume, "2010-01-01"), (.appointments, "2018-01-01"),
        ]
        for (index, (archiveClass, date)) in filed.enumerated() {
            _ = try await fixture.admin.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf("order-\(index)")),
                description: describe(archiveClass, title: "材料\(index)", date: date)
            )
        }
        let listed = try await fixture.admin.documents(personID: fixture.onFileID)
        // 其他 (10) comes last in a personnel file, after 工资 (9-1) and 任免 (9-2).
        #expect(listed.map(\.archiveClass.code) == ["1", "1", "2", "4-1", "9-1", "9-2", "10"])
        #expect(listed.prefix(2).map(\.date) == [day("2010-01-01"), day("2020-01-01")])
    }

    @Test func retiringKeepsTheRecordAndTheFileMarkedWithTheReason() async throws {
        let fixture = try await DocumentFixture()
        let bytes = pdf("retired")
        let retired = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(bytes),
            description: describe(.resume, title: "干部履历表（旧）", date: "2010-05-01")
        )
        let kept = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("kept")),
            description: describe(.resume, title: "干部履历表", date: "2020-05-01")
        )
        let blobsBefore = fixture.blobWalk()
        let auditBefore = try await fixture.admin.auditLog(limit: 1_000_000).count
        try await fixture.admin.retireDocument(retired, reason: "已由新版履历表替代")

        await #expect(try fixture.admin.documents(personID: fixture.onFileID).map(\.id) == [kept])
        let all = try await fixture.admin.documents(personID: fixture.onFileID, includeRetired: true)
        #expect(Set(all.map(\.id)) == [retired, kept])
        let record = try await fixture.admin.document(retired)
        #expect(record.retiredAt != nil)
        #expect(record.retiredBy == "admin")
        #expect(record.retireReason == "已由新版履历表替代")
        #expect(record.title == "干部履历表（旧）")
        #expect(record.sha256 == Hex.encode(Digest.sha256(bytes)))
        await #expect(try fixture.admin.document(kept).retiredAt == nil)

        #expect(fixture.blobWalk() == blobsBefore)
        let out = fixture.base.directory.appendingPathComponent("retired-\(UUID().uuidString).pdf").path
        try await fixture.admin.exportDocument(retired, to: out)
        #expect(try contents(out) == bytes)

        // The retirement, then the copy taken of the retired file.
        let audit = try await fixture.admin.auditLog(limit: 1_000_000).dropFirst(auditBefore)
        #expect(audit.map(\.action) == ["doc.retire", "document.download"])
        #expect(audit.first?.subject == "document:\(retired)")
    }

    @Test func retiringTwiceIsRefused() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        try await fixture.admin.retireDocument(id, reason: "重复材料")
        let error = try await fixture.refused(.refused) {
            try await fixture.admin.retireDocument(id, reason: "again")
        }
        #expect(error?.message.contains("already retired") == true, "\(String(describing: error))")
        await #expect(try fixture.admin.document(id).retireReason == "重复材料")
    }

    @Test func retiringNeedsAReason() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        for reason in ["", "   ", "\u{3000}", "\t"] {
            try await fixture.refused(.invalid) {
                try await fixture.admin.retireDocument(id, reason: reason)
            }
        }
        await #expect(try fixture.admin.document(id).retiredAt == nil)
        await #expect(try fixture.admin.documents(personID: fixture.onFileID).map(\.id) == [id])
    }

    @Test(arguments: ["\n", " \r\n ", "\u{3000}\n"])
    func aReasonOfOnlyLineBreaksIsNoReason(reason: String) async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        try await fixture.refused(.invalid) {
            try await fixture.admin.retireDocument(id, reason: reason)
        }
        await #expect(try fixture.admin.document(id).retiredAt == nil)
    }

    @Test func anUnknownDocumentIsNotFound() async throws {
        let fixture = try await DocumentFixture()
        try await fixture.refused(.notFound) { _ = try await fixture.admin.document(424_242) }
        try await fixture.refused(.notFound) {
            try await fixture.admin.exportDocument(424_242, to: fixture.base.directory.appendingPathComponent("x").path)
        }
        try await fixture.refused(.notFound) { try await fixture.admin.retireDocument(424_242, reason: "没有") }
        #expect(!FileManager.default.fileExists(atPath: fixture.base.directory.appendingPathComponent("x").path))
    }

    @Test func exportingOverAnExistingFileIsRefusedAndLeavesItAlone() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        let out = fixture.base.directory.appendingPathComponent("existing.txt").path
        let precious = Array("原有内容\n".utf8)
        try Data(precious).write(to: URL(fileURLWithPath: out))
        try await fixture.refused(.refused) { try await fixture.admin.exportDocument(id, to: out) }
        #expect(try contents(out) == precious)
    }

    @Test func exportingADamagedFileFailsAndWritesNothing() async throws {
        let fixture = try await DocumentFixture()
        let bytes = pdf("damaged")
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(bytes),
            description: describe()
        )
        let digest = try await fixture.admin.document(id).sha256
        var damaged = bytes
        damaged[damaged.count - 3] ^= 0x20
        try Data(damaged).write(to: URL(fileURLWithPath: fixture.blobs.path(forSHA256: digest)))
        let out = fixture.base.directory.appendingPathComponent("damaged-\(UUID().uuidString).pdf").path
        let error = try await fixture.refused(.refused) { try await fixture.admin.exportDocument(id, to: out) }
        #expect(error?.message.contains("damaged") == true, "\(String(describing: error))")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aViewerCanListButCannotAddOrRetire() async throws {
        let fixture = try await DocumentFixture()
        let id = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        let viewer = try await fixture.acting(as: "reader", role: .viewer)
        try await fixture.refused(.forbidden) {
            _ = try await viewer.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf("viewer")),
                description: describe()
            )
        }
        try await fixture.refused(.forbidden) { try await viewer.retireDocument(id, reason: "查阅人不得撤出") }
        await #expect(try viewer.documents(personID: fixture.onFileID).map(\.id) == [id])
        await #expect(try viewer.document(id) == fixture.admin.document(id))
    }

    @Test func anUnknownPersonIsNotFoundAndNothingIsStored() async throws {
        let fixture = try await DocumentFixture()
        try await fixture.refused(.notFound) {
            _ = try await fixture.admin.addDocument(
                personID: 999_999,
                file: try fixture.file(pdf()),
                description: describe()
            )
        }
        try await fixture.refused(.notFound) { _ = try await fixture.admin.documents(personID: 999_999) }
    }

    @Test func aScopedOfficerCannotAddDocumentsOutsideTheirSubtree() async throws {
        let fixture = try await DocumentFixture()
        let existing = try await fixture.admin.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf()),
            description: describe()
        )
        // The person on file works at 东海省财政厅; this officer only covers the hospital.
        let outsider = try await fixture.acting(
            as: "hospital-officer",
            role: .officer,
            reach: .organization(ServiceFixture.hospital)
        )
        try await fixture.refused(.notFound) {
            _ = try await outsider.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf("outside")),
                description: describe()
            )
        }
        try await fixture.refused(.notFound) { _ = try await outsider.documents(personID: fixture.onFileID) }
        let outOfReach = try await fixture.refused(.notFound) { _ = try await outsider.document(existing) }
        // Worded as for a document that does not exist: nothing about whose file it is in.
        #expect(outOfReach?.message == "There is no document \(existing).")
        try await fixture.refused(.notFound) { try await outsider.retireDocument(existing, reason: "越权") }

        // An officer over the finance department (and its subtree) may.
        let insider = try await fixture.acting(
            as: "finance-officer",
            role: .officer,
            reach: .organization(ServiceFixture.finance)
        )
        let id = try await insider.addDocument(
            personID: fixture.onFileID,
            file: try fixture.file(pdf("inside")),
            description: describe()
        )
        await #expect(try fixture.admin.document(id).addedBy == "finance-officer")
    }

    @Test func aNodeWithoutADocumentStoreRefusesToAdd() async throws {
        let fixture = try await DocumentFixture()
        let bare = try await Dossier.acting(on: fixture.base.store, as: "admin")
        try await fixture.refused(.setup) {
            _ = try await bare.addDocument(
                personID: fixture.onFileID,
                file: try fixture.file(pdf()),
                description: describe()
            )
        }
    }
}
