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
        let ladder = rankLadder(on: date)
        guard let rank = ladder.rank(codeOrName: given.code) else {
            let choices = ladder.steps.map { "\($0.name) (\($0.rank.code))" }.joined(separator: ", ")
            throw ServiceError(
                .invalid,
                "There is no rank '\(given.code)' on \(date). Use one of: \(choices).",
                zh: "\(date) 没有职级“\(given.code)”。请使用以下之一：\(choices)。"
            )
        }
        return rank
    }
}
