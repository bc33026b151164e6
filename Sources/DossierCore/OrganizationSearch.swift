/// Finding organisations by what an officer remembers of them: part of the name (教育厅), its
/// pinyin initials (jyt), or the start of its credit code. Pure: it ranks the organisations it is
/// given.
public enum OrganizationSearch {
    /// An organisation found, with the chain of units above it (top first), so that 教育局 of
    /// one city can be told from another's.
    public struct Match: Sendable, Hashable {
        public var organization: Organization
        public var ancestors: [Organization]

        public init(organization: Organization, ancestors: [Organization]) {
            self.organization = organization
            self.ancestors = ancestors
        }

        /// The names above and the name, joined by " › ".
        public var path: String { (ancestors.map(\.name) + [organization.name]).joined(separator: " › ") }
    }

    /// The organisations whose name contains `text`, whose pinyin initials contain it (Latin
    /// letters only), or whose credit code starts with it (upper or lower case): the exact name
    /// first, then names that start with it, names that contain it (shorter first), initials,
    /// codes. Empty text finds nothing.
    public static func find(_ text: String, in organizations: [Organization]) -> [Match] {
        let query = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        guard !query.isEmpty else { return [] }
        let lowered = query.lowercased()
        let code = query.uppercased()
        let initials = PinyinInitials.areInitials(query)
        var ranked: [(rank: Int, organization: Organization)] = []
        for organization in organizations {
            let rank: Int
            if organization.name == query {
                rank = 0
            } else if organization.name.hasPrefix(query) {
                rank = 1
            } else if organization.name.lowercased().contains(lowered) {
                rank = 2
            } else if initials, PinyinInitials.of(organization.name).contains(lowered) {
                rank = 3
            } else if organization.code.value.hasPrefix(code) {
                rank = 4
            } else {
                continue
            }
            ranked.append((rank, organization))
        }
        ranked.sort {
            ($0.rank, $0.organization.name.count, $0.organization.code.value)
                < ($1.rank, $1.organization.name.count, $1.organization.code.value)
        }
        let tree = OrganizationTree(organizations)
        return ranked.map { Match(organization: $0.organization, ancestors: tree.ancestors(of: $0.organization.code)) }
    }
}
