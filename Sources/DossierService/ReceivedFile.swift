import DossierCore
import Foundation

/// A person's file as it arrived in a transfer package (`data/record.json`, written by the
/// sending node's `ArchiveRecord`), read back into this node's terms: the person's details, the
/// sender's timeline as history received from the sender (with what the sender had received
/// before), and the list of documents. Codes are read with this node's code tables; one it does
/// not know refuses the package by name.
struct ReceivedFile {
    var person: PersonPart
    var history: [ReceivedAction]
    var documents: [DocumentEntry]

    /// A document as the record lists it.
    struct DocumentEntry {
        var archiveClass: ArchiveClass
        var title: String
        var date: CivilDate
        var pages: Int?
        var sha256: String
        var retiredAt: String?
    }

    struct PersonPart: Decodable {
        var name: String
        var idNumber: String
        var ethnicity: String
        var education: String
        var politicalStatus: String
        var phone: String?

        enum CodingKeys: String, CodingKey {
            case name
            case idNumber = "id_number"
            case ethnicity, education
            case politicalStatus = "political_status"
            case phone
        }
    }

    struct TimelinePart: Decodable {
        var actionID: Int64
        var kind: String
        var effectiveOn: String
        var org: String
        var category: String
        var rank: String?
        var post: String?
        var status: String
        var recordedBy: String
        var recordedAt: String
        var targetActionID: Int64?

        enum CodingKeys: String, CodingKey {
            case actionID = "action_id"
            case kind
            case effectiveOn = "effective_on"
            case org, category, rank, post, status
            case recordedBy = "recorded_by"
            case recordedAt = "recorded_at"
            case targetActionID = "target_action_id"
        }
    }

    struct DocumentPart: Decodable {
        var archiveClassCode: String
        var title: String
        var dateText: String
        var pages: Int?
        var sha256: String
        var retiredAt: String?

        enum CodingKeys: String, CodingKey {
            case archiveClassCode = "class"
            case title
            case dateText = "date"
            case pages, sha256
            case retiredAt = "retired_at"
        }
    }

    struct Record: Decodable {
        var profile: String
        var person: PersonPart
        var timeline: [TimelinePart]
        var documents: [DocumentPart]
        var organizations: [String: String]?
        var received: [ReceivedActionJSON]?
    }

    /// Reads `bytes` (the record) sent by `sender`.
    init(_ bytes: [UInt8], from sender: CreditCode) throws {
        let record: Record
        do { record = try JSONDecoder().decode(Record.self, from: Data(bytes)) } catch {
            throw ServiceError(
                .refused,
                "The package's record (data/record.json) is not a person's file Dossier can read; nothing was imported.",
                zh: "数据包的记录（data/record.json）不是 Dossier 能读取的人员档案；未导入任何内容。"
            )
        }
        guard record.profile.hasPrefix("dossier-archive/") else {
            throw ServiceError(
                .refused,
                "The package's record is of an unknown profile '\(record.profile)'.",
                zh: "数据包的记录属于未知的格式“\(record.profile)”。"
            )
        }
        person = record.person
        func unknown(_ what: String, _ value: String) -> ServiceError {
            ServiceError(
                .refused,
                "The package's record has an unknown \(what) '\(value)'; nothing was imported.",
                zh: "数据包的记录含有未知的\(what)“\(value)”；未导入任何内容。"
            )
        }
        // The sender's own timeline, read as the history received from it, with the same code
        // checks as any received action.
        let own = record.timeline.map { entry in
            var stated: StatedFields = [.org, .category, .status]
            if entry.rank != nil { stated.insert(.rank) }
            if entry.post != nil { stated.insert(.post) }
            let orgName = record.organizations?[entry.org].flatMap { $0.isEmpty ? nil : $0 } ?? entry.org
            return ReceivedActionJSON(
                originAgency: sender.value,
                originActionID: entry.actionID,
                kind: entry.kind,
                effectiveOn: entry.effectiveOn,
                org: entry.org,
                orgName: String(orgName.prefix(100)),
                category: entry.category,
                rank: entry.rank,
                post: entry.post,
                status: entry.status,
                stated: stated.text,
                targetOriginActionID: entry.targetActionID,
                recordedAt: entry.recordedAt,
                recordedBy: entry.recordedBy
            )
        }
        let history = try ((record.received ?? []) + own).map { try $0.action() }
        self.history = history
        documents = try record.documents.map { part in
            guard let archiveClass = ArchiveClass(codeOrName: part.archiveClassCode) else {
                throw unknown("archive class", part.archiveClassCode)
            }
            guard let date = CivilDate(iso: part.dateText) else { throw unknown("document date", part.dateText) }
            return DocumentEntry(
                archiveClass: archiveClass,
                title: part.title,
                date: date,
                pages: part.pages,
                sha256: part.sha256,
                retiredAt: part.retiredAt
            )
        }
    }

    /// The person as this node files them, placed as `placement` says (their hire terms are the
    /// transfer-in's; the file is created unplaced, the placement waits for approval).
    func newPerson(placement: TransferPlacement, today: CivilDate, ladder: Dated<RankLadder>) throws -> NewPerson {
        var input = PersonInput()
        input.idNumber = person.idNumber
        input.name = person.name
        input.ethnicity = person.ethnicity
        input.education = person.education
        input.politicalStatus = person.politicalStatus
        input.phone = person.phone ?? ""
        input.orgCode = placement.orgCode.value
        input.category = placement.category.code
        input.rank = placement.rank?.code ?? ""
        input.post = placement.post?.code ?? ""
        input.status = PersonStatus.active.code
        input.hiredOn = placement.effectiveOn.description
        switch input.validated(today: today, ladder: ladder) {
        case .success(let person): return person
        case .failure(let problems):
            throw ServiceError(
                .refused,
                "The person's details in the package are not valid here: \(problems.description) Nothing was imported.",
                zh: "数据包中的人员信息在本节点不符合要求（共 \(problems.all.count) 处）。未导入任何内容。"
            )
        }
    }
}
