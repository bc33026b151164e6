public import DossierCore
public import DossierStorage

/// An assessment grade as the API and the command line write it: every key present, absent
/// values as null. `person` is the file number; `state` is pending, final or rejected.
public struct AssessmentJSON: Sendable, Encodable {
    public var stored: StoredAssessment

    public init(_ stored: StoredAssessment) { self.stored = stored }

    private enum CodingKeys: String, CodingKey {
        case id, person, org, year, grade
        case gradeName = "grade_name"
        case reason
        case decidedOn = "decided_on"
        case state
        case recordedBy = "recorded_by"
        case decidedBy = "decided_by"
        case decisionReason = "decision_reason"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stored.id, forKey: .id)
        try container.encode(stored.personID, forKey: .person)
        try container.encodeText(stored.org, forKey: .org)
        try container.encode(stored.year, forKey: .year)
        try container.encode(stored.grade.code, forKey: .grade)
        try container.encode(stored.grade.chineseName, forKey: .gradeName)
        try container.encodeText(stored.reason, forKey: .reason)
        try container.encodeText(stored.decidedOn, forKey: .decidedOn)
        try container.encode(stored.state.rawValue, forKey: .state)
        try container.encode(stored.recordedBy, forKey: .recordedBy)
        try container.encodeText(stored.decidedBy, forKey: .decidedBy)
        try container.encodeText(stored.decisionReason, forKey: .decisionReason)
    }
}

/// A sanction as the API and the command line write it.
public struct SanctionJSON: Sendable, Encodable {
    public var stored: StoredSanction

    public init(_ stored: StoredSanction) { self.stored = stored }

    private enum CodingKeys: String, CodingKey {
        case id, person, kind
        case kindName = "kind_name"
        case on, reference, document
        case liftedOn = "lifted_on"
        case liftReference = "lift_reference"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stored.id, forKey: .id)
        try container.encode(stored.personID, forKey: .person)
        try container.encode(stored.kind.code, forKey: .kind)
        try container.encode(stored.kind.chineseName, forKey: .kindName)
        try container.encodeText(stored.on, forKey: .on)
        try container.encodeText(stored.reference, forKey: .reference)
        try container.encode(stored.documentID, forKey: .document)
        try container.encodeText(stored.liftedOn, forKey: .liftedOn)
        try container.encodeText(stored.liftReference, forKey: .liftReference)
    }
}

/// A promotion explanation: `person`, `rank`, `next_rank`, `eligible`, `eligible_from` (date or
/// null), `first_unmet` (null when eligible) and `steps`, the reasoning in order, each with its
/// `rule`, `text` and figures (`year`, `months`, `date`, null where they do not apply).
public struct PromotionJSON: Sendable, Encodable {
    public var personID: Int64
    public var name: String?
    public var org: CreditCode?
    public var explanation: PromotionExplanation
    /// The rank ladder in force, for the names.
    public var ladder: RankLadder

    public init(
        personID: Int64,
        name: String? = nil,
        org: CreditCode? = nil,
        explanation: PromotionExplanation,
        ladder: RankLadder
    ) {
        self.personID = personID
        self.name = name
        self.org = org
        self.explanation = explanation
        self.ladder = ladder
    }

    public init(_ candidate: PromotionCandidate, ladder: RankLadder) {
        self.init(
            personID: candidate.personID,
            name: candidate.name,
            org: candidate.org,
            explanation: candidate.explanation,
            ladder: ladder
        )
    }

    private enum CodingKeys: String, CodingKey {
        case person, name, org
        case asOf = "as_of"
        case rank
        case rankName = "rank_name"
        case nextRank = "next_rank"
        case nextRankName = "next_rank_name"
        case eligible
        case eligibleFrom = "eligible_from"
        case monthsCounted = "months_counted"
        case monthsNeeded = "months_needed"
        case firstUnmet = "first_unmet"
        case steps
    }

    private enum StepKeys: String, CodingKey {
        case rule, text, year, months, date
    }

    public func encode(to encoder: any Encoder) throws {
        let explanation = explanation
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(personID, forKey: .person)
        if let name { try container.encode(name, forKey: .name) }
        if let org { try container.encodeText(org, forKey: .org) }
        try container.encodeText(explanation.asOf, forKey: .asOf)
        try container.encodeText(explanation.rank, forKey: .rank)
        try container.encodeText(explanation.rank.map(ladder.name(of:)), forKey: .rankName)
        try container.encodeText(explanation.nextRank, forKey: .nextRank)
        try container.encodeText(explanation.nextRank.map(ladder.name(of:)), forKey: .nextRankName)
        try container.encode(explanation.eligible, forKey: .eligible)
        try container.encodeText(explanation.eligibleFrom, forKey: .eligibleFrom)
        try container.encode(explanation.monthsCounted, forKey: .monthsCounted)
        try container.encode(explanation.monthsNeeded, forKey: .monthsNeeded)
        try container.encodeText(explanation.firstUnmet, forKey: .firstUnmet)
        var steps = container.nestedUnkeyedContainer(forKey: .steps)
        for step in explanation.steps {
            var object = steps.nestedContainer(keyedBy: StepKeys.self)
            try object.encode(step.rule.rawValue, forKey: .rule)
            try object.encode(step.text, forKey: .text)
            try object.encode(step.year, forKey: .year)
            try object.encode(step.months, forKey: .months)
            try object.encodeText(step.date, forKey: .date)
        }
    }
}
