import DossierArchive
public import DossierCore
import DossierCrypto
import DossierExchange
public import DossierStorage
import Foundation
import Logging

/// Where a transfer-in places the person on the receiving node.
public struct TransferPlacement: Sendable, Hashable {
    public var orgCode: CreditCode
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    /// The transfer-in's effective date.
    public var effectiveOn: CivilDate

    public init(
        orgCode: CreditCode,
        category: EstablishmentCategory,
        rank: Rank? = nil,
        post: LeadershipPost? = nil,
        effectiveOn: CivilDate
    ) {
        self.orgCode = orgCode
        self.category = category
        self.rank = rank
        self.post = post
        self.effectiveOn = effectiveOn
    }
}

/// The dates from which the 工资关系, 组织关系 and 社保关系 move, when not the transfer's own.
public struct RelationMoves: Sendable, Hashable {
    public var salary: CivilDate?
    public var organization: CivilDate?
    public var insurance: CivilDate?

    public init(salary: CivilDate? = nil, organization: CivilDate? = nil, insurance: CivilDate? = nil) {
        self.salary = salary
        self.organization = organization
        self.insurance = insurance
    }
}

/// What exporting a transfer wrote.
public struct TransferExport: Sendable, Hashable {
    public var path: String
    public var slipNumber: String
    public var expiresOn: CivilDate
    public var documents: Int
    /// False when the transfer had been exported before and the same package was written again.
    public var isNew: Bool
}

/// What importing an exchange file did.
public struct ExchangeImport: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        case imported
        case alreadyImported = "already-imported"
    }

    public var kind: IncomingKind
    /// For a transfer: the person's file number here and the transfer-in drafted.
    public var person: Int64?
    public var draft: Int64?
    public var status: Status
    /// When it was imported (the first time, for a file imported before).
    public var importedAt: String
    public var slipNumber: String
    public var from: CreditCode
}

/// A receipt or refusal written.
public struct WrittenAnswer: Sendable, Hashable {
    public var kind: IncomingKind
    public var slipNumber: String
    /// The agency it goes back to.
    public var to: CreditCode
}

/// A transfer sent and not yet answered.
public struct PendingTransfer: Sendable, Hashable {
    /// The transfer-out's draft number (the number `exchange export --action` takes).
    public var action: Int64
    public var person: Int64
    public var personName: String
    public var to: CreditCode
    public var slipNumber: String
    public var exportedOn: CivilDate
    public var expiresOn: CivilDate
    public var daysWaiting: Int
    /// Past the policy's chase period: the receipt must be chased.
    public var overdue: Bool
}

extension Dossier {
    // MARK: Sending

    /// Exports an approved transfer-out as one signed transfer package at `out` (default:
    /// DATA/packages/transfer-DRAFT.tar): the person's archive package with the transfer
    /// envelope. The first export records the transfer as awaiting its receipt; exporting it
    /// again writes the same package as long as the file has not changed since.
    public func exportTransfer(
        draft id: Int64,
        out: String? = nil,
        moves: RelationMoves = RelationMoves()
    ) async throws
        -> TransferExport
    {
        try require(.writePeople)
        try require(.revealIdentity)
        let agency = try await requireAgency()
        guard let draft = try await mapErrors({ try await store.draft(id) }) else {
            throw ServiceError(.notFound, "There is no draft \(id).", zh: "没有编号为 \(id) 的草稿。")
        }
        try await requireWithinReach(personID: draft.personID, as: writingRole)
        guard draft.kind == .transferOut else {
            throw ServiceError(
                .invalid,
                "Draft \(id) is a \(draft.kind.chineseName), not a transfer-out (调出).",
                zh: "草稿 \(id) 是\(draft.kind.chineseName)，不是调出。"
            )
        }
        guard draft.state == .approved, let actionID = draft.actionID else {
            throw ServiceError(
                .refused,
                "The transfer-out \(id) is \(draft.state == .draft ? "not approved yet" : "rejected"); only an approved transfer is sent.",
                zh: "调出 \(id) \(draft.state == .draft ? "尚未批准" : "已被退回")；只有已批准的调动才能发出。"
            )
        }
        guard let order = try await mapErrors({ try await store.transferOrder(draftID: id) }) else {
            throw ServiceError(
                .refused,
                "The transfer-out \(id) does not name the receiving agency; draft the transfer with --to CODE --reason TEXT.",
                zh: "调出 \(id) 未写明接收机关；请以 --to CODE --reason TEXT 起草调动。"
            )
        }
        let key = try activeSigningKey()
        let keyID = try mapErrorsSync { try key.keyID() }
        let file = try await packedFile(personID: draft.personID, packageType: "transfer")
        let earlier = try await mapErrors { try await store.outgoingTransfer(draftID: id) }
        let policy = policies.exchange(on: today)
        guard let directory = dataDirectory else {
            throw ServiceError(.setup, "This node has no data directory.", zh: "本节点没有数据目录。")
        }
        try? FileManager.default.createDirectory(
            atPath: directory.path + "/packages",
            withIntermediateDirectories: true
        )
        let target = out ?? directory.path + "/packages/transfer-\(id).tar"
        let temporary = target + ".partial-\(getpid())"
        let nonce = Hex.encode(SecureRandom.bytes(16))
        let slipNumber: String
        let expiresOn: CivilDate
        if let earlier {
            slipNumber = earlier.sent.slipNumber
            expiresOn = earlier.sent.expiresOn
        } else {
            let count = try await mapErrors { try await store.slipCount(year: today.year) }
            slipNumber = String(format: "档转字〔%04d〕第%04d号", today.year, count + 1)
            expiresOn = today.adding(days: policy.packageValidDays)
        }
        // The slip describes the placement the transfer-out ended.
        let left = file.timeline.last { $0.actionID == actionID }
        let before = file.timeline.last { $0.effectiveOn <= draft.effectiveOn && $0.kind != .transferOut }
        var unitName: String?
        if let left { unitName = try await mapErrors { try await store.organization(left.orgCode) }?.name }
        let post = [
            before?.post?.chineseName, before?.rank.map { policies.rankLadder.at(draft.effectiveOn).name(of: $0) },
        ]
        .compactMap { $0 }.joined(separator: " ")
        let slip = TransferSlip(
            number: slipNumber,
            personName: file.person.name,
            unit: unitName ?? agency.name,
            post: post,
            reason: order.reason,
            transferOn: draft.effectiveOn,
            volumes: 1,
            documents: file.documents.filter { $0.retiredAt == nil }.count,
            salaryMovesOn: moves.salary ?? draft.effectiveOn,
            organizationMovesOn: moves.organization ?? draft.effectiveOn,
            insuranceMovesOn: moves.insurance ?? draft.effectiveOn,
            sentBy: actor.name,
            senderAction: actionID,
            senderFileNumber: draft.personID
        )
        let written: (summary: PackSummary, envelope: [UInt8], signature: [UInt8])
        do {
            written = try await TransferPackage.write(
                file.content,
                signer: key,
                certificates: try nodeCertificateChain(),
                to: temporary,
                storedSignature: { digest in
                    try? await self.store.packageSignature(tagManifestSHA256: digest, keyID: keyID)
                },
                seal: { digest in
                    if let earlier {
                        guard earlier.sent.tagManifestSHA256 == digest, earlier.sent.keyID == keyID else {
                            throw ExchangeError(
                                "The person's file changed since transfer \(id) was first exported on \(earlier.sent.exportedOn) (or the node's key did); the package first sent stands, and a new one cannot be made for the same slip."
                            )
                        }
                        return (earlier.sent.envelope, earlier.sent.signature)
                    }
                    return try TransferPackage.seal(
                        TransferEnvelope(
                            nonce: nonce,
                            createdOn: today,
                            expiresOn: expiresOn,
                            sender: agency,
                            receiver: order.toAgency,
                            slip: slip,
                            packageID: file.content.packageID,
                            tagManifestSHA256: digest
                        ),
                        with: key
                    )
                }
            )
        } catch let error as ExchangeError {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(.refused, error.description, zh: "调动包无法生成：交换规则不允许。")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(
                .refused,
                "The transfer package could not be written: a stored document is missing or damaged, or the disk refused.",
                zh: "调动包无法写出：某份所存材料缺失或损坏，或磁盘拒绝写入。",
                cause: "\(error)"
            )
        }
        do {
            try await mapErrors {
                try await store.write { tx in
                    try tx.requireUser(actor.name)
                    try tx.insertPackageSignature(
                        tagManifestSHA256: written.summary.tagManifestSHA256,
                        keyID: keyID,
                        signature: written.summary.signature
                    )
                    if earlier == nil {
                        _ = try tx.insertOutgoingTransfer(
                            NewOutgoingTransfer(
                                draftID: id,
                                personID: draft.personID,
                                toAgency: order.toAgency,
                                slipNumber: slipNumber,
                                nonce: nonce,
                                envelope: written.envelope,
                                signature: written.signature,
                                keyID: keyID,
                                tagManifestSHA256: written.summary.tagManifestSHA256,
                                exportedOn: today,
                                expiresOn: expiresOn
                            ),
                            by: actor.name
                        )
                    }
                    try audit(
                        tx,
                        action: "exchange.export",
                        subject: "person:\(draft.personID)",
                        details: [
                            "draft": String(id), "to": order.toAgency.value, "slip": slipNumber,
                            "tag_manifest_sha256": written.summary.tagManifestSHA256,
                            "again": earlier == nil ? "no" : "yes",
                        ]
                    )
                }
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        if FileManager.default.fileExists(atPath: target) { try? FileManager.default.removeItem(atPath: target) }
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(.setup, "Cannot move the package to \(target).", zh: "无法将数据包移至 \(target)。")
        }
        logger.info("transfer exported", metadata: ["draft.id": "\(id)", "person.id": "\(draft.personID)"])
        return TransferExport(
            path: target,
            slipNumber: slipNumber,
            expiresOn: expiresOn,
            documents: slip.documents,
            isNew: earlier == nil
        )
    }

    /// Transfers sent and not yet answered, overdue first, then oldest first; within the acting
    /// user's reach.
    public func pendingTransfers() async throws -> [PendingTransfer] {
        try require(.readPeople)
        let sent = try await mapErrors { try await store.outgoingTransfers(state: .awaiting) }
        var pending: [PendingTransfer] = []
        for transfer in sent {
            if actor.role != .admin {
                do { try await requireWithinReach(personID: transfer.sent.personID, as: actor.role) } catch { continue }
            }
            let chase = policies.exchange(on: transfer.sent.exportedOn).chaseMonths
            pending.append(
                PendingTransfer(
                    action: transfer.sent.draftID,
                    person: transfer.sent.personID,
                    personName: transfer.personName,
                    to: transfer.sent.toAgency,
                    slipNumber: transfer.sent.slipNumber,
                    exportedOn: transfer.sent.exportedOn,
                    expiresOn: transfer.sent.expiresOn,
                    daysWaiting: today.dayNumber - transfer.sent.exportedOn.dayNumber,
                    overdue: today >= transfer.sent.exportedOn.adding(months: chase)
                )
            )
        }
        return pending.sorted {
            ($0.overdue ? 0 : 1, $0.exportedOn, $0.action) < ($1.overdue ? 0 : 1, $1.exportedOn, $1.action)
        }
    }

    // MARK: Receiving

    /// Imports an exchange file: a transfer package (with `placement`, where the person is to
    /// be placed here), or a receipt or refusal answering a transfer this node sent. Everything is
    /// checked before anything is written; a refusal at any step leaves the database and the
    /// document store as they were. The same file imported again does nothing and says when it
    /// was first imported.
    public func importExchange(file path: String, placement: TransferPlacement? = nil) async throws -> ExchangeImport {
        try require(.verifyPackages)
        try require(.writePeople)
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ServiceError(.notFound, "Cannot read the file \(path).", zh: "无法读取文件 \(path)。")
        }
        let fileSHA256: String
        do { fileSHA256 = try Self.sha256(ofFile: path) } catch {
            throw ServiceError(.notFound, "Cannot read the file \(path).", zh: "无法读取文件 \(path)。")
        }
        if let earlier = try await mapErrors({ try await store.incomingPackage(fileSHA256: fileSHA256) }) {
            return ExchangeImport(
                kind: earlier.received.kind,
                person: earlier.received.personID,
                draft: earlier.received.draftID,
                status: .alreadyImported,
                importedAt: earlier.importedAt,
                slipNumber: earlier.received.slipNumber,
                from: earlier.received.fromAgency
            )
        }
        let kind: ExchangeFileKind?
        do { kind = try TransferPackage.kind(of: path) } catch {
            throw ServiceError(
                .invalid,
                "\(path) is not a package Dossier can read: \(error)",
                zh: "\(path) 不是 Dossier 能读取的数据包。"
            )
        }
        switch kind {
        case .transfer:
            guard let placement else {
                throw ServiceError(
                    .invalid,
                    "A transfer package places the person here: give --org, --category and --on (and --rank or --post where they apply).",
                    zh: "调动包须将该人员安置在本机关：请填写 --org、--category 和 --on（适用时还有 --rank 或 --post）。"
                )
            }
            return try await importTransfer(path, sha256: fileSHA256, placement: placement)
        case .receipt, .refusal:
            return try await importAnswer(path, sha256: fileSHA256)
        case nil:
            throw ServiceError(
                .invalid,
                "\(path) is not a transfer package, receipt or refusal.",
                zh: "\(path) 不是调动包、回执或退回通知。"
            )
        }
    }

    /// SHA-256 of a whole file, streamed.
    static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ServiceError(.notFound, path, zh: "无法读取文件 \(path)。")
        }
        defer { try? handle.close() }
        let hasher = Hasher(.sha256)
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return Hex.encode(hasher.finish())
    }

    /// The trust store's word on whether `keyID` speaks for `agency` on this node's today: a key
    /// trusted for that agency, or a certificate (checked by the verifier) naming its credit code.
    private func keySpeaks(for agency: CreditCode, keyID: String?, signer: String?) async throws -> Bool {
        let entries = try await mapErrors { try await store.trustedKeys() }
        if entries.contains(where: { $0.keyID == keyID && $0.agencyCode == agency.value && $0.isTrusted(on: today) }) {
            return true
        }
        return signer?.contains(agency.value) ?? false
    }

    private func refusal(_ report: VerificationReport) -> ServiceError {
        var lines: [String] = []
        for aspect in VerificationReport.Aspect.allCases {
            for problem in report.problems[aspect] ?? [] { lines.append("\(aspect.chineseName): \(problem)") }
        }
        return ServiceError(
            .refused,
            "The package did not pass its check; nothing was imported. \(lines.prefix(5).joined(separator: " "))",
            zh: "数据包未通过校验；未导入任何内容。"
        )
    }

    private func importTransfer(
        _ path: String,
        sha256 fileSHA256: String,
        placement: TransferPlacement
    ) async throws
        -> ExchangeImport
    {
        try require(.draftActions)
        try await requireMayFile(in: placement.orgCode)
        let agency = try await requireAgency()
        let blobs = try requireBlobs()
        let envelope: TransferPackage.Envelope
        do { envelope = try TransferPackage.envelope(at: path) } catch let error as ExchangeError {
            throw ServiceError(.refused, error.description + " Nothing was imported.", zh: "数据包未通过交换规则的检查。未导入任何内容。")
        }
        let sent = envelope.envelope
        guard sent.receiver == agency.code else {
            throw ServiceError(
                .refused,
                "The package is addressed to agency \(sent.receiver), and this node speaks for \(agency.code) (\(agency.name)); nothing was imported.",
                zh: "该数据包发往机关 \(sent.receiver)，而本节点代表 \(agency.code)（\(agency.name)）；未导入任何内容。"
            )
        }
        guard today <= sent.expiresOn else {
            throw ServiceError(
                .refused,
                "The package expired on \(sent.expiresOn); ask \(sent.sender.name) to send it again. Nothing was imported.",
                zh: "该数据包已于 \(sent.expiresOn) 过期；请\(sent.sender.name)重新发送。未导入任何内容。"
            )
        }
        guard try await !mapErrors({ try await store.nonceSeen(sent.nonce) }) else {
            throw ServiceError(
                .refused,
                "A package with this envelope's nonce was imported before: this one is a replay and is refused.",
                zh: "此前已导入过带有同一随机数的数据包：本包属于重放，不予接受。"
            )
        }
        // One pass over the package: every document is checked and staged in the store's
        // tmp/ folder; nothing enters the store unless the whole package passes.
        let sink = StagingSink(blobs: blobs, maxBytes: documentPolicy.maxBytes)
        let trusted = try await trustAnchors()
        // Slow on a large package: the server calls this use case off its request threads.
        let report: VerificationReport
        do {
            report = try TransferPackage.verify(path: path, expecting: envelope, trusted: trusted, sink: sink)
        } catch let error as ExchangeError {
            throw ServiceError(.refused, error.description, zh: "数据包未通过交换规则的检查。")
        }
        guard report.passed else { throw refusal(report) }
        guard try await keySpeaks(for: sent.sender.code, keyID: report.keyID, signer: report.signer) else {
            throw ServiceError(
                .refused,
                "The package is signed by key \(report.keyID ?? "?"), which this node does not trust to speak for \(sent.sender.code) (\(sent.sender.name)); nothing was imported.",
                zh: "该数据包由密钥 \(report.keyID ?? "?") 签名，本节点不信任该密钥代表 \(sent.sender.code)（\(sent.sender.name)）；未导入任何内容。"
            )
        }
        let received = try ReceivedFile(sink.record, from: sent.sender.code)
        let person = try received.newPerson(placement: placement, today: today, ladder: policies.rankLadder)
        // Every current document of the record is in the package, and nothing else is.
        let staged = Dictionary(sink.staged.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        let documents = received.documents.filter { $0.retiredAt == nil }
        guard Set(documents.map(\.sha256)) == Set(staged.keys), documents.count == sink.staged.count else {
            throw ServiceError(
                .refused,
                "The package's documents do not match the list in its record (data/record.json); nothing was imported.",
                zh: "数据包中的材料与其记录（data/record.json）所列不符；未导入任何内容。"
            )
        }
        let draftInput = ActionDraftInput(
            personID: 0,
            kind: .transferIn,
            effectiveOn: placement.effectiveOn,
            orgCode: placement.orgCode,
            category: placement.category,
            rank: placement.rank,
            post: placement.post,
            note: "\(sent.slip.reason): \(sent.slip.number), \(sent.sender.name)"
        )
        try checkStated(draftInput)
        var kept: [BlobStore.Stored] = []
        do {
            // Kept together: their syncs run side by side (one by one, they were most of an import).
            try BlobStore.Incoming.keep(sink.staged.map { ($0.incoming, $0.sha256, $0.sm3) }, appendingTo: &kept)
            let outcome = try await mapErrors {
                try await store.write { tx -> (person: Int64, draft: Int64, at: String) in
                    try tx.requireUser(actor.name)
                    guard try !tx.nonceSeen(sent.nonce) else {
                        throw RuleRefusal.refused(
                            "A package with this envelope's nonce was imported meanwhile: this one is a replay and is refused.",
                            zh: "此期间已导入过带有同一随机数的数据包：本包属于重放，不予接受。"
                        )
                    }
                    let batch = try HireBatch(tx, author: author, policies: policies)
                    let personID = try linkOrFile(person, batch: batch, in: tx)
                    let existing = try tx.documentDigests(personID: personID)
                    for (document, stored) in zip(documents, documents.map { staged[$0.sha256]! })
                    where !existing.contains(document.sha256) {
                        guard let media = MediaType.detect(stored.head) else {
                            throw RuleRefusal.refused(
                                "\(document.title) is not a file of an accepted format.",
                                zh: "\(document.title) 不是允许格式的文件。"
                            )
                        }
                        let blob = kept.first { $0.sha256 == document.sha256 }!
                        _ = try tx.insertDocument(
                            personID: personID,
                            description: DocumentDescription(
                                archiveClass: document.archiveClass,
                                title: document.title,
                                date: document.date,
                                pages: document.pages
                            ),
                            stored: blob,
                            blobs: blobs,
                            mediaType: media,
                            by: actor.name
                        )
                    }
                    var history = 0
                    for action in received.history {
                        try checkReceivable(action)
                        if try tx.insertReceived(action, personID: personID, by: actor.name) != nil { history += 1 }
                    }
                    var input = draftInput
                    input.personID = personID
                    let draftID = try writeDraft(input, in: tx)
                    _ = try tx.insertIncomingPackage(
                        NewIncomingPackage(
                            kind: .transfer,
                            fileSHA256: fileSHA256,
                            nonce: sent.nonce,
                            fromAgency: sent.sender.code,
                            slipNumber: sent.slip.number,
                            keyID: envelope.keyID,
                            envelope: envelope.bytes,
                            personID: personID,
                            draftID: draftID
                        ),
                        by: actor.name
                    )
                    try audit(
                        tx,
                        action: "exchange.import",
                        subject: "person:\(personID)",
                        details: [
                            "kind": "transfer", "from": sent.sender.code.value, "slip": sent.slip.number,
                            "draft": String(draftID), "documents": String(documents.count), "history": String(history),
                            "file_sha256": fileSHA256,
                        ]
                    )
                    return (personID, draftID, tx.recordedAt)
                }
            }
            logger.info(
                "transfer imported",
                metadata: ["person.id": "\(outcome.person)", "draft.id": "\(outcome.draft)"]
            )
            return ExchangeImport(
                kind: .transfer,
                person: outcome.person,
                draft: outcome.draft,
                status: .imported,
                importedAt: outcome.at,
                slipNumber: sent.slip.number,
                from: sent.sender.code
            )
        } catch {
            for blob in kept { try? await store.discardUnreferenced(blob, in: blobs) }
            throw error
        }
    }

    /// The person the transfer is about: the record already here for the same identity number
    /// (someone who left this node before), unless they are in post here; else a new file.
    private func linkOrFile(_ person: NewPerson, batch: HireBatch, in tx: any StorageTransaction) throws -> Int64 {
        let sealer = try store.personSealer()
        if let existing = try tx.personID(identityIndex: try sealer.index(person.idNumber)) {
            let open = try tx.placements(of: existing).contains { interval in
                interval.status.occupiesSlot && (interval.until.map { $0 > person.hire.effectiveOn } ?? true)
            }
            guard !open else {
                throw RuleRefusal.refused(
                    "The person is already in post at this node (file number \(existing)); the transfer is refused and nothing was imported.",
                    zh: "该人员已在本节点在职（档案号 \(existing)）；调动不予接受，未导入任何内容。"
                )
            }
            return existing
        }
        let (id, problems) = try batch.fileWithoutPlacement(person)
        if let first = problems.first { throw first.error }
        guard let id else { throw RuleRefusal.refused("The person could not be filed.", zh: "该人员无法建档。") }
        return id
    }

    private func importAnswer(_ path: String, sha256 fileSHA256: String) async throws -> ExchangeImport {
        let agency = try await requireAgency()
        let trusted = try await trustAnchors()
        let read: (answer: ExchangeAnswer, report: VerificationReport)
        do {
            read = try AnswerPackage.read(path: path, trusted: trusted)
        } catch let error as ExchangeError {
            throw ServiceError(.refused, error.description + " Nothing was imported.", zh: "答复未通过交换规则的检查。未导入任何内容。")
        }
        guard read.report.passed else { throw refusal(read.report) }
        let answer = read.answer
        guard answer.receiver == agency.code else {
            throw ServiceError(
                .refused,
                "The \(answer.kind.rawValue) is addressed to agency \(answer.receiver), and this node speaks for \(agency.code); nothing was imported.",
                zh:
                    "该\(answer.kind.chineseName)发往机关 \(answer.receiver)，而本节点代表 \(agency.code)；未导入任何内容。"
            )
        }
        guard try await keySpeaks(for: answer.sender.code, keyID: read.report.keyID, signer: read.report.signer) else {
            throw ServiceError(
                .refused,
                "The \(answer.kind.rawValue) is signed by key \(read.report.keyID ?? "?"), which this node does not trust to speak for \(answer.sender.code); nothing was imported.",
                zh:
                    "该\(answer.kind.chineseName)由密钥 \(read.report.keyID ?? "?") 签名，本节点不信任该密钥代表 \(answer.sender.code)；未导入任何内容。"
            )
        }
        let kind: IncomingKind = answer.kind == .receipt ? .receipt : .refusal
        let answerBytes = try mapErrorsSync { try AnswerPackage.encode(answer) }
        let outcome = try await mapErrors {
            try await store.write { tx -> (person: Int64, cancel: Int64?, at: String) in
                try tx.requireUser(actor.name)
                guard let transfer = try tx.outgoingTransfer(nonce: answer.transferNonce),
                    transfer.sent.toAgency == answer.sender.code, transfer.sent.slipNumber == answer.slipNumber
                else {
                    throw RuleRefusal.refused(
                        "The \(answer.kind.rawValue) answers no transfer this node sent to \(answer.sender.code) (slip \(answer.slipNumber)); nothing was imported.",
                        zh:
                            "该\(answer.kind.chineseName)没有对应本节点发往 \(answer.sender.code) 的调动（转递单号 \(answer.slipNumber)）；未导入任何内容。"
                    )
                }
                guard try !tx.nonceSeen(answer.nonce) else {
                    throw RuleRefusal.refused(
                        "An answer with this nonce was imported before: this one is a replay and is refused.",
                        zh: "此前已导入过带有同一随机数的答复：本答复属于重放，不予接受。"
                    )
                }
                guard transfer.state == .awaiting else {
                    throw RuleRefusal.refused(
                        "Transfer \(transfer.sent.slipNumber) was already answered (\(transfer.state.rawValue)) on \(transfer.answeredOn?.description ?? "?"); nothing was imported.",
                        zh:
                            "调动 \(transfer.sent.slipNumber) 已于 \(transfer.answeredOn?.description ?? "?") 答复（\(transfer.state.rawValue)）；未导入任何内容。"
                    )
                }
                let answerID = try tx.insertIncomingPackage(
                    NewIncomingPackage(
                        kind: kind,
                        fileSHA256: fileSHA256,
                        nonce: answer.nonce,
                        fromAgency: answer.sender.code,
                        slipNumber: answer.slipNumber,
                        keyID: read.report.keyID ?? "",
                        envelope: answerBytes,
                        personID: nil,
                        draftID: nil
                    ),
                    by: actor.name
                )
                var cancel: Int64?
                if kind == .refusal {
                    // The file came back: the transfer-out is to be cancelled, by an approver.
                    guard let draft = try tx.draft(transfer.sent.draftID), let actionID = draft.actionID else {
                        throw RuleRefusal.refused(
                            "The transfer-out \(transfer.sent.draftID) is no longer on file.",
                            zh: "调出 \(transfer.sent.draftID) 已不在档。"
                        )
                    }
                    cancel = try writeDraft(
                        ActionDraftInput(
                            personID: transfer.sent.personID,
                            kind: .cancel,
                            effectiveOn: draft.effectiveOn,
                            targetActionID: actionID,
                            note: "退回: \(answer.slipNumber), \(answer.sender.name): \(answer.reason ?? "")"
                        ),
                        in: tx
                    )
                }
                try tx.answerOutgoingTransfer(
                    transfer.id,
                    state: kind == .receipt ? .received : .refused,
                    answerID: answerID,
                    on: answer.answeredOn,
                    cancelDraftID: cancel
                )
                try audit(
                    tx,
                    action: "exchange.\(kind.rawValue)",
                    subject: "person:\(transfer.sent.personID)",
                    details: [
                        "slip": answer.slipNumber, "from": answer.sender.code.value,
                        "draft": String(transfer.sent.draftID),
                        "cancel_draft": cancel.map(String.init) ?? "", "file_sha256": fileSHA256,
                    ]
                )
                return (transfer.sent.personID, cancel, tx.recordedAt)
            }
        }
        return ExchangeImport(
            kind: kind,
            person: outcome.person,
            draft: outcome.cancel,
            status: .imported,
            importedAt: outcome.at,
            slipNumber: answer.slipNumber,
            from: answer.sender.code
        )
    }

    // MARK: Answering

    /// Writes the signed receipt (回执) for a transfer-in that came in a transfer package and
    /// was approved: `draft` is the transfer-in's draft number. Writing it again gives the same
    /// file.
    @discardableResult
    public func writeReceipt(draft id: Int64, out: String) async throws -> WrittenAnswer {
        try require(.writePeople)
        let (incoming, draft) = try await receivedTransfer(draft: id)
        guard draft.state == .approved, let actionID = draft.actionID else {
            throw ServiceError(
                .refused,
                "The transfer-in \(id) is \(draft.state == .draft ? "not approved yet" : "rejected"); a receipt is sent once the person is placed.",
                zh: "调入 \(id) \(draft.state == .draft ? "尚未批准" : "已被退回")；人员安置后才发出回执。"
            )
        }
        return try await answer(incoming, kind: .receipt, action: actionID, reason: nil, out: out)
    }

    /// Returns a transfer received (incomplete or wrong material): writes a signed refusal and
    /// rejects the transfer-in draft (`draft` is its number), which must still be waiting and
    /// was drafted by someone else (the person who decides on drafts returns the file). The
    /// record, its documents and history stay.
    @discardableResult
    public func refuseTransfer(draft id: Int64, reason: String, out: String) async throws -> WrittenAnswer {
        try require(.approveActions)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        let (incoming, draft) = try await receivedTransfer(draft: id)
        if incoming.answerKind == nil {
            guard draft.state == .draft else {
                throw ServiceError(
                    .refused,
                    "The transfer-in \(id) was already \(draft.state.rawValue); a placed person is not returned by a refusal.",
                    zh: "调入 \(id) 已经\(draft.state.chineseVerb)；已安置的人员不能以退回通知退回。"
                )
            }
            guard draft.draftedBy != actor.name else {
                throw ServiceError(
                    .refused,
                    "The transfer-in \(id) was drafted by \(actor.name); another person must return the transfer.",
                    zh: "调入 \(id) 由 \(actor.name) 起草；须由另一人退回该调动。"
                )
            }
        }
        return try await answer(incoming, kind: .refusal, action: nil, reason: reason, out: out)
    }

    private func receivedTransfer(draft id: Int64) async throws -> (IncomingPackage, ActionDraft) {
        guard let draft = try await mapErrors({ try await store.draft(id) }) else {
            throw ServiceError(.notFound, "There is no draft \(id).", zh: "没有编号为 \(id) 的草稿。")
        }
        try await requireWithinReach(personID: draft.personID, as: writingRole == .admin ? .admin : actor.role)
        let incoming = try await mapErrors { try await store.incomingTransfer(draftID: id) }
        guard let incoming else {
            throw ServiceError(
                .invalid,
                "Draft \(id) is not a transfer-in that came in a transfer package.",
                zh: "草稿 \(id) 不是随调动包接收的调入。"
            )
        }
        return (incoming, draft)
    }

    private func answer(
        _ incoming: IncomingPackage,
        kind: IncomingKind,
        action: Int64?,
        reason: String?,
        out: String
    ) async throws -> WrittenAnswer {
        let agency = try await requireAgency()
        let key = try activeSigningKey()
        if let earlier = incoming.answerKind, earlier != kind {
            throw ServiceError(
                .refused,
                "This transfer was already answered with a \(earlier.rawValue).",
                zh: "该调动已经以\(earlier.chineseName)答复过。"
            )
        }
        let answer: ExchangeAnswer
        if let bytes = incoming.answerEnvelope {
            answer = try mapErrorsSync { try AnswerPackage.decode(bytes) }
        } else {
            answer = ExchangeAnswer(
                kind: kind == .receipt ? .receipt : .refusal,
                nonce: Hex.encode(SecureRandom.bytes(16)),
                createdOn: today,
                sender: agency,
                receiver: incoming.received.fromAgency,
                slipNumber: incoming.received.slipNumber,
                transferNonce: incoming.received.nonce,
                packageSHA256: incoming.received.fileSHA256,
                answeredBy: actor.name,
                answeredOn: today,
                receiverAction: action,
                reason: reason
            )
        }
        let temporary = out + ".partial-\(getpid())"
        let summary: PackSummary
        do {
            summary = try await AnswerPackage.write(
                answer,
                signer: key,
                certificates: try nodeCertificateChain(),
                to: temporary,
                storedSignature: incoming.answerSignature
            )
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(
                .refused,
                "The \(kind.rawValue) could not be written.",
                zh: "\(kind.chineseName)无法写出。",
                cause: "\(error)"
            )
        }
        if incoming.answerKind == nil {
            do {
                try await mapErrors {
                    try await store.write { tx in
                        try tx.requireUser(actor.name)
                        if kind == .refusal, let draftID = incoming.received.draftID {
                            try tx.markRejected(draftID, by: actor.name, reason: "退回: \(reason ?? "")")
                        }
                        try tx.recordAnswer(
                            toIncoming: incoming.id,
                            kind: kind,
                            answer: try AnswerPackage.encode(answer),
                            signature: summary.signature,
                            by: actor.name
                        )
                        try audit(
                            tx,
                            action: "exchange.\(kind == .receipt ? "receipt" : "refuse")",
                            subject: "person:\(incoming.received.personID ?? 0)",
                            details: [
                                "slip": incoming.received.slipNumber, "to": incoming.received.fromAgency.value,
                                "draft": incoming.received.draftID.map(String.init) ?? "",
                            ]
                        )
                    }
                }
            } catch {
                try? FileManager.default.removeItem(atPath: temporary)
                throw error
            }
        }
        if FileManager.default.fileExists(atPath: out) { try? FileManager.default.removeItem(atPath: out) }
        guard rename(temporary, out) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ServiceError(
                .setup,
                "Cannot move the \(kind.rawValue) to \(out).",
                zh: "无法将\(kind.chineseName)移至 \(out)。"
            )
        }
        return WrittenAnswer(kind: kind, slipNumber: answer.slipNumber, to: answer.receiver)
    }
}

/// Stages a package's documents in the blob store's tmp/ folder as the package is verified,
/// and keeps `data/record.json` in memory.
private final class StagingSink: PayloadSink {
    struct Staged {
        var incoming: BlobStore.Incoming
        var sha256: String
        var sm3: String
        var head: [UInt8]
    }

    private let blobs: BlobStore
    private let maxBytes: Int64
    private var current: BlobStore.Incoming?
    private var recordBytes: [UInt8]?
    private(set) var staged: [Staged] = []
    private(set) var record: [UInt8] = []

    init(blobs: BlobStore, maxBytes: Int64) {
        self.blobs = blobs
        self.maxBytes = maxBytes
    }

    func begin(path: String, size: Int64) throws {
        if path == "data/record.json" {
            guard size <= 64 << 20 else {
                throw ServiceError(.refused, "data/record.json is larger than 64 MB.", zh: "data/record.json 超过 64 MB。")
            }
            recordBytes = []
        } else if path.hasPrefix("data/documents/") {
            guard size <= maxBytes else {
                throw ServiceError(
                    .refused,
                    "\(path) is larger than this node accepts for a document.",
                    zh: "\(path) 超过本节点接受的材料大小。"
                )
            }
            current = try blobs.receive()
        } else {
            throw ServiceError(.refused, "\(path) is not part of a person's file.", zh: "\(path) 不属于人员档案。")
        }
    }

    func write(_ chunk: UnsafeRawBufferPointer) throws {
        if recordBytes != nil { recordBytes?.append(contentsOf: chunk) } else { try current?.write(chunk) }
    }

    func end(path: String, sha256: String, sm3: String) throws {
        if let bytes = recordBytes {
            record = bytes
            recordBytes = nil
        } else if let incoming = current {
            staged.append(Staged(incoming: incoming, sha256: sha256, sm3: sm3, head: incoming.head))
            current = nil
        }
    }
}
