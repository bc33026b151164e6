public import DossierCore
import Yams

/// Reads `reconciliation.yaml` into a dated `ReconciliationPolicy`, refusing unknown rules,
/// unknown statuses and figures that are not positive.
public enum ReconciliationPolicyFile {
    public static let fileName = "reconciliation.yaml"

    /// The policy's name in the envelope (`kind:`).
    public static let kind = "reconciliation"

    private struct File: Decodable {
        var rules: [String: RuleEntry]
        var limits: LimitsEntry
    }

    private struct RuleEntry: Decodable {
        var due_days: Int
    }

    private struct LimitsEntry: Decodable {
        var exit_grace_days: Int
        var absence_consecutive_days: Int
        var absence_days_per_year: Int
        var inactive_days: [String: Int]
    }

    /// Parses and checks every version of the file (see `PolicyEnvelope`).
    public static func load(
        yaml text: String,
        file: String = fileName
    ) throws(PolicyError)
        -> Dated<ReconciliationPolicy>
    {
        try PolicyEnvelope.dated(text, kind: kind, file: file) { (version) throws(PolicyError) in
            try loadVersion(version, file: file)
        }
    }

    private static func loadVersion(
        _ version: PolicyEnvelope.Version,
        file: String
    ) throws(PolicyError)
        -> ReconciliationPolicy
    {
        func fail(_ reason: String) -> PolicyError {
            PolicyError(file: file, reason: "the version starting on line \(version.line): \(reason)")
        }
        try KnownKeys.check(
            version.text,
            top: ["kind", "version", "effective_from", "rules", "limits"],
            entries: ["rules": ["due_days"]],
            mappings: [
                "limits": ["exit_grace_days", "absence_consecutive_days", "absence_days_per_year", "inactive_days"]
            ],
            file: file
        )
        let parsed: File
        do {
            parsed = try YAMLDecoder().decode(File.self, from: version.text)
        } catch {
            throw fail("it is not valid YAML of the expected shape (\(error))")
        }
        var enabled: Set<ReconciliationRule> = []
        var due: [ReconciliationRule: Int] = [:]
        for (name, entry) in parsed.rules.sorted(by: { $0.key < $1.key }) {
            guard let rule = ReconciliationRule(rawValue: name) else {
                let known = ReconciliationRule.allCases.map(\.rawValue).joined(separator: ", ")
                throw fail("'\(name)' is not a reconciliation rule; the rules are \(known)")
            }
            guard entry.due_days > 0 else { throw fail("rule '\(name)': due_days must be at least 1") }
            enabled.insert(rule)
            due[rule] = entry.due_days
        }
        let limits = parsed.limits
        for (name, figure) in [
            ("exit_grace_days", limits.exit_grace_days),
            ("absence_consecutive_days", limits.absence_consecutive_days),
            ("absence_days_per_year", limits.absence_days_per_year),
        ] where figure < 0 {
            throw fail("\(name) cannot be negative")
        }
        var inactive: [PersonStatus: Int] = [:]
        for (name, days) in limits.inactive_days.sorted(by: { $0.key < $1.key }) {
            guard let status = PersonStatus(codeOrName: name) else {
                throw fail("inactive_days names an unknown status '\(name)'")
            }
            guard [.awol, .leaving, .unpaidLeave].contains(status) else {
                throw fail("inactive_days: \(name) is not a status that keeps a slot without work")
            }
            guard days >= 0 else { throw fail("inactive_days: \(name) cannot be negative") }
            inactive[status] = days
        }
        return ReconciliationPolicy(
            enabled: enabled,
            dueDays: due,
            insurance: InsuranceRules.Limits(exitGraceDays: limits.exit_grace_days),
            absence: AbsenceRule.Limits(
                consecutiveDays: limits.absence_consecutive_days,
                daysPerYear: limits.absence_days_per_year
            ),
            inactiveDays: inactive
        )
    }
}
