/// One quota an occupant of a slot counts against — an establishment category (编制), a
/// leadership post level (领导职数) or a rank band (职级职数) of one organisation — and which of them
/// an occupant counts against. The store knows how each is kept.
/// Bulk hires and approved actions both check quotas through it, with `QuotaTimeline`.
public enum QuotaSlot: Hashable, Sendable {
    case category(org: Int64, EstablishmentCategory)
    case post(org: Int64, LeadershipPost)
    /// A rank band by its code, with the rank codes it counts (sorted).
    case rankBand(org: Int64, code: String, ranks: [String])

    public typealias Span = QuotaTimeline.Span

    /// The organisation whose quota it is.
    public var org: Int64 {
        switch self {
        case .category(let org, _), .post(let org, _), .rankBand(let org, _, _): return org
        }
    }

    /// What the quota counts, as headcounts name it.
    public var subject: Headcount.Subject {
        switch self {
        case .category(_, let category): return .category(category)
        case .post(_, let post): return .post(post)
        case .rankBand(_, let code, _): return .rankBand(code)
        }
    }

    /// The slots someone counts against while placed so (occupying statuses only).
    public static func slots(
        org: Int64,
        category: EstablishmentCategory,
        post: LeadershipPost?,
        rank: Rank?,
        rankQuotas: RankQuotaPolicy?
    ) -> [QuotaSlot] {
        var slots: [QuotaSlot] = [.category(org: org, category)]
        if let post { slots.append(.post(org: org, post)) }
        if let rank, let rankQuotas {
            for band in rankQuotas.bands(containing: rank) {
                slots.append(.rankBand(org: org, code: band.code, ranks: band.ranks.map(\.code).sorted()))
            }
        }
        return slots
    }

    /// A rank quota limits nothing before it is first established; the others refuse everyone
    /// until then.
    public var limitsOnlyOnceEstablished: Bool {
        if case .rankBand = self { return true }
        return false
    }
}
