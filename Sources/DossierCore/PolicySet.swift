/// Every policy a node runs under, read once at start from its `policies/` folder (or the files
/// shipped with Dossier): the rules are data, and each answers for a date with the version in
/// force that day, so a 2015 action is judged by 2015's rules.
public struct PolicySet: Sendable {
    /// 人员状态机: which action may follow which status (dated inside).
    public var statusMachine: StatusMachine
    /// 职级序列: the ranks, their names and their order.
    public var rankLadder: Dated<RankLadder>
    /// 职级职数: the rank bands and what exceeding one does.
    public var rankQuotas: Dated<RankQuotaPolicy>
    /// 档案材料: what document intake accepts.
    public var documents: DocumentPolicy
    /// 晋升资格: who may be promoted to a rank on a date, beyond what the status machine says
    /// (time in rank, assessments, sanctions). nil until the assessment and promotion policy
    /// provides it; every promotion asks it when it is there.
    public var eligibility: (any PromotionEligibility)?
    /// 对账数据格式: how this node's social-insurance, payroll and attendance exports are laid
    /// out, each dated (a snapshot is read with the format in force on the day it was taken).
    public var feeds: [FeedKind: Dated<FeedFormat>]
    /// 对账规则: which reconciliation rules run, their limits and due times.
    public var reconciliation: Dated<ReconciliationPolicy>?

    public init(
        statusMachine: StatusMachine,
        rankLadder: Dated<RankLadder>,
        rankQuotas: Dated<RankQuotaPolicy>,
        documents: DocumentPolicy,
        eligibility: (any PromotionEligibility)? = nil,
        feeds: [FeedKind: Dated<FeedFormat>] = [:],
        reconciliation: Dated<ReconciliationPolicy>? = nil
    ) {
        self.statusMachine = statusMachine
        self.rankLadder = rankLadder
        self.rankQuotas = rankQuotas
        self.documents = documents
        self.eligibility = eligibility
        self.feeds = feeds
        self.reconciliation = reconciliation
    }

    /// The rules in force on one day.
    public struct InForce: Sendable {
        public var statusMachine: StatusMachine
        public var rankLadder: RankLadder
        public var rankQuotas: RankQuotaPolicy
        public var documents: DocumentPolicy
    }

    /// What was in force on `date`.
    public func at(_ date: CivilDate) -> InForce {
        InForce(
            statusMachine: statusMachine.at(date),
            rankLadder: rankLadder.at(date),
            rankQuotas: rankQuotas.at(date),
            documents: documents
        )
    }
}
