public import DossierCore
import Yams

/// 实施细则: a province's or agency's changes to the shipped civil-service and
/// public-institution rules from a date, without copying a whole policy (`local-rules.yaml`).
/// Each version names the policy it changes (`policy:`), its `effective_from` and only the
/// figures that differ; a later version for the same policy replaces the earlier one from its
/// date. The file is optional and may hold comments only: then nothing changes.
public enum LocalRulesFile: PolicyAdapter {
    public static let fileName = "local-rules.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "local-rules"

    public static var fileNames: [String] { [fileName] }
    public static var isDated: Bool { true }

    /// The policies local rules may change, and the keys each may change.
    static let changeable: [String: Set<String>] = [
        CivilServiceRanksFile.kind: [
            "steps", "excellent_months", "sanction_months", "not_eligible", "excellent_share",
            "consecutive_failures_for_case",
        ],
        PublicInstitutionStaffFile.kind: ["excellent_share", "consecutive_failures_for_case"],
    ]

    /// The versions as written: dated, possibly none, dates increasing per changed policy (two
    /// policies may each change from the same day).
    public static func versions(of text: String, file: String) throws(PolicyError) -> [PolicyEnvelope.Version] {
        try PolicyEnvelope.versions(
            of: text,
            kind: kind,
            dated: true,
            file: file,
            allowingNone: true,
            datesIncreaseWithin: "policy"
        )
    }

    /// Parses and checks every version; ranks are read with the ladder in force on its date.
    public static func load(
        yaml text: String,
        ladder: Dated<RankLadder>,
        file: String = fileName
    ) throws(PolicyError) -> LocalRules {
        var rules: [LocalRule] = []
        for version in try versions(of: text, file: file) {
            rules.append(try readRule(VersionDocument(version, file: file), ladder: ladder.at(version.effectiveFrom!)))
        }
        return LocalRules(file: file, rules: rules)
    }

    /// The adapter's entry: reads the rules and, where the context holds the policies they
    /// change, applies them, so a change to a step those policies do not have is refused too.
    public static func load(
        yaml text: String,
        file: String,
        context: PolicyContext
    ) throws(PolicyError)
        -> LocalRules
    {
        let rules = try load(yaml: text, ladder: context.ladder, file: file)
        if let promotion = context.promotion { _ = try rules.applied(to: promotion) }
        if let assessment = context.publicInstitution { _ = try rules.applied(to: assessment) }
        return rules
    }

    private static func readRule(_ document: VersionDocument, ladder: RankLadder) throws(PolicyError) -> LocalRule {
        let policyNode = try document.required("policy", changeable.keys.sorted().joined(separator: " or "))
        guard let policy = policyNode.string, let keys = changeable[policy] else {
            throw document.fail(
                policyNode,
                "policy '\(policyNode.string ?? "?")' is not one local rules can change (\(changeable.keys.sorted().joined(separator: " or ")))"
            )
        }
        try document.checkKeys(
            document.root,
            allowed: keys.union(["kind", "version", "effective_from", "policy"]),
            in: "a local rule for \(policy)"
        )
        var rule = LocalRule(
            policy: policy,
            from: document.version.effectiveFrom!,
            line: document.version.line,
            text: document.version.text
        )
        if let stepsNode = document.root["steps"] {
            guard let entries = stepsNode.sequence else {
                throw document.fail(stepsNode, "steps must be a list of { to: RANK, months: N }")
            }
            for entry in entries {
                guard let mapping = entry.mapping else {
                    throw document.fail(entry, "a changed step must be { to: RANK, months: N }")
                }
                try document.checkKeys(mapping, allowed: ["to", "months"], in: "a changed step")
                guard let toNode = mapping["to"], let monthsNode = mapping["months"] else {
                    throw document.fail(entry, "a changed step needs to and months")
                }
                let to = try document.rank(toNode, "to", ladder: ladder)
                guard !rule.steps.contains(where: { $0.to == to }) else {
                    throw document.fail(entry, "the step to \(ladder.name(of: to)) is changed twice")
                }
                let months = try document.whole(
                    monthsNode,
                    "the months of the step to \(ladder.name(of: to))",
                    atLeast: 1
                )
                rule.steps.append(
                    .init(to: to, name: ladder.name(of: to), months: months, line: document.line(of: entry))
                )
            }
        }
        if let node = document.root["excellent_months"] {
            rule.excellentMonths = try document.whole(node, "excellent_months", atLeast: 0)
        }
        if let node = document.root["sanction_months"] {
            rule.sanctionMonths = try CivilServiceRanksFile.sanctionMonths(node, in: document, complete: false)
        }
        if let node = document.root["not_eligible"] {
            rule.notEligible = try document.enforcement(node, "not_eligible")
        }
        if let node = document.root["excellent_share"] {
            guard let mapping = node.mapping else {
                throw document.fail(node, "excellent_share must be a mapping { warn: PERCENT, refuse: PERCENT }")
            }
            try document.checkKeys(mapping, allowed: ["warn", "refuse"], in: "excellent_share")
            rule.excellentWarn = try mapping["warn"].map { (value) throws(PolicyError) in
                try document.percent(value, "excellent_share warn")
            }
            rule.excellentRefuse = try mapping["refuse"].map { (value) throws(PolicyError) in
                try document.percent(value, "excellent_share refuse")
            }
            rule.shareLine = document.line(of: node)
        }
        if let node = document.root["consecutive_failures_for_case"] {
            rule.consecutiveFailures = try document.whole(node, "consecutive_failures_for_case", atLeast: 1)
        }
        return rule
    }
}

/// One version of the local rules: the figures it changes in one policy from its date.
public struct LocalRule: Sendable, Hashable {
    /// The changed policy's kind (`civil-service-ranks-2019`, `public-institution-staff`).
    public let policy: String
    /// The first day the change holds.
    public let from: CivilDate
    /// The line of the local-rules file the version starts on.
    public let line: Int
    /// The version as written, for `dossier policy show`.
    public let text: String

    struct StepChange: Sendable, Hashable {
        var to: Rank
        /// As the ladder names it, for messages.
        var name: String
        var months: Int
        var line: Int
    }

    var steps: [StepChange] = []
    var excellentMonths: Int?
    var sanctionMonths: [SanctionKind: Int] = [:]
    var notEligible: Enforcement?
    var excellentWarn: Int?
    var excellentRefuse: Int?
    var shareLine: Int?
    var consecutiveFailures: Int?

    init(policy: String, from: CivilDate, line: Int, text: String) {
        self.policy = policy
        self.from = from
        self.line = line
        self.text = text
    }

    /// `assessment` with this rule's assessment figures.
    func applied(
        to assessment: AssessmentPolicy,
        file: String,
        on date: CivilDate
    ) throws(PolicyError)
        -> AssessmentPolicy
    {
        var result = assessment
        result.excellentWarnPercent = excellentWarn ?? result.excellentWarnPercent
        result.excellentRefusePercent = excellentRefuse ?? result.excellentRefusePercent
        if let consecutiveFailures { result.consecutiveFailuresForCase = consecutiveFailures }
        guard result.excellentWarnPercent <= result.excellentRefusePercent else {
            throw fail(
                file,
                at: shareLine ?? line,
                "with \(policy) in force on \(date), excellent_share warn (\(result.excellentWarnPercent)) would be above refuse (\(result.excellentRefusePercent))"
            )
        }
        return result
    }

    /// `policy` with this rule's figures; a changed step must exist in it.
    func applied(to policy: PromotionPolicy, file: String, on date: CivilDate) throws(PolicyError) -> PromotionPolicy {
        var result = policy
        for change in steps {
            guard let step = result.steps.values.first(where: { $0.to == change.to }) else {
                throw fail(
                    file,
                    at: change.line,
                    "\(self.policy) in force on \(date) has no step to \(change.name) to change"
                )
            }
            result.steps[step.from]?.months = change.months
        }
        result.excellentMonths = excellentMonths ?? result.excellentMonths
        result.sanctionMonths.merge(sanctionMonths) { _, new in new }
        result.enforcement = notEligible ?? result.enforcement
        result.assessment = try applied(to: result.assessment, file: file, on: date)
        return result
    }

    private func fail(_ file: String, at entry: Int, _ reason: String) -> PolicyError {
        let place =
            entry == line
            ? "the version starting on line \(line)"
            : "the version starting on line \(line), at line \(entry)"
        return PolicyError(file: file, reason: "\(place): \(reason)")
    }
}

/// Every local rule of a node, and the policies they make.
public struct LocalRules: Sendable, Hashable {
    /// The file they were read from, for messages.
    public let file: String
    /// In file order.
    public let rules: [LocalRule]

    public init(file: String, rules: [LocalRule]) {
        self.file = file
        self.rules = rules
    }

    /// The rule for `policy` in force on `date` (the latest from that day or before), if any.
    public func inForce(_ policy: String, on date: CivilDate) -> LocalRule? {
        rules.last { $0.policy == policy && $0.from <= date }
    }

    /// The civil-service policy as changed: versions on every date of the base and of its
    /// local rules; each the base in force that day with the rule in force that day.
    public func applied(to base: Dated<PromotionPolicy>) throws(PolicyError) -> Dated<PromotionPolicy> {
        try merge(base, policy: CivilServiceRanksFile.kind) { (value, rule, date) throws(PolicyError) in
            try rule.applied(to: value, file: file, on: date)
        }
    }

    /// The public-institution assessment rules as changed (dated as for the civil service).
    public func applied(to base: Dated<AssessmentPolicy>) throws(PolicyError) -> Dated<AssessmentPolicy> {
        try merge(base, policy: PublicInstitutionStaffFile.kind) { (value, rule, date) throws(PolicyError) in
            try rule.applied(to: value, file: file, on: date)
        }
    }

    private func merge<Value: Sendable & Hashable>(
        _ base: Dated<Value>,
        policy: String,
        _ change: (Value, LocalRule, CivilDate) throws(PolicyError) -> Value
    ) throws(PolicyError) -> Dated<Value> {
        let own = rules.filter { $0.policy == policy }
        guard !own.isEmpty else { return base }
        let dates = Set(base.versions.map(\.from) + own.map(\.from)).sorted()
        var versions: [Dated<Value>.Version] = []
        for date in dates {
            var value = base.at(date)
            if let rule = own.last(where: { $0.from <= date }) { value = try change(value, rule, date) }
            versions.append(.init(from: date, value: value))
        }
        return Dated(versions)
    }
}
