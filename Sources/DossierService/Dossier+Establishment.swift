public import DossierCore
import DossierStorage

extension Dossier {
    /// Registers an organisation (establishment office work).
    public func addOrganization(_ new: NewOrganization) async throws -> Organization {
        try require(.manageEstablishment)
        guard !new.name.trimmingSpaces().isEmpty else {
            throw ServiceError(.invalid, "An organisation needs a name.", zh: "机构须有名称。")
        }
        return try await mapErrors { try await recordOrganization(new) }
    }

    /// Registers an organisation once the caller is authorised, with its audit entry, in one
    /// transaction.
    func recordOrganization(_ new: NewOrganization) async throws -> Organization {
        try await store.write { tx in
            try tx.requireUser(actor.name)
            let organization = try tx.insertOrganization(new)
            try audit(
                tx,
                action: "org.add",
                subject: "org:\(new.code)",
                details: [
                    "name": new.name, "kind": new.kind.code, "level": new.level.code,
                    "parent": new.parentCode?.value ?? "",
                ]
            )
            return organization
        }
    }

    /// Every organisation.
    public func organizations() async throws -> [Organization] {
        try require(.readAggregates)
        return try await mapErrors { try await store.organizations() }
    }

    /// One organisation, or a not-found error.
    public func organization(_ code: CreditCode) async throws -> Organization {
        try require(.readAggregates)
        guard let org = try await mapErrors({ try await store.organization(code) }) else { throw Self.notOnFile(code) }
        return org
    }

    /// Records a new approved number for an establishment category or leadership post, from a date.
    public func setQuota(
        org: CreditCode,
        subject: Headcount.Subject,
        approved: Int,
        effectiveOn: CivilDate
    ) async throws {
        try require(.manageEstablishment)
        guard approved >= 0 else {
            throw ServiceError(.invalid, "An approved number cannot be negative.", zh: "核定数不能为负数。")
        }
        if case .rankBand(let band) = subject, rankQuotas.band(band) == nil {
            let known = rankQuotas.bands.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")
            throw ServiceError(
                .invalid,
                "'\(band)' is not a rank band of this node; use one of \(known).",
                zh: "“\(band)”不是本节点的职级段；请使用以下之一：\(known)。"
            )
        }
        try await mapErrors {
            try await recordQuota(org: org, subject: subject, approved: approved, effectiveOn: effectiveOn)
        }
    }

    /// Records a quota change once the caller is authorised, with its audit entry, in one
    /// transaction. A negative number is refused.
    func recordQuota(org: CreditCode, subject: Headcount.Subject, approved: Int, effectiveOn: CivilDate) async throws {
        guard approved >= 0 else {
            throw RuleRefusal.refused("An approved number cannot be negative.", zh: "核定数不能为负数。")
        }
        try await store.write { tx in
            try tx.requireUser(actor.name)
            try tx.insertQuota(org: org, subject: subject, approved: approved, effectiveOn: effectiveOn, by: actor.name)
            let (key, value): (String, String) =
                switch subject {
                case .category(let category): ("category", category.code)
                case .post(let post): ("post", post.code)
                case .rankBand(let band): ("band", band)
                }
            try audit(
                tx,
                action: "quota.set",
                subject: "org:\(org)",
                details: [key: value, "approved": String(approved), "effective_on": effectiveOn.description]
            )
        }
    }

    /// Headcount against every quota in force on `date`: every organisation's, or `org`'s
    /// alone, or with `withUnitsBelow` `org`'s and that of every unit under it.
    public func headcount(
        on date: CivilDate,
        org: CreditCode? = nil,
        withUnitsBelow: Bool = false
    ) async throws -> [Headcount] {
        try require(.readAggregates)
        return try await mapErrors { try await store.headcount(on: date, org: org, withUnitsBelow: withUnitsBelow) }
    }

    /// Headcount against every rank quota (职级职数) in force on `date`.
    public func rankHeadcount(on date: CivilDate, org: CreditCode? = nil) async throws -> [Headcount] {
        try require(.readAggregates)
        return try await mapErrors { try await store.rankHeadcount(on: date, bands: rankQuotas.bands, org: org) }
    }

    /// Every quota change of an organisation, oldest first.
    public func quotaHistory(org: CreditCode) async throws -> [QuotaChange] {
        try require(.readAggregates)
        return try await mapErrors { try await store.quotaHistory(org: org) }
    }
}

/// The staffing overview: totals per establishment category and the units that stand out.
public struct StaffingOverview: Sendable, Hashable {
    /// One establishment category over all organisations.
    public struct CategoryTotal: Sendable, Hashable {
        public var category: EstablishmentCategory
        public var sums = HeadcountSums()
    }

    public var date: CivilDate
    public var organizations = 0
    public var people = 0
    public var categories: [CategoryTotal] = []
    /// Every establishment category over all organisations.
    public var total = HeadcountSums()
    /// Leadership posts (领导职数) over all organisations.
    public var posts = HeadcountSums()
    /// Establishment rows (a unit and a category) over quota on the date, most over first.
    public var overQuota: [Headcount] = []
    /// Establishment rows with the most vacancies.
    public var mostVacant: [Headcount] = []
    /// The top-level organisations, each with the headcount of everything under it.
    public var units: [SubtreeHeadcount] = []
}

/// One organisation's place in the tree, its own headcount and the units directly under it,
/// each with the headcount of everything under it: one step of drilling down from the overview.
public struct Drilldown: Sendable, Hashable {
    public var organization: Organization
    /// The chain of parents above the organisation, top-level unit first.
    public var ancestors: [Organization]
    /// The organisation's own establishment categories and leadership posts.
    public var own: [Headcount]
    /// The units directly under it.
    public var units: [SubtreeHeadcount]
}

extension Dossier {
    /// Totals and outliers of the headcount as of `date`.
    public func overview(on date: CivilDate) async throws -> StaffingOverview {
        let rows = try await headcount(on: date)
        var overview = StaffingOverview(date: date)
        let tree = await OrganizationTree(try organizations())
        overview.organizations = tree.count
        let subtrees = tree.subtreeHeadcount(rows)
        overview.units = tree.roots.compactMap { subtrees[$0.code] }
        overview.people = try await mapErrors { try await store.personCount() }
        var totals: [EstablishmentCategory: HeadcountSums] = [:]
        for row in rows {
            switch row.subject {
            case .category(let category):
                totals[category, default: HeadcountSums()].add(row)
                overview.total.add(row)
            case .post:
                overview.posts.add(row)
            case .rankBand:
                break
            }
        }
        overview.categories = EstablishmentCategory.allCases.compactMap { category in
            totals[category].map { StaffingOverview.CategoryTotal(category: category, sums: $0) }
        }
        let establishment = rows.filter { if case .category = $0.subject { return true } else { return false } }
        overview.overQuota = establishment.filter { $0.over > 0 }.sorted {
            ($0.over, $1.orgName) > ($1.over, $0.orgName)
        }
        overview.mostVacant = Array(
            establishment.filter { $0.vacant > 0 }.sorted { ($0.vacant, $1.orgName) > ($1.vacant, $0.orgName) }.prefix(
                10
            )
        )
        return overview
    }

    /// `org`'s own headcount as of `date`, the chain of parents above it, and the units directly
    /// under it, each with the headcount of everything under it — all from one reading of the
    /// headcount of `org`'s subtree, so the figures agree with each other.
    public func drilldown(of org: CreditCode, on date: CivilDate) async throws -> Drilldown {
        let tree = await OrganizationTree(try organizations())
        guard let organization = tree[org] else { throw Self.notOnFile(org) }
        let below = tree.children(of: org)
        let rows = try await headcount(on: date, org: org, withUnitsBelow: !below.isEmpty)
        let subtrees = below.isEmpty ? [:] : tree.subtreeHeadcount(rows)
        return Drilldown(
            organization: organization,
            ancestors: tree.ancestors(of: org),
            own: rows.filter { $0.orgCode == org },
            units: below.compactMap { subtrees[$0.code] }
        )
    }

    static func notOnFile(_ org: CreditCode) -> ServiceError {
        ServiceError(.notFound, "No organisation with credit code \(org) is on file.", zh: "统一社会信用代码为 \(org) 的机构不在档。")
    }
}

extension Dossier {
    /// Organisations by part of their name, their pinyin initials or the start of their credit
    /// code, best match first, each with the units above it (`OrganizationSearch`).
    public func findOrganizations(_ text: String) async throws -> [OrganizationSearch.Match] {
        try require(.readAggregates)
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw ServiceError(
                .invalid,
                "Type part of the organisation's name, its initials or its code.",
                zh: "请输入机构名称的一部分、其拼音首字母或其代码。"
            )
        }
        guard text.count <= 100 else {
            throw ServiceError(.invalid, "The text to find is longer than 100 characters.", zh: "查找内容超过 100 个字符。")
        }
        return OrganizationSearch.find(text, in: try await organizations())
    }
}
