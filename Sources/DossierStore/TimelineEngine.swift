import DossierCore
internal import GRDB

/// Applies approved actions to a person's timeline inside the caller's transaction: records the
/// action rows, re-derives the person's placements with `TimelineFold`, and verifies every quota
/// the change touches with `QuotaTimeline.firstBreach`. One mechanism for every kind of action, whether
/// dated today, in the past or in the future.
struct TimelineEngine {
    let db: Database
    let machine: StatusMachine
    /// Rank quotas to check (nil: none), and what exceeding one does per organisation.
    var rankQuotas: RankQuotaPolicy? = nil
    /// Rank quotas exceeded where the policy only warns, in words for the person approving.
    private(set) var warnings: [String] = []

    /// A correction or cancellation must amend an original action of the person that is still in
    /// force: not another amendment (amend the original instead) and not one already cancelled.
    static func checkAmendable(_ target: Int64?, kind: ActionKind, in recorded: [TimelineFold.Action]) throws {
        guard let target, let original = recorded.first(where: { $0.id == target }) else {
            throw StoreError(.invalid("\(kind.chineseName) must name an action on this person's timeline."))
        }
        guard !original.kind.amendsEarlierAction else {
            throw StoreError(
                .invalid(
                    "Action \(target) is itself a \(original.kind.chineseName); amend the original action "
                        + "\(original.target.map(String.init) ?? "")."
                )
            )
        }
        guard !recorded.contains(where: { $0.kind == .cancel && $0.target == target }) else {
            throw StoreError(.invalid("Action \(target) is already cancelled (撤销); it cannot be amended again."))
        }
    }

    /// The person's recorded actions, as the fold reads them: what each stated, not the
    /// placement its row also shows (see the `stated` column).
    func recordedActions(of personID: Int64) throws -> [TimelineFold.Action] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, kind, effective_on, org_id, category, rank, post, status, target_action_id, stated
                FROM personnel_action WHERE person_id = ? ORDER BY id
                """,
            arguments: [personID]
        ).map { row in
            let stated = (row["stated"] as String?).map { Set($0.split(separator: ",").map(String.init)) }
            func ifStated<T>(_ field: String, _ value: T?) -> T? {
                stated.map { $0.contains(field) } ?? true ? value : nil
            }
            return TimelineFold.Action(
                id: row["id"],
                kind: try Decode.actionKind(row["kind"]),
                effectiveOn: try Decode.date(row["effective_on"]),
                org: ifStated("org", row["org_id"] as Int64?),
                category: ifStated("category", try Decode.codedOptional(EstablishmentCategory.self, row["category"])),
                rank: ifStated("rank", try Decode.codedOptional(Rank.self, row["rank"])),
                post: ifStated("post", try Decode.codedOptional(LeadershipPost.self, row["post"])),
                status: ifStated("status", try Decode.codedOptional(PersonStatus.self, row["status"])),
                target: row["target_action_id"]
            )
        }
    }

    /// The fields an action states, as the `stated` column lists them.
    static func stated(_ action: TimelineFold.Action) -> String {
        [
            ("org", action.org != nil), ("category", action.category != nil), ("rank", action.rank != nil),
            ("post", action.post != nil), ("status", action.status != nil),
        ].filter(\.1).map(\.0).joined(separator: ",")
    }

    mutating func apply(_ draft: ActionDraftInput, recordedAt: String, actor: String) throws -> [Int64] {
        let personID = draft.personID
        let recorded = try recordedActions(of: personID)
        if draft.kind.amendsEarlierAction {
            try Self.checkAmendable(draft.targetActionID, kind: draft.kind, in: recorded)
        }
        let orgID = try draft.orgCode.map { code -> Int64 in
            guard let id = try Organizations.id(db, code) else { throw StoreError(.unknownOrganization(code)) }
            return id
        }
        // Where the person stands on the action's date (not necessarily their latest placement:
        // a later action may already be scheduled).
        let current = try Placements.on(db, personID: personID, date: draft.effectiveOn)
        let provisional = Int64.max - 16
        var new: [TimelineFold.Action] = []
        if draft.kind == .transferIn, let current, current.orgID != orgID,
            try Decode.coded(PersonStatus.self, current.status).occupiesSlot
        {
            // A transfer between two organisations of this node: 调出 here, 调入 there, one transaction.
            new.append(TimelineFold.Action(id: provisional, kind: .transferOut, effectiveOn: draft.effectiveOn))
            new.append(
                TimelineFold.Action(
                    id: provisional + 1,
                    kind: .transferIn,
                    effectiveOn: draft.effectiveOn,
                    org: orgID,
                    category: draft.category,
                    rank: draft.rank,
                    post: draft.post
                )
            )
        } else {
            var action = TimelineFold.Action(
                id: provisional,
                kind: draft.kind,
                effectiveOn: draft.effectiveOn,
                org: orgID,
                category: draft.category,
                rank: draft.rank,
                post: draft.post,
                status: draft.status,
                target: draft.targetActionID
            )
            if draft.kind == .correct,
                let target = TimelineFold.effective(recorded).first(where: { $0.id == draft.targetActionID })
            {
                // A correction restates the target; what it does not restate stays as it now is
                // (after any earlier correction of it).
                action.org = action.org ?? target.org
                action.category = action.category ?? target.category
                action.rank = action.rank ?? target.rank
                action.post = action.post ?? target.post
                action.status = action.status ?? target.status
            }
            new.append(action)
        }

        let intervals: [TimelineFold.Interval]
        do {
            intervals = try TimelineFold.fold(recorded + new, machine: machine)
        } catch {
            throw StoreError(.invalid("The action cannot be recorded. \(error.description)"))
        }

        // Record the new rows: each carries the placement it leads to (amendments: their target's).
        var realIDs: [Int64: Int64] = [:]
        for action in new {
            let shown: [(any DatabaseValueConvertible)?]
            if let result =
                intervals.last(where: { $0.actionID == action.id })
                ?? intervals.last(where: { $0.actionID == action.target })
                ?? intervals.last
            {
                shown = [
                    action.kind == .correct ? (action.org ?? result.org) : result.org,
                    (action.kind == .correct ? action.category : nil)?.code ?? result.category.code,
                    (action.kind == .correct ? action.rank : result.rank)?.code,
                    (action.kind == .correct ? action.post : result.post)?.code,
                    (action.kind == .correct ? action.status : nil)?.code ?? result.status.code,
                ]
            } else if action.kind == .cancel, let target = action.target,
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT org_id, category, rank, post, status FROM personnel_action WHERE id = ?",
                    arguments: [target]
                )
            {
                // Cancelling a hire filed in error leaves no placement at all: the row shows the
                // placement the cancelled action had recorded.
                shown = row.databaseValues.map { $0 }
            } else {
                throw StoreError(.invalid("The action leaves the person with no placement to record."))
            }
            try db.execute(
                sql: """
                    INSERT INTO personnel_action(person_id, kind, effective_on, org_id, category, rank, post, status,
                                                 recorded_at, recorded_by, target_action_id, stated)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: StatementArguments(
                    [personID, action.kind.rawValue, action.effectiveOn.description] + shown
                        + [recordedAt, actor, action.target, Self.stated(action)]
                )
            )
            realIDs[action.id] = db.lastInsertedRowID
        }

        // Replace the person's placements with the fold's.
        let before = try Row.fetchAll(
            db,
            sql: """
                SELECT org_id, category, rank, post, occupies, valid_from, valid_until FROM placement
                WHERE person_id = ?
                """,
            arguments: [personID]
        )
        try db.execute(sql: "DELETE FROM placement WHERE person_id = ?", arguments: [personID])
        for interval in intervals {
            try db.execute(
                sql: """
                    INSERT INTO placement(person_id, action_id, org_id, category, rank, post, status, occupies,
                                          valid_from, valid_until)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    personID, realIDs[interval.actionID] ?? interval.actionID, interval.org, interval.category.code,
                    interval.rank?.code, interval.post?.code, interval.status.code,
                    interval.status.occupiesSlot ? 1 : 0, interval.from.description, interval.until?.description,
                ]
            )
        }

        // Verify every quota the person's old or new placements touch, from the earliest date changed.
        var start = new.map(\.effectiveOn).min()!
        for action in new {
            if let target = action.target, let old = recorded.first(where: { $0.id == target }) {
                start = min(start, old.effectiveOn)
            }
        }
        var oldBySlot: [QuotaSlot: [QuotaSlot.Span]] = [:]
        for row in before where (row["occupies"] as Int) == 1 {
            let span = (
                from: try Decode.date(row["valid_from"]), until: try (row["valid_until"] as String?).map(Decode.date)
            )
            for slot in QuotaSlot.slots(
                org: row["org_id"],
                category: try Decode.coded(EstablishmentCategory.self, row["category"]),
                post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
                rank: try Decode.codedOptional(Rank.self, row["rank"]),
                rankQuotas: rankQuotas
            ) {
                oldBySlot[slot, default: []].append(span)
            }
        }
        var newBySlot: [QuotaSlot: [QuotaSlot.Span]] = [:]
        for interval in intervals where interval.status.occupiesSlot {
            for slot in QuotaSlot.slots(
                org: interval.org,
                category: interval.category,
                post: interval.post,
                rank: interval.rank,
                rankQuotas: rankQuotas
            ) {
                newBySlot[slot, default: []].append((interval.from, interval.until))
            }
        }
        for slot in Set(oldBySlot.keys).union(newBySlot.keys) {
            try verify(
                slot,
                personID: personID,
                before: oldBySlot[slot] ?? [],
                after: newBySlot[slot] ?? [],
                from: start
            )
        }
        return new.map { realIDs[$0.id]! }
    }

    /// Refuses the change if it raises the slot's occupancy above its approved number on any date
    /// from `start` on. Rank bands with no quota are not limited; where the rank quota policy only
    /// warns, the breach becomes a warning.
    private mutating func verify(
        _ slot: QuotaSlot,
        personID: Int64,
        before: [QuotaSlot.Span],
        after: [QuotaSlot.Span],
        from start: CivilDate
    ) throws {
        let timeline = QuotaTimeline(
            quotas: try slot.quotas(db),
            occupancy: try slot.occupancy(db, excludingPerson: personID),
            limitsOnlyOnceEstablished: slot.limitsOnlyOnceEstablished
        )
        guard let breach = timeline.firstBreach(before: before, after: after, from: start) else { return }
        let row = try Row.fetchOne(db, sql: "SELECT code, name FROM organization WHERE id = ?", arguments: [slot.org])
        let name: String = row?["name"] ?? "?"
        if case .rankBand(_, let code, _) = slot, let policy = rankQuotas, let band = policy.band(code),
            policy.enforcement(for: try CreditCode(row?["code"] ?? "")) == .warn
        {
            warnings.append(
                "\(name) exceeds its rank quota \(band.name) (\(band.code)) on \(breach.date): "
                    + "\(breach.approved ?? 0) approved, \(breach.occupied) would hold it."
            )
            return
        }
        throw StoreError(.quota(breach.refusal, orgName: name, subject: slot.subject))
    }
}
