public import DossierCore
public import DossierStorage

/// One person's promotion answer, as a list shows it.
public struct PromotionCandidate: Sendable, Hashable {
    public var personID: Int64
    public var name: String
    public var org: CreditCode
    public var explanation: PromotionExplanation
}

extension Dossier {
    /// Records a disciplinary sanction (处分) on a person's file, optionally pointing at the
    /// class-8 archive document filed for it. Audited (`sanction.record`).
    public func recordSanction(
        personID: Int64,
        kind: SanctionKind,
        on date: CivilDate,
        reference: String? = nil,
        documentID: Int64? = nil
    ) async throws -> StoredSanction {
        try require(.writePeople)
        try await requireWithinReach(personID: personID, as: writingRole)
        guard date <= today else {
            throw ServiceError(.invalid, "The sanction date \(date) has not come yet.", zh: "处分日期 \(date) 尚未到来。")
        }
        let reference = try FreeText.optional(reference, "The reference", zh: "文号", maxLength: 200)
        let actor = actor.name
        return try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor)
                guard try tx.personExists(personID) else { throw RuleRefusal.unknownPerson(personID) }
                if let documentID {
                    guard let document = try tx.document(documentID), document.personID == personID else {
                        throw RuleRefusal.refused(
                            "Document \(documentID) is not in this person's file.",
                            zh: "材料 \(documentID) 不在该人员的档案中。"
                        )
                    }
                    guard document.archiveClass == .sanctions else {
                        throw RuleRefusal.refused(
                            "Document \(documentID) is filed in class \(document.archiveClass.code); a sanction's "
                                + "document belongs in class 8 (违规违纪违法处理处分类).",
                            zh: "材料 \(documentID) 归入第 \(document.archiveClass.code) 类；处分材料应归入第 8 类（违规违纪违法处理处分类）。"
                        )
                    }
                }
                let id = try tx.insertSanction(
                    NewSanction(personID: personID, kind: kind, on: date, reference: reference, documentID: documentID),
                    by: actor
                )
                try audit(
                    tx,
                    action: "sanction.record",
                    subject: "sanction:\(id)",
                    details: ["person": String(personID), "kind": kind.code, "on": date.description]
                )
                return try tx.sanction(id)!
            }
        }
    }

    /// Lifts a sanction early (解除处分) from `date`: its period ends that day.
    public func liftSanction(
        _ id: Int64,
        personID: Int64,
        on date: CivilDate,
        reference: String? = nil
    ) async throws
        -> StoredSanction
    {
        try require(.writePeople)
        try await requireWithinReach(personID: personID, as: writingRole)
        guard date <= today else {
            throw ServiceError(.invalid, "The date \(date) has not come yet.", zh: "日期 \(date) 尚未到来。")
        }
        let reference = try FreeText.optional(reference, "The reference", zh: "文号", maxLength: 200)
        let actor = actor.name
        return try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor)
                guard let sanction = try tx.sanction(id), sanction.personID == personID else {
                    throw ServiceError(
                        .notFound,
                        "Person \(personID) has no sanction \(id).",
                        zh: "档案号 \(personID) 的人员没有编号为 \(id) 的处分。"
                    )
                }
                guard sanction.liftedOn == nil else {
                    throw RuleRefusal.refused(
                        "Sanction \(id) was already lifted on \(sanction.liftedOn!).",
                        zh: "处分 \(id) 已于 \(sanction.liftedOn!) 解除。"
                    )
                }
                guard date >= sanction.on else {
                    throw RuleRefusal.refused(
                        "A sanction cannot be lifted before it took effect (\(sanction.on)).",
                        zh: "处分不能在生效（\(sanction.on)）之前解除。"
                    )
                }
                try tx.liftSanction(id, on: date, reference: reference, by: actor)
                try audit(
                    tx,
                    action: "sanction.lift",
                    subject: "sanction:\(id)",
                    details: ["person": String(personID), "on": date.description]
                )
                return try tx.sanction(id)!
            }
        }
    }

    /// A person's sanctions, oldest first.
    public func sanctions(personID: Int64) async throws -> [StoredSanction] {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        return try await mapErrors { try await store.sanctions(of: personID) }
    }

    /// Whether a person may be promoted to the next rank on `date`, with the whole reasoning.
    public func explainPromotion(personID: Int64, on date: CivilDate) async throws -> PromotionExplanation {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        let policy = try requirePromotionPolicy(on: date)
        let record = try await mapErrors { try await store.promotionRecord(of: personID) }
        guard !record.placements.isEmpty else {
            throw ServiceError(.notFound, "Person \(personID) holds no placement.", zh: "档案号 \(personID) 的人员没有安置。")
        }
        return PromotionRules.explain(record, policy: policy, ladder: policies.rankLadder.at(date), asOf: date)
    }

    /// Everyone in reach (under `org` when given) in post on `date` on the civil-service scale
    /// who is eligible for the next rank that day; with `all`, everyone else too, each with the
    /// first rule they do not meet. One pass over the node; `reasoning` adds each answer's steps.
    public func promotionCandidates(
        org: CreditCode?,
        on date: CivilDate,
        all: Bool,
        reasoning: Bool = false
    )
        async throws -> [PromotionCandidate]
    {
        var found: [PromotionCandidate] = []
        try await promotionCandidates(org: org, on: date, all: all, reasoning: reasoning) { found.append($0) }
        return found
    }

    /// The same list, handed to `body` one person at a time in file-number order, so a whole
    /// node's answer is never held at once.
    public func promotionCandidates(
        org: CreditCode?,
        on date: CivilDate,
        all: Bool,
        reasoning: Bool = false,
        _ body: (PromotionCandidate) throws -> Void
    ) async throws {
        try require(.readPeople)
        let policy = try requirePromotionPolicy(on: date)
        let ladder = policies.rankLadder.at(date)
        let organizations = try await mapErrors { try await store.organizations() }
        var scope = try await readableScope()
        if let org {
            let under = Set(OrganizationTree(organizations).subtree(of: org).map(\.id))
            guard !under.isEmpty, scope.map({ !$0.isDisjoint(with: under) }) ?? true else {
                throw ServiceError(
                    .notFound,
                    "There is no organisation \(org) within your organisations.",
                    zh: "您所管辖的机构中没有 \(org)。"
                )
            }
            scope = scope.map { $0.intersection(under) } ?? under
        }
        let codes = Dictionary(uniqueKeysWithValues: organizations.map { ($0.id, $0.code) })
        try await mapErrors {
            // Only the grades the rules look at: those whose years do not count, and 优秀.
            let grades = policy.uncountedGrades.union([.excellent])
            try await store.forEachPromotionRecord(
                on: date,
                within: scope,
                grades: reasoning ? Set(AssessmentGrade.allCases) : grades
            ) {
                personID,
                name,
                record in
                guard
                    let placement = record.placements.last(where: {
                        $0.from <= date && ($0.until.map { $0 > date } ?? true)
                    }),
                    AssessmentScale(placement.category) == .civilService,
                    let code = codes[placement.org]
                else { return }
                let explanation = PromotionRules.explain(
                    record,
                    policy: policy,
                    ladder: ladder,
                    asOf: date,
                    reasoning: reasoning
                )
                if all || explanation.eligible {
                    try body(PromotionCandidate(personID: personID, name: name, org: code, explanation: explanation))
                }
            }
        }
    }

    private func requirePromotionPolicy(on date: CivilDate) throws -> PromotionPolicy {
        guard let policy = policies.promotion?.at(date) else {
            throw ServiceError(
                .setup,
                "This node has no promotion policy (civil-service-ranks-2019.yaml).",
                zh: "本节点没有晋升政策（civil-service-ranks-2019.yaml）。"
            )
        }
        return policy
    }
}
