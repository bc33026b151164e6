public import DossierCore
import DossierCrypto
import DossierStorage
import Logging

/// What a reconciliation run did.
public struct ReconciliationSummary: Sendable, Hashable {
    /// The day the record was compared as of.
    public var asOf: CivilDate
    /// Cases opened by this run.
    public var opened: Int
    /// Findings that already had an open case.
    public var alreadyOpen: Int
    /// Open cases whose finding has gone.
    public var cleared: Int
    /// Findings left quiet because an earlier case about the same evidence was decided.
    public var keptQuiet: Int
    /// The feed each kind was read from (a kind with no feed on or before `asOf` is missing).
    public var feeds: [FeedKind: Int64]
    /// The rules that ran (on in the policy, with the data they need).
    public var rulesRun: [ReconciliationRule]
}

extension Dossier {
    /// Compares the record as of `date` with the latest feed of each kind taken on or before it,
    /// for every person in the acting user's reach, and opens a case for each finding (one
    /// open case per person and rule; a finding whose case was decided stays quiet until its
    /// evidence changes). Open cases whose finding has gone are marked cleared. One transaction,
    /// with one audit entry (`reconcile.run`).
    public func reconcile(asOf date: CivilDate) async throws -> ReconciliationSummary {
        try require(.resolveCases)
        guard date <= today else {
            throw ServiceError(
                .invalid,
                "The records can be compared only as of a day that has come; \(date) is after today (\(today)).",
                zh: "只能按已到来的日期比对记录；\(date) 晚于今天（\(today)）。"
            )
        }
        guard let policy = policies.reconciliation?.at(date) else {
            throw ServiceError(
                .setup,
                "This node has no reconciliation policy in force on \(date).",
                zh: "本节点在 \(date) 没有有效的比对政策。"
            )
        }
        let organizations = try await mapErrors { try await store.organizations() }
        let reach = try await actingReach(organizations)
        let actor = actor.name
        let summary = try await mapErrors {
            try await store.write(bulk: true) { tx -> StorageOutcome<ReconciliationSummary> in
                try tx.requireUser(actor)
                var run = ReconciliationRun(date: date, policy: policy, organizations: organizations)
                try run.readFeeds(tx)
                try run.readRecord(tx)
                try run.readTransfers(tx, chaseMonths: { policies.exchange(on: $0).chaseMonths })
                return .commit(try run.file(tx, within: reach, by: author))
            }
        }
        logger.info(
            "reconciliation run",
            metadata: [
                "reconcile.opened": "\(summary.opened)", "reconcile.already_open": "\(summary.alreadyOpen)",
                "reconcile.cleared": "\(summary.cleared)",
            ]
        )
        return summary
    }

    /// The organisations (by stored id) where the acting user may act as an officer; nil: all.
    func actingReach(_ organizations: [Organization]) async throws -> Set<Int64>? {
        if actor.role == .admin { return nil }
        guard let codes = try await mapErrors({ try await store.actableOrganizations(of: actor, as: .officer) })
        else { return nil }
        return Set(organizations.filter { codes.contains($0.code) }.map(\.id))
    }
}

/// One run's findings, gathered from the feeds and the record, then filed as cases.
struct ReconciliationRun {
    let date: CivilDate
    let policy: ReconciliationPolicy
    /// The node's organisations by stored id, and their ids by credit code.
    let codeOf: [Int64: CreditCode]
    let idOf: [CreditCode: Int64]
    /// The node's organisations, by credit code and by stored id (built once: a run looks at
    /// them for every person).
    let codesHere: Set<CreditCode>
    let idsHere: Set<Int64>
    /// The findings so far, one per rule and identity number (the first found wins).
    private(set) var findings: [Key: Finding] = [:]
    private(set) var feeds: [FeedKind: Int64] = [:]
    /// The rules that had what they need to run.
    private(set) var rulesRun: Set<ReconciliationRule> = []

    struct Key: Hashable {
        var rule: ReconciliationRule
        var subject: [UInt8]
    }

    /// A finding: which person (or unknown identity number), whose office, and its evidence.
    struct Finding {
        var personID: Int64?
        var sealedIdentity: [UInt8]?
        var name: String?
        var orgID: Int64
        var evidence: CaseEvidence
        /// The facts that identify the finding whatever feed it was read from.
        var fingerprint: String
    }

    init(date: CivilDate, policy: ReconciliationPolicy, organizations: [Organization]) {
        self.date = date
        self.policy = policy
        codeOf = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.code) })
        idOf = Dictionary(uniqueKeysWithValues: organizations.map { ($0.code, $0.id) })
        codesHere = Set(organizations.map(\.code))
        idsHere = Set(organizations.map(\.id))
    }

    private func on(_ rule: ReconciliationRule) -> Bool { policy.enabled.contains(rule) }

    private mutating func add(_ rule: ReconciliationRule, subject: [UInt8], _ finding: Finding) {
        let key = Key(rule: rule, subject: subject)
        if findings[key] == nil { findings[key] = finding }
    }

    // MARK: Reading

    /// Runs the rules that read the feeds: social insurance, payroll, attendance.
    mutating func readFeeds(_ tx: any StorageTransaction) throws {
        if let feed = try tx.latestFeed(kind: .socialInsurance, notAfter: date) {
            feeds[.socialInsurance] = feed.id
            rulesRun.formUnion(
                [.contributionsStopped, .exitStillInsured, .retirementMismatch, .insuredElsewhere, .unknownPerson]
                    .filter(on)
            )
            try tx.forEachFeedSubject(feedID: feed.id, days: date...date) { subject in
                insurance(subject, feed: feed.id)
            }
        }
        if let feed = try tx.latestFeed(kind: .payroll, notAfter: date), let days = try tx.feedDates(feed.id) {
            feeds[.payroll] = feed.id
            rulesRun.formUnion([ReconciliationRule.paidNotInPost, .unknownPerson].filter(on))
            try tx.forEachFeedSubject(feedID: feed.id, days: days) { subject in payroll(subject, feed: feed.id) }
        }
        if let feed = try tx.latestFeed(kind: .attendance, notAfter: date), let days = try tx.feedDates(feed.id) {
            feeds[.attendance] = feed.id
            if on(.absentWithoutLeave) { rulesRun.insert(.absentWithoutLeave) }
            try tx.forEachFeedSubject(feedID: feed.id, days: days) { subject in attendance(subject, feed: feed.id) }
        }
    }

    /// Runs the rules that read the record alone: `inactive-holds-slot`.
    mutating func readRecord(_ tx: any StorageTransaction) throws {
        guard on(.inactiveHoldsSlot) else { return }
        rulesRun.insert(.inactiveHoldsSlot)
        let statuses = Set(policy.inactiveDays.keys)
        for history in try tx.statusHistories(holding: statuses, on: date) {
            guard let found = RecordRules.inactiveTooLong(history.spans, on: date, limits: policy.inactiveDays),
                let current = history.spans.inForce(on: date)
            else { continue }
            add(
                .inactiveHoldsSlot,
                subject: history.subject,
                Finding(
                    personID: history.personID,
                    orgID: current.orgID,
                    evidence: CaseEvidence(
                        feedID: nil,
                        rows: [],
                        actions: [current.actionID],
                        facts: [
                            "status": found.status.code, "since": found.since.description, "days": String(found.days),
                            "allowed_days": String(policy.inactiveDays[found.status] ?? 0),
                        ]
                    ),
                    fingerprint: "\(found.status.code) since \(found.since)"
                )
            )
        }
    }

    /// Runs `transfer-without-receipt`: a transfer package sent and still without a receipt (or
    /// refusal) `chaseMonths` months (as the policy had it on the day it was sent) after it was
    /// sent. The case is the sending office's, where the person last held their post.
    mutating func readTransfers(_ tx: any StorageTransaction, chaseMonths: (CivilDate) -> Int) throws {
        guard on(.transferWithoutReceipt) else { return }
        rulesRun.insert(.transferWithoutReceipt)
        for transfer in try tx.outgoingTransfers(state: .awaiting)
        where date >= transfer.sent.exportedOn.adding(months: chaseMonths(transfer.sent.exportedOn)) {
            guard let subject = try tx.identityIndex(ofPerson: transfer.sent.personID),
                let last = try tx.placements(of: transfer.sent.personID).last
            else { continue }
            add(
                .transferWithoutReceipt,
                subject: subject,
                Finding(
                    personID: transfer.sent.personID,
                    orgID: last.org,
                    evidence: CaseEvidence(
                        feedID: nil,
                        rows: [],
                        actions: [],
                        facts: [
                            "slip": transfer.sent.slipNumber, "to": transfer.sent.toAgency.value,
                            "exported_on": transfer.sent.exportedOn.description,
                            "days_waiting": String(date.dayNumber - transfer.sent.exportedOn.dayNumber),
                            "transfer_out_draft": String(transfer.sent.draftID),
                        ]
                    ),
                    fingerprint: "slip \(transfer.sent.slipNumber)"
                )
            )
        }
    }

    /// An identity number not on file in a feed: a finding when one of its rows is kept under
    /// one of this node's organisations.
    private mutating func unknown(_ subject: FeedSubject, feed: Int64) {
        guard on(.unknownPerson),
            let row = subject.rows.first(where: { $0.orgCode.map { idOf[$0] != nil } ?? false }),
            let org = row.orgCode, let orgID = idOf[org]
        else { return }
        add(
            .unknownPerson,
            subject: subject.subject,
            Finding(
                personID: nil,
                sealedIdentity: subject.sealedIdentity,
                name: row.name,
                orgID: orgID,
                evidence: CaseEvidence(feedID: feed, rows: [row.row], actions: [], facts: ["org": org.value]),
                fingerprint: "under \(org.value)"
            )
        )
    }

    private mutating func insurance(_ subject: FeedSubject, feed: Int64) {
        guard let personID = subject.personID else { return unknown(subject, feed: feed) }
        guard let current = subject.spans.inForce(on: date), let since = subject.spans.statusStart(on: date) else {
            return
        }
        var rows: [InsuranceRow] = []
        var numbers: [Int] = []
        for row in subject.rows {
            guard let insurance = row.insurance, let status = row.contribution, let retired = row.retired,
                let employer = row.orgCode, let changedOn = row.changedOn
            else { continue }
            rows.append(
                InsuranceRow(
                    insurance: insurance,
                    status: status,
                    retired: retired,
                    employer: employer,
                    changedOn: changedOn
                )
            )
            numbers.append(row.row)
        }
        let record = InsuranceRules.Record(status: current.status, since: since, organization: codeOf[current.orgID])
        for finding in InsuranceRules.findings(
            record,
            rows: rows,
            on: date,
            limits: policy.insurance,
            employersHere: codesHere
        )
        where on(finding.rule) {
            let row: InsuranceRow
            var facts = ["status": current.status.code, "since": since.description]
            switch finding {
            case .contributionsStopped(let stopped):
                row = stopped
                facts["from"] = max(stopped.changedOn, since).description
            case .exitStillInsured(_, let paid): row = paid
            case .retirementMismatch(let recordRetired, let pension):
                row = pension
                facts["record_retired"] = recordRetired ? "yes" : "no"
                if !recordRetired { facts["from"] = max(pension.changedOn, since).description }
            case .insuredElsewhere(let elsewhere): row = elsewhere
            }
            facts["insurance"] = row.insurance.rawValue
            facts["contribution"] = row.status.rawValue
            facts["employer"] = row.employer.value
            facts["changed_on"] = row.changedOn.description
            facts["retired"] = row.retired ? "yes" : "no"
            let number = rows.firstIndex(of: row).map { numbers[$0] }
            add(
                finding.rule,
                subject: subject.subject,
                Finding(
                    personID: personID,
                    orgID: current.orgID,
                    evidence: CaseEvidence(
                        feedID: feed,
                        rows: number.map { [$0] } ?? [],
                        actions: [current.actionID],
                        facts: facts
                    ),
                    fingerprint: [
                        current.status.code, row.insurance.rawValue, row.status.rawValue, row.employer.value,
                        row.retired ? "retired" : "working", row.changedOn.description,
                    ].joined(separator: " ")
                )
            )
        }
    }

    private mutating func payroll(_ subject: FeedSubject, feed: Int64) {
        guard let personID = subject.personID else { return unknown(subject, feed: feed) }
        guard on(.paidNotInPost) else { return }
        let paid = subject.rows.filter { row in
            guard let month = row.month, let org = row.orgCode, idOf[org] != nil else { return false }
            return RecordRules.paidWithoutPost(month: month, spans: subject.spans, organizations: idsHere)
        }
        guard let first = paid.first, let month = first.month else { return }
        // The office of the organisation that paid (the record may hold no post at all).
        guard let orgID = first.orgCode.flatMap({ idOf[$0] }) else { return }
        let months = paid.compactMap { $0.month.map { String($0.description.prefix(7)) } }
        add(
            .paidNotInPost,
            subject: subject.subject,
            Finding(
                personID: personID,
                orgID: orgID,
                evidence: CaseEvidence(
                    feedID: feed,
                    rows: paid.map(\.row),
                    actions: subject.spans.map(\.actionID),
                    facts: [
                        "months": months.joined(separator: ", "),
                        "net_yuan": first.netCents.map { Yuan.text(fen: $0) } ?? "",
                        "status": subject.spans.inForce(on: month)?.status.code ?? "none",
                    ]
                ),
                fingerprint: months.joined(separator: " ")
            )
        )
    }

    private mutating func attendance(_ subject: FeedSubject, feed: Int64) {
        guard on(.absentWithoutLeave), let personID = subject.personID else { return }
        // Only the days the person was in post count; any other day breaks a run.
        var marks: [(day: CivilDate, mark: AttendanceMark)] = []
        var rowOfDay: [CivilDate: Int] = [:]
        for row in subject.rows {
            guard let day = row.day, let mark = row.mark,
                let span = subject.spans.inForce(on: day), span.status == .active || span.status == .probation
            else { continue }
            marks.append((day, mark))
            rowOfDay[day] = row.row
        }
        let found = AbsenceRule.findings(marks, limits: policy.absence)
        guard let first = found.first, let current = subject.spans.inForce(on: date) ?? subject.spans.last else {
            return
        }
        let absentRows = marks.filter { $0.mark == .absent }.compactMap { rowOfDay[$0.day] }.sorted()
        var facts: [String: String] = [:]
        switch first {
        case .consecutive(let from, let to, let days):
            facts = ["from": from.description, "to": to.description, "days": String(days)]
        case .inYear(let year, let days, let passedOn):
            let firstAbsent = marks.filter { $0.mark == .absent && $0.day.year == year }.map(\.day).min() ?? passedOn
            facts = ["year": String(year), "days": String(days), "from": firstAbsent.description]
        }
        facts["limit_consecutive"] = String(policy.absence.consecutiveDays)
        facts["limit_per_year"] = String(policy.absence.daysPerYear)
        add(
            .absentWithoutLeave,
            subject: subject.subject,
            Finding(
                personID: personID,
                orgID: current.orgID,
                evidence: CaseEvidence(feedID: feed, rows: absentRows, actions: [current.actionID], facts: facts),
                fingerprint: found.map { "\($0)" }.joined(separator: "; ")
            )
        )
    }

    // MARK: Filing

    /// Opens, counts and clears cases against what the run found, within `reach` (organisation
    /// ids; nil: the whole node), and writes the run's audit entry.
    func file(
        _ tx: any StorageTransaction,
        within reach: Set<Int64>?,
        by author: AuditAuthor
    ) throws
        -> ReconciliationSummary
    {
        func inReach(_ orgID: Int64) -> Bool { reach?.contains(orgID) ?? true }
        var open: [Key: StoredCase] = [:]
        var decided: Set<String> = []
        for stored in try tx.casesNotCleared() {
            let key = Key(rule: stored.rule, subject: stored.subject)
            if stored.status == .open {
                open[key] = stored
            } else {
                decided.insert(Self.quietKey(key, stored.fingerprint))
            }
        }
        var summary = ReconciliationSummary(
            asOf: date,
            opened: 0,
            alreadyOpen: 0,
            cleared: 0,
            keptQuiet: 0,
            feeds: feeds,
            rulesRun: rulesRun.sorted()
        )
        // In a fixed order, so case numbers do not depend on hashing.
        let ordered = findings.filter { inReach($0.value.orgID) }.sorted { lhs, rhs in
            if lhs.key.rule != rhs.key.rule { return lhs.key.rule < rhs.key.rule }
            if lhs.value.orgID != rhs.value.orgID { return lhs.value.orgID < rhs.value.orgID }
            return lhs.key.subject.lexicographicallyPrecedes(rhs.key.subject)
        }
        for (key, finding) in ordered {
            if open[key] != nil {
                summary.alreadyOpen += 1
            } else if decided.contains(Self.quietKey(key, finding.fingerprint)) {
                summary.keptQuiet += 1
            } else {
                _ = try tx.insertCase(
                    NewCase(
                        rule: key.rule,
                        subject: key.subject,
                        personID: finding.personID,
                        sealedIdentity: finding.sealedIdentity,
                        name: finding.name,
                        orgID: finding.orgID,
                        openedOn: date,
                        dueOn: date.adding(days: policy.due(key.rule)),
                        evidence: finding.evidence,
                        fingerprint: finding.fingerprint
                    ),
                    by: author.name
                )
                summary.opened += 1
            }
        }
        for (key, stored) in open.sorted(by: { $0.value.id < $1.value.id })
        where findings[key] == nil && rulesRun.contains(key.rule) && inReach(stored.orgID) {
            try tx.clearCase(stored.id, on: date, by: author.name)
            summary.cleared += 1
        }
        var details = [
            "as_of": date.description, "opened": String(summary.opened),
            "already_open": String(summary.alreadyOpen), "cleared": String(summary.cleared),
            "kept_quiet": String(summary.keptQuiet),
        ]
        for (kind, id) in feeds { details["feed." + kind.rawValue] = String(id) }
        try author.append(to: tx, action: "reconcile.run", subject: "reconcile:\(date)", details: details)
        return summary
    }

    private static func quietKey(_ key: Key, _ fingerprint: String) -> String {
        key.rule.rawValue + "|" + Hex.encode(key.subject) + "|" + fingerprint
    }
}
