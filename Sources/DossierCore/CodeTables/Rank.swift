/// 职级: a rank, by its code in the node's rank ladder (e.g. "L4-researcher" for 四级调研员).
///
/// Which ranks exist, their names and their order are policy data (`RankLadder`, read from
/// `rank-ladder.yaml` and asked at a date), so a rank is only its code here: a record stores the
/// code, and the ladder in force decides what it is called and what lies above and below it.
public struct Rank: Sendable, Hashable, Encodable, CustomStringConvertible, JSONText {
    /// Dossier's code, e.g. "L1-inspector".
    public let code: String

    /// The rank with this code. Whether the ladder knows it is the ladder's question
    /// (`RankLadder.rank(codeOrName:)` reads what a person typed).
    public init(code: String) { self.code = code }

    public var description: String { code }
    public var jsonText: String { code }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}

/// 职级序列: the ranks of the general-management category (综合管理类), high to low, with their
/// names. Promotion and demotion go one step at a time along it. Read from `rank-ladder.yaml`
/// (dated: a ladder changed from a date judges actions from that date on).
public struct RankLadder: Sendable, Hashable {
    /// One rank and its name.
    public struct Step: Sendable, Hashable {
        public var rank: Rank
        /// The Chinese name, e.g. 四级调研员.
        public var name: String

        public init(rank: Rank, name: String) {
            self.rank = rank
            self.name = name
        }
    }

    /// High to low.
    public let steps: [Step]
    private let positions: [String: Int]
    private let spellings: [String: Int]

    /// A ladder of `steps`, high to low; codes and names must each name one step (the policy
    /// loader checks this and says where).
    public init(_ steps: [Step]) {
        self.steps = steps
        var positions: [String: Int] = [:]
        var spellings: [String: Int] = [:]
        for (index, step) in steps.enumerated() {
            positions[step.rank.code] = index
            spellings[step.rank.code] = index
            spellings[step.name] = index
        }
        self.positions = positions
        self.spellings = spellings
    }

    /// Every rank, high to low.
    public var ranks: [Rank] { steps.map(\.rank) }

    /// The rank a person typed, by code or Chinese name (white space around it ignored), or nil
    /// when the ladder has no such rank.
    public func rank(codeOrName text: String) -> Rank? {
        let index = spellings[text] ?? spellings[String(text.trimmingWhiteSpace())]
        return index.map { steps[$0].rank }
    }

    /// Whether the ladder holds `rank`.
    public func contains(_ rank: Rank) -> Bool { positions[rank.code] != nil }

    /// Position from the top (0 for the highest), or nil when the ladder does not hold it.
    public func order(of rank: Rank) -> Int? { positions[rank.code] }

    /// The Chinese name; the code itself for a rank this ladder does not hold (one recorded
    /// under an older ladder).
    public func name(of rank: Rank) -> String {
        positions[rank.code].map { steps[$0].name } ?? rank.code
    }

    /// The rank one step up, or nil at the top or for a rank the ladder does not hold.
    public func higher(than rank: Rank) -> Rank? {
        guard let index = positions[rank.code], index > 0 else { return nil }
        return steps[index - 1].rank
    }

    /// The rank one step down, or nil at the bottom or for a rank the ladder does not hold.
    public func lower(than rank: Rank) -> Rank? {
        guard let index = positions[rank.code], index + 1 < steps.count else { return nil }
        return steps[index + 1].rank
    }
}
