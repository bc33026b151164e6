/// What breaking a rule does where the policy lets a node choose: refuse the change, or let it
/// through with a warning for the person approving it.
public enum Enforcement: String, Sendable, Hashable {
    case refuse, warn
}

/// 职级职数: the rank bands an organisation's rank quotas count, and whether exceeding one is
/// refused or only warned about, per organisation. Read from `Policies/rank-quotas.yaml`.
public struct RankQuotaPolicy: Sendable, Hashable {
    /// A band of ranks counted together, e.g. 一至四级调研员.
    public struct Band: Sendable, Hashable {
        public var code: String
        public var name: String
        public var ranks: Set<Rank>

        public init(code: String, name: String, ranks: Set<Rank>) {
            self.code = code
            self.name = name
            self.ranks = ranks
        }
    }

    public let bands: [Band]
    public let defaultEnforcement: Enforcement
    public let exceptions: [CreditCode: Enforcement]

    public init(bands: [Band], defaultEnforcement: Enforcement, exceptions: [CreditCode: Enforcement]) {
        self.bands = bands
        self.defaultEnforcement = defaultEnforcement
        self.exceptions = exceptions
    }

    /// The band with this code.
    public func band(_ code: String) -> Band? { bands.first { $0.code == code } }

    /// The bands a rank counts in.
    public func bands(containing rank: Rank) -> [Band] { bands.filter { $0.ranks.contains(rank) } }

    /// What exceeding a rank quota does in this organisation.
    public func enforcement(for org: CreditCode) -> Enforcement { exceptions[org] ?? defaultEnforcement }
}
