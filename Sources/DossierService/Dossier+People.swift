public import DossierCore
import DossierStorage
import Logging

/// A person as shown to the acting user: identity and phone numbers masked unless revealed.
public struct PersonView: Sendable, Hashable {
    public var id: Int64
    public var name: String
    /// Masked (the first 6, then 12 stars) unless the user may and asked to reveal it.
    public var idNumber: String
    public var sex: Sex
    public var birthDate: CivilDate
    public var ethnicity: Ethnicity
    public var education: Education
    public var politicalStatus: PoliticalStatus
    public var phone: String?
    public var org: CreditCode?
    public var orgName: String?
    public var category: EstablishmentCategory?
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus?
    public var since: CivilDate?

    init(_ record: PersonRecord, reveal: Bool) {
        id = record.id
        name = record.name
        idNumber = reveal ? record.idNumber.value : record.idNumber.masked
        sex = record.sex
        birthDate = record.birthDate
        ethnicity = record.ethnicity
        education = record.education
        politicalStatus = record.politicalStatus
        phone = record.phone.map { reveal ? $0 : PersonInput.maskPhone($0) }
        org = record.placement?.orgCode
        orgName = record.placement?.orgName
        category = record.placement?.category
        rank = record.placement?.rank
        post = record.placement?.post
        status = record.placement?.status
        since = record.placement?.since
    }
}

extension Dossier {
    /// The organisations the acting user may read in (nil: the whole node): every organisation
    /// under their grants. Reads outside it answer "not found", so existence does not leak.
    func readableScope() async throws -> Set<Int64>? {
        if let principal, principal.user == actor { return principal.readable }
        return try await mapErrors { try await store.readableOrganizations(of: actor) }
    }

    /// Throws "not found" unless the person belongs to an organisation the user may read in.
    func requireReadable(personID: Int64) async throws {
        guard let scope = try await readableScope() else { return }
        guard try await mapErrors({ try await store.person(personID, isWithin: scope, today: today) }) else {
            throw ServiceError(
                .notFound,
                "No person with file number \(personID) is on file.",
                zh: "档案号为 \(personID) 的人员不在档。"
            )
        }
    }

    /// Throws unless the acting user may file people in `org` (their grants, for a user limited
    /// to some organisations).
    func requireMayFile(in org: CreditCode) async throws {
        guard try await mapErrors({ try await store.mayAct(user: actor, as: actor.role, on: org) }) else {
            throw ServiceError(
                .notFound,
                "There is nothing of that kind within your organisations.",
                zh: "您所管辖的机构中没有这项内容。"
            )
        }
    }

    private func revealing(_ reveal: Bool) throws -> Bool {
        if reveal { try require(.revealIdentity) }
        return reveal
    }

    /// Throws unless the acting user may see this person's full numbers: a role that may reveal,
    /// and the person within reach of a grant of that role. A grant of another role (a viewer's
    /// grant held by an officer) lets them read the file, masked, and no more.
    private func requireRevealable(personID: Int64) async throws {
        do { try await requireWithinReach(personID: personID, as: actor.role) } catch {
            throw ServiceError(
                .forbidden,
                "User '\(actor.name)' may see full identity numbers only of people within their grants as \(actor.role.rawValue).",
                zh: "用户“\(actor.name)”作为 \(actor.role.rawValue) 只能查看其授权范围内人员的完整公民身份号码。"
            )
        }
    }

    /// Files a new person and hires them; returns their file number. `today` (nil: the node's)
    /// is the reference for birth dates in the future.
    public func addPerson(_ input: PersonInput, today: CivilDate? = nil) async throws -> Int64 {
        try require(.writePeople)
        let today = today ?? self.today
        switch input.validated(today: today, ladder: policies.rankLadder) {
        case .failure(let problems):
            throw ServiceError(
                .invalid,
                "The record is not valid: \(problems.description)",
                zh: "人员记录不符合要求（共 \(problems.all.count) 处），请逐项核对后重新提交。"
            )
        case .success(let person):
            try await requireMayFile(in: person.hire.orgCode)
            let id = try await mapErrors { try await hire(person) }
            logger.info("person filed", metadata: ["person.id": "\(id)"])
            return id
        }
    }

    /// Files a new person without placing them and drafts their hire for a second person's
    /// approval (maker-checker). Returns the file number and the draft number.
    public func addPersonForApproval(
        _ input: PersonInput,
        today: CivilDate? = nil
    ) async throws -> (
        personID: Int64, draftID: Int64
    ) {
        try require(.draftActions)
        let today = today ?? self.today
        switch input.validated(today: today, ladder: policies.rankLadder) {
        case .failure(let problems):
            throw ServiceError(
                .invalid,
                "The record is not valid: \(problems.description)",
                zh: "人员记录不符合要求（共 \(problems.all.count) 处），请逐项核对后重新提交。"
            )
        case .success(let person):
            try await requireMayFile(in: person.hire.orgCode)
            return try await mapErrors {
                try await withHireBatch { batch in
                    let (id, problems) = try batch.fileWithoutPlacement(person)
                    if let first = problems.first { throw first.error }
                    let personID = id!
                    let draft = try batch.draftHire(personID, person.hire)
                    return (
                        (personID, draft),
                        (
                            "person.file", "person:\(personID)",
                            ["draft": String(draft), "org": person.hire.orgCode.value]
                        )
                    )
                }
            }
        }
    }

    /// Hires again someone whose last placement ended.
    public func rehire(personID: Int64, terms: HireTerms) async throws {
        try require(.applyDirectly)
        guard terms.status == .probation || terms.status == .active else {
            throw ServiceError(.invalid, "A hire starts as 试用 (probation) or 在职 (active).", zh: "录用的起始状态应为试用或在职。")
        }
        var terms = terms
        terms.rank = try readRank(terms.rank, on: terms.effectiveOn)
        try await mapErrors { try await recordRehire(personID: personID, terms: terms) }
    }

    /// Records a rehire (再入职) through the one writer of placements, in one transaction.
    func recordRehire(personID: Int64, terms: HireTerms) async throws {
        guard terms.status == .probation || terms.status == .active else {
            throw RuleRefusal.notAHireStatus(terms.status)
        }
        try await store.write { tx in
            try tx.requireUser(actor.name)
            let current = try currentPlacement(personID, in: tx)
            guard !current.status.occupiesSlot else { throw RuleRefusal.stillInPost(personID, current.status) }
            guard terms.effectiveOn >= current.from else { throw RuleRefusal.dateBeforeLastAction(current.from) }
            let action = ActionDraftInput(personID: personID, kind: .rehire, terms: terms)
            var writer = TimelineWriter(tx, policies: policies)
            _ = try writer.apply(action, by: actor.name)
            try audit(
                tx,
                action: "person.rehire",
                subject: "person:\(personID)",
                details: [
                    "org": terms.orgCode.value, "category": terms.category.code,
                    "effective_on": terms.effectiveOn.description,
                ]
            )
        }
    }

    /// The person's latest placement; refused when they are not on file or were never placed.
    private func currentPlacement(_ personID: Int64, in tx: any StorageTransaction) throws -> TimelineFold.Interval {
        guard try tx.personExists(personID) else { throw RuleRefusal.unknownPerson(personID) }
        guard let current = try tx.placements(of: personID).last(where: { $0.until == nil }) else {
            throw RuleRefusal.notPlaced(personID)
        }
        return current
    }

    /// Records an exit (调出, 辞职, 退休) that frees the slot from `date`.
    public func exit(personID: Int64, kind: ActionKind, on date: CivilDate) async throws {
        try require(.applyDirectly)
        guard kind.exitStatus != nil else {
            throw ServiceError(
                .invalid,
                "Choose an exit: transfer-out (调出), resign (辞职), retire (退休), dismiss (辞退) or expel (开除).",
                zh: "请选择离职方式：调出、辞职、退休、辞退或开除。"
            )
        }
        try await mapErrors { try await recordExit(personID: personID, kind: kind, on: date) }
    }

    /// Records an exit through the one writer of placements: the status machine decides whether
    /// it may follow the person's status; the slot and any leadership post are free from `date`.
    func recordExit(personID: Int64, kind: ActionKind, on date: CivilDate) async throws {
        guard kind.exitStatus != nil else {
            throw RuleRefusal.refused("\(kind.chineseName) is not an exit.", zh: "\(kind.chineseName)不是离职类人事行为。")
        }
        try await store.write { tx in
            try tx.requireUser(actor.name)
            let current = try currentPlacement(personID, in: tx)
            guard current.status.occupiesSlot else { throw RuleRefusal.alreadyLeft(personID, current.status) }
            guard date >= current.from else { throw RuleRefusal.dateBeforeLastAction(current.from) }
            var writer = TimelineWriter(tx, policies: policies)
            _ = try writer.apply(ActionDraftInput(personID: personID, kind: kind, effectiveOn: date), by: actor.name)
            let org = try tx.organization(id: current.org)
            try audit(
                tx,
                action: "person.exit",
                subject: "person:\(personID)",
                details: ["kind": kind.rawValue, "effective_on": date.description, "org": org?.code ?? ""]
            )
        }
    }

    /// One person's file as of `date` (nil: the node's today).
    public func person(_ id: Int64, on date: CivilDate? = nil, reveal: Bool = false) async throws -> PersonView {
        try require(.readPeople)
        let date = date ?? today
        let reveal = try revealing(reveal)
        guard let record = try await mapErrors({ try await store.person(id, on: date) }) else {
            throw ServiceError(.notFound, "No person with file number \(id) is on file.", zh: "档案号为 \(id) 的人员不在档。")
        }
        try await requireReadable(personID: id)
        if reveal {
            try await requireRevealable(personID: id)
            try await recordReveal(personIDs: [id])
        }
        return PersonView(record, reveal: reveal)
    }

    /// Finds the person with this identity number, or throws not found.
    public func findPerson(
        idNumber text: String,
        on date: CivilDate? = nil,
        reveal: Bool = false
    ) async throws
        -> PersonView
    {
        try require(.readPeople)
        let date = date ?? today
        let reveal = try revealing(reveal)
        let id: ResidentID
        do { id = try ResidentID(text) } catch {
            throw ServiceError(.invalid, error.description, zh: error.chineseDescription)
        }
        let notFound = ServiceError(
            .notFound,
            "No person with identity number \(id.masked) is on file.",
            zh: "没有公民身份号码为该号码的人员在档。"
        )
        guard let record = try await mapErrors({ try await store.findPerson(idNumber: id, on: date) }) else {
            throw notFound
        }
        do { try await requireReadable(personID: record.id) } catch { throw notFound }
        if reveal {
            try await requireRevealable(personID: record.id)
            try await recordReveal(personIDs: [record.id])
        }
        return PersonView(record, reveal: reveal)
    }

    /// People as of `date` (nil: the node's today), by file number, a page at a time.
    public func people(
        on date: CivilDate? = nil,
        org: CreditCode? = nil,
        subtree: Bool = false,
        after: Int64 = 0,
        limit: Int = 100,
        reveal: Bool = false
    ) async throws -> [PersonView] {
        try require(.readPeople)
        let date = date ?? today
        let reveal = try revealing(reveal)
        let scope = try await readableScope()
        let records = try await mapErrors {
            try await store.people(
                on: date,
                org: org,
                subtree: subtree,
                within: scope,
                today: today,
                after: after,
                limit: limit
            )
        }
        guard reveal else { return records.map { PersonView($0, reveal: false) } }
        // Full numbers only for the people placed, on that date, under a grant of the role that
        // may reveal; the others on the page (read through a grant of another role) stay masked.
        let revealable = try await mapErrors { try await store.actableOrganizations(of: actor, as: actor.role) }
        let shown = records.map { record in
            (record, revealable.map { codes in record.placement.map { codes.contains($0.orgCode) } ?? false } ?? true)
        }
        try await recordReveal(personIDs: shown.filter(\.1).map(\.0.id))
        return shown.map { PersonView($0.0, reveal: $0.1) }
    }

    /// How many people `people` lists for the same question, in all (for "100 of 3,214 shown").
    public func peopleCount(
        on date: CivilDate? = nil,
        org: CreditCode? = nil,
        subtree: Bool = false
    ) async throws -> Int {
        try require(.readPeople)
        let scope = try await readableScope()
        return try await mapErrors {
            try await store.peopleCount(on: date ?? today, org: org, subtree: subtree, within: scope, today: today)
        }
    }

    /// A person's timeline, oldest first.
    public func timeline(personID: Int64) async throws -> [TimelineEntry] {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        // A phone number a change of details states is shown masked, as on the person's file.
        return try await mapErrors { try await store.timeline(personID: personID) }.map { entry in
            var entry = entry
            entry.details = entry.details.map(PersonInput.masked)
            return entry
        }
    }
}
