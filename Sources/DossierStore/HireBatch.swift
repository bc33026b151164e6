public import DossierCore
import DossierCrypto
import Foundation
internal import GRDB

/// One problem that stops a hire, tied to the input column it concerns.
public struct HireProblem: Sendable, Hashable, CustomStringConvertible {
    /// The input column the problem concerns (`org_code`, `id_number`, `category`, `post`).
    public var column: String
    /// The underlying refusal.
    public var error: StoreError

    public var description: String { error.description }
}

/// Hires inside one open write transaction: used for a single hire, for every row of a bulk
/// import and for demo data, so all three obey exactly the same checks.
///
/// Keeps per-batch caches — organisations, quota timelines (which count the hires already made
/// in this batch), prepared statements — so a million hires stay fast. Lives only as long as the
/// transaction; not shareable.
public final class HireBatch {
    let database: Database
    private let cipher: FieldCipher
    private let actor: String
    private let recordedAt: String
    /// Person ids above this were created in this batch.
    private let personIDBaseline: Int64
    private var organizations: [CreditCode: (id: Int64, name: String)?] = [:]
    private var timelines: [QuotaSlot: QuotaTimeline] = [:]
    /// Blind indexes of identity numbers in rows that were not filed (see `rejected`).
    private var rejectedIndexes: Set<[UInt8]> = []
    private var personStatement: RawStatement?
    private var actionStatement: RawStatement?
    private var placementStatement: RawStatement?
    /// Number of people hired so far in this batch.
    public private(set) var hired = 0
    /// First and last person id hired in this batch.
    public private(set) var firstPersonID: Int64?
    public private(set) var lastPersonID: Int64?

    /// Rank quotas to enforce where the policy refuses (nil: none). Where it only warns, bulk
    /// hires are not held up; approvals report the warnings.
    public var rankQuotas: RankQuotaPolicy?

    init(database: Database, cipher: FieldCipher, actor: String) throws {
        self.database = database
        self.cipher = cipher
        self.actor = actor
        self.recordedAt = Timestamp.now()
        self.personIDBaseline = try Int64.fetchOne(database, sql: "SELECT coalesce(max(id), 0) FROM person") ?? 0
        try Users.require(database, actor)
    }

    /// Checks and, if nothing is wrong, files the person with their hire. Returns the problems
    /// found (empty when the person was filed). `personID` receives the new file number.
    @discardableResult
    public func hire(_ person: NewPerson, sealed: SealedPerson? = nil, personID: inout Int64?) throws -> [HireProblem] {
        personID = nil
        let sealed = try sealed ?? PersonSealer(cipher: cipher).seal(person)
        guard person.hire.status.occupiesSlot else {
            return try rejected(
                [HireProblem(column: "status", error: StoreError(.notAHireStatus(person.hire.status)))],
                index: sealed.index
            )
        }
        guard let org = try organization(person.hire.orgCode) else {
            return try rejected(
                [HireProblem(column: "org_code", error: StoreError(.unknownOrganization(person.hire.orgCode)))],
                index: sealed.index
            )
        }
        if rejectedIndexes.contains(sealed.index) {
            return [HireProblem(column: "id_number", error: StoreError(.invalid(Self.earlierRowMessage)))]
        }
        var problems: [HireProblem] = []
        let date = person.hire.effectiveOn
        let categoryKey = QuotaSlot.category(org: org.id, person.hire.category)
        if let refusal = try timeline(categoryKey).refusalForAdding(from: date) {
            problems.append(
                HireProblem(
                    column: "category",
                    error: StoreError(.quota(refusal, orgName: org.name, subject: .category(person.hire.category)))
                )
            )
        }
        var postKey: QuotaSlot?
        if let post = person.hire.post {
            postKey = .post(org: org.id, post)
            if let refusal = try timeline(postKey!).refusalForAdding(from: date) {
                problems.append(
                    HireProblem(
                        column: "post",
                        error: StoreError(.quota(refusal, orgName: org.name, subject: .post(post)))
                    )
                )
            }
        }
        var bandKeys: [QuotaSlot] = []
        if let policy = rankQuotas, let rank = person.hire.rank, policy.enforcement(for: person.hire.orgCode) == .refuse
        {
            for band in policy.bands(containing: rank) {
                let key = QuotaSlot.rankBand(org: org.id, code: band.code, ranks: band.ranks.map(\.code).sorted())
                let timeline = try timeline(key)
                bandKeys.append(key)
                if let refusal = timeline.refusalForAdding(from: date) {
                    problems.append(
                        HireProblem(
                            column: "rank",
                            error: StoreError(.quota(refusal, orgName: org.name, subject: .rankBand(band.code)))
                        )
                    )
                }
            }
        }
        if !problems.isEmpty { return try rejected(problems, index: sealed.index) }
        let id: Int64
        do {
            id = try insertPerson(person, sealed: sealed)
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return [
                try duplicateProblem(index: sealed.index)
                    ?? HireProblem(column: "id_number", error: StoreError(.duplicateIdentityNumber))
            ]
        }
        try insertHire(personID: id, orgID: org.id, terms: person.hire, kind: .hire)
        timelines[categoryKey]!.add(from: date)
        if let postKey { timelines[postKey]!.add(from: date) }
        for key in bandKeys { timelines[key]!.add(from: date) }
        hired += 1
        if firstPersonID == nil { firstPersonID = id }
        lastPersonID = id
        personID = id
        return []
    }

    /// Files a person's record without placing them (their hire waits for approval): checks
    /// the organisation named for the hire exists and the identity number is new.
    func fileWithoutPlacement(_ person: NewPerson) throws -> (id: Int64?, problems: [HireProblem]) {
        let sealed = try PersonSealer(cipher: cipher).seal(person)
        guard try organization(person.hire.orgCode) != nil else {
            return (
                nil,
                try rejected(
                    [HireProblem(column: "org_code", error: StoreError(.unknownOrganization(person.hire.orgCode)))],
                    index: sealed.index
                )
            )
        }
        do {
            return (try insertPerson(person, sealed: sealed), [])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return (
                nil,
                [
                    try duplicateProblem(index: sealed.index)
                        ?? HireProblem(column: "id_number", error: StoreError(.duplicateIdentityNumber))
                ]
            )
        }
    }

    static let earlierRowMessage = "The same identity number appears in an earlier row of this input."

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
            problems.append(HireProblem(column: "org_code", error: StoreError(.unknownOrganization(orgCode))))
        }
        if let index { problems = try rejected(problems, index: index) }
        return problems
    }

    private func duplicateProblem(index: [UInt8]) throws -> HireProblem? {
        if rejectedIndexes.contains(index) {
            return HireProblem(column: "id_number", error: StoreError(.invalid(Self.earlierRowMessage)))
        }
        guard
            let existing = try Int64.fetchOne(
                database,
                sql: "SELECT id FROM person WHERE id_number_index = ?",
                arguments: [Data(index)]
            )
        else { return nil }
        return HireProblem(
            column: "id_number",
            error: existing > personIDBaseline
                ? StoreError(.invalid(Self.earlierRowMessage)) : StoreError(.duplicateIdentityNumber)
        )
    }

    private func organization(_ code: CreditCode) throws -> (id: Int64, name: String)? {
        if let cached = organizations[code] { return cached }
        let row = try Row.fetchOne(
            database,
            sql: "SELECT id, name FROM organization WHERE code = ?",
            arguments: [code.value]
        )
        let found = row.map { (id: $0["id"] as Int64, name: $0["name"] as String) }
        organizations[code] = found
        return found
    }

    private func timeline(_ key: QuotaSlot) throws -> QuotaTimeline {
        if let cached = timelines[key] { return cached }
        let timeline = QuotaTimeline(
            quotas: try key.quotas(database),
            occupancy: try key.occupancy(database),
            limitsOnlyOnceEstablished: key.limitsOnlyOnceEstablished
        )
        timelines[key] = timeline
        return timeline
    }

    private func insertPerson(_ person: NewPerson, sealed: SealedPerson) throws -> Int64 {
        if personStatement == nil {
            personStatement = try RawStatement(
                database,
                sql: """
                    INSERT INTO person(id_number_sealed, id_number_index, name, sex, birth_date, ethnicity, education,
                                       political_status, phone_sealed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
        }
        personStatement!.reset()
        personStatement!.bind(sealed.idNumber)
        personStatement!.bind(sealed.index)
        personStatement!.bind(person.name)
        personStatement!.bind(person.sex.code)
        personStatement!.bind(person.birthDate.description)
        personStatement!.bind(person.ethnicity.code)
        personStatement!.bind(person.education.code)
        personStatement!.bind(person.politicalStatus.code)
        personStatement!.bind(sealed.phone)
        try personStatement!.run()
        return database.lastInsertedRowID
    }

    private func insertHire(personID: Int64, orgID: Int64, terms: HireTerms, kind: ActionKind) throws {
        if actionStatement == nil {
            actionStatement = try RawStatement(
                database,
                sql: """
                    INSERT INTO personnel_action(person_id, kind, effective_on, org_id, category, rank, post, status,
                                                 recorded_at, recorded_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
            placementStatement = try RawStatement(
                database,
                sql: """
                    INSERT INTO placement(person_id, action_id, org_id, category, rank, post, status, occupies,
                                          valid_from)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
        }
        let date = terms.effectiveOn.description
        actionStatement!.reset()
        actionStatement!.bind(personID)
        actionStatement!.bind(kind.rawValue)
        actionStatement!.bind(date)
        actionStatement!.bind(orgID)
        actionStatement!.bind(terms.category.code)
        actionStatement!.bind(terms.rank?.code)
        actionStatement!.bind(terms.post?.code)
        actionStatement!.bind(terms.status.code)
        actionStatement!.bind(recordedAt)
        actionStatement!.bind(actor)
        try actionStatement!.run()
        let actionID = database.lastInsertedRowID
        placementStatement!.reset()
        placementStatement!.bind(personID)
        placementStatement!.bind(actionID)
        placementStatement!.bind(orgID)
        placementStatement!.bind(terms.category.code)
        placementStatement!.bind(terms.rank?.code)
        placementStatement!.bind(terms.post?.code)
        placementStatement!.bind(terms.status.code)
        placementStatement!.bind(terms.status.occupiesSlot ? 1 : 0)
        placementStatement!.bind(date)
        try placementStatement!.run()
    }
}

/// A person's identity and phone numbers sealed, and the blind index computed, ahead of the
/// insert — on another thread during a bulk import, so the writer only writes.
public struct SealedPerson: Sendable {
    let idNumber: [UInt8]
    let index: [UInt8]
    let phone: [UInt8]?
}

/// Seals person records for a store. Not shareable: make one per thread.
public final class PersonSealer {
    private let cipher: FieldCipher

    public init(for store: DossierStore) throws {
        cipher = try FieldCipher(keys: store.keys)
    }

    init(cipher: FieldCipher) {
        self.cipher = cipher
    }

    /// The blind index alone, for a row that will not be filed but must still be checked for
    /// duplicates.
    public func index(_ idNumber: ResidentID) throws -> [UInt8] {
        try cipher.blindIndex(Array(idNumber.value.utf8), context: PersonColumns.idNumber)
    }

    public func seal(_ person: NewPerson) throws -> SealedPerson {
        let idBytes = Array(person.idNumber.value.utf8)
        return SealedPerson(
            idNumber: try cipher.seal(idBytes, context: PersonColumns.idNumber),
            index: try cipher.blindIndex(idBytes, context: PersonColumns.idNumber),
            phone: try person.phone.map { try cipher.seal(Array($0.utf8), context: PersonColumns.phone) }
        )
    }
}

/// Column labels bound into sealed values and blind indexes.
enum PersonColumns {
    static let idNumber: StaticString = "person.id_number"
    static let phone: StaticString = "person.phone"
}

extension DossierStore {
    /// Runs `body` with a hire batch inside one write transaction. The transaction commits only if
    /// `body` returns an audit record to append; returning nil (problems found, or a dry run)
    /// rolls everything back, leaving the database exactly as it was.
    public func withHireBatch<T>(
        actor: String,
        _ body: (HireBatch) throws -> (result: T, audit: (action: String, subject: String, details: [String: String])?)
    ) throws -> T {
        try writer.writeWithoutTransaction { database in
            var result: T?
            try database.inTransaction(.immediate) {
                // A bulk load wants a larger page cache than the default 2 MB (16 MB measured as
                // fast as 64 MB for a million rows, at 50 MB less peak memory).
                try database.execute(sql: "PRAGMA cache_size = -16384")
                defer { try? database.execute(sql: "PRAGMA cache_size = -2000") }
                let batch = try HireBatch(database: database, cipher: try FieldCipher(keys: keys), actor: actor)
                let outcome = try body(batch)
                result = outcome.result
                guard let audit = outcome.audit else { return .rollback }
                try AuditLog.append(
                    database,
                    actor: actor,
                    action: audit.action,
                    subject: audit.subject,
                    details: audit.details
                )
                return .commit
            }
            return result!
        }
    }
}
