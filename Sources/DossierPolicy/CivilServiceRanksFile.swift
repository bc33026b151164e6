public import DossierCore
import Yams

/// Reads `civil-service-ranks-2019.yaml` (职务与职级并行) into a dated `PromotionPolicy`, each
/// version checked against the rank ladder in force on its `effective_from`: every rank but the
/// lowest has exactly one step, one rung up from the rank just below; posts count as ranks of
/// the ladder; grades are of the civil-service scale; every sanction kind has its months. A file
/// that breaks any of this is refused whole, naming the file, the version, the line and why, so
/// the node never runs on half a policy.
public enum CivilServiceRanksFile: PolicyAdapter {
    public static let fileName = "civil-service-ranks-2019.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "civil-service-ranks-2019"

    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    static let topKeys: Set<String> = [
        "kind", "version", "effective_from", "steps", "posts_count_as", "excellent_months", "uncounted_grades",
        "sanction_months", "not_eligible", "excellent_share", "consecutive_failures_for_case",
        "failure_drafts_demotion",
    ]

    /// Parses and checks every version of the file (see `PolicyEnvelope`); ranks are read by code
    /// or name with the ladder in force on each version's date.
    public static func load(
        yaml text: String,
        ladder: Dated<RankLadder>,
        file: String = fileName
    ) throws(PolicyError) -> Dated<PromotionPolicy> {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(VersionDocument(version, file: file), ladder: ladder.at(version.effectiveFrom!))
        }
    }

    /// The adapter's entry: the ladder comes from the context.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> Dated<PromotionPolicy>
    {
        try load(yaml: text, ladder: context.ladder, file: file)
    }

    private static func loadVersion(
        _ document: VersionDocument,
        ladder: RankLadder
    ) throws(PolicyError)
        -> PromotionPolicy
    {
        try document.checkKeys(document.root, allowed: topKeys, in: nil)
        let steps = try readSteps(document, ladder: ladder)

        var postCountsAs: [LeadershipPost: Rank] = [:]
        let postsNode = try document.required("posts_count_as", "the rank each leadership post counts as")
        guard let posts = postsNode.mapping else {
            throw document.fail(postsNode, "posts_count_as must map leadership posts to ranks")
        }
        for (key, value) in posts {
            guard let post = key.string.flatMap(LeadershipPost.init(codeOrName:)) else {
                let known = LeadershipPost.allCases.map(\.chineseName).joined(separator: ", ")
                throw document.fail(key, "'\(key.string ?? "?")' is not a leadership post (\(known))")
            }
            guard postCountsAs[post] == nil else {
                throw document.fail(key, "posts_count_as gives \(post.chineseName) twice")
            }
            postCountsAs[post] = try document.rank(value, "the rank of \(post.chineseName)", ladder: ladder)
        }

        let excellentMonths = try document.whole(
            try document.required("excellent_months", "the months each 优秀 takes off the wait"),
            "excellent_months",
            atLeast: 0
        )

        var uncounted: Set<AssessmentGrade> = []
        let gradesNode = try document.required("uncounted_grades", "for example [基本称职, 不称职, 不定等次]")
        guard let grades = gradesNode.sequence else {
            throw document.fail(gradesNode, "uncounted_grades must be a list of grades")
        }
        let countable = AssessmentScale.civilService.grades.filter { $0 != .excellent }
        for node in grades {
            guard let grade = node.string.flatMap(AssessmentGrade.init(codeOrName:)), countable.contains(grade) else {
                let names = countable.map(\.chineseName).joined(separator: ", ")
                throw document.fail(
                    node,
                    "uncounted_grades: '\(node.string ?? "?")' is not a grade whose year can be left out (\(names))"
                )
            }
            uncounted.insert(grade)
        }

        let sanctions = try sanctionMonths(
            try document.required("sanction_months", "the months each sanction kind bars promotion"),
            in: document,
            complete: true
        )
        let enforcement = try document.enforcement(
            try document.required("not_eligible", "refuse or warn"),
            "not_eligible"
        )
        return PromotionPolicy(
            steps: steps,
            postCountsAs: postCountsAs,
            excellentMonths: excellentMonths,
            uncountedGrades: uncounted,
            sanctionMonths: sanctions,
            enforcement: enforcement,
            assessment: try AssessmentFigures.policy(.civilService, in: document)
        )
    }

    /// The steps, keyed by the rank promoted from: one per rank of the ladder but the lowest,
    /// each from the rank just below.
    private static func readSteps(
        _ document: VersionDocument,
        ladder: RankLadder
    ) throws(PolicyError)
        -> [Rank: PromotionPolicy.Step]
    {
        let stepsNode = try document.required("steps", "one { to, from, months } per rank")
        guard let entries = stepsNode.sequence else {
            throw document.fail(stepsNode, "steps must be a list of { to: RANK, from: RANK, months: N }")
        }
        var steps: [Rank: PromotionPolicy.Step] = [:]
        var lines: [Rank: Int] = [:]
        for entry in entries {
            guard let mapping = entry.mapping else {
                throw document.fail(entry, "a step must be { to: RANK, from: RANK, months: N }")
            }
            try document.checkKeys(mapping, allowed: ["to", "from", "months"], in: "a step")
            guard let toNode = mapping["to"], let fromNode = mapping["from"], let monthsNode = mapping["months"] else {
                throw document.fail(entry, "a step needs to, from and months")
            }
            let to = try document.rank(toNode, "to", ladder: ladder)
            let from = try document.rank(fromNode, "from", ladder: ladder)
            if let earlier = lines[to] {
                throw document.fail(
                    entry,
                    "the step to \(ladder.name(of: to)) is given twice (also on line \(earlier))"
                )
            }
            guard ladder.higher(than: from) == to else {
                guard let order = ladder.order(of: to), order + 1 < ladder.steps.count else {
                    throw document.fail(
                        toNode,
                        "nobody is promoted to \(ladder.name(of: to)): it is the lowest rank of the ladder"
                    )
                }
                let below = ladder.steps[order + 1].name
                throw document.fail(
                    fromNode,
                    "a step goes one rung: the rank just below \(ladder.name(of: to)) is \(below), not \(ladder.name(of: from))"
                )
            }
            let months = try document.whole(monthsNode, "the months of the step to \(ladder.name(of: to))", atLeast: 1)
            steps[from] = PromotionPolicy.Step(to: to, from: from, months: months)
            lines[to] = document.line(of: entry)
        }
        for step in ladder.steps.dropLast() where lines[step.rank] == nil {
            throw document.fail(
                document.key("steps"),
                "steps has no step to \(step.name): every rank of the ladder but the lowest needs one"
            )
        }
        return steps
    }

    /// `sanction_months`: months per sanction kind, each a positive whole number; `complete`
    /// requires every kind (a whole policy), else only the kinds given (a local rule).
    static func sanctionMonths(
        _ node: Node,
        in document: VersionDocument,
        complete: Bool
    ) throws(PolicyError) -> [SanctionKind: Int] {
        guard let mapping = node.mapping else {
            throw document.fail(node, "sanction_months must map each sanction kind to its months")
        }
        var months: [SanctionKind: Int] = [:]
        for (key, value) in mapping {
            guard let kind = key.string.flatMap(SanctionKind.init(codeOrName:)) else {
                let known = SanctionKind.allCases.map(\.chineseName).joined(separator: ", ")
                throw document.fail(key, "'\(key.string ?? "?")' is not a sanction kind (\(known))")
            }
            guard months[kind] == nil else {
                throw document.fail(key, "sanction_months gives \(kind.chineseName) twice")
            }
            months[kind] = try document.whole(value, "the months of \(kind.chineseName)", atLeast: 1)
        }
        if complete {
            for kind in SanctionKind.allCases where months[kind] == nil {
                throw document.fail(
                    document.key("sanction_months"),
                    "sanction_months does not give the months of \(kind.chineseName)"
                )
            }
        }
        return months
    }
}
