import DossierCore
import DossierStorage

/// The one writer of placements. Applies an action to a person's timeline inside the caller's
/// transaction: folds the whole timeline with it under the status machine in force at each
/// action's date, records the action rows, replaces the person's placements with the fold's,
/// and checks every quota the change touches with `QuotaTimeline.firstBreach`. A new hire, an
/// approved draft, a rehire and an exit all come through here; a bulk import (`HireBatch`) files
/// hires through `record`, with the same fold, the same rows and the same quota algorithm.
struct TimelineWriter {
    let tx: any StorageTransaction
    /// The node's policies: the status machine, rank quotas and the promotion policy, each
    /// asked at the date concerned.
    let policies: PolicySet
    /// Rank quotas exceeded, or a promotion not yet due, where the policy only warns, in words
    /// for the person approving.
    private(set) var warnings: [String] = []

    init(_ tx: any StorageTransaction, policies: PolicySet) {
        self.tx = tx
        self.policies = policies
    }

    /// A correction or cancellation must amend an original action of the person that is still in
    /// force: not another amendment (amend the original instead) and not one already cancelled.
    static func checkAmendable(_ target: Int64?, kind: ActionKind, in recorded: [TimelineFold.Action]) throws {
        guard let target, let original = recorded.first(where: { $0.id == target }) else {
            throw RuleRefusal.refused(
                "\(kind.chineseName) must name an action on this person's timeline.",
                zh: "\(kind.chineseName)须针对该人员任职经历中的一项人事行为。"
            )
        }
        guard !original.kind.changesDetails else {
            throw RuleRefusal.refused(
                "Action \(target) is a \(original.kind.chineseName) of personal details; record another change "
                    + "(change-details), or a correction of the filed details (correct-details), instead.",
                zh:
                    "人事行为 \(target) 是个人信息的\(original.kind.chineseName)；请另行办理个人信息变更（change-details），或对已建档信息办理更正（correct-details）。"
            )
        }
        guard !original.kind.amendsEarlierAction else {
            throw RuleRefusal.refused(
                "Action \(target) is itself a \(original.kind.chineseName); amend the original action "
                    + "\(original.target.map(String.init) ?? "").",
                zh:
                    "人事行为 \(target) 本身就是\(original.kind.chineseName)；请针对原人事行为 \(original.target.map(String.init) ?? "") 办理。"
            )
        }
        guard !recorded.contains(where: { $0.kind == .cancel && $0.target == target }) else {
            throw RuleRefusal.refused(
                "Action \(target) is already cancelled (撤销); it cannot be amended again.",
                zh: "人事行为 \(target) 已被撤销，不能再次更正或撤销。"
            )
        }
    }

    /// Where the person stands on `date` (not necessarily their latest placement: a later action
    /// may already be scheduled).
    private static func placement(on date: CivilDate, in intervals: [TimelineFold.Interval]) -> TimelineFold.Interval? {
        intervals.last { $0.from <= date && ($0.until.map { $0 > date } ?? true) }
    }

    /// What approving a draft would record, worked out without writing anything.
    struct Plan {
        /// The person's actions on file.
        var recorded: [TimelineFold.Action]
        /// Their placements before the draft.
        var before: [TimelineFold.Interval]
        /// The actions the draft adds (provisional ids; two for a transfer within the node).
        var new: [TimelineFold.Action]
        /// Their placements after it.
        var intervals: [TimelineFold.Interval]
    }

    /// Works out what approving `draft` would record, refusing what the status machine or the
    /// rank ladder in force at each date, or the promotion rules, do not allow. Reads only: a
    /// draft is checked this way when it is written, so a promotion drafted downwards is refused
    /// at once rather than in the approver's queue. Quotas are left to `apply`, at approval (a
    /// vacancy may open or close meanwhile).
    mutating func plan(_ draft: ActionDraftInput) throws -> Plan {
        let personID = draft.personID
        let recorded = try tx.recordedActions(of: personID)
        if draft.kind.changesDetails { return try planDetails(draft, recorded: recorded) }
        if draft.kind.amendsEarlierAction {
            try Self.checkAmendable(draft.targetActionID, kind: draft.kind, in: recorded)
        }
        let orgID = try draft.orgCode.map { code -> Int64 in
            guard let id = try tx.organizationID(code) else { throw RuleRefusal.unknownOrganization(code) }
            return id
        }
        let before = try tx.placements(of: personID)
        let provisional = Int64.max - 16
        var new: [TimelineFold.Action] = []
        if draft.kind == .transferIn, let current = Self.placement(on: draft.effectiveOn, in: before),
            current.org != orgID, current.status.occupiesSlot
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

        let intervals = try Self.fold(recorded + new, policies: policies)
        if draft.kind == .promote { try checkEligibility(draft, before: before) }
        return Plan(recorded: recorded, before: before, new: new, intervals: intervals)
    }

    /// The date a person was filed: that of the first action in force on their timeline (their
    /// hire); nil for someone never placed.
    static func filingDate(in recorded: [TimelineFold.Action]) -> CivilDate? {
        TimelineFold.effective(recorded).first?.effectiveOn
    }

    /// A change of personal details places nobody: the placements stay as they are. A change
    /// takes effect on its date, which cannot come before the person was filed (what was true
    /// then is corrected instead); a correction takes effect from the filing date.
    private func planDetails(_ draft: ActionDraftInput, recorded: [TimelineFold.Action]) throws -> Plan {
        guard let details = draft.details, !details.isEmpty else {
            throw RuleRefusal.refused(
                "\(draft.kind.chineseName) must state at least one personal detail.",
                zh: "\(draft.kind.chineseName)至少须写明一项个人信息。"
            )
        }
        guard let filed = Self.filingDate(in: recorded) else {
            throw RuleRefusal.refused(
                "The person has no placement yet: their details are changed once they are filed.",
                zh: "该人员尚未安置：建档后才能变更其个人信息。"
            )
        }
        switch draft.kind {
        case .correctDetails where draft.effectiveOn != filed:
            throw RuleRefusal.refused(
                "A correction of the filed details (信息更正) takes effect from the filing date, \(filed), not \(draft.effectiveOn).",
                zh: "已建档信息的更正（信息更正）自建档日期 \(filed) 起生效，而不是 \(draft.effectiveOn)。"
            )
        case .changeDetails where draft.effectiveOn < filed:
            throw RuleRefusal.refused(
                "The change is dated \(draft.effectiveOn), before the person was filed on \(filed): what was true when "
                    + "they were filed is corrected instead (correct-details).",
                zh: "变更日期 \(draft.effectiveOn) 早于该人员建档日期 \(filed)：建档时的信息应办理更正（correct-details）。"
            )
        default:
            break
        }
        let before = try tx.placements(of: draft.personID)
        let action = TimelineFold.Action(id: Int64.max - 16, kind: draft.kind, effectiveOn: draft.effectiveOn)
        return Plan(recorded: recorded, before: before, new: [action], intervals: before)
    }

    /// Records an approved change of personal details: the action, whose row shows where the
    /// person stood on its date, and what it states beside it. No placement and no quota moves.
    private mutating func applyDetails(_ draft: ActionDraftInput, by actor: String) throws -> [Int64] {
        let plan = try plan(draft)
        guard let action = plan.new.first, let details = draft.details,
            let standing = Self.placement(on: draft.effectiveOn, in: plan.before) ?? plan.before.first
        else {
            throw RuleRefusal.refused(
                "The action leaves the person with no placement to record.",
                zh: "该人事行为办理后，该人员将没有可记录的安置。"
            )
        }
        let id = try tx.insertAction(ActionRecord(action, of: draft.personID, leadingTo: standing), by: actor)
        try tx.insertDetailsChange(details, actionID: id, personID: draft.personID)
        return [id]
    }

    /// Applies one action; returns the ids of the actions recorded (two for a transfer between
    /// two organisations of this node).
    mutating func apply(_ draft: ActionDraftInput, by actor: String) throws -> [Int64] {
        if draft.kind.changesDetails { return try applyDetails(draft, by: actor) }
        let personID = draft.personID
        let plan = try plan(draft)
        let (recorded, before, new) = (plan.recorded, plan.before, plan.new)
        var intervals = plan.intervals

        // Record the new rows: each carries the placement it leads to (amendments: their target's).
        var realIDs: [Int64: Int64] = [:]
        for action in new {
            var record = ActionRecord(action, of: personID, in: intervals)
            if record == nil, action.kind == .cancel, let target = action.target,
                let cancelled = try tx.actionRecord(target)
            {
                // Cancelling a hire filed in error leaves no placement at all: the row shows the
                // placement the cancelled action had recorded.
                record = cancelled
                record!.kind = .cancel
                record!.effectiveOn = action.effectiveOn
                record!.target = target
                record!.stated = action.statedFields
            }
            guard let record else {
                throw RuleRefusal.refused(
                    "The action leaves the person with no placement to record.",
                    zh: "该人事行为办理后，该人员将没有可记录的安置。"
                )
            }
            realIDs[action.id] = try tx.insertAction(record, by: actor)
        }
        for index in intervals.indices {
            intervals[index].actionID = realIDs[intervals[index].actionID] ?? intervals[index].actionID
        }
        try tx.replacePlacements(of: personID, with: intervals)

        // Verify every quota the person's old or new placements touch, from the earliest date changed.
        var start = new.map(\.effectiveOn).min()!
        for action in new {
            if let target = action.target, let old = recorded.first(where: { $0.id == target }) {
                start = min(start, old.effectiveOn)
            }
        }
        let oldBySlot = spansBySlot(before)
        let newBySlot = spansBySlot(intervals)
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

    /// A promotion asks the promotion policy whether the person is eligible on its date (time in
    /// rank, grades, sanctions), for civil servants and staff managed as such. Asked here, for the
    /// action being recorded only: later grades never re-judge promotions already on the
    /// timeline. Refused with the first rule not met, or, where the policy only warns, let
    /// through with that rule as a warning.
    private mutating func checkEligibility(_ draft: ActionDraftInput, before: [TimelineFold.Interval]) throws {
        let date = draft.effectiveOn
        guard let policy = policies.promotion?.at(date),
            let placement = Self.placement(on: date, in: before),
            AssessmentScale(placement.category) == .civilService
        else { return }
        let record = PromotionRules.Record(
            placements: before,
            assessments: try tx.assessments(of: draft.personID).filter { $0.state == .final }.map(\.assessment),
            sanctions: try tx.sanctions(of: draft.personID).map(\.sanction)
        )
        let explanation = PromotionRules.explain(
            record,
            policy: policy,
            ladder: policies.rankLadder.at(date),
            asOf: date
        )
        guard !explanation.eligible, let unmet = explanation.firstUnmet else { return }
        switch policy.enforcement {
        case .refuse:
            throw RuleRefusal.refused(
                "The promotion cannot be approved: the person is not eligible on \(date). \(unmet)",
                zh: "晋升不能批准：该人员在 \(date) 不符合晋升条件。\(explanation.unmet?.chineseText ?? "")"
            )
        case .warn:
            warnings.append("The person is not eligible for promotion on \(date): \(unmet)")
        }
    }

    /// The fold of a whole timeline under the status machine in force at each action's date, its
    /// refusal worded for the person recording the action.
    static func fold(_ actions: [TimelineFold.Action], policies: PolicySet) throws -> [TimelineFold.Interval] {
        do {
            return try TimelineFold.fold(
                actions,
                machine: policies.statusMachine,
                ladder: policies.rankLadder
            )
        } catch {
            throw RuleRefusal.refused(
                "The action cannot be recorded. \(error.description)",
                zh: "该人事行为不能记录。\(error.chineseDescription)"
            )
        }
    }

    /// The quotas each occupied interval counts against.
    private func spansBySlot(_ intervals: [TimelineFold.Interval]) -> [QuotaSlot: [QuotaSlot.Span]] {
        var spans: [QuotaSlot: [QuotaSlot.Span]] = [:]
        for interval in intervals where interval.status.occupiesSlot {
            for slot in QuotaSlot.slots(
                org: interval.org,
                category: interval.category,
                post: interval.post,
                rank: interval.rank,
                rankQuotas: policies.rankQuotas.at(interval.from)
            ) {
                spans[slot, default: []].append((interval.from, interval.until))
            }
        }
        return spans
    }

    /// Refuses the change if it raises the slot's occupancy above its approved number on any date
    /// from `start` on. Where the rank quota policy only warns, the breach becomes a warning.
    private mutating func verify(
        _ slot: QuotaSlot,
        personID: Int64,
        before: [QuotaSlot.Span],
        after: [QuotaSlot.Span],
        from start: CivilDate
    ) throws {
        let timeline = QuotaTimeline(
            quotas: try tx.quotaHistory(slot),
            occupancy: try tx.occupancy(slot, excludingPerson: personID),
            limitsOnlyOnceEstablished: slot.limitsOnlyOnceEstablished
        )
        guard let breach = timeline.firstBreach(before: before, after: after, from: start) else { return }
        let organization = try tx.organization(id: slot.org)
        let name = organization?.name ?? "?"
        let policy = policies.rankQuotas.at(breach.date)
        if case .rankBand(_, let code, _) = slot, let band = policy.band(code),
            let orgCode = try? CreditCode(organization?.code ?? ""), policy.enforcement(for: orgCode) == .warn
        {
            warnings.append(
                "\(name) exceeds its rank quota \(band.name) (\(band.code)) on \(breach.date): "
                    + "\(breach.approved ?? 0) approved, \(breach.occupied) would hold it."
            )
            return
        }
        throw RuleRefusal.quota(breach.refusal, orgName: name, subject: slot.subject)
    }
}
