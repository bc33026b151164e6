public import DossierCore
public import DossierStorage
import Foundation

extension Dossier {
    /// Throws unless the acting user may act in `role` on every organisation in `orgs`. An
    /// organisation outside the user's scope is reported as not found, so its existence does
    /// not leak.
    private func requireScope(_ role: Role, over orgs: [CreditCode]) async throws {
        for org in orgs where !(try await mapErrors { try await store.mayAct(user: actor, as: role, on: org) }) {
            throw ServiceError(
                .notFound,
                "There is nothing of that kind within your organisations.",
                zh: "您所管辖的机构中没有这项内容。"
            )
        }
    }

    /// The role whose grants decide where the acting user may write: an administrator's own,
    /// otherwise an officer's (the role that writes records).
    var writingRole: Role { actor.role == .admin ? .admin : .officer }

    /// Throws "not found", worded as for a file number that does not exist, unless the person
    /// is within the acting user's reach in `role`: the organisation they belong to (their
    /// placement, or for someone never placed the organisation that filed them) is under one of
    /// the user's grants of that role. The one rule for acting on a person.
    func requireWithinReach(personID: Int64, as role: Role) async throws {
        if actor.role == .admin { return }
        guard let home = try await mapErrors({ try await store.homeOrganization(ofPerson: personID, today: today) }),
            try await mapErrors({ try await store.mayAct(user: actor, as: role, on: home) })
        else {
            throw ServiceError(
                .notFound,
                "No person with file number \(personID) is on file.",
                zh: "档案号为 \(personID) 的人员不在档。"
            )
        }
    }

    /// Drafts a personnel action (maker). It takes effect only when someone else approves it.
    /// A transfer-out to another agency's node names that agency and the reason (`transfer`),
    /// which its transfer package will carry.
    public func draftAction(_ input: ActionDraftInput, transfer: TransferOrder? = nil) async throws -> Int64 {
        try require(.draftActions)
        var input = input
        input.note = try FreeText.checked(input.note, "The note", zh: "备注", maxLength: 500, required: false)
        var transfer = transfer
        if let order = transfer {
            guard input.kind == .transferOut else {
                throw ServiceError(
                    .invalid,
                    "Only a transfer-out (调出) names a receiving agency (--to) and a reason.",
                    zh: "只有调出才需写明接收机关（--to）和调动原因。"
                )
            }
            transfer?.reason = try FreeText.checked(
                order.reason,
                "The reason for the transfer",
                zh: "调动原因",
                maxLength: 100
            )
            if let agency = try await agency(), agency.code == order.toAgency {
                throw ServiceError(
                    .invalid,
                    "A transfer goes to another agency; \(order.toAgency) is this node's own.",
                    zh: "调动应调往其他机关；\(order.toAgency) 是本节点自己的机关。"
                )
            }
        }
        input.rank = try readRank(input.rank, on: input.effectiveOn)
        input.details = try input.details.map(Self.checkedDetails)
        try checkStated(input)
        let role = writingRole
        try await requireWithinReach(personID: input.personID, as: role)
        let orgs = try await mapErrors { try await store.organizationsConcerned(by: input, today: today) }
        try await requireScope(role, over: orgs)
        return try await mapErrors { try await recordDraft(input, transfer: transfer) }
    }

    /// Records a draft once the caller is authorised; refusals as the store words them.
    func recordDraft(_ input: ActionDraftInput, transfer: TransferOrder? = nil) async throws -> Int64 {
        try await store.write { tx in
            let id = try writeDraft(input, in: tx)
            if let transfer { try tx.insertTransferOrder(transfer, draftID: id) }
            return id
        }
    }

    /// Writes a draft and its audit entry inside a write transaction another use case owns (a
    /// confirmed reconciliation case drafts its action in the same transaction that closes it).
    func writeDraft(_ input: ActionDraftInput, in tx: any StorageTransaction) throws -> Int64 {
        try tx.requireUser(actor.name)
        guard try tx.personExists(input.personID) else { throw RuleRefusal.unknownPerson(input.personID) }
        var input = input
        if input.kind == .correctDetails,
            let filed = TimelineWriter.filingDate(in: try tx.recordedActions(of: input.personID))
        {
            // A correction of the filed details is dated by the filing, whatever day it is drafted.
            input.effectiveOn = filed
        }
        let orgID = try input.orgCode.map { code in
            guard let id = try tx.organizationID(code) else { throw RuleRefusal.unknownOrganization(code) }
            return id
        }
        if input.kind.amendsEarlierAction {
            let recorded = try tx.recordedActions(of: input.personID)
            try TimelineWriter.checkAmendable(input.targetActionID, kind: input.kind, in: recorded)
        } else if input.targetActionID != nil {
            throw RuleRefusal.refused(
                "Only a correction or cancellation names an earlier action.",
                zh: "只有更正或撤销才针对此前的人事行为。"
            )
        }
        // Everything but the quotas is checked now, as approval will check it: the drafting
        // officer hears at once, not from the approver days later.
        var trial = TimelineWriter(tx, policies: policies)
        _ = try trial.plan(input)
        let id = try tx.insertDraft(input, orgID: orgID, by: actor.name)
        try audit(
            tx,
            action: "action.draft",
            subject: "draft:\(id)",
            details: [
                "person": String(input.personID), "kind": input.kind.rawValue,
                "effective_on": input.effectiveOn.description,
            ]
        )
        return id
    }

    /// A draft still waiting that the acting user may decide: maker-checker, whoever drafted an
    /// action can neither approve nor reject it.
    private func pendingDraft(_ id: Int64, in tx: any StorageTransaction) throws -> ActionDraft {
        let draft = try waitingDraft(id, in: tx)
        guard draft.draftedBy != actor.name else {
            throw RuleRefusal.refused(
                "Draft \(id) was drafted by \(actor.name); another person must approve or reject it.",
                zh: "草稿 \(id) 由 \(actor.name) 起草；须由另一人审批或退回。"
            )
        }
        return draft
    }

    /// A draft nobody has decided yet (approved, rejected or withdrawn).
    private func waitingDraft(_ id: Int64, in tx: any StorageTransaction) throws -> ActionDraft {
        guard let draft = try tx.draft(id) else {
            throw RuleRefusal.refused("There is no draft \(id).", zh: "没有编号为 \(id) 的草稿。")
        }
        guard draft.state == .draft else {
            throw RuleRefusal.refused(
                "Draft \(id) was already \(draft.state.rawValue) by \(draft.decidedBy ?? "?").",
                zh: "草稿 \(id) 已由 \(draft.decidedBy ?? "?") \(draft.state.chineseVerb)。"
            )
        }
        return draft
    }

    /// Refuses a draft that leaves out what its kind needs, or states what it cannot.
    func checkStated(_ input: ActionDraftInput) throws {
        if input.kind.changesDetails {
            guard input.orgCode == nil, input.category == nil, input.rank == nil, input.post == nil,
                input.status == nil, input.targetActionID == nil
            else {
                throw ServiceError(
                    .invalid,
                    "\(input.kind.chineseName) (\(input.kind.rawValue)) changes personal details only: it takes no "
                        + "organisation, category, rank, post, status or target.",
                    zh: "\(input.kind.chineseName)（\(input.kind.rawValue)）只变更个人信息：不填写机构、编制类别、职级、职务、状态或所针对的人事行为。"
                )
            }
            guard let details = input.details, !details.isEmpty else {
                throw ServiceError(
                    .invalid,
                    "\(input.kind.chineseName) (\(input.kind.rawValue)) needs at least one of: name, ethnicity, "
                        + "education, political status, phone.",
                    zh: "\(input.kind.chineseName)（\(input.kind.rawValue)）至少须填写以下一项：姓名、民族、学历、政治面貌、联系电话。"
                )
            }
            return
        }
        guard input.details == nil else {
            throw ServiceError(
                .invalid,
                "Only a change of personal details (change-details) or a correction of them (correct-details) "
                    + "states a name, ethnicity, education, political status or phone.",
                zh: "只有个人信息变更（change-details）或个人信息更正（correct-details）才填写姓名、民族、学历、政治面貌或联系电话。"
            )
        }
        if input.kind.amendsEarlierAction {
            guard input.targetActionID != nil else {
                throw ServiceError(
                    .invalid,
                    "\(input.kind.chineseName) must name the action it amends (--target).",
                    zh: "\(input.kind.chineseName)须写明所针对的人事行为（--target）。"
                )
            }
            return
        }
        guard let rule = statusMachine.at(input.effectiveOn).rules[input.kind] else {
            throw ServiceError(
                .invalid,
                "\(input.kind.chineseName) has no rule in the status machine.",
                zh: "\(input.kind.chineseName)在人员状态规则中没有相应规则。"
            )
        }
        var stated: Set<StatusMachine.Field> = []
        if input.orgCode != nil { stated.insert(.org) }
        if input.category != nil { stated.insert(.category) }
        if input.rank != nil { stated.insert(.rank) }
        if input.post != nil { stated.insert(.post) }
        let missing = rule.needs.subtracting(stated)
        guard missing.isEmpty else {
            let names = missing.map(\.rawValue).sorted().joined(separator: ", ")
            throw ServiceError(
                .invalid,
                "\(input.kind.chineseName) (\(input.kind.rawValue)) needs: \(names).",
                zh: "\(input.kind.chineseName)（\(input.kind.rawValue)）须填写：\(names)。"
            )
        }
        let extra = stated.subtracting(rule.needs.union(rule.may))
        guard extra.isEmpty else {
            let names = extra.map(\.rawValue).sorted().joined(separator: ", ")
            throw ServiceError(
                .invalid,
                "\(input.kind.chineseName) (\(input.kind.rawValue)) does not take: \(names).",
                zh: "\(input.kind.chineseName)（\(input.kind.rawValue)）不填写：\(names)。"
            )
        }
        if case .given = rule.outcome, input.status != .probation, input.status != .active {
            throw ServiceError(
                .invalid,
                "\(input.kind.chineseName) must say whether the person starts as 试用 or 在职.",
                zh: "\(input.kind.chineseName)须写明该人员起始状态为试用还是在职。"
            )
        }
    }

    /// The details a change states, checked as a filing checks them: a name trimmed and within
    /// the rules for names, a phone number that looks like one.
    static func checkedDetails(_ change: DetailsChange) throws -> DetailsChange {
        var change = change
        if let name = change.name {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            if let problem = PersonInput.nameProblem(trimmed) {
                throw ServiceError(.invalid, "The name is refused: \(problem)", zh: "姓名不予接受：含有不允许的字符，或长度不符合要求。")
            }
            change.name = trimmed
        }
        if let phone = change.phone {
            let trimmed = phone.trimmingCharacters(in: .whitespaces)
            guard PersonInput.isPlausiblePhone(trimmed) else {
                throw ServiceError(
                    .invalid,
                    "The phone number is refused: it has 5 to 20 digits, '+' and '-' only.",
                    zh: "联系电话不予接受：应为 5 至 20 位数字，只能含“+”和“-”。"
                )
            }
            change.phone = trimmed
        }
        return change
    }

    /// The organisations a stored draft concerns.
    private func organizations(of draft: ActionDraft) async throws -> [CreditCode] {
        try await mapErrors { try await store.organizationsConcerned(by: draft.input, today: today) }
    }

    private func scopedDraft(_ id: Int64, as role: Role) async throws -> ActionDraft {
        guard let draft = try await mapErrors({ try await store.draft(id) }) else {
            throw ServiceError(.notFound, "There is no draft \(id).", zh: "没有编号为 \(id) 的草稿。")
        }
        try await requireScope(actor.role == .admin ? .admin : role, over: try organizations(of: draft))
        return draft
    }

    /// Approves a draft (checker): records the action and re-derives the timeline, in one
    /// transaction; refused if the drafter approves, or if the status machine or a quota would
    /// break on any date from the action's on. Returns the recorded action numbers.
    @discardableResult
    public func approve(draft id: Int64) async throws -> ApprovalResult {
        try require(.approveActions)
        _ = try await scopedDraft(id, as: .approver)
        return try await mapErrors { try await recordApproval(of: id) }
    }

    /// Approves a draft once the caller is authorised: maker-checker, the one writer of
    /// placements and the audit entry, in one transaction.
    func recordApproval(of id: Int64) async throws -> ApprovalResult {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            let draft = try pendingDraft(id, in: tx)
            var writer = TimelineWriter(tx, policies: policies)
            let actionIDs = try writer.apply(draft.input, by: actor.name)
            try tx.markApproved(id, by: actor.name, action: actionIDs.last)
            try audit(
                tx,
                action: "action.approve",
                subject: "draft:\(id)",
                details: [
                    "person": String(draft.personID), "kind": draft.kind.rawValue,
                    "effective_on": draft.effectiveOn.description,
                    "actions": actionIDs.map(String.init).joined(separator: ","),
                    "warnings": String(writer.warnings.count),
                ]
            )
            return ApprovalResult(actionIDs: actionIDs, warnings: writer.warnings)
        }
    }

    /// Rejects a draft with a reason (checker); the draft stays, marked.
    public func reject(draft id: Int64, reason: String) async throws {
        try require(.approveActions)
        _ = try await scopedDraft(id, as: .approver)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        try await mapErrors { try await recordRejection(of: id, reason: reason) }
    }

    /// Rejects a draft once the caller is authorised (maker-checker holds here too).
    func recordRejection(of id: Int64, reason: String) async throws {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw RuleRefusal.refused("A rejection needs a reason.", zh: "退回须写明原因。")
        }
        try await store.write { tx in
            try tx.requireUser(actor.name)
            let draft = try pendingDraft(id, in: tx)
            try tx.markRejected(id, by: actor.name, reason: reason)
            try audit(
                tx,
                action: "action.reject",
                subject: "draft:\(id)",
                details: [
                    "person": String(draft.personID), "kind": draft.kind.rawValue, "reason": AuditText.masked(reason),
                ]
            )
        }
    }

    /// Withdraws a waiting draft (撤回): only the officer who drafted it may, before anyone has
    /// decided it; the draft stays, marked, with the reason.
    public func withdraw(draft id: Int64, reason: String) async throws {
        try require(.draftActions)
        _ = try await scopedDraft(id, as: writingRole)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        // A transfer received from another agency is answered to that agency (its link to the
        // draft is fixed when it is imported).
        guard try await mapErrors({ try await store.incomingTransfer(draftID: id) }) == nil else {
            throw ServiceError(
                .refused,
                "Draft \(id) is a transfer received from another agency; return it with 'dossier exchange refuse'.",
                zh: "草稿 \(id) 是从其他机关接收的调动；请用“dossier exchange refuse”退回。"
            )
        }
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                let draft = try waitingDraft(id, in: tx)
                guard draft.draftedBy == actor.name else {
                    throw RuleRefusal.refused(
                        "Draft \(id) was drafted by \(draft.draftedBy); only they may withdraw it (an approver rejects it).",
                        zh: "草稿 \(id) 由 \(draft.draftedBy) 起草；只有起草人可以撤回（审批人可以退回）。"
                    )
                }
                try tx.markWithdrawn(id, by: actor.name, reason: reason)
                try audit(
                    tx,
                    action: "action.withdraw",
                    subject: "draft:\(id)",
                    details: [
                        "person": String(draft.personID), "kind": draft.kind.rawValue,
                        "reason": AuditText.masked(reason),
                    ]
                )
            }
        }
    }

    /// Drafts within the user's scope, oldest first; `state` nil for all.
    public func drafts(
        state: ActionDraft.State? = .draft,
        after: Int64 = 0,
        limit: Int = 100
    ) async throws -> [ActionDraft] {
        try require(.readPeople)
        // Each user sees the drafts within the scope of their own role: pages are read until
        // `limit` of those are found or there are no more, so a full answer means "maybe more".
        let role = actor.role
        var within: [ActionDraft] = []
        var cursor = after
        while within.count < limit {
            let page = try await mapErrors { try await store.drafts(state: state, after: cursor, limit: limit) }
            for draft in page where within.count < limit {
                guard let organizations = try? await organizations(of: draft) else { continue }
                var mayAct = true
                for organization in organizations where mayAct {
                    mayAct = (try? await store.mayAct(user: actor, as: role, on: organization)) ?? false
                }
                if mayAct { within.append(Self.masked(draft)) }
            }
            guard page.count == limit, let last = page.last else { break }
            cursor = last.id
        }
        return within
    }

    /// One draft, if within scope.
    public func draft(_ id: Int64) async throws -> ActionDraft {
        try require(.readPeople)
        return Self.masked(try await scopedDraft(id, as: actor.role))
    }

    /// A draft as shown to its readers: a phone number it states masked, as on the person's file.
    private static func masked(_ draft: ActionDraft) -> ActionDraft {
        var draft = draft
        draft.details = draft.details.map(PersonInput.masked)
        return draft
    }

    /// Limits a user's role to an organisation subtree (admin only).
    public func grant(user: String, role: Role, org: CreditCode?) async throws {
        try require(.manageUsers)
        try await mapErrors { try await recordGrant(user: user, role: role, org: org) }
    }

    /// Removes a grant (admin only).
    public func revoke(user: String, role: Role, org: CreditCode?) async throws {
        try require(.manageUsers)
        try await mapErrors { try await recordRevocation(user: user, role: role, org: org) }
    }

    /// A user's grants (admin only).
    public func grants(of user: String) async throws -> [(role: Role, org: CreditCode?)] {
        try require(.manageUsers)
        return try await mapErrors { try await store.grants(of: user) }
    }
}
