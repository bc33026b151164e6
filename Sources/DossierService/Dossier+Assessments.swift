public import DossierCore
public import DossierStorage

/// An annual assessment grade to record (`dossier assessment record`).
public struct AssessmentInput: Sendable, Hashable {
    public var personID: Int64
    public var year: Int
    public var grade: AssessmentGrade
    /// Why no grade was set (不定等次, required then), or a note.
    public var reason: String?
    /// The day the grade was decided and notified; nil: the day it is recorded.
    public var decidedOn: CivilDate?

    public init(personID: Int64, year: Int, grade: AssessmentGrade, reason: String? = nil, decidedOn: CivilDate? = nil)
    {
        self.personID = personID
        self.year = year
        self.grade = grade
        self.reason = reason
        self.decidedOn = decidedOn
    }
}

/// One grade filed by `fileAssessment`, with what its caller goes on with.
struct FiledAssessment {
    var id: Int64
    /// The organisation and scale of the person's placement at the year's end.
    var orgID: Int64
    var scale: AssessmentScale
    /// The person's placements as read for the filing (what follows from the grade reads them).
    var placements: [TimelineFold.Interval]
    /// The 优秀 share's warnings.
    var warnings: [String]
}

/// What recording or approving a grade did.
public struct AssessmentOutcome: Sendable, Hashable {
    public var assessment: StoredAssessment
    /// The 优秀 share above its usual level, in words for the person recording.
    public var warnings: [String]
    /// The demotion a final failing grade drafted, waiting for an approver.
    public var demotionDraftID: Int64?
}

extension Dossier {
    /// Records an annual assessment grade (年度考核). Final at once when an administrator records
    /// it; otherwise it waits for an approver, and only final grades count. Refused: a grade not
    /// of the person's scale (事业单位 staff are graded 优秀/合格/基本合格/不合格), 不定等次
    /// without a reason, a second grade for the year, a grade a sanction of that year does not
    /// allow, and an 优秀 above the refusing share of the organisation's year. One transaction,
    /// audited (`assessment.record`).
    public func recordAssessment(_ input: AssessmentInput) async throws -> AssessmentOutcome {
        try require(.writePeople)
        try await requireWithinReach(personID: input.personID, as: writingRole)
        let decidedOn = input.decidedOn ?? today
        guard decidedOn <= today else {
            throw ServiceError(
                .invalid,
                "The decision date \(decidedOn) has not come yet; record the grade once it is decided.",
                zh: "决定日期 \(decidedOn) 尚未到来；请在等次确定后再录入。"
            )
        }
        guard decidedOn.year >= 1950 else {
            throw ServiceError(
                .invalid,
                "The decision date \(decidedOn) is before 1950; give the day the grade was decided.",
                zh: "决定日期 \(decidedOn) 早于 1950 年；请填写等次确定的日期。"
            )
        }
        guard input.year >= 1950, input.year <= decidedOn.year else {
            throw ServiceError(
                .invalid,
                "The year \(input.year) cannot have been graded by \(decidedOn) (a year is graded once it has begun).",
                zh: "\(input.year) 年度不可能在 \(decidedOn) 前评定等次（年度开始后才能评定）。"
            )
        }
        let reason = try FreeText.optional(input.reason, "The reason", zh: "原因", maxLength: 200)
        if input.grade == .undetermined, reason == nil {
            throw ServiceError(
                .invalid,
                "不定等次 needs a reason (for example 试用期, 病事假超过半年, 处分期内, 立案审查中): give --reason.",
                zh: "不定等次须写明原因（如试用期、病事假超过半年、处分期内、立案审查中）：请填写 --reason。"
            )
        }
        let state: AssessmentState = actor.role == .admin ? .final : .pending
        return try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                let filed = try fileAssessment(
                    input,
                    decidedOn: decidedOn,
                    reason: reason,
                    state: state,
                    reach: nil,
                    in: tx
                )
                let draftID =
                    state == .final
                    ? try consequences(ofFinal: filed.id, placements: filed.placements, in: tx)
                    : nil
                return AssessmentOutcome(
                    assessment: try tx.assessment(filed.id)!,
                    warnings: filed.warnings,
                    demotionDraftID: draftID
                )
            }
        }
    }

    /// Files one grade inside the caller's transaction, with every check that concerns the
    /// grade alone, and (unless `checkShare` is false: an import checks the share once for the
    /// whole file) the 优秀 share. `reach`: the organisations the grade may be filed in (nil:
    /// any).
    func fileAssessment(
        _ input: AssessmentInput,
        decidedOn: CivilDate,
        reason: String?,
        state: AssessmentState,
        reach: Set<Int64>?,
        checkShare: Bool = true,
        in tx: any StorageTransaction
    ) throws -> FiledAssessment {
        guard try tx.personExists(input.personID) else { throw RuleRefusal.unknownPerson(input.personID) }
        // The organisation and category the person held at the end of the year (or on the
        // decision day, for a year not yet over), which decide the scale and the share.
        let yearEnd = min(CivilDate(year: input.year, month: 12, day: 31)!, decidedOn)
        let yearStart = CivilDate(year: input.year, month: 1, day: 1)!
        let placements = try tx.placements(of: input.personID)
        guard
            let placement = placements.last(where: { $0.from <= yearEnd && ($0.until.map { $0 > yearStart } ?? true) })
        else {
            throw RuleRefusal.refused(
                "The person held no post in \(input.year); there is nothing to grade.",
                zh: "该人员在 \(input.year) 年度没有任职，无从评定等次。"
            )
        }
        if let reach, !reach.contains(placement.org) { throw RuleRefusal.unknownPerson(input.personID) }
        let scale = AssessmentScale(placement.category)
        guard scale.grades.contains(input.grade) else {
            throw RuleRefusal.refused(
                "\(input.grade.chineseName) is not a grade for \(scale.chineseName) staff; use "
                    + scale.grades.map(\.chineseName).joined(separator: ", ") + ".",
                zh: "\(input.grade.chineseName)不是\(scale.chineseName)人员的考核等次；请使用"
                    + scale.grades.map(\.chineseName).joined(separator: "、") + "。"
            )
        }
        let sanctions = try tx.sanctions(of: input.personID).map(\.sanction)
        if let refusal = Assessment.sanctionRefusal(grade: input.grade, year: input.year, sanctions: sanctions) {
            throw RuleRefusal.refused("The grade cannot be recorded: \(refusal).", zh: "考核等次不能录入：与该人员所受处分的规定不符。")
        }
        let id = try tx.insertAssessment(
            NewAssessment(
                personID: input.personID,
                orgID: placement.org,
                year: input.year,
                grade: input.grade,
                reason: reason,
                decidedOn: decidedOn,
                state: state
            ),
            by: actor.name
        )
        var warnings: [String] = []
        if checkShare, input.grade == .excellent {
            warnings = try checkExcellentShare(
                orgID: placement.org,
                year: input.year,
                scale: scale,
                on: decidedOn,
                in: tx
            )
        }
        try audit(
            tx,
            action: "assessment.record",
            subject: "assessment:\(id)",
            details: [
                "person": String(input.personID), "year": String(input.year), "grade": input.grade.code,
                "state": state.rawValue,
            ]
        )
        return FiledAssessment(id: id, orgID: placement.org, scale: scale, placements: placements, warnings: warnings)
    }

    /// The 优秀 share of one organisation's year, with the grades filed so far in this
    /// transaction: throws where the policy refuses, returns the warnings where it only warns.
    /// Those assessed: the grades recorded, or the people in post at the year's end if more
    /// (grades may be entered in any order).
    func checkExcellentShare(
        orgID: Int64,
        year: Int,
        scale: AssessmentScale,
        on date: CivilDate,
        in tx: any StorageTransaction
    ) throws -> [String] {
        guard let policy = policies.assessment(scale, on: date) else { return [] }
        let count = try tx.gradeCount(orgID: orgID, year: year)
        guard
            let breach = policy.excellentShareBreach(
                excellent: count.excellent,
                assessed: max(count.assessed, count.inPost)
            )
        else { return [] }
        let org = try tx.organization(id: orgID)?.name ?? count.org.value
        let sentence = "优秀 share of \(org) for \(year): \(breach.reason)."
        if breach.enforcement == .refuse {
            throw RuleRefusal.refused(
                "The grade cannot be recorded. \(sentence)",
                zh: "考核等次不能录入：\(org) \(year) 年度的优秀比例超出规定。"
            )
        }
        return [sentence]
    }

    /// Approves a pending grade (checker: not the one who recorded it); it counts from now on.
    public func approveAssessment(_ id: Int64) async throws -> AssessmentOutcome {
        try await decideAssessment(id, approve: true, reason: nil)
    }

    /// Rejects a pending grade with a reason; it stays, marked, and the year may be graded again.
    public func rejectAssessment(_ id: Int64, reason: String) async throws {
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        _ = try await decideAssessment(id, approve: false, reason: reason)
    }

    private func decideAssessment(_ id: Int64, approve: Bool, reason: String?) async throws -> AssessmentOutcome {
        try require(.approveActions)
        let actor = actor.name
        // A grade outside the approver's reach is answered as one that does not exist.
        let notWaiting = ServiceError(
            .notFound,
            "No assessment grade \(id) is waiting for a decision.",
            zh: "没有编号为 \(id) 的待审批考核等次。"
        )
        guard let found = try await mapErrors({ try await store.assessment(id) }), found.state == .pending else {
            throw notWaiting
        }
        do { try await requireWithinReach(personID: found.personID, as: .approver) } catch { throw notWaiting }
        return try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor)
                guard let current = try tx.assessment(id), current.state == .pending else {
                    throw RuleRefusal.refused(
                        "Assessment grade \(id) was decided meanwhile; nothing was changed.",
                        zh: "考核等次 \(id) 已在此期间被审批，未作任何更改。"
                    )
                }
                guard current.recordedBy != actor else {
                    throw RuleRefusal.refused(
                        "You recorded this grade; another approver must decide it.",
                        zh: "该考核等次由您录入；须由另一位审批人审批。"
                    )
                }
                try tx.decideAssessment(id, state: approve ? .final : .rejected, reason: reason, by: actor)
                try audit(
                    tx,
                    action: approve ? "assessment.approve" : "assessment.reject",
                    subject: "assessment:\(id)",
                    details: ["person": String(current.personID), "year": String(current.year)]
                )
                let draftID =
                    approve
                    ? try consequences(ofFinal: id, placements: try tx.placements(of: current.personID), in: tx) : nil
                return AssessmentOutcome(assessment: try tx.assessment(id)!, warnings: [], demotionDraftID: draftID)
            }
        }
    }

    /// What a grade becoming final sets going: a failing grade drafts a demotion by one rank
    /// where the policy says so (公务员法 §50), for an approver to decide; failing grades in as
    /// many consecutive years as the policy names open a case (failing-grades) in the case list,
    /// whose confirmation drafts the dismissal.
    func consequences(
        ofFinal id: Int64,
        placements: [TimelineFold.Interval],
        in tx: any StorageTransaction
    ) throws -> Int64? {
        guard let grade = try tx.assessment(id), grade.grade.isFailing else { return nil }
        let on = grade.decidedOn
        guard let placement = placements.last(where: { $0.from <= on && ($0.until.map { $0 > on } ?? true) }),
            placement.status.occupiesSlot,
            let policy = policies.assessment(AssessmentScale(placement.category), on: on)
        else { return nil }
        if let needed = policy.consecutiveFailuresForCase {
            try openFailingGradesCase(grade, needed: needed, orgID: placement.org, in: tx)
        }
        guard policy.failureDraftsDemotion, let rank = placement.rank,
            let lower = policies.rankLadder.at(on).lower(than: rank)
        else { return nil }
        return try writeDraft(
            ActionDraftInput(
                personID: grade.personID,
                kind: .demote,
                effectiveOn: on,
                rank: lower,
                note: "年度考核\(grade.year)年不称职: 职级降低一级 (assessment \(id))"
            ),
            in: tx
        )
    }

    /// Opens a failing-grades case when the years up to `grade`'s are all final failing grades,
    /// `needed` of them in a row (unless one is open already).
    private func openFailingGradesCase(
        _ grade: StoredAssessment,
        needed: Int,
        orgID: Int64,
        in tx: any StorageTransaction
    ) throws {
        let failing = Set(
            try tx.assessments(of: grade.personID).filter { $0.state == .final && $0.grade.isFailing }.map(\.year)
        )
        let years = Array((grade.year - needed + 1)...grade.year)
        guard years.allSatisfy(failing.contains),
            let subject = try tx.identityIndex(ofPerson: grade.personID),
            try tx.openCase(rule: .failingGrades, subject: subject) == nil
        else { return }
        let due = policies.reconciliation?.at(today).due(.failingGrades) ?? 30
        let yearList = years.map(String.init).joined(separator: ", ")
        let id = try tx.insertCase(
            NewCase(
                rule: .failingGrades,
                subject: subject,
                personID: grade.personID,
                sealedIdentity: nil,
                name: nil,
                orgID: orgID,
                openedOn: today,
                dueOn: today.adding(days: due),
                evidence: CaseEvidence(
                    feedID: nil,
                    rows: [],
                    actions: [],
                    facts: ["years": yearList, "grade": grade.grade.chineseName, "from": grade.decidedOn.description]
                ),
                fingerprint: "failing-grades:\(yearList)"
            ),
            by: actor.name
        )
        try audit(
            tx,
            action: "case.open",
            subject: "case:\(id)",
            details: ["rule": ReconciliationRule.failingGrades.rawValue, "person": String(grade.personID)]
        )
    }

    /// A person's grades, every state, oldest year first.
    public func assessments(personID: Int64) async throws -> [StoredAssessment] {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        return try await mapErrors { try await store.assessments(of: personID) }
    }

    /// Grades waiting for an approver, within the acting user's reach.
    public func pendingAssessments(limit: Int = 100, offset: Int = 0) async throws -> [StoredAssessment] {
        try require(.readPeople)
        let scope = try await readableScope()
        let pending = try await mapErrors { try await store.pendingAssessments(limit: limit, offset: offset) }
        guard let scope else { return pending }
        return pending.filter { scope.contains($0.orgID) }
    }

    /// The 优秀 share per organisation in reach for one year, with what the policy says of it.
    public func gradeCounts(year: Int) async throws -> [(count: GradeCount, breach: String?)] {
        try require(.readAggregates)
        let scope = try await readableScope()
        let counts = try await mapErrors { try await store.gradeCounts(year: year, within: scope) }
        guard let yearEnd = CivilDate(year: year, month: 12, day: 31), year >= 1950 else {
            throw ServiceError(.invalid, "\(year) is not a year that can have been graded.", zh: "\(year) 不是可以评定等次的年度。")
        }
        let policy = policies.promotion?.at(yearEnd).assessment
        return counts.map { count in
            let breach = policy?.excellentShareBreach(
                excellent: count.excellent,
                assessed: max(count.assessed, count.inPost)
            )
            return (count, breach?.reason)
        }
    }
}
