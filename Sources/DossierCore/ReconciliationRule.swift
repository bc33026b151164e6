/// The reconciliation rules (DOMAIN.md §8), each with a stable id used everywhere: the command
/// line, the API, the pages, the reports and the policy file.
public enum ReconciliationRule: String, Sendable, Hashable, CaseIterable, Comparable {
    /// In post (在职/试用) while pension or medical contributions are suspended or terminated.
    case contributionsStopped = "contributions-stopped"
    /// An exit recorded, and contributions still paid by this employer after the grace period.
    case exitStillInsured = "exit-still-insured"
    /// 退休 in one system and not in the other.
    case retirementMismatch = "retirement-mismatch"
    /// A status that keeps a slot but is not active (自离, 待离职, 停薪留职) held longer than allowed.
    case inactiveHoldsSlot = "inactive-holds-slot"
    /// 旷工 past the law's limits while in post.
    case absentWithoutLeave = "absent-without-leave"
    /// A transfer-out with no receipt after the chasing time (raised once the exchange exists).
    case transferWithoutReceipt = "transfer-without-receipt"
    /// Contributions paid under another employer's credit code while in post here.
    case insuredElsewhere = "insured-elsewhere"
    /// Salary paid for a month in which the person held no post here at all.
    case paidNotInPost = "paid-not-in-post"
    /// A feed row under one of this node's organisations for an identity number not on file.
    case unknownPerson = "unknown-person"
    /// 不称职 (or 不合格) in consecutive years: grounds for dismissal (公务员法 §88) or termination.
    /// Opened when such a grade becomes final, not by a reconciliation run.
    case failingGrades = "failing-grades"

    /// The rule's name for people, in Chinese.
    public var chineseName: String {
        switch self {
        case .contributionsStopped: return "在职但社保停缴"
        case .exitStillInsured: return "已离职仍在参保"
        case .retirementMismatch: return "退休状态不一致"
        case .inactiveHoldsSlot: return "非在岗人员长期占编"
        case .absentWithoutLeave: return "旷工超过规定天数"
        case .transferWithoutReceipt: return "调出未收回执"
        case .insuredElsewhere: return "在其他单位参保"
        case .paidNotInPost: return "不在岗仍发工资"
        case .unknownPerson: return "数据中有未建档人员"
        case .failingGrades: return "连续年度考核不称职"
        }
    }

    /// The rule in plain English, for messages and the pages.
    public var summary: String {
        switch self {
        case .contributionsStopped: return "in post while pension or medical contributions are stopped"
        case .exitStillInsured: return "left, but contributions are still paid"
        case .retirementMismatch: return "retired in one system and not in the other"
        case .inactiveHoldsSlot: return "not at work, still holding a slot, for longer than allowed"
        case .absentWithoutLeave: return "absent without leave past the limit while in post"
        case .transferWithoutReceipt: return "transferred out, no receipt from the receiving side"
        case .insuredElsewhere: return "in post here, insured by another employer"
        case .paidNotInPost: return "paid for a month without holding a post here"
        case .unknownPerson: return "in an outside feed under this node, not on file"
        case .failingGrades: return "graded 不称职 (or 不合格) in consecutive years: grounds for dismissal"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// 对账规则: which reconciliation rules are on, their limits, and how many days an office has to
/// act on each kind of case. Policy data (`Policies/reconciliation.yaml`), dated like the others.
public struct ReconciliationPolicy: Sendable, Hashable {
    /// The rules that run; the others raise nothing (and clear nothing).
    public var enabled: Set<ReconciliationRule>
    /// Days an office has to act on a case of each rule, from the day it is opened.
    public var dueDays: [ReconciliationRule: Int]
    /// `exit-still-insured`: days after an exit within which contributions may still show.
    public var insurance: InsuranceRules.Limits
    /// `absent-without-leave`: the law's limits.
    public var absence: AbsenceRule.Limits
    /// `inactive-holds-slot`: for each status that keeps a slot without work, the days it may
    /// last; a status not listed is not checked.
    public var inactiveDays: [PersonStatus: Int]

    public init(
        enabled: Set<ReconciliationRule>,
        dueDays: [ReconciliationRule: Int],
        insurance: InsuranceRules.Limits,
        absence: AbsenceRule.Limits,
        inactiveDays: [PersonStatus: Int]
    ) {
        self.enabled = enabled
        self.dueDays = dueDays
        self.insurance = insurance
        self.absence = absence
        self.inactiveDays = inactiveDays
    }

    /// The days to act on a case of `rule` (30 when the policy names none).
    public func due(_ rule: ReconciliationRule) -> Int { dueDays[rule] ?? 30 }
}

/// Where a reconciliation case stands.
public enum CaseStatus: String, Sendable, Hashable, CaseIterable {
    /// Waiting for the office to act.
    case open
    /// Decided by a person (confirmed, corrected or dismissed).
    case resolved
    /// The finding went away on a later run before anyone decided it.
    case cleared
}

/// How a person decided a case.
public enum CaseOutcome: String, Sendable, Hashable, CaseIterable {
    /// The finding is right: Dossier drafts the action that ends the disagreement, where there is
    /// one, for an approver to decide.
    case confirmed
    /// The record (or the outside system) was put right by other means.
    case corrected
    /// The finding is wrong; the rule stays quiet for this person until the evidence changes.
    case dismissed
}
