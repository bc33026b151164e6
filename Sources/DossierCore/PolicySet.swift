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
    /// 职务与职级并行: civil servants' promotion, assessment and sanction rules (time in rank,
    /// grades, sanction periods, the 优秀 share). nil on a node without them: promotions then
    /// need only the status machine and the one-step rule.
    public var promotion: Dated<PromotionPolicy>?
    /// 事业单位考核: the assessment rules of public-institution staff and service workers.
    public var publicInstitution: Dated<AssessmentPolicy>?
    /// 对账数据格式: how this node's social-insurance, payroll and attendance exports are laid
    /// out, each dated (a snapshot is read with the format in force on the day it was taken).
    public var feeds: [FeedKind: Dated<FeedFormat>]
    /// 对账规则: which reconciliation rules run, their limits and due times.
    public var reconciliation: Dated<ReconciliationPolicy>?
    /// 档案转递: how long a transfer package may be received, when a missing receipt is chased.
    /// nil: the national figures.
    public var exchange: Dated<ExchangePolicy>?

    public init(
        statusMachine: StatusMachine,
        rankLadder: Dated<RankLadder>,
        rankQuotas: Dated<RankQuotaPolicy>,
        documents: DocumentPolicy,
        promotion: Dated<PromotionPolicy>? = nil,
        publicInstitution: Dated<AssessmentPolicy>? = nil,
        feeds: [FeedKind: Dated<FeedFormat>] = [:],
        reconciliation: Dated<ReconciliationPolicy>? = nil,
        exchange: Dated<ExchangePolicy>? = nil
    ) {
        self.statusMachine = statusMachine
        self.rankLadder = rankLadder
        self.rankQuotas = rankQuotas
        self.documents = documents
        self.promotion = promotion
        self.publicInstitution = publicInstitution
        self.feeds = feeds
        self.reconciliation = reconciliation
        self.exchange = exchange
    }

    /// The exchange figures in force on `date`.
    public func exchange(on date: CivilDate) -> ExchangePolicy {
        exchange?.at(date) ?? .national
    }

    /// The assessment rules for `scale` in force on `date`, if the node has them.
    public func assessment(_ scale: AssessmentScale, on date: CivilDate) -> AssessmentPolicy? {
        switch scale {
        case .civilService: promotion?.at(date).assessment
        case .publicInstitution: publicInstitution?.at(date)
        }
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
