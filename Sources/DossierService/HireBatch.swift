public import DossierCore
public import DossierStorage

/// One problem that stops a hire, tied to the input column it concerns.
public struct HireProblem: Sendable, Hashable, CustomStringConvertible {
    /// The input column the problem concerns (`org_code`, `id_number`, `category`, `post`, `rank`, `status`).
    public var column: String
    /// The underlying refusal.
    public var error: RuleRefusal

    public var description: String { error.description }
}

/// Hires inside one open write transaction: a single hire, every row of a bulk import and demo
/// data all come through here, so all three obey exactly the same checks — and the same ones as
/// an approved hire: the hire is folded under the status machine in force on its date, written
/// as the same action and placement rows (`TimelineWriter`'s), and checked against each quota
/// with `QuotaTimeline.firstBreach`.
///
/// Keeps per-batch caches — organisations, quota timelines (which count the hires already made
/// in this batch) — so a million hires stay fast. Lives only as long as the transaction; not
/// shareable.
public final class HireBatch {
    private let tx: any StorageTransaction
    private let filing: any PersonFiling
    /// The status machine and rank quotas, asked at each hire's date. Rank quotas are enforced
    /// where the policy refuses; where it only warns, bulk hires are not held up (approvals
    /// report the warnings).
    private let policies: PolicySet
    private let author: AuditAuthor
    private var actor: String { author.name }
    private var organizations: [CreditCode: (id: Int64, name: String)?] = [:]
    private var timelines: [QuotaSlot: QuotaTimeline] = [:]
    /// Blind indexes of identity numbers in rows that were not filed (see `rejected`).
    private var rejectedIndexes: Set<[UInt8]> = []
    /// Number of people hired so far in this batch.
    public private(set) var hired = 0
    /// First and last person id hired in this batch.
    public private(set) var firstPersonID: Int64?
    public private(set) var lastPersonID: Int64?

    init(_ tx: any StorageTransaction, author: AuditAuthor, policies: PolicySet) throws {
        try tx.requireUser(author.name)
        self.tx = tx
        self.filing = try tx.personFiling()
        self.author = author
        self.policies = policies
    }

    /// Checks and, if nothing is wrong, files the person with their hire. Returns the problems
    /// found (empty when the person was filed). `personID` receives the new file number.
    @discardableResult
    public func hire(_ person: NewPerson, sealed: SealedPerson? = nil, personID: inout Int64?) throws -> [HireProblem] {
        personID = nil
        let sealed = try sealed ?? filing.seal(person)
        let terms = person.hire
        guard terms.status.occupiesSlot else {
            return try rejected(
                [HireProblem(column: "status", error: .notAHireStatus(terms.status))],
                index: sealed.index
            )
        }
        guard let org = try organization(terms.orgCode) else {
            return try rejected(
                [HireProblem(column: "org_code", error: .unknownOrganization(terms.orgCode))],
                index: sealed.index
            )
        }
        if rejectedIndexes.contains(sealed.index) {
            return [
                HireProblem(
                    column: "id_number",
                    error: .refused(Self.earlierRowMessage, zh: Self.earlierRowChineseMessage)
                )
            ]
        }
        let action = TimelineFold.Action(
            id: 0,
            kind: .hire,
            effectiveOn: terms.effectiveOn,
            org: org.id,
            category: terms.category,
            rank: terms.rank,
            post: terms.post,
            status: terms.status
        )
        let interval: TimelineFold.Interval
        do {
            interval = try TimelineWriter.fold([action], policies: policies)[0]
        } catch let error as RuleRefusal {
            return try rejected([HireProblem(column: "status", error: error)], index: sealed.index)
        }
        let rankQuotas = policies.rankQuotas.at(interval.from)
        let enforcedBands = rankQuotas.enforcement(for: terms.orgCode) == .refuse ? rankQuotas : nil
        let slots = QuotaSlot.slots(
            org: org.id,
            category: interval.category,
            post: interval.post,
            rank: interval.rank,
            rankQuotas: enforcedBands
        )
        var problems: [HireProblem] = []
        for slot in slots {
            guard let breach = try timeline(slot).firstBreach(adding: interval.from) else {
                continue
            }
            problems.append(
                HireProblem(
                    column: Self.column(of: slot),
                    error: .quota(breach.refusal, orgName: org.name, subject: slot.subject)
                )
            )
        }
        if !problems.isEmpty { return try rejected(problems, index: sealed.index) }
        guard let id = try filing.file(person, sealed: sealed) else {
            return [
                try duplicateProblem(index: sealed.index)
                    ?? HireProblem(column: "id_number", error: .duplicateIdentityNumber)
            ]
        }
        var placed = interval
        placed.actionID = try tx.insertAction(ActionRecord(action, of: id, leadingTo: interval), by: actor)
        try tx.insertPlacement(placed, of: id)
        // A hire holds its slots from its date on (the fold leaves its placement open).
        for slot in slots { timelines[slot]!.add(from: interval.from) }
        hired += 1
        if firstPersonID == nil { firstPersonID = id }
        lastPersonID = id
        personID = id
        return []
    }

    private static func column(of slot: QuotaSlot) -> String {
        switch slot {
        case .category: return "category"
        case .post: return "post"
        case .rankBand: return "rank"
        }
    }

    /// Files a person's record without placing them (their hire waits for approval): checks
    /// the organisation named for the hire exists and the identity number is new.
    func fileWithoutPlacement(_ person: NewPerson) throws -> (id: Int64?, problems: [HireProblem]) {
        let sealed = try filing.seal(person)
        guard try organization(person.hire.orgCode) != nil else {
            return (
                nil,
                try rejected(
                    [HireProblem(column: "org_code", error: .unknownOrganization(person.hire.orgCode))],
                    index: sealed.index
                )
            )
        }
        guard let id = try filing.file(person, sealed: sealed) else {
            return (
                nil,
                [
                    try duplicateProblem(index: sealed.index)
                        ?? HireProblem(column: "id_number", error: .duplicateIdentityNumber)
                ]
            )
        }
        return (id, [])
    }

    /// Drafts the hire of someone just filed without placement, for a second person's approval.
    func draftHire(_ personID: Int64, _ terms: HireTerms) throws -> Int64 {
        let input = ActionDraftInput(personID: personID, kind: .hire, terms: terms)
        let id = try tx.insertDraft(input, orgID: try organization(terms.orgCode)?.id, by: actor)
        try author.append(
            to: tx,
            action: "action.draft",
            subject: "draft:\(id)",
            details: [
                "person": String(personID), "kind": ActionKind.hire.rawValue,
                "effective_on": terms.effectiveOn.description,
            ]
        )
        return id
    }

    static let earlierRowMessage = "The same identity number appears in an earlier row of this input."
    static let earlierRowChineseMessage = "同一公民身份号码已出现在本次输入的前面一行。"

    /// Records that a row was not filed, and adds the duplicate problem if its identity number
    /// is already on file or in an earlier row. Rejected rows' indexes are remembered (only
    /// those, so memory grows with the problems reported, not with the file) so a later row
    /// with the same number is reported too.
    private func rejected(_ problems: [HireProblem], index: [UInt8]) throws -> [HireProblem] {
        var problems = problems
        if let duplicate = try duplicateProblem(index: index) { problems.append(duplicate) }
        rejectedIndexes.insert(index)
        return problems
    }

    /// Checks what can be checked of a row whose fields did not all validate: that its
    /// organisation exists and that its identity number is not a duplicate. `index` is the
    /// blind index of its identity number (from `PersonSealer.index`), when that parsed.
    public func checkInvalidRow(orgCode: CreditCode?, index: [UInt8]?) throws -> [HireProblem] {
        var problems: [HireProblem] = []
        if let orgCode, try organization(orgCode) == nil {
            problems.append(HireProblem(column: "org_code", error: .unknownOrganization(orgCode)))
        }
        if let index { problems = try rejected(problems, index: index) }
        return problems
    }

    private func duplicateProblem(index: [UInt8]) throws -> HireProblem? {
        if rejectedIndexes.contains(index) {
            return HireProblem(
                column: "id_number",
                error: .refused(Self.earlierRowMessage, zh: Self.earlierRowChineseMessage)
            )
        }
        switch try filing.holder(ofIndex: index) {
        case nil: return nil
        case .filedInThisTransaction:
            return HireProblem(
                column: "id_number",
                error: .refused(Self.earlierRowMessage, zh: Self.earlierRowChineseMessage)
            )
        case .onFile: return HireProblem(column: "id_number", error: .duplicateIdentityNumber)
        }
    }

    private func organization(_ code: CreditCode) throws -> (id: Int64, name: String)? {
        if let cached = organizations[code] { return cached }
        let found = try tx.organizationID(code).flatMap { id in
            try tx.organization(id: id).map { (id: id, name: $0.name) }
        }
        organizations[code] = found
        return found
    }

    private func timeline(_ slot: QuotaSlot) throws -> QuotaTimeline {
        if let cached = timelines[slot] { return cached }
        let timeline = QuotaTimeline(
            quotas: try tx.quotaHistory(slot),
            occupancy: try tx.occupancy(slot),
            limitsOnlyOnceEstablished: slot.limitsOnlyOnceEstablished
        )
        timelines[slot] = timeline
        return timeline
    }
}

extension Dossier {
    /// Files one person and hires them, in one transaction. Throws the first problem when the
    /// hire is refused (no vacancy, unknown organisation, identity number already on file).
    func hire(_ person: NewPerson) async throws -> Int64 {
        try await withHireBatch { batch in
            var id: Int64?
            let problems = try batch.hire(person, personID: &id)
            if let first = problems.first { throw first.error }
            return (
                id!,
                (
                    "person.add", "person:\(id!)",
                    [
                        "org": person.hire.orgCode.value, "category": person.hire.category.code,
                        "status": person.hire.status.code, "effective_on": person.hire.effectiveOn.description,
                    ]
                )
            )
        }
    }

    /// Runs `body` with a hire batch inside one write transaction, under the node's status
    /// machine and rank quotas. The transaction commits only if `body` returns an audit record
    /// to append; returning nil (problems found, or a dry run) rolls everything back, leaving
    /// the database exactly as it was.
    func withHireBatch<T>(
        bulk: Bool = false,
        _ body: (HireBatch) throws -> (result: T, audit: (action: String, subject: String, details: [String: String])?)
    ) async throws -> T {
        try await store.write(bulk: bulk) { tx in
            let batch = try HireBatch(tx, author: author, policies: policies)
            let outcome = try body(batch)
            guard let entry = outcome.audit else { return .rollBack(outcome.result) }
            try audit(tx, action: entry.action, subject: entry.subject, details: entry.details)
            return .commit(outcome.result)
        }
    }
}
