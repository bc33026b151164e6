/// 险种: the kinds of social insurance an export lists (the national codes map onto these in the
/// feed format).
public enum InsuranceType: String, Sendable, Hashable, CaseIterable {
    case pension
    case medical
    case unemployment
    case workInjury = "work-injury"
    case maternity
}

/// 个人缴费状态: whether contributions are being paid.
public enum ContributionStatus: String, Sendable, Hashable, CaseIterable {
    /// 参保缴费
    case contributing
    /// 暂停缴费
    case suspended
    /// 终止缴费
    case terminated
}

/// One row of a social-insurance snapshot for one person, as its feed format read it.
public struct InsuranceRow: Sendable, Hashable {
    public var insurance: InsuranceType
    public var status: ContributionStatus
    /// 离退休标志: the insurer counts the person as retired.
    public var retired: Bool
    /// The credit code of the employer the row is kept under.
    public var employer: CreditCode
    /// 状态变更日期: when the row's status last changed.
    public var changedOn: CivilDate

    public init(
        insurance: InsuranceType,
        status: ContributionStatus,
        retired: Bool,
        employer: CreditCode,
        changedOn: CivilDate
    ) {
        self.insurance = insurance
        self.status = status
        self.retired = retired
        self.employer = employer
        self.changedOn = changedOn
    }
}

/// The reconciliation rules that compare a person's record with their social insurance
/// (DOMAIN.md §8, rules 1, 2, 3 and 7): pure, so each can be checked on its own and each finding
/// names the rows it rests on. The caller gives the record as of the day of the run and the
/// person's rows of the latest snapshot not after it.
public enum InsuranceRules {
    /// What the personnel record says of the person on the day of the run.
    public struct Record: Sendable, Hashable {
        /// The status in force.
        public var status: PersonStatus
        /// Since when (the effective date of the action that set it).
        public var since: CivilDate
        /// The organisation they belong to (their post, or their last one).
        public var organization: CreditCode?

        public init(status: PersonStatus, since: CivilDate, organization: CreditCode?) {
            self.status = status
            self.since = since
            self.organization = organization
        }

        /// 在职 or 试用.
        var inPost: Bool { status == .active || status == .probation }

        /// Has left for good: the record should show no contributions paid by this employer.
        var hasLeft: Bool { [.transferredOut, .resigned, .dismissed, .expelled, .retired].contains(status) }
    }

    /// The limits, from the reconciliation policy.
    public struct Limits: Sendable, Hashable {
        /// Days after an exit within which contributions may still show as paid (社会保险法 §50:
        /// a departure is reported within 15 days).
        public var exitGraceDays: Int

        public init(exitGraceDays: Int) { self.exitGraceDays = exitGraceDays }

        public static let socialInsuranceLaw = Limits(exitGraceDays: 15)
    }

    /// One finding, with the rows it rests on.
    public enum Finding: Sendable, Hashable {
        /// In post while pension or medical contributions are suspended or terminated.
        case contributionsStopped(InsuranceRow)
        /// Left more than the grace period ago, and contributions are still paid.
        case exitStillInsured(exitOn: CivilDate, InsuranceRow)
        /// Retired in one system and not in the other.
        case retirementMismatch(recordRetired: Bool, InsuranceRow)
        /// In post here while contributing under another employer.
        case insuredElsewhere(InsuranceRow)

        /// The rule's stable id, the same in the CLI, the API, the pages and the reports.
        public var rule: ReconciliationRule {
            switch self {
            case .contributionsStopped: return .contributionsStopped
            case .exitStillInsured: return .exitStillInsured
            case .retirementMismatch: return .retirementMismatch
            case .insuredElsewhere: return .insuredElsewhere
            }
        }
    }

    /// The findings for one person on `date` (at most one per rule: the first row in the order
    /// given that shows it). `employersHere` are the credit codes of this node's organisations:
    /// contributions under one of them are not "elsewhere" (a move inside the node is in the
    /// record; the insurer's side may lag), whatever unit the record names.
    public static func findings(
        _ record: Record,
        rows: [InsuranceRow],
        on date: CivilDate,
        limits: Limits,
        employersHere: Set<CreditCode> = []
    ) -> [Finding] {
        var findings: [Finding] = []
        let core = rows.filter { $0.insurance == .pension || $0.insurance == .medical }
        if record.inPost, let stopped = core.first(where: { $0.status != .contributing }) {
            findings.append(.contributionsStopped(stopped))
        }
        if record.hasLeft, date > record.since.adding(days: limits.exitGraceDays),
            let paid = rows.first(where: { $0.status == .contributing && $0.employer == record.organization })
        {
            findings.append(.exitStillInsured(exitOn: record.since, paid))
        }
        let recordRetired = record.status == .retired
        if let pension = rows.first(where: { $0.insurance == .pension }), pension.retired != recordRetired {
            findings.append(.retirementMismatch(recordRetired: recordRetired, pension))
        }
        if record.inPost, let organization = record.organization,
            let elsewhere = rows.first(where: {
                $0.status == .contributing && $0.employer != organization && !employersHere.contains($0.employer)
            })
        {
            findings.append(.insuredElsewhere(elsewhere))
        }
        return findings
    }
}
