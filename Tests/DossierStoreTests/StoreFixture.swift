import DossierCore
import DossierCrypto
import DossierStorage
import Foundation
import Testing

@testable import DossierStore

/// The name of the administrator every test store starts with.
let admin = "admin"

/// A date from its ISO text.
func day(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
    return date
}

/// A fresh in-memory store with one administrator.
func makeStore(keys: FieldKeys = FieldKeys.generate()) throws -> DossierStore {
    let store = try DossierStore.inMemory(keys: keys)
    try store.seedUser(User(name: admin, role: .admin, displayName: "Admin"))
    return store
}

/// A valid credit code for test organisation number `number`.
func orgCode(_ number: Int) -> CreditCode {
    let digits = String(number)
    return CreditCode.make(
        authority: "1",
        entityType: "1",
        divisionCode: "110000",
        organizationCode: String(repeating: "0", count: 9 - digits.count) + digits
    )
}

/// A valid identity number for test person number `number` (0...999), all born 1990-03-07.
func residentID(_ number: Int) -> ResidentID {
    ResidentID.make(addressCode: "110105", birthDate: day("1990-03-07"), sequence: number)
}

/// A real-name record with its hire.
func newPerson(
    _ number: Int,
    org: CreditCode,
    category: EstablishmentCategory = .administrative,
    rank: Rank? = nil,
    post: LeadershipPost? = nil,
    status: PersonStatus = .active,
    on date: String,
    phone: String? = nil
) -> NewPerson {
    NewPerson(
        idNumber: residentID(number),
        name: "Person \(number)",
        ethnicity: Ethnicity(codeOrName: "01")!,
        education: Education(codeOrName: "20")!,
        politicalStatus: PoliticalStatus(codeOrName: "13")!,
        phone: phone,
        hire: HireTerms(
            orgCode: org,
            category: category,
            rank: rank,
            post: post,
            status: status,
            effectiveOn: day(date)
        )
    )
}

/// Adds "Bureau `number`" (unless `name` says otherwise), with an administrative establishment
/// quota from `date` when `approved` is given.
@discardableResult
func addOrganization(
    _ store: DossierStore,
    _ number: Int,
    name: String? = nil,
    approved: Int? = nil,
    from date: String = "2024-01-01"
) throws -> CreditCode {
    let code = orgCode(number)
    try store.seedOrganization(
        NewOrganization(
            code: code,
            name: name ?? "Bureau \(number)",
            kind: .organ,
            level: .county,
            parentCode: nil
        ),
        by: admin
    )
    if let approved {
        try store.seedQuota(org: code, category: .administrative, approved: approved, effectiveOn: day(date), by: admin)
    }
    return code
}

/// Everything the public API can see of a store, to compare before and after a refused write.
struct StoreSnapshot: Equatable {
    static let dates = [
        "1900-01-01", "2023-12-31", "2024-01-01", "2024-02-01", "2024-03-01", "2024-05-31", "2024-06-01",
        "2024-06-30", "2024-07-01", "2025-01-01", "2099-12-31",
    ]

    var users: [User]
    var organizations: [Organization]
    var quotaHistories: [[QuotaChange]]
    var headcounts: [[Headcount]]
    var people: [[PersonRecord]]
    var timelines: [[TimelineEntry]]
    var personCount: Int
    var audit: [AuditEntry]
    var auditHead: AuditEntry?
    var verification: AuditVerification
    var integrity: [String]

    init(_ store: DossierStore) throws {
        users = try store.users()
        organizations = try store.organizations()
        quotaHistories = try organizations.map { try store.quotaHistory(org: $0.code) }
        headcounts = try Self.dates.map { try store.headcount(on: day($0)) }
        people = try Self.dates.map { try store.people(on: day($0), today: day($0), limit: 100_000) }
        timelines = try (people.last ?? []).map { try store.timeline(personID: $0.id) }
        personCount = try store.personCount()
        audit = try store.auditEntries(limit: 100_000)
        auditHead = try store.auditHead()
        verification = try store.verifyAudit()
        integrity = try store.storageProblems()
    }

    /// The names of the parts that differ, so a failure says what changed without printing it all.
    func differences(from other: StoreSnapshot) -> [String] {
        var names: [String] = []
        if users != other.users { names.append("users") }
        if organizations != other.organizations { names.append("organizations") }
        if quotaHistories != other.quotaHistories { names.append("quota history") }
        if headcounts != other.headcounts { names.append("headcount") }
        if people != other.people { names.append("people") }
        if timelines != other.timelines { names.append("timelines") }
        if personCount != other.personCount { names.append("person count") }
        if audit != other.audit { names.append("audit entries") }
        if auditHead != other.auditHead { names.append("audit head") }
        if verification != other.verification { names.append("audit verification") }
        if integrity != other.integrity { names.append("integrity") }
        return names
    }
}

/// Runs a write that must be refused; checks that it threw and that the store is exactly as before.
/// Returns the error when it is of the type asked for: the storage's own (`StoreError`, the
/// default), or another (what SQLite says when the schema refuses a row).
@discardableResult
func refusal<Refused: Error>(
    of store: DossierStore,
    as type: Refused.Type = StoreError.self,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ write: () async throws -> Void
) async throws -> Refused? {
    let before = try StoreSnapshot(store)
    var thrown: (any Error)?
    do {
        try await write()
    } catch {
        thrown = error
    }
    #expect(thrown != nil, "the write was not refused", sourceLocation: sourceLocation)
    let changed = try StoreSnapshot(store).differences(from: before)
    #expect(changed.isEmpty, "a refused write changed the store", sourceLocation: sourceLocation)
    return thrown as? Refused
}

/// Runs `body` with a fresh directory, removed afterwards.
func withTemporaryDirectory(_ body: (String) async throws -> Void) async throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("dossier-store-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
    defer { try? FileManager.default.removeItem(at: url) }
    try await body(url.path)
}

extension Array where Element == UInt8 {
    /// Offsets where `run` starts.
    func offsets(of run: [UInt8]) -> [Int] {
        guard !run.isEmpty, run.count <= count else { return [] }
        return (0...(count - run.count)).filter { start in
            self[start] == run[0] && self[start..<(start + run.count)].elementsEqual(run)
        }
    }
}
