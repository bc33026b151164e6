/// 人员状态机: which personnel action may follow which status, and the status it leaves.
///
/// Built from `Policies/status-machine.yaml` by DossierPolicy, which checks it is complete; this
/// type only answers questions, so the rules live in data an office can read and change.
public struct StatusMachine: Sendable, Hashable {
    /// What an action does to the status.
    public enum Outcome: Sendable, Hashable {
        /// The status afterwards is fixed.
        case status(PersonStatus)
        /// The status is given with the action (试用 or 在职 for a hire).
        case given
        /// The status stays as it was.
        case unchanged
    }

    /// A part of the placement an action states.
    public enum Field: String, Sendable, Hashable, CaseIterable {
        case org, category, rank, post
    }

    /// The rule for one action kind.
    public struct Rule: Sendable, Hashable {
        public var kind: ActionKind
        /// Statuses it may follow; nil in the set stands for "no placement yet".
        public var from: Set<PersonStatus?>
        public var outcome: Outcome
        public var needs: Set<Field>
        public var may: Set<Field>

        public init(kind: ActionKind, from: Set<PersonStatus?>, outcome: Outcome, needs: Set<Field>, may: Set<Field>) {
            self.kind = kind
            self.from = from
            self.outcome = outcome
            self.needs = needs
            self.may = may
        }
    }

    /// Why an action may not follow the current status.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var kind: ActionKind
        public var current: PersonStatus?

        public var description: String {
            let status = current.map { "\($0.chineseName) (\($0.code))" } ?? "not yet placed"
            return "\(kind.chineseName) (\(kind.rawValue)) is not allowed while the person is \(status)."
        }

        /// The same sentence in Simplified Chinese, for the admin pages.
        public var chineseDescription: String {
            let status = current.map { "处于\($0.chineseName)（\($0.code)）状态" } ?? "尚未安置"
            return "该人员\(status)，不能办理\(kind.chineseName)（\(kind.rawValue)）。"
        }
    }

    public let rules: [ActionKind: Rule]
    /// The date from which these rules apply.
    public let effectiveFrom: CivilDate
    /// The versions that replace this one later, oldest first, each from its own date.
    private let successors: [StatusMachine]

    /// One version of the rules, in force from `effectiveFrom`.
    public init(rules: [ActionKind: Rule], effectiveFrom: CivilDate) {
        self.rules = rules
        self.effectiveFrom = effectiveFrom
        successors = []
    }

    /// Rules that change over time: `versions` (at least one, single versions themselves),
    /// each in force from its `effectiveFrom` until the next one's.
    public init(versions: [StatusMachine]) {
        precondition(!versions.isEmpty, "a status machine needs at least one version")
        let sorted = versions.flatMap(\.versions).sorted { $0.effectiveFrom < $1.effectiveFrom }
        rules = sorted[0].rules
        effectiveFrom = sorted[0].effectiveFrom
        successors = sorted.dropFirst().map { StatusMachine(rules: $0.rules, effectiveFrom: $0.effectiveFrom) }
    }

    /// Every version, oldest first.
    public var versions: [StatusMachine] {
        [StatusMachine(rules: rules, effectiveFrom: effectiveFrom)] + successors
    }

    /// The rules in force on `date`: the latest version in force by then. Before the first
    /// version's date the first applies, since no earlier rules are on file: a record from
    /// before the rules were first written down is judged by the oldest rules Dossier has.
    public func at(_ date: CivilDate) -> StatusMachine {
        // No later version in force yet: this one (the first) is, and asking it again is the same.
        successors.last { $0.effectiveFrom <= date } ?? self
    }

    /// The status after `kind`, when it may follow `current` (nil: no placement yet).
    ///
    /// - Parameter given: the status stated with the action, for outcomes that are `given`.
    public func status(
        after kind: ActionKind,
        from current: PersonStatus?,
        given: PersonStatus?
    ) throws(Refusal)
        -> PersonStatus
    {
        guard let rule = rules[kind], rule.from.contains(current) else { throw Refusal(kind: kind, current: current) }
        switch rule.outcome {
        case .status(let status): return status
        case .given:
            guard let given, given == .probation || given == .active else {
                throw Refusal(kind: kind, current: current)
            }
            return given
        case .unchanged:
            guard let current else { throw Refusal(kind: kind, current: current) }
            return current
        }
    }

    /// Whether `kind` may follow `current`.
    public func allows(_ kind: ActionKind, from current: PersonStatus?) -> Bool {
        rules[kind]?.from.contains(current) ?? false
    }
}
