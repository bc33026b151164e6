public import DossierCore
import DossierStorage

/// Where a person stands on one date: their placement as the timeline folds it.
public struct Standing: Sendable, Hashable {
    public var orgCode: String
    public var orgName: String
    public var category: EstablishmentCategory
    public var rank: Rank?
    public var post: LeadershipPost?
    public var status: PersonStatus

    /// One line for a person reading a queue: "单位 · 编制类型 · 职级 · 领导职务 · 状态".
    public func text(rankName: (Rank) -> String) -> String {
        [orgName, category.chineseName, rank.map(rankName), post?.chineseName, status.chineseName]
            .compactMap { $0 }.joined(separator: " · ")
    }
}

/// What approving a draft would do to its person, for the approver's queue: where they stand on
/// the draft's date, where they would stand after it (as the fold derives it, never a copy kept
/// with the draft), and the fields that change; or why approving it would be refused now.
/// Quotas are left out: approval checks them against the occupancy of that moment.
public struct DraftPreview: Sendable, Hashable {
    public var current: Standing?
    public var after: Standing?
    /// Why the status machine, the rank ladder or the promotion rules refuse it now; nil if not.
    public var refusal: String?
    /// For a change or correction of personal details: each detail it changes, (field, in force
    /// the day before, after); the phone masked.
    public var details: [DetailDifference] = []

    /// One personal detail a draft changes.
    public struct DetailDifference: Sendable, Hashable {
        public var field: String
        public var from: String
        public var to: String
    }

    /// The fields that differ between `current` and `after`: (field, before, after), in the
    /// order organisation, category, rank, post, status; empty values as "—"; for a change of
    /// personal details, the details it changes.
    public func changes(rankName: (Rank) -> String) -> [(field: String, from: String, to: String)] {
        if !details.isEmpty { return details.map { ($0.field, $0.from, $0.to) } }
        guard let after else { return [] }
        func text(_ value: String?) -> String { value.flatMap { $0.isEmpty ? nil : $0 } ?? "—" }
        let pairs: [(String, String?, String?)] = [
            ("单位", current?.orgName, after.orgName),
            ("编制类型", current?.category.chineseName, after.category.chineseName),
            ("职级", current?.rank.map(rankName), after.rank.map(rankName)),
            ("领导职务", current?.post?.chineseName, after.post?.chineseName),
            ("状态", current?.status.chineseName, after.status.chineseName),
        ]
        return pairs.filter { $0.1 != $0.2 }.map { ($0.0, text($0.1), text($0.2)) }
    }
}

extension Dossier {
    /// What approving each waiting draft in `drafts` would do (drafts the caller has already
    /// read within their scope: `drafts(state:)` or `draft(_:)`), by draft id. Worked out in
    /// one transaction that is rolled back: nothing is written.
    public func previews(of drafts: [ActionDraft]) async throws -> [Int64: DraftPreview] {
        try require(.readPeople)
        let waiting = drafts.filter { $0.state == .draft }
        guard !waiting.isEmpty else { return [:] }
        // The details in force the day before each change of personal details.
        var detailsBefore: [Int64: PersonRecord] = [:]
        for draft in waiting where draft.kind.changesDetails {
            detailsBefore[draft.id] = try await mapErrors {
                try await store.person(draft.personID, on: draft.effectiveOn.adding(days: -1))
            }
        }
        return try await mapErrors {
            try await store.write(bulk: false) { tx in
                var previews: [Int64: DraftPreview] = [:]
                var names: [Int64: (code: String, name: String)] = [:]
                func standing(_ interval: TimelineFold.Interval?) throws -> Standing? {
                    guard let interval else { return nil }
                    if names[interval.org] == nil { names[interval.org] = try tx.organization(id: interval.org) }
                    let org = names[interval.org]
                    return Standing(
                        orgCode: org?.code ?? "",
                        orgName: org?.name ?? "",
                        category: interval.category,
                        rank: interval.rank,
                        post: interval.post,
                        status: interval.status
                    )
                }
                func on(_ date: CivilDate, _ intervals: [TimelineFold.Interval]) -> TimelineFold.Interval? {
                    intervals.last { $0.from <= date && ($0.until.map { $0 > date } ?? true) }
                }
                for draft in waiting {
                    let date = draft.effectiveOn
                    var preview = DraftPreview(
                        current: try standing(on(date.adding(days: -1), try tx.placements(of: draft.personID)))
                    )
                    var writer = TimelineWriter(tx, policies: policies)
                    do {
                        preview.after = try standing(on(date, try writer.plan(draft.input).intervals))
                    } catch let refusal as RuleRefusal {
                        preview.refusal = refusal.description
                    } catch let refusal as ServiceError {
                        preview.refusal = refusal.message
                    }
                    if let change = draft.details, let record = detailsBefore[draft.id] {
                        preview.details = Self.differences(change, from: record)
                    }
                    previews[draft.id] = preview
                }
                return .rollBack(previews)
            }
        }
    }

    /// The details `change` would change for `record`, in the order of the 干部任免审批表.
    static func differences(_ change: DetailsChange, from record: PersonRecord) -> [DraftPreview.DetailDifference] {
        let now = DetailsChange(
            name: record.name,
            ethnicity: record.ethnicity,
            education: record.education,
            politicalStatus: record.politicalStatus,
            phone: record.phone.map(PersonInput.maskPhone)
        )
        let change = PersonInput.masked(change)
        return DetailsChange.Field.allCases.compactMap { field in
            guard let to = change.shown(field) else { return nil }
            return DraftPreview.DetailDifference(field: field.chineseName, from: now.shown(field) ?? "—", to: to)
        }
    }
}
