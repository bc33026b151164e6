public import DossierCore
public import DossierCrypto

/// Where a node keeps its records: the one storage object of a process, opened by a
/// `StorageBackend`. DossierStore is its SQLite implementation; the service names only this
/// protocol, so another backend (PostgreSQL through postgres-nio, for central deployments) can be
/// written against it without touching the rules.
///
/// What every backend must guarantee:
/// - **Serialisable writes.** `write` runs its body as one transaction that no other write
///   interleaves with: what the body reads (a quota's occupancy, the last action of a person) stays
///   true until it commits, so two hires cannot both take the last vacancy. SQLite gets this from
///   its single writer and IMMEDIATE transactions; PostgreSQL needs SERIALIZABLE isolation (or a
///   lock per organisation) and a retry of the whole body on a serialisation failure.
/// - **One snapshot per read.** Each read method answers from one consistent state of the
///   database, never half of a write.
/// - **All or nothing.** A body that throws (or answers `.rollBack`) leaves no trace, in the
///   tables or the audit log.
/// - **An append-only audit log**, hash-chained: entries are only ever added at the end.
///
/// The body of a write is synchronous: the rules it runs (the fold, the quota check) are pure
/// computation between reads and writes of one transaction. A backend whose driver is
/// asynchronous runs the body on a thread it may block while each statement travels, never on
/// an event loop; the calls into the storage are `async`, so callers never block on it.
public protocol Storage: Sendable {
    /// Runs `body` in one write transaction: committed if it returns, rolled back if it throws.
    func write<T>(_ body: (any StorageTransaction) throws -> T) async throws -> T

    /// Runs `body` in one write transaction that it commits or rolls back (problems found in a
    /// bulk input, a dry run). `bulk` asks for settings suited to loading many rows.
    func write<T>(bulk: Bool, _ body: (any StorageTransaction) throws -> StorageOutcome<T>) async throws -> T

    /// Seals identity and phone numbers with this node's field key, for work done ahead of a write
    /// (a bulk import seals on other threads). Make one per thread.
    func personSealer() throws -> PersonSealer

    // MARK: Users and access

    /// The user with this name, if any.
    func user(_ name: String) async throws -> User?
    /// Every user, by name.
    func users() async throws -> [User]
    /// A user's grants: the role, and the organisation it reaches under (nil: the whole node).
    func grants(of user: String) async throws -> [(role: Role, org: CreditCode?)]
    /// Whether `user` may act in `role` on the organisation `org`.
    func mayAct(user: User, as role: Role, on org: CreditCode) async throws -> Bool
    /// The organisations where `user` may act in `role` (nil: the whole node).
    func actableOrganizations(of user: User, as role: Role) async throws -> Set<CreditCode>?
    /// The organisations `user` may read in, by stored id (nil: the whole node).
    func readableOrganizations(of user: User) async throws -> Set<Int64>?
    /// A user with their read scope and session epoch, by name.
    func principal(named name: String) async throws -> StoredPrincipal?
    /// The user an API token stands for, by the SHA-256 of its secret.
    func principal(forTokenSHA256 digest: String) async throws -> StoredPrincipal?
    /// A user with their password hash and session epoch, for signing in.
    func credential(of name: String) async throws -> (user: User, passwordHash: String?, epoch: Int64)?
    /// A user's API tokens (never their secrets).
    func tokens(of user: String) async throws -> [APIToken]

    // MARK: Organisations and quotas

    /// Every organisation.
    func organizations() async throws -> [Organization]
    /// One organisation by its credit code.
    func organization(_ code: CreditCode) async throws -> Organization?
    /// The quota changes of an organisation, oldest first.
    func quotaHistory(org code: CreditCode) async throws -> [QuotaChange]
    /// Approved and occupied slots on `date`, per organisation and subject.
    func headcount(on date: CivilDate, org code: CreditCode?, withUnitsBelow: Bool) async throws -> [Headcount]
    /// Approved and occupied rank-band slots on `date`.
    func rankHeadcount(
        on date: CivilDate,
        bands: [RankQuotaPolicy.Band],
        org code: CreditCode?
    ) async throws
        -> [Headcount]

    // MARK: Statistics

    /// People in post on `date` (in `organizations`, nil: everywhere; matching `filter`),
    /// grouped by `facts`, and how many they are in all, counted on its own.
    func reportHeadcount(
        on date: CivilDate,
        facts: [ReportFact],
        filter: ReportFilter,
        organizations: Set<Int64>?
    ) async throws -> HeadcountFacts
    /// How many people are in post on `date` (in `organizations`, matching `filter`), each once.
    func reportCount(on date: CivilDate, filter: ReportFilter, organizations: Set<Int64>?) async throws -> Int
    /// Those in post the day before `from` and on `to`, and every change from `from` to `to`
    /// (both included) that brought someone into post there or took them out, by its action.
    func reportMovements(
        from: CivilDate,
        to: CivilDate,
        filter: ReportFilter,
        organizations: Set<Int64>?
    ) async throws -> MovementFacts

    /// The final grades of `year` in `organizations`: values are the grading unit's level and
    /// the grade.
    func reportGrades(year: Int, organizations: Set<Int64>?) async throws -> [FactGroup]
    /// The figures last filed for table `name` as of `asOf`, over `org` (nil: no unit named)
    /// and `scope` (the 填报单位 it was filed for), as the JSON filed; nil if none.
    func filedReport(name: String, asOf: CivilDate, org: CreditCode?, scope: String) async throws -> String?
    /// The reconciliation cases open on `date` in `organizations`.
    func reportCases(on date: CivilDate, organizations: Set<Int64>?) async throws -> CaseFacts

    // MARK: People and their timelines

    /// A person as on `date`.
    func person(_ id: Int64, on date: CivilDate) async throws -> PersonRecord?
    /// A person by identity number, as on `date`.
    func findPerson(idNumber: ResidentID, on date: CivilDate) async throws -> PersonRecord?
    /// The organisation a person belongs to today (their post, else their last one).
    func homeOrganization(ofPerson id: Int64, today: CivilDate) async throws -> CreditCode?
    /// Whether a person belongs to one of `organizations` (by stored id) today.
    func person(_ id: Int64, isWithin organizations: Set<Int64>, today: CivilDate) async throws -> Bool
    /// People as on `date` (placed in `org` then, or in it and every unit under it when
    /// `subtree`), by file number after `after`, at most `limit`.
    func people(
        on date: CivilDate,
        org: CreditCode?,
        subtree: Bool,
        within scope: Set<Int64>?,
        today: CivilDate,
        after: Int64,
        limit: Int
    ) async throws -> [PersonRecord]
    /// How many people `people` lists with the same question, in all.
    func peopleCount(
        on date: CivilDate,
        org: CreditCode?,
        subtree: Bool,
        within scope: Set<Int64>?,
        today: CivilDate
    ) async throws -> Int
    /// People matching `filter` on its date, by file number after `after`, at most `limit`.
    func searchPeople(_ filter: PeopleFilter, after: Int64, limit: Int) async throws -> [PersonRecord]
    /// How many people match `filter` on its date.
    func countPeople(_ filter: PeopleFilter) async throws -> Int
    /// A person's recorded actions, in order.
    func timeline(personID: Int64) async throws -> [TimelineEntry]
    /// The changes of a person's identity number, oldest first.
    func identityNumberChanges(personID: Int64) async throws -> [IdentityNumberChange]
    /// How many people are on file.
    func personCount() async throws -> Int
    /// History received from other agencies for a person.
    func receivedActions(of personID: Int64) async throws -> [ReceivedAction]

    // MARK: Feeds

    /// One imported feed.
    func feed(_ id: Int64) async throws -> StoredFeed?
    /// The rows of a feed for the identity number with this blind index, in file order.
    func feedRows(feedID: Int64, identityIndex: [UInt8]) async throws -> [FeedRow]
    /// How many feeds and feed rows the node keeps.
    func feedCounts() async throws -> FeedCounts

    // MARK: Reconciliation cases

    /// Cases matching `filter`, soonest due first (so overdue ones lead), then by number; at most
    /// `limit`, skipping the first `offset`.
    /// Every assessment grade of a person, oldest year first (all states).
    func assessments(of personID: Int64) async throws -> [StoredAssessment]
    /// One assessment grade, if there is one of that number.
    func assessment(_ id: Int64) async throws -> StoredAssessment?
    /// Grades waiting for an approver, oldest first.
    func pendingAssessments(limit: Int, offset: Int) async throws -> [StoredAssessment]
    /// 优秀 among those assessed per organisation for one year (organisations in `scope`, or all).
    func gradeCounts(year: Int, within scope: Set<Int64>?) async throws -> [GradeCount]
    /// Every sanction of a person, oldest first.
    func sanctions(of personID: Int64) async throws -> [StoredSanction]
    /// What the promotion rules read about one person: placements, final grades, sanctions.
    func promotionRecord(of personID: Int64) async throws -> PromotionRules.Record
    /// Calls `body` for each person with a placement on `date` in one of `scope` (all when nil),
    /// in person order, with their name and their whole placement history, final grades of the
    /// kinds in `grades` (the ones the rules look at; the others change no answer) and sanctions:
    /// what the promotion rules read, in one pass for a whole node.
    func forEachPromotionRecord(
        on date: CivilDate,
        within scope: Set<Int64>?,
        grades: Set<AssessmentGrade>,
        _ body: (_ personID: Int64, _ name: String, PromotionRules.Record) throws -> Void
    ) async throws
    func cases(_ filter: CaseFilter, limit: Int, offset: Int) async throws -> [StoredCase]
    /// How many cases `cases` would list for `filter`, in all.
    func countCases(_ filter: CaseFilter) async throws -> Int
    /// One case.
    func reconciliationCase(_ id: Int64) async throws -> StoredCase?
    /// Open and overdue cases on `today` per organisation and rule, within `scope` (nil: all).
    func caseCounts(within scope: Set<Int64>?, today: CivilDate) async throws -> [CaseCount]

    // MARK: Drafts

    /// Drafts, by id after `after`, at most `limit`, optionally in one state.
    func drafts(state: ActionDraft.State?, after: Int64, limit: Int) async throws -> [ActionDraft]
    /// One draft.
    func draft(_ id: Int64) async throws -> ActionDraft?
    /// The organisations an action draft concerns (where the person is, and where they go).
    func organizationsConcerned(by input: ActionDraftInput, today: CivilDate) async throws -> [CreditCode]

    // MARK: Documents, keys, packages

    /// One document.
    func document(_ id: Int64) async throws -> Document?
    /// A person's documents.
    func documents(personID: Int64, includeRetired: Bool) async throws -> [Document]
    /// Removes a blob that no document refers to (after a refused intake).
    /// Returns whether it was removed.
    @discardableResult
    func discardUnreferenced(_ stored: BlobStore.Stored, in blobs: BlobStore) async throws -> Bool
    /// The keys this node trusts.
    func trustedKeys() async throws -> [TrustedKey]
    /// The node's own earlier signing keys revoked here: when each was revoked, by key id.
    func ownKeyRevocations() async throws -> [String: String]
    /// The signature this node made over a package's tag manifest with a key, if any.
    func packageSignature(tagManifestSHA256 digest: String, keyID: String) async throws -> [UInt8]?

    // MARK: Audit and health

    /// Checks the whole audit chain.
    func verifyAudit() async throws -> AuditVerification
    /// The last audit entry.
    func auditHead() async throws -> AuditEntry?
    /// Audit entries after `after`, at most `limit`.
    func auditEntries(after: Int64, limit: Int) async throws -> [AuditEntry]
    /// Audit entries matching `filter`, in its order, at most `limit`.
    func auditEntries(_ filter: AuditFilter, limit: Int) async throws -> [AuditEntry]
    /// The audit entry with this sequence number, if the chain holds one.
    func auditEntry(seq: Int64) async throws -> AuditEntry?
    /// Every signed audit checkpoint, oldest first.
    func auditCheckpoints() async throws -> [AuditCheckpoint]
    /// Appends an audit entry that records an event outside any other write (a sign-in refused).
    func recordEvent(actor: String, action: String, subject: String, details: [String: String]) async throws
    /// What the backend's own consistency checks find wrong with its files — damaged pages,
    /// references to rows that are not there (empty: nothing).
    func storageProblems() async throws -> [String]
    /// Calls `body` for every person with recorded actions or stored placements, in person
    /// order, from one snapshot: their actions as the fold reads them (in the order recorded)
    /// and their stored placements (in date order). For the consistency check, which folds each
    /// timeline again and compares.
    func forEachTimeline(
        _ body: (_ personID: Int64, _ actions: [TimelineFold.Action], _ placements: [TimelineFold.Interval]) throws
            -> Void
    ) async throws
    /// Every document file the records refer to, once each, with the digests and size recorded.
    func documentBlobs() async throws -> [DocumentBlob]
    /// Copies the whole database into a new file at `path`, as one consistent snapshot taken
    /// while writes go on (the backend's own online backup, never a copy of its files), and
    /// answers what that snapshot holds: the document files it refers to and its audit head.
    func snapshot(to path: String) async throws -> BackupSnapshot
    /// When the last consistency check that found nothing wrong finished, if one has.
    func lastPassedCheck() async throws -> String?
    /// Makes every rank of the node's rank ladder (all its versions) storable: a backend that
    /// checks rank codes against a table of its own adds the codes it lacks. Called when a node
    /// opens; it writes nothing when every code is there, and never removes one (records keep
    /// the codes they were written with).
    func registerRanks(_ steps: [RankLadder.Step]) async throws
    /// How long reads and writes waited for the database, since it was opened.
    var waits: StorageWaits { get }

    // MARK: Exchange

    /// The agency this node speaks for, once set.
    func nodeAgency() async throws -> Agency?
    /// A transfer-out draft's receiving agency and reason.
    func transferOrder(draftID: Int64) async throws -> TransferOrder?
    /// The transfer package sent for a transfer-out draft, if any.
    func outgoingTransfer(draftID: Int64) async throws -> OutgoingTransfer?
    /// Transfer packages sent, oldest first; `state` nil for all.
    func outgoingTransfers(state: OutgoingTransfer.State?) async throws -> [OutgoingTransfer]
    /// The exchange file received with this SHA-256, if any.
    func incomingPackage(fileSHA256: String) async throws -> IncomingPackage?
    /// An exchange file received, by its number.
    func incomingPackage(_ id: Int64) async throws -> IncomingPackage?
    /// Transfer packages received, oldest first.
    func incomingTransfers() async throws -> [IncomingPackage]
    /// Whether a received exchange file already carried this nonce.
    func nonceSeen(_ nonce: String) async throws -> Bool
    /// The transfer received whose transfer-in is this draft, if any.
    func incomingTransfer(draftID: Int64) async throws -> IncomingPackage?
    /// How many transfer packages were sent with slips of a year (for the next slip number).
    func slipCount(year: Int) async throws -> Int
}

extension Storage {
    public func people(
        on date: CivilDate,
        org: CreditCode? = nil,
        subtree: Bool = false,
        within scope: Set<Int64>? = nil,
        today: CivilDate,
        after: Int64 = 0,
        limit: Int = 100
    ) async throws -> [PersonRecord] {
        try await people(on: date, org: org, subtree: subtree, within: scope, today: today, after: after, limit: limit)
    }
}

/// What a bulk use case decided: keep what it wrote, or leave the database as it was.
public enum StorageOutcome<T> {
    case commit(T)
    case rollBack(T)
}

/// A user, the organisations they may read in (nil: the whole node), and the session epoch their
/// page sessions must carry.
public typealias StoredPrincipal = (user: User, readable: Set<Int64>?, epoch: Int64)

/// Opens a node's storage in its data directory; the command line chooses the backend.
public protocol StorageBackend: Sendable {
    /// Whether `directory` holds a database of this backend.
    func exists(in directory: String) -> Bool
    /// Opens (and migrates) the database in `directory`, creating it when `create` is true.
    func open(in directory: String, keys: FieldKeys, create: Bool) throws -> any Storage
    /// The file a database snapshot (`Storage.snapshot`) is restored as in a data directory.
    var snapshotFileName: String { get }
}
