public import DossierCore

/// One write transaction, given to the body of `Storage.write`: the narrow reads and writes a
/// use case of the service is composed of (people, actions, placements, quotas, drafts, users,
/// documents, keys, audit). It knows how each thing is stored and nothing of what it means:
/// which action may follow which, whether a quota holds, who may approve, what the audit says —
/// those are the service's.
///
/// Valid only inside the body it was given to; it must not escape it.
public protocol StorageTransaction {
    /// When this transaction records things (one time for everything it writes).
    var recordedAt: String { get }

    /// Sets a user's password hash (bcrypt, made by the service), replacing the old one; their
    /// page sessions end and their API tokens are revoked, by `actor`.
    func setPasswordHash(_ hash: String, for user: String, by actor: String) throws
    /// Removes a user's password (sessions and tokens end too); false when they had none.
    func removePassword(of user: String, by actor: String) throws -> Bool
    /// Stores a new API token for `user` by the SHA-256 of its secret; returns its id.
    func insertToken(user: String, secretSHA256: String, label: String, by actor: String) throws -> Int64
    /// Revokes a live token; false when there is no live token of that id. It stops working at
    /// once in this process (see `PrincipalCache` for others).
    func revokeToken(_ id: Int64, by actor: String) throws -> Bool
    /// Records a document already stored in the blob store. The same file twice in one person's
    /// file is refused (it is one document, one blob).
    func insertDocument(
        personID: Int64,
        description: DocumentDescription,
        stored: BlobStore.Stored,
        blobs: BlobStore,
        mediaType: MediaType,
        by actor: String
    ) throws -> Int64
    /// One document, read in this transaction.
    func document(_ id: Int64) throws -> Document?
    /// Marks a document retired, with who, when and why; it stays, with its file.
    func retireDocument(_ id: Int64, reason: String, by actor: String) throws
    /// Registers an organisation under its parent (if any); refused when its credit code is
    /// already on file or its parent is not.
    func insertOrganization(_ new: NewOrganization) throws -> Organization
    /// Keeps a package's signature over its tag manifest, for reproducible re-packing (the
    /// same manifest and key keep their first signature).
    func insertPackageSignature(tagManifestSHA256 digest: String, keyID: String, signature: [UInt8]) throws
    /// Records a quota change: a new row effective from its date; earlier rows stay as history.
    func insertQuota(
        org code: CreditCode,
        subject: Headcount.Subject,
        approved: Int,
        effectiveOn: CivilDate,
        by actor: String
    ) throws
    /// Adds another agency's public key to the trust store; refused when the key is there already.
    func insertTrustedKey(_ key: TrustedKey, by actor: String) throws
    /// Whether the trust store holds this key, and if so whether it is revoked.
    func trustedKeyRevoked(_ keyID: String) throws -> Bool?
    /// Revokes a trusted key: packages it signed are no longer accepted.
    func revokeTrustedKey(_ keyID: String, reason: String, by actor: String) throws
    /// Whether one of the node's own earlier signing keys is revoked here.
    func ownKeyRevoked(_ keyID: String) throws -> Bool
    /// Revokes one of the node's own earlier signing keys: packages it signed stop verifying here.
    /// Never withdrawn.
    func revokeOwnKey(_ keyID: String, reason: String, by actor: String) throws
    /// The user with this name, if any.
    func user(named name: String) throws -> User?
    /// Grants `role` to a user over an organisation and everything under it (nil: the whole
    /// node). Returns false when they already hold that grant.
    func insertGrant(user: String, role: Role, org: CreditCode?, by actor: String) throws -> Bool
    /// Removes a grant; returns false when the user held no such grant.
    func deleteGrant(user: String, role: Role, org: CreditCode?) throws -> Bool
    /// Switches a user off (their page sessions end and their API tokens are revoked, by
    /// `actor`) or on again.
    func setDisabled(_ disabled: Bool, user: String, by actor: String) throws
    /// Changes a user's main role; their page sessions end and their API tokens are revoked.
    func setRole(_ role: Role, user: String, by actor: String) throws
    /// How many users the node has (none only before `init` adds the first).
    func userCount() throws -> Int
    /// Adds a user; with `passwordHash` their password, and with `reach` a grant of their role
    /// over it (given by `grantedBy`). Refused when the name is taken.
    func insertUser(_ user: User, passwordHash: String?, reach: Reach?, grantedBy: String) throws
    /// Keeps an action received from another agency's node; returns its number here, or nil when
    /// the same action (same origin) is already kept for this person.
    func insertReceived(_ action: ReceivedAction, personID: Int64, by actor: String) throws -> Int64?
    /// The details of one schema stored with an action, if any.
    func details<Details: ActionDetails>(_ type: Details.Type, of actionID: Int64) throws -> Details?
    /// Stores the details of one schema with an action (once: details are never edited).
    func insertDetails<Details: ActionDetails>(_ details: Details, of actionID: Int64) throws
    /// A writer of new person files for this transaction (one person or a million).
    func personFiling() throws -> any PersonFiling
    // MARK: Reconciliation

    /// The feed of `kind` taken most recently on or before `date` (the latest imported, when two
    /// were taken the same day).
    func latestFeed(kind: FeedKind, notAfter date: CivilDate) throws -> StoredFeed?
    /// The first and last day a feed's rows speak of (a payroll month counts from its first day
    /// to its last); nil for a feed without dated rows.
    func feedDates(_ feedID: Int64) throws -> ClosedRange<CivilDate>?
    /// Calls `body` once for each identity number in a feed, with its rows and the person's
    /// record over `days`, in blind-index order: one pass over a feed of any size.
    func forEachFeedSubject(feedID: Int64, days: ClosedRange<CivilDate>, _ body: (FeedSubject) throws -> Void) throws
    /// The people whose status on `date` is one of `statuses`, each with their whole record.
    func statusHistories(holding statuses: Set<PersonStatus>, on date: CivilDate) throws -> [StatusHistory]
    /// Every case not cleared (open or resolved): what a run compares its findings with.
    func casesNotCleared() throws -> [StoredCase]
    /// One case, read in this transaction.
    func reconciliationCase(_ id: Int64) throws -> StoredCase?
    /// Opens a case; returns its number.
    func insertCase(_ new: NewCase, by actor: String) throws -> Int64
    /// Marks an open case cleared by the run of `date`.
    func clearCase(_ id: Int64, on date: CivilDate, by actor: String) throws
    /// Records how a person decided an open case.
    func resolveCase(
        _ id: Int64,
        outcome: CaseOutcome,
        note: String,
        draftID: Int64?,
        on date: CivilDate,
        by actor: String
    ) throws

    /// The feed of this kind already imported from a file with this SHA-256, if any.
    func importedFeed(kind: FeedKind, sha256: String) throws -> StoredFeed?
    /// Records a new feed (its rows follow through the filing returned), imported by `actor`.
    func feedFiling(
        kind: FeedKind,
        asOf: CivilDate,
        fileName: String,
        sha256: String,
        encoding: String,
        by actor: String
    ) throws -> any FeedFiling
    /// Throws unless a user of that name exists.
    func requireUser(_ name: String) throws
    /// The stored id of an organisation.
    func organizationID(_ code: CreditCode) throws -> Int64?
    /// An organisation's credit code and name by its stored id.
    func organization(id: Int64) throws -> (code: String, name: String)?
    /// Whether a person with this file number is on file.
    func personExists(_ id: Int64) throws -> Bool
    /// Appends one entry to the audit chain. `details` must never hold an identity or phone number.
    func appendAudit(actor: String, action: String, subject: String, details: [String: String]) throws
    /// Notes that a consistency check found nothing wrong, now (the transaction's time).
    func notePassedCheck() throws
    /// The last audit entry, read in this transaction (no entry can follow it before it commits).
    func auditHead() throws -> AuditEntry?
    /// Whether a signed audit checkpoint was made on `date` (by the node's clock).
    func checkpointMade(on date: CivilDate) throws -> Bool
    /// Keeps a signed audit checkpoint (its `number` is ignored); returns its number. Kept for
    /// good: never edited, never removed.
    func insertAuditCheckpoint(_ checkpoint: AuditCheckpoint) throws -> Int64
    /// Records that `user`'s sign-in lock-out is to be lifted (by `actor`), for the server that
    /// holds the lock-out in memory to find at the next attempt; replaces an earlier record.
    func recordSignInUnlock(user: String, by actor: String) throws
    /// Removes the record of a lifted lock-out for `user`; false when there was none.
    func takeSignInUnlock(user: String) throws -> Bool
    /// A person's recorded actions in the order they were recorded, as the fold reads them:
    /// what each stated, not the placement its row also shows.
    func recordedActions(of personID: Int64) throws -> [TimelineFold.Action]
    /// The record of one stored action (what its row shows).
    func actionRecord(_ id: Int64) throws -> ActionRecord?
    /// Records an action; returns its id.
    func insertAction(_ record: ActionRecord, by actor: String) throws -> Int64
    /// A person's placements, in date order.
    func placements(of personID: Int64) throws -> [TimelineFold.Interval]
    /// Replaces a person's placements with `intervals` (the fold of their whole timeline).
    func replacePlacements(of personID: Int64, with intervals: [TimelineFold.Interval]) throws
    /// Adds one placement of a person who had none (a new hire).
    func insertPlacement(_ interval: TimelineFold.Interval, of personID: Int64) throws
    /// The approved numbers of a quota in date order (for equal dates, the later entry last).
    func quotaHistory(_ slot: QuotaSlot) throws -> [(CivilDate, Int)]
    /// The occupied intervals of a quota, leaving out one person's when asked.
    func occupancy(_ slot: QuotaSlot, excludingPerson person: Int64?) throws -> [QuotaSlot.Span]
    /// One draft.
    func draft(_ id: Int64) throws -> ActionDraft?
    /// Records a draft; returns its number.
    func insertDraft(_ input: ActionDraftInput, orgID: Int64?, by actor: String) throws -> Int64
    /// Keeps what an approved change or correction of personal details states, beside its action.
    func insertDetailsChange(_ change: DetailsChange, actionID: Int64, personID: Int64) throws
    /// Gives a person's file a new identity number (sealed and indexed, with the sex and birth
    /// date it gives), keeping the old one in the history with the reason; or says why not.
    func changeIdentityNumber(
        of personID: Int64,
        to number: ResidentID,
        reason: String,
        by actor: String
    ) throws -> IdentityNumberChangeOutcome
    /// Marks a waiting draft approved, pointing at the (last) action it recorded.
    func markApproved(_ id: Int64, by actor: String, action: Int64?) throws
    /// Marks a waiting draft rejected, with the reason.
    func markRejected(_ id: Int64, by actor: String, reason: String) throws
    /// Marks a waiting draft withdrawn by the officer who drafted it, with their reason.
    func markWithdrawn(_ id: Int64, by actor: String, reason: String) throws
    /// Records an assessment grade; refused (`StoreError.invalid`) when the person already has a
    /// grade for that year that is not rejected.
    func insertAssessment(_ new: NewAssessment, by actor: String) throws -> Int64
    /// One assessment grade, read in this transaction.
    func assessment(_ id: Int64) throws -> StoredAssessment?
    /// Every grade of a person, oldest year first (all states).
    func assessments(of personID: Int64) throws -> [StoredAssessment]
    /// Approves (final) or rejects a pending grade, by someone other than its recorder.
    func decideAssessment(_ id: Int64, state: AssessmentState, reason: String?, by actor: String) throws
    /// 优秀 and all grades not rejected, for one organisation and year.
    func gradeCount(orgID: Int64, year: Int) throws -> GradeCount
    /// Records a sanction.
    func insertSanction(_ new: NewSanction, by actor: String) throws -> Int64
    /// One sanction, read in this transaction.
    func sanction(_ id: Int64) throws -> StoredSanction?
    /// Every sanction of a person, oldest first.
    func sanctions(of personID: Int64) throws -> [StoredSanction]
    /// The file number of the person whose identity number has this blind index.
    func personID(identityIndex index: [UInt8]) throws -> Int64?
    /// The blind index of a person's identity number (what cases are keyed by).
    func identityIndex(ofPerson personID: Int64) throws -> [UInt8]?
    /// The open case of `rule` about `subject`, if there is one.
    func openCase(rule: ReconciliationRule, subject: [UInt8]) throws -> Int64?
    /// Lifts a sanction early (解除) from `date`.
    func liftSanction(_ id: Int64, on date: CivilDate, reference: String?, by actor: String) throws
    /// The SHA-256 of every document of a person's file, retired ones too.
    func documentDigests(personID: Int64) throws -> Set<String>
    /// The agency this node speaks for, once set.
    func nodeAgency() throws -> Agency?
    /// Sets (or changes) the agency this node speaks for.
    func setNodeAgency(_ agency: Agency, by actor: String) throws
    /// Keeps a statistical table's figures as filed (报出).
    func insertReportFiling(
        name: String,
        asOf: CivilDate,
        from: CivilDate?,
        org: CreditCode?,
        scope: String,
        figures: String,
        by actor: String
    ) throws
    /// Keeps a transfer-out draft's receiving agency and reason.
    func insertTransferOrder(_ order: TransferOrder, draftID: Int64) throws
    /// A transfer-out draft's receiving agency and reason.
    func transferOrder(draftID: Int64) throws -> TransferOrder?
    /// Records a transfer package as sent, awaiting its receipt; returns its number.
    func insertOutgoingTransfer(_ new: NewOutgoingTransfer, by actor: String) throws -> Int64
    /// The transfer package sent for a transfer-out draft, if any.
    func outgoingTransfer(draftID: Int64) throws -> OutgoingTransfer?
    /// The transfer package sent with this nonce, if any.
    func outgoingTransfer(nonce: String) throws -> OutgoingTransfer?
    /// Transfer packages sent, oldest first; `state` nil for all.
    func outgoingTransfers(state: OutgoingTransfer.State?) throws -> [OutgoingTransfer]
    /// Records the answer to a transfer sent: received or refused, on `date`, by the received
    /// file `answerID`; after a refusal, the draft cancelling the transfer-out.
    func answerOutgoingTransfer(
        _ id: Int64,
        state: OutgoingTransfer.State,
        answerID: Int64,
        on date: CivilDate,
        cancelDraftID: Int64?
    ) throws
    /// The exchange file received with this SHA-256, if any.
    func incomingPackage(fileSHA256: String) throws -> IncomingPackage?
    /// An exchange file received, by its number.
    func incomingPackage(_ id: Int64) throws -> IncomingPackage?
    /// Whether a received exchange file already carried this nonce.
    func nonceSeen(_ nonce: String) throws -> Bool
    /// Records an exchange file as received; returns its number.
    func insertIncomingPackage(_ new: NewIncomingPackage, by actor: String) throws -> Int64
    /// Keeps the receipt or refusal written for a received transfer.
    func recordAnswer(
        toIncoming id: Int64,
        kind: IncomingKind,
        answer: [UInt8],
        signature: [UInt8],
        by actor: String
    ) throws
}

extension StorageTransaction {
    /// Appends one entry to the audit chain, with no details.
    public func appendAudit(actor: String, action: String, subject: String) throws {
        try appendAudit(actor: actor, action: action, subject: subject, details: [:])
    }

    /// Every occupied interval of a quota.
    public func occupancy(_ slot: QuotaSlot) throws -> [QuotaSlot.Span] {
        try occupancy(slot, excludingPerson: nil)
    }

}
