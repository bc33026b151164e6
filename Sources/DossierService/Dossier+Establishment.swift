public import DossierCore
import DossierStore

extension Dossier {
    /// Registers an organisation (establishment office work).
    public func addOrganization(_ new: NewOrganization) throws -> Organization {
        try require(.manageEstablishment)
        guard !new.name.trimmingSpaces().isEmpty else {
            throw ServiceError(.invalid, "An organisation needs a name.")
        }
        return try mapErrors { try store.addOrganization(new, actor: actor.name) }
    }

    /// Every organisation.
    public func organizations() throws -> [Organization] {
        try require(.readAggregates)
        return try mapErrors { try store.organizations() }
    }

    /// One organisation, or a not-found error.
    public func organization(_ code: CreditCode) throws -> Organization {
        try require(.readAggregates)
        guard let org = try mapErrors({ try store.organization(code) }) else {
            throw ServiceError(.notFound, "No organisation with credit code \(code) is on file.")
        }
        return org
    }

    /// Records a new approved number for an establishment category or leadership post, from a date.
    public func setQuota(org: CreditCode, subject: Headcount.Subject, approved: Int, effectiveOn: CivilDate) throws {
        try require(.manageEstablishment)
        guard approved >= 0 else { throw ServiceError(.invalid, "An approved number cannot be negative.") }
        if case .rankBand(let band) = subject, rankQuotas.band(band) == nil {
            let known = rankQuotas.bands.map { "\($0.code) (\($0.name))" }.joined(separator: ", ")
            throw ServiceError(.invalid, "'\(band)' is not a rank band of this node; use one of \(known).")
        }
        try mapErrors {
            try store.setQuota(
                org: org,
                subject: subject,
                approved: approved,
                effectiveOn: effectiveOn,
                actor: actor.name
            )
        }
    }

    /// Headcount against every quota in force on `date`.
    public func headcount(on date: CivilDate, org: CreditCode? = nil) throws -> [Headcount] {
        try require(.readAggregates)
        return try mapErrors { try store.headcount(on: date, org: org) }
    }

    /// Headcount against every rank quota (职级职数) in force on `date`.
    public func rankHeadcount(on date: CivilDate, org: CreditCode? = nil) throws -> [Headcount] {
        try require(.readAggregates)
        return try mapErrors { try store.rankHeadcount(on: date, bands: rankQuotas.bands, org: org) }
    }

    /// Every quota change of an organisation, oldest first.
    public func quotaHistory(org: CreditCode) throws -> [QuotaChange] {
        try require(.readAggregates)
        return try mapErrors { try store.quotaHistory(org: org) }
    }
}

/// The staffing overview: totals per establishment category and the units that stand out.
public struct StaffingOverview: Sendable, Hashable {
    public struct CategoryTotal: Sendable, Hashable {
        public var category: EstablishmentCategory
        public var approved = 0
        public var occupied = 0
        public var vacant = 0
        public var over = 0
    }

    public var date: CivilDate
    public var organizations = 0
    public var people = 0
    public var categories: [CategoryTotal] = []
    /// Leadership posts (领导职数) over all organisations.
    public struct PostTotal: Sendable, Hashable {
        public var approved = 0
        public var occupied = 0
    }

    public var posts = PostTotal()
    /// Units over quota on the date, most over first.
    public var overQuota: [Headcount] = []
    /// Units with the most vacancies.
    public var mostVacant: [Headcount] = []
    /// The top-level organisations, each with the headcount of everything under it.
    public var units: [SubtreeHeadcount] = []
}

/// Where an organisation sits in the tree and the units directly under it, each with the
/// headcount of everything under it: one step of drilling down from the overview.
public struct Drilldown: Sendable, Hashable {
    /// The chain of parents above the organisation, top-level unit first.
    public var ancestors: [Organization]
    public var units: [SubtreeHeadcount]
}

extension Dossier {
    /// Totals and outliers of the headcount as of `date`.
    public func overview(on date: CivilDate) throws -> StaffingOverview {
        let rows = try headcount(on: date)
        var overview = StaffingOverview(date: date)
        let tree = OrganizationTree(try organizations())
        overview.organizations = tree.count
        let subtrees = tree.subtreeHeadcount(rows)
        overview.units = tree.roots.compactMap { subtrees[$0.code] }
        overview.people = try mapErrors { try store.personCount() }
        var totals: [EstablishmentCategory: StaffingOverview.CategoryTotal] = [:]
        for row in rows {
            switch row.subject {
            case .category(let category):
                var total = totals[category] ?? .init(category: category)
                total.approved += row.approved
                total.occupied += row.occupied
                total.vacant += row.vacant
                total.over += row.over
                totals[category] = total
            case .post:
                overview.posts.approved += row.approved
                overview.posts.occupied += row.occupied
            case .rankBand:
                break
            }
        }
        overview.categories = EstablishmentCategory.allCases.compactMap { totals[$0] }
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

    /// The units directly under `org` (under nothing: the top-level ones), each with the
    /// headcount as of `date` of everything under it, and the chain of parents above `org`.
    public func drilldown(under org: CreditCode?, on date: CivilDate) throws -> Drilldown {
        let tree = OrganizationTree(try organizations())
        if let org, tree[org] == nil {
            throw ServiceError(.notFound, "No organisation with credit code \(org) is on file.")
        }
        let below = org.map { tree.children(of: $0) } ?? tree.roots
        // A unit with nothing under it needs no sums (they cost a headcount of the whole node).
        let subtrees = below.isEmpty ? [:] : tree.subtreeHeadcount(try headcount(on: date))
        return Drilldown(
            ancestors: org.map { tree.ancestors(of: $0) } ?? [],
            units: below.compactMap { subtrees[$0.code] }
        )
    }
}
