public import DossierCore

extension Dossier {
    /// The rank ladder in force on `date` (default: the node's today): the ranks, their names and
    /// their order, for choosing and showing ranks.
    public func rankLadder(on date: CivilDate? = nil) -> RankLadder {
        policies.rankLadder.at(date ?? today)
    }

    /// A rank as a person gave it (its code or its name, in `Rank.code`) read with the ladder in
    /// force on `date`; nil stays nil. A rank the ladder does not hold is refused, naming it.
    func readRank(_ given: Rank?, on date: CivilDate) throws -> Rank? {
        guard let given else { return nil }
        guard let rank = rankLadder(on: date).rank(codeOrName: given.code) else {
            throw ServiceError(
                .invalid,
                "'\(given.code)' is not a rank of the rank ladder in force on \(date) (see 'rank-ladder.yaml')."
            )
        }
        return rank
    }
}
