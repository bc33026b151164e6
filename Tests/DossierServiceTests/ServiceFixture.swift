import DossierCore
import DossierCrypto
import DossierService
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// The fixed reference date of every test.
let today = CivilDate(year: 2026, month: 11, day: 27)!

/// A date from its ISO text.
func day(_ iso: String) -> CivilDate {
    guard let date = CivilDate(iso: iso) else { fatalError("not a date: \(iso)") }
    return date
}

/// A valid credit code of a test organisation in the fictional province (division 39).
func orgCode(_ serial: Int, entityType: Character = "1", division: String = "390000") -> CreditCode {
    let digits = String(serial)
    return CreditCode.make(
        authority: "1",
        entityType: entityType,
        divisionCode: division,
        organizationCode: "D" + String(repeating: "0", count: 8 - digits.count) + digits
    )
}

/// A valid identity number: odd `sequence` for a man, even for a woman.
func residentID(_ sequence: Int, born: String = "1985-06-15", address: String = "390102") -> ResidentID {
    ResidentID.make(addressCode: address, birthDate: day(born), sequence: sequence)
}

/// 17 digits followed by their correct check character, so that only the rule under test is broken.
func withCheckCharacter(_ first17: String) -> String {
    first17 + String(UnicodeScalar(ResidentID.checkCharacter(first17: Array(first17.utf8))))
}

/// Any text masked as identity numbers are: the first 6, then a star for every other character.
func masked(_ text: String) -> String {
    String(text.prefix(6)) + String(repeating: "*", count: text.count - 6)
}

/// A copy of a valid identity number with a wrong check character.
func withWrongCheckCharacter(_ id: ResidentID) -> String {
    let first17 = String(id.value.prefix(17))
    let wrong = ["0", "1", "2"].first { $0 != String(id.value.suffix(1)) }!
    return first17 + wrong
}

/// One person row of an import file, column name to raw value; starts valid.
struct ImportRow {
    var values: [String: String]

    /// A row that imports as it is: a man born 1985-06-15, hired into `org` on 2024-01-05.
    init(
        _ sequence: Int,
        born: String = "1985-06-15",
        org: CreditCode = ServiceFixture.finance,
        category: String = "admin",
        hiredOn: String = "2024-01-05"
    ) {
        values = [
            "id_number": residentID(sequence, born: born).value,
            "name": "张\(sequence)",
            "sex": "",
            "birth_date": "",
            "ethnicity": "01",
            "education": "20",
            "political_status": "13",
            "phone": "",
            "org_code": org.value,
            "category": category,
            "rank": "L1-clerk",
            "post": "",
            "status": "active",
            "hired_on": hiredOn,
        ]
    }

    subscript(column: String) -> String {
        get { values[column] ?? "" }
        set { values[column] = newValue }
    }

    /// The same row with one value changed.
    func with(_ column: String, _ value: String) -> ImportRow {
        var copy = self
        copy[column] = value
        return copy
    }

    /// The row as one CSV record (RFC 4180 quoting where a value needs it), without a line end;
    /// `raw` values go in exactly as given, to write malformed records.
    func line(_ columns: [String] = PersonInput.columns, raw: [String: String] = [:]) -> String {
        columns.map { raw[$0] ?? csvField(self[$0]) }.joined(separator: ",")
    }
}

/// A value quoted as RFC 4180 asks when it holds a comma, quote or line break.
func csvField(_ value: String) -> String {
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) else {
        return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// A whole file: the header, then each line, each ended by `lineEnd`.
func csvText(_ lines: [String], columns: [String] = PersonInput.columns, lineEnd: String = "\n") -> String {
    ([columns.joined(separator: ",")] + lines).map { $0 + lineEnd }.joined()
}

/// Everything the service API shows of a node, to compare before and after a refused or rehearsed write.
struct ServiceSnapshot: Equatable {
    static let dates = [
        "1999-12-31", "2000-01-01", "2024-01-04", "2024-01-05", "2025-06-01", "2026-11-27", "2099-12-31",
    ]

    var organizations: [Organization]
    var quotaHistories: [[QuotaChange]]
    var headcounts: [[Headcount]]
    var people: [[PersonView]]
    var timelines: [[TimelineEntry]]
    var audit: [AuditEntry]
    var auditIntact: Bool
    var peopleOnFile: Int

    init(_ dossier: Dossier) async throws {
        organizations = try await dossier.organizations()
        quotaHistories = try await organizations.asyncMap { try await dossier.quotaHistory(org: $0.code) }
        headcounts = try await Self.dates.asyncMap { try await dossier.headcount(on: day($0)) }
        people = try await Self.dates.asyncMap { try await dossier.people(on: day($0), limit: 1_000_000, reveal: true) }
        timelines = try await (people.last ?? []).asyncMap { try await dossier.timeline(personID: $0.id) }
        // Reading with reveal (above) is itself audited; those entries record reads, not changes.
        audit = try await dossier.auditLog(limit: 1_000_000).filter { $0.action != "person.reveal" }
        auditIntact = try await dossier.verifyAudit().isIntact
        peopleOnFile = try await dossier.overview(on: today).people
    }
}

/// What one call of `importPeople` returned and reported.
struct ImportOutcome {
    var summary: ImportSummary
    var problems: [ImportProblem]

    /// The (row, column) of every problem, in the order reported.
    var places: [Place] { problems.map { Place(row: $0.row, column: $0.column) } }

    struct Place: Hashable, CustomStringConvertible {
        var row: Int
        var column: String?
        var description: String { "row \(row), \(column ?? "(whole row)")" }
    }
}

/// A fresh in-memory node with an administrator, three organisations with quotas and one person on file.
final class ServiceFixture {
    /// 东海省财政厅 (机关): 10 administrative slots, one 县处级正职 post.
    static let finance = orgCode(1)
    /// 东海省档案馆 (参公事业单位): 2 参公 slots.
    static let archives = orgCode(2, entityType: "2")
    /// 海州市第一人民医院 (事业单位): 5 差额事业 slots.
    static let hospital = orgCode(3, entityType: "2", division: "390100")
    /// A well-formed credit code of no organisation on file.
    static let unregistered = orgCode(99)
    /// The identity number of the person already on file (in `finance`).
    static let onFile = residentID(901)

    let store: DossierStore
    let dossier: Dossier
    let directory: URL
    /// File number of the person already on file.
    let onFileID: Int64
    /// The policies every user of the node acts under.
    let policies: PolicySet

    /// The shipped policies without the promotion rules: a node may run without them
    /// (`PolicySet.promotion` is optional), and suites about the timeline's mechanics (drafts,
    /// corrections, cancellations, quotas) promote people after months, not the two years the
    /// shipped rules ask. The rules themselves are tested with the shipped set (AssessmentTests).
    static let withoutPromotionRules: PolicySet = {
        var policies = Dossier.shippedPolicies
        policies.promotion = nil
        return policies
    }()

    init(policies: PolicySet = Dossier.shippedPolicies) async throws {
        self.policies = policies
        store = try DossierStore.inMemory(keys: FieldKeys.generate())
        try await Dossier.addFirstUser(User(name: "admin", role: .admin, displayName: "A"), to: store)
        dossier = try await Dossier.acting(on: store, as: "admin", policies: policies)
        let established = day("2000-01-01")
        _ = try await dossier.addOrganization(
            NewOrganization(code: Self.finance, name: "东海省财政厅", kind: .organ, level: .province)
        )
        _ = try await dossier.addOrganization(
            NewOrganization(
                code: Self.archives,
                name: "东海省档案馆",
                kind: .civilServiceManagedInstitution,
                level: .province,
                parentCode: Self.finance
            )
        )
        _ = try await dossier.addOrganization(
            NewOrganization(code: Self.hospital, name: "海州市第一人民医院", kind: .institution, level: .prefecture)
        )
        try await dossier.setQuota(
            org: Self.finance,
            subject: .category(.administrative),
            approved: 10,
            effectiveOn: established
        )
        try await dossier.setQuota(
            org: Self.finance,
            subject: .post(.divisionHead),
            approved: 1,
            effectiveOn: established
        )
        try await dossier.setQuota(
            org: Self.archives,
            subject: .category(.civilServiceManagedInstitution),
            approved: 2,
            effectiveOn: established
        )
        try await dossier.setQuota(
            org: Self.hospital,
            subject: .category(.partiallyFundedInstitution),
            approved: 5,
            effectiveOn: established
        )
        var input = PersonInput()
        input.idNumber = Self.onFile.value
        input.name = "李已在"
        input.ethnicity = "01"
        input.education = "20"
        input.politicalStatus = "01"
        input.orgCode = Self.finance.value
        input.category = "admin"
        input.status = "active"
        input.hiredOn = "2020-03-01"
        onFileID = try await dossier.addPerson(input, today: today)

        directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "dossier-service-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Adds a user with `role` over `reach` (by default the whole node) and returns the node
    /// acting as them.
    func acting(as name: String, role: Role, reach: Reach? = .wholeNode) async throws -> Dossier {
        try await dossier.addUser(User(name: name, role: role, displayName: name), reach: reach)
        return try await Dossier.acting(on: store, as: name, policies: policies)
    }

    /// Writes `bytes` to a new file in the fixture's directory and returns its path.
    func file(bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent("\(UUID().uuidString).csv")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `text` as UTF-8 to a new file and returns its path.
    func file(_ text: String) throws -> String {
        try file(bytes: Array(text.utf8))
    }

    /// Imports the file at `path`, collecting every reported problem.
    func importFile(_ path: String, dryRun: Bool = false, as actor: Dossier? = nil) async throws -> ImportOutcome {
        var problems: [ImportProblem] = []
        let summary = try await (actor ?? dossier).importPeople(from: path, dryRun: dryRun, today: today) {
            problems.append($0)
        }
        return ImportOutcome(summary: summary, problems: problems)
    }

    /// Imports `bytes` that must be refused: checks the summary agrees with the problems reported and that
    /// the node is exactly as before.
    func refusedImport(bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) async throws -> ImportOutcome
    {
        let before = try await ServiceSnapshot(dossier)
        let outcome = try await importFile(try file(bytes: bytes))
        #expect(!outcome.summary.accepted, "the import was accepted", sourceLocation: sourceLocation)
        #expect(!outcome.problems.isEmpty, "no problem was reported", sourceLocation: sourceLocation)
        #expect(outcome.summary.problems == outcome.problems.count, sourceLocation: sourceLocation)
        #expect(outcome.summary.imported == 0, sourceLocation: sourceLocation)
        #expect(
            outcome.summary.rowsWithProblems == Set(outcome.problems.map(\.row)).count,
            sourceLocation: sourceLocation
        )
        await #expect(
            try ServiceSnapshot(dossier) == before,
            "a refused import changed the node",
            sourceLocation: sourceLocation
        )
        return outcome
    }

    /// `refusedImport(bytes:)` for UTF-8 text.
    func refusedImport(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ImportOutcome
    {
        try await refusedImport(bytes: Array(text.utf8), sourceLocation: sourceLocation)
    }

    /// Imports `text` that must be accepted and written; returns the outcome.
    func acceptedImport(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> ImportOutcome
    {
        let outcome = try await importFile(try file(text))
        #expect(outcome.problems.isEmpty, "problems: \(outcome.problems)", sourceLocation: sourceLocation)
        #expect(outcome.summary.accepted, sourceLocation: sourceLocation)
        return outcome
    }

    /// The person with this identity number as of `today`, revealed.
    func person(_ id: ResidentID) async throws -> PersonView {
        try await dossier.findPerson(idNumber: id.value, on: today, reveal: true)
    }

    /// Approved and occupied of one quota as of `date`.
    func occupancy(
        _ org: CreditCode,
        _ subject: Headcount.Subject,
        on date: CivilDate = today
    ) async throws -> (
        approved: Int, occupied: Int
    )? {
        try await dossier.headcount(on: date, org: org).first { $0.subject == subject }.map {
            ($0.approved, $0.occupied)
        }
    }
}

/// A `PersonInput` that files as it is: a woman born 1990-03-07, hired into `org` on 2024-01-05.
func personInput(_ sequence: Int, org: CreditCode = ServiceFixture.finance, category: String = "admin") -> PersonInput {
    var input = PersonInput()
    input.idNumber = residentID(sequence, born: "1990-03-07").value
    input.name = "王\(sequence)"
    input.ethnicity = "汉"
    input.education = "本科"
    input.politicalStatus = "群众"
    input.phone = "13800138000"
    input.orgCode = org.value
    input.category = category
    input.rank = "一级科员"
    input.status = "试用"
    input.hiredOn = "2024-01-05"
    return input
}
