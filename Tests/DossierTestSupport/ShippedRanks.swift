public import DossierCore
import DossierPolicy
import DossierPolicyFiles

/// The ranks of the shipped rank ladder (`Policies/rank-ladder.yaml`) by the names tests use.
/// Only the codes are written here; the ladder itself, its names and its order, are read from the
/// shipped file (`RankLadder.shipped`), so a test judges ranks as a node does.
extension Rank {
    public static let inspector1 = Rank(code: "L1-inspector")
    public static let inspector2 = Rank(code: "L2-inspector")
    public static let researcher1 = Rank(code: "L1-researcher")
    public static let researcher2 = Rank(code: "L2-researcher")
    public static let researcher3 = Rank(code: "L3-researcher")
    public static let researcher4 = Rank(code: "L4-researcher")
    public static let principal1 = Rank(code: "L1-principal")
    public static let principal2 = Rank(code: "L2-principal")
    public static let principal3 = Rank(code: "L3-principal")
    public static let principal4 = Rank(code: "L4-principal")
    public static let clerk1 = Rank(code: "L1-clerk")
    public static let clerk2 = Rank(code: "L2-clerk")
}

extension RankLadder {
    /// The shipped rank ladder, every version, as a node without its own copy reads it.
    public static let shippedVersions: Dated<RankLadder> = {
        guard let text = PolicyFiles.shippedText(RankLadderFile.fileName),
            let ladder = try? RankLadderFile.load(yaml: text)
        else { fatalError("the shipped rank ladder does not load") }
        return ladder
    }()

    /// The shipped rank ladder in force today (it has one version).
    public static var shipped: RankLadder { shippedVersions.latest }
}
