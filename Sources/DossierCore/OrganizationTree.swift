/// The organisations of a node as a tree, for walking it from the top: children in the order
/// given, the chain of parents above a unit, and headcount summed over each subtree.
public struct OrganizationTree: Sendable {
    /// Organisations whose parent is not in the tree (the node's top-level units).
    public let roots: [Organization]
    private let byCode: [CreditCode: Organization]
    private let childrenByCode: [CreditCode: [Organization]]

    /// Builds the tree from a node's organisations, in the order given.
    public init(_ organizations: [Organization]) {
        var byCode: [CreditCode: Organization] = [:]
        for organization in organizations { byCode[organization.code] = organization }
        var children: [CreditCode: [Organization]] = [:]
        var roots: [Organization] = []
        for organization in organizations {
            if let parent = organization.parentCode, byCode[parent] != nil {
                children[parent, default: []].append(organization)
            } else {
                roots.append(organization)
            }
        }
        self.roots = roots
        self.byCode = byCode
        self.childrenByCode = children
    }

    /// The organisation with this credit code, if it is in the tree.
    public subscript(code: CreditCode) -> Organization? { byCode[code] }

    /// The number of organisations in the tree.
    public var count: Int { byCode.count }

    /// The units directly under `code`.
    public func children(of code: CreditCode) -> [Organization] { childrenByCode[code] ?? [] }

    /// `code`'s unit and every unit under it, at any depth; empty when `code` is not in the tree.
    public func subtree(of code: CreditCode) -> [Organization] {
        guard let root = byCode[code] else { return [] }
        var found: [Organization] = []
        var waiting = [root]
        var seen: Set<CreditCode> = []
        while let next = waiting.popLast() {
            guard seen.insert(next.code).inserted else { continue }
            found.append(next)
            waiting += children(of: next.code)
        }
        return found
    }

    /// The chain of parents above `code`, top-level unit first; empty for a root.
    public func ancestors(of code: CreditCode) -> [Organization] {
        var chain: [Organization] = []
        var seen: Set<CreditCode> = [code]
        var next = byCode[code]?.parentCode
        while let parent = next, let organization = byCode[parent], seen.insert(parent).inserted {
            chain.append(organization)
            next = organization.parentCode
        }
        return chain.reversed()
    }

    /// Establishment headcount (by category; leadership posts and rank bands are other measures)
    /// summed over every subtree: each unit with everything under it.
    ///
    /// Vacancies and over-quota are summed unit by unit and category by category, never netted:
    /// one unit's vacancies do not hide another's 超编, as the establishment rules require.
    public func subtreeHeadcount(_ rows: [Headcount]) -> [CreditCode: SubtreeHeadcount] {
        var own: [CreditCode: SubtreeHeadcount] = [:]
        for organization in byCode.values { own[organization.code] = SubtreeHeadcount(organization) }
        for row in rows {
            guard case .category = row.subject, own[row.orgCode] != nil else { continue }
            own[row.orgCode]!.sums.add(row)
        }
        var totals: [CreditCode: SubtreeHeadcount] = [:]
        // Children before parents, without recursion (a deep tree must not exhaust the stack).
        var stack: [(Organization, expanded: Bool)] = roots.map { ($0, false) }
        while let (organization, expanded) = stack.popLast() {
            let below = children(of: organization.code)
            if !expanded {
                stack.append((organization, true))
                stack += below.map { ($0, false) }
                continue
            }
            var total = own[organization.code]!
            if total.sums.over > 0 { total.unitsOver = 1 }
            for child in below { total.include(totals[child.code]!) }
            totals[organization.code] = total
        }
        return totals
    }
}

/// 编制 headcount of one organisation together with every unit under it.
public struct SubtreeHeadcount: Sendable, Hashable {
    /// The organisation at the top of the subtree.
    public var organization: Organization
    /// Units counted, the organisation itself included.
    public var units = 1
    /// Units over quota in at least one category.
    public var unitsOver = 0
    /// Its establishment figures and those of every unit under it.
    public var sums = HeadcountSums()

    init(_ organization: Organization) {
        self.organization = organization
    }

    mutating func include(_ child: SubtreeHeadcount) {
        units += child.units
        unitsOver += child.unitsOver
        sums.add(child.sums)
    }
}
