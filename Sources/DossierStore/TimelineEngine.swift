import DossierCore
internal import GRDB

/// Applies approved actions to a person's timeline inside the caller's transaction: records the
/// action rows, re-derives the person's placements with `TimelineFold`, and verifies every quota
/// the change touches with `QuotaVerification`. One mechanism for every kind of action, whether
/// dated today, in the past or in the future.
struct TimelineEngine {
    let db: Database
    let machine: StatusMachine
    /// Rank quotas to check (nil: none), and what exceeding one does per organisation.
    var rankQuotas: RankQuotaPolicy? = nil
    /// Rank quotas exceeded where the policy only warns, in words for the person approving.
    private(set) var warnings: [String] = []

    private struct Slot: Hashable {
        var org: Int64
        var category: EstablishmentCategory?
        var post: LeadershipPost?
    }

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

    /// The person's recorded actions, as the fold reads them.
    func recordedActions(of personID: Int64) throws -> [TimelineFold.Action] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, kind, effective_on, org_id, category, rank, post, status, target_action_id
                FROM personnel_action WHERE person_id = ? ORDER BY id
                """,
            arguments: [personID]
        ).map { row in
            TimelineFold.Action(
                id: row["id"],
                kind: try Decode.actionKind(row["kind"]),
                effectiveOn: try Decode.date(row["effective_on"]),
                org: row["org_id"],
                category: try Decode.codedOptional(EstablishmentCategory.self, row["category"]),
                rank: try Decode.codedOptional(Rank.self, row["rank"]),
                post: try Decode.codedOptional(LeadershipPost.self, row["post"]),
                status: try Decode.codedOptional(PersonStatus.self, row["status"]),
                target: row["target_action_id"]
            )
        }
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
            if draft.kind == .correct, let target = recorded.first(where: { $0.id == draft.targetActionID }) {
                // A correction restates the target; what it does not restate stays as it was.
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
            let result =
                intervals.last(where: { $0.actionID == action.id })
                ?? intervals.last(where: { $0.actionID == action.target })
                ?? intervals.last
            guard let result else {
                throw StoreError(.invalid("The action leaves the person with no placement to record."))
            }
            let org = action.kind == .correct ? (action.org ?? result.org) : result.org
            try db.execute(
                sql: """
                    INSERT INTO personnel_action(person_id, kind, effective_on, org_id, category, rank, post, status,
                                                 recorded_at, recorded_by, target_action_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    personID, action.kind.rawValue, action.effectiveOn.description, org,
                    (action.kind == .correct ? action.category : nil)?.code ?? result.category.code,
                    (action.kind == .correct ? action.rank : result.rank)?.code,
                    (action.kind == .correct ? action.post : result.post)?.code,
                    (action.kind == .correct ? action.status : nil)?.code ?? result.status.code,
                    recordedAt, actor, action.target,
                ]
            )
            realIDs[action.id] = db.lastInsertedRowID
        }

        // Replace the person's placements with the fold's.
        let before = try Row.fetchAll(
            db,
            sql: "SELECT org_id, category, post, occupies, valid_from, valid_until FROM placement WHERE person_id = ?",
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
        var oldBySlot: [Slot: [(from: CivilDate, until: CivilDate?)]] = [:]
        for row in before where (row["occupies"] as Int) == 1 {
            let span = (
                from: try Decode.date(row["valid_from"]), until: try (row["valid_until"] as String?).map(Decode.date)
            )
            let org: Int64 = row["org_id"]
            oldBySlot[
                Slot(org: org, category: try Decode.coded(EstablishmentCategory.self, row["category"])),
                default: []
            ]
            .append(span)
            if let post = try Decode.codedOptional(LeadershipPost.self, row["post"]) {
                oldBySlot[Slot(org: org, post: post), default: []].append(span)
            }
        }
        var newBySlot: [Slot: [(from: CivilDate, until: CivilDate?)]] = [:]
        for interval in intervals where interval.status.occupiesSlot {
            newBySlot[Slot(org: interval.org, category: interval.category), default: []]
                .append((interval.from, interval.until))
            if let post = interval.post {
                newBySlot[Slot(org: interval.org, post: post), default: []].append((interval.from, interval.until))
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
        if let rankQuotas {
            try verifyRankQuotas(rankQuotas, personID: personID, before: before, after: intervals, from: start)
        }
        return new.map { realIDs[$0.id]! }
    }

    private func verify(
        _ slot: Slot,
        personID: Int64,
        before: [(from: CivilDate, until: CivilDate?)],
        after: [(from: CivilDate, until: CivilDate?)],
        from start: CivilDate
    ) throws {
        let (quotaSQL, othersSQL, value, subject): (String, String, String, Headcount.Subject)
        if let post = slot.post {
            quotaSQL =
                "SELECT effective_on, approved FROM leadership_quota WHERE org_id = ? AND post = ? ORDER BY effective_on, id"
            othersSQL = """
                SELECT valid_from, valid_until FROM placement
                WHERE org_id = ? AND post = ? AND occupies = 1 AND person_id <> ?
                """
            value = post.code
            subject = .post(post)
        } else {
            let category = slot.category!
            quotaSQL =
                "SELECT effective_on, approved FROM establishment_quota WHERE org_id = ? AND category = ? ORDER BY effective_on, id"
            othersSQL = """
                SELECT valid_from, valid_until FROM placement
                WHERE org_id = ? AND category = ? AND occupies = 1 AND person_id <> ?
                """
            value = category.code
            subject = .category(category)
        }
        let quotas = try Row.fetchAll(db, sql: quotaSQL, arguments: [slot.org, value]).map {
            (try Decode.date($0[0]), $0[1] as Int)
        }
        let others = try Row.fetchAll(db, sql: othersSQL, arguments: [slot.org, value, personID]).map {
            (from: try Decode.date($0[0]), until: try ($0[1] as String?).map(Decode.date))
        }
        guard
            let breach = QuotaVerification.firstBreach(
                quotas: quotas,
                before: others + before,
                after: others + after,
                from: start
            )
        else { return }
        let name =
            try String.fetchOne(db, sql: "SELECT name FROM organization WHERE id = ?", arguments: [slot.org]) ?? "?"
        let refusal: QuotaTimeline.Refusal =
            breach.approved == nil
            ? .notEstablished(on: breach.date)
            : .noVacancy(on: breach.date, approved: breach.approved!, occupied: breach.occupied - 1)
        throw StoreError(.quota(refusal, orgName: name, subject: subject))
    }

    /// Checks the rank quotas (职级职数) of every organisation and band the person's old or new
    /// placements touch: refused or warned, as the policy says for that organisation.
    private mutating func verifyRankQuotas(
        _ policy: RankQuotaPolicy,
        personID: Int64,
        before: [Row],
        after: [TimelineFold.Interval],
        from start: CivilDate
    ) throws {
        struct BandSlot: Hashable {
            var org: Int64
            var band: String
        }
        var oldSpans: [BandSlot: [(from: CivilDate, until: CivilDate?)]] = [:]
        for row in before where (row["occupies"] as Int) == 1 {
            guard let rank = try Decode.codedOptional(Rank.self, row["rank"]) else { continue }
            for band in policy.bands(containing: rank) {
                oldSpans[BandSlot(org: row["org_id"], band: band.code), default: []]
                    .append((try Decode.date(row["valid_from"]), try (row["valid_until"] as String?).map(Decode.date)))
            }
        }
        var newSpans: [BandSlot: [(from: CivilDate, until: CivilDate?)]] = [:]
        for interval in after where interval.status.occupiesSlot {
            guard let rank = interval.rank else { continue }
            for band in policy.bands(containing: rank) {
                newSpans[BandSlot(org: interval.org, band: band.code), default: []].append(
                    (interval.from, interval.until)
                )
            }
        }
        for slot in Set(oldSpans.keys).union(newSpans.keys) {
            guard let band = policy.band(slot.band) else { continue }
            let quotas = try Row.fetchAll(
                db,
                sql:
                    "SELECT effective_on, approved FROM rank_quota WHERE org_id = ? AND band = ? ORDER BY effective_on, id",
                arguments: [slot.org, slot.band]
            ).map { (try Decode.date($0[0]), $0[1] as Int) }
            // An organisation with no rank quota for the band is not limited by it.
            guard let firstQuota = quotas.first else { continue }
            let ranks = band.ranks.map(\.code).sorted()
            var arguments: StatementArguments = [slot.org, personID]
            arguments += StatementArguments(ranks)
            let others = try Row.fetchAll(
                db,
                sql: """
                    SELECT valid_from, valid_until FROM placement
                    WHERE org_id = ? AND occupies = 1 AND person_id <> ?
                      AND rank IN (\(ranks.map { _ in "?" }.joined(separator: ",")))
                    """,
                arguments: arguments
            ).map { (from: try Decode.date($0[0]), until: try ($0[1] as String?).map(Decode.date)) }
            guard
                let breach = QuotaVerification.firstBreach(
                    quotas: quotas,
                    before: others + (oldSpans[slot] ?? []),
                    after: others + (newSpans[slot] ?? []),
                    from: max(start, firstQuota.0)
                )
            else { continue }
            let row = try Row.fetchOne(
                db,
                sql: "SELECT code, name FROM organization WHERE id = ?",
                arguments: [slot.org]
            )
            let code = try CreditCode(row?["code"] ?? "")
            let name: String = row?["name"] ?? "?"
            let message =
                "\(name) exceeds its rank quota \(band.name) (\(band.code)) on \(breach.date): "
                + "\(breach.approved ?? 0) approved, \(breach.occupied) would hold it."
            switch policy.enforcement(for: code) {
            case .refuse: throw StoreError(.invalid(message))
            case .warn: warnings.append(message)
            }
        }
    }
}
