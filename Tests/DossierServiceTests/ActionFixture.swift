import DossierCore
import DossierService
import DossierTestSupport
import Testing

extension ServiceFixture {
    /// Adds a user with `role` limited to `org` and everything under it; returns the node acting as them.
    func scoped(_ name: String, role: Role, to org: CreditCode) async throws -> Dossier {
        try await acting(as: name, role: role, reach: .organization(org))
    }

    /// Files someone (as the administrator) and returns their file number: by default 在职 at
    /// 一级科员 in the finance department's administrative establishment from 2024-01-05.
    func hire(
        _ sequence: Int,
        rank: String = "一级科员",
        org: CreditCode = ServiceFixture.finance,
        category: String = "admin",
        status: String = "在职",
        hiredOn: String = "2024-01-05"
    ) async throws -> Int64 {
        var input = personInput(sequence, org: org, category: category)
        input.rank = rank
        input.status = status
        input.hiredOn = hiredOn
        return try await dossier.addPerson(input, today: today)
    }

    /// Runs an approval that must be refused with `kind`: the node, drafts included, is exactly as
    /// before and the draft is still waiting. Returns the error.
    @discardableResult
    func refusedApproval(
        of draft: Int64,
        by checker: Dossier,
        kind: ServiceError.Kind = .refused,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ServiceError? {
        try await refused(kind: kind, sourceLocation: sourceLocation) { _ = try await checker.approve(draft: draft) }
    }

    /// Runs `body`, which must throw a `ServiceError` of `kind`, and checks that the node, drafts
    /// included, did not change. Returns the error.
    @discardableResult
    func refused(
        kind: ServiceError.Kind,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async throws -> ServiceError? {
        let before = try await ActionSnapshot(self)
        let error = await #expect(throws: ServiceError.self, sourceLocation: sourceLocation) { try await body() }
        #expect(error?.kind == kind, "\(String(describing: error))", sourceLocation: sourceLocation)
        let changed = try await ActionSnapshot(self).differences(from: before)
        #expect(changed.isEmpty, "a refused request changed the node", sourceLocation: sourceLocation)
        return error
    }

    /// Occupancy of one quota as of `date` (0 when the headcount does not list it).
    func occupied(_ org: CreditCode, _ subject: Headcount.Subject, on date: CivilDate) async throws -> Int {
        try await occupancy(org, subject, on: date)?.occupied ?? 0
    }
}

/// Drafts `input` as `maker` and has `checker` approve it; returns the recorded action numbers.
@discardableResult
func drafted(_ input: ActionDraftInput, by maker: Dossier, approvedBy checker: Dossier) async throws -> [Int64] {
    let draft = try await maker.draftAction(input)
    return try await checker.approve(draft: draft).actionIDs
}

/// A transfer of `person` into `org` (调出 here, 调入 there) from `date`.
func transfer(
    _ person: Int64,
    to org: CreditCode,
    category: EstablishmentCategory,
    on date: String
) -> ActionDraftInput {
    ActionDraftInput(personID: person, kind: .transferIn, effectiveOn: day(date), orgCode: org, category: category)
}

/// An action that states nothing but its kind and date (an exit, 转正, 停薪留职 …).
func plain(_ kind: ActionKind, _ person: Int64, on date: String) -> ActionDraftInput {
    ActionDraftInput(personID: person, kind: kind, effectiveOn: day(date))
}

/// Everything `ServiceSnapshot` holds, plus every draft, the users, the placements on more dates
/// and what the storage's own check finds, to compare before and after a refused write.
struct ActionSnapshot: Equatable {
    static let dates = [
        "1900-01-01", "2023-12-31", "2024-01-01", "2024-02-01", "2024-03-01", "2024-05-31",
        "2024-06-01", "2024-06-30", "2024-07-01", "2024-12-31", "2025-01-01", "2025-02-28", "2025-03-01", "2025-05-31",
        "2025-06-30",
        "2025-07-01", "2025-08-31", "2025-09-01", "2025-12-01", "2027-01-01", "2027-03-01",
    ]

    var node: ServiceSnapshot
    var drafts: [ActionDraft]
    var headcounts: [[Headcount]]
    var people: [[PersonView]]
    var users: [User]
    var storageProblems: [String]

    init(_ fixture: ServiceFixture) async throws {
        let dossier = fixture.dossier
        node = try await ServiceSnapshot(dossier)
        drafts = try await dossier.drafts(state: nil, limit: 1_000_000)
        headcounts = try await Self.dates.asyncMap { try await dossier.headcount(on: day($0)) }
        people = try await Self.dates.asyncMap { try await dossier.people(on: day($0), limit: 1_000_000) }
        users = try await dossier.users()
        storageProblems = try await dossier.storageProblems()
    }

    /// The names of the parts that differ, so a failure says what changed without printing it all.
    func differences(from other: ActionSnapshot) -> [String] {
        var names: [String] = []
        if node.organizations != other.node.organizations { names.append("organizations") }
        if node.quotaHistories != other.node.quotaHistories { names.append("quota history") }
        if node.headcounts != other.node.headcounts || headcounts != other.headcounts { names.append("headcount") }
        if node.people != other.node.people || people != other.people { names.append("people") }
        if node.timelines != other.node.timelines { names.append("timelines") }
        if node.audit != other.node.audit { names.append("audit entries") }
        if node.auditIntact != other.node.auditIntact { names.append("audit verification") }
        if node.peopleOnFile != other.node.peopleOnFile { names.append("people on file") }
        if drafts != other.drafts { names.append("drafts") }
        if users != other.users { names.append("users") }
        if storageProblems != other.storageProblems { names.append("storage problems") }
        return names
    }
}
