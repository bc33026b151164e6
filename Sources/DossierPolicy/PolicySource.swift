public import DossierCore
import DossierPolicyFiles
import Foundation

/// Where a node's policy files come from: its own copy in `DIR/policies/NAME` where it has one,
/// else the file shipped with Dossier. The node at start, and `dossier policy` for a person
/// looking at the rules, read through this one place, so both see the same files.
public struct PolicySource: Sendable {
    /// The node's `policies/` folder; nil: shipped files only.
    public let folder: String?

    public init(folder: String?) {
        self.folder = folder
    }

    /// The files shipped with Dossier, for a machine without a node.
    public static let shipped = PolicySource(folder: nil)

    /// One policy file's text and where it came from.
    public struct Text: Sendable, Hashable {
        /// The name under `policies/` (`feeds/payroll.yaml`).
        public var name: String
        public var text: String
        /// What messages call it: the node copy's path, or the shipped name.
        public var file: String
        /// Whether the node has its own copy.
        public var isNodeCopy: Bool
    }

    /// The text of `name`: the node's copy when there is one, else the shipped file.
    public func text(_ name: String) throws(PolicyError) -> Text {
        if let folder, FileManager.default.fileExists(atPath: folder + "/" + name) {
            let path = folder + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw PolicyError(file: path, reason: "it cannot be read")
            }
            return Text(name: name, text: text, file: path, isNodeCopy: true)
        }
        guard let text = PolicyFiles.shippedText(name) else {
            throw PolicyError(file: name, reason: "the shipped file is missing from this installation")
        }
        return Text(name: name, text: text, file: name, isNodeCopy: false)
    }

    /// The rank ladder, every version.
    public func ladder() throws(PolicyError) -> Dated<RankLadder> {
        let ladder = try text(RankLadderFile.fileName)
        return try RankLadderFile.load(yaml: ladder.text, file: ladder.file)
    }

    /// The civil-service and public-institution policies as their files say, before local rules.
    private func basePolicies(
        ladder: Dated<RankLadder>
    ) throws(PolicyError) -> (
        promotion: Dated<PromotionPolicy>, publicInstitution: Dated<AssessmentPolicy>
    ) {
        let civil = try text(CivilServiceRanksFile.fileName)
        let institution = try text(PublicInstitutionStaffFile.fileName)
        return (
            try CivilServiceRanksFile.load(yaml: civil.text, ladder: ladder, file: civil.file),
            try PublicInstitutionStaffFile.load(yaml: institution.text, file: institution.file)
        )
    }

    /// What a file of `adapter`'s kind is checked with: the ladder, and for local rules the
    /// policies they change (not loaded for other kinds, so a broken one does not stand in the
    /// way of checking an unrelated file).
    public func context(for adapter: any PolicyAdapter.Type) throws(PolicyError) -> PolicyContext {
        let ranks = try ladder()
        guard adapter.kind == LocalRulesFile.kind else { return PolicyContext(ladder: ranks) }
        let base = try basePolicies(ladder: ranks)
        return PolicyContext(ladder: ranks, promotion: base.promotion, publicInstitution: base.publicInstitution)
    }

    /// Every policy of the node, all or nothing: the first file that does not load is refused
    /// with its file, line and reason, and nothing is returned.
    public func policySet() throws(PolicyError) -> PolicySet {
        let machine = try text(StatusMachinePolicy.fileName)
        let ladder = try self.ladder()
        let rankQuotas = try text(RankQuotaPolicyFile.fileName)
        let documents = try text(DocumentPolicyFile.fileName)
        var feeds: [FeedKind: Dated<FeedFormat>] = [:]
        for feed in FeedKind.allCases {
            let format = try text(FeedFormatFile.fileName(feed))
            feeds[feed] = try FeedFormatFile.load(yaml: format.text, feed: feed, file: format.file)
        }
        let reconciliation = try text(ReconciliationPolicyFile.fileName)
        let exchange = try text(ExchangePolicyFile.fileName)
        let base = try basePolicies(ladder: ladder)
        let local = try text(LocalRulesFile.fileName)
        let rules = try LocalRulesFile.load(yaml: local.text, ladder: ladder, file: local.file)
        return PolicySet(
            statusMachine: try StatusMachinePolicy.load(yaml: machine.text, file: machine.file),
            rankLadder: ladder,
            rankQuotas: try RankQuotaPolicyFile.load(yaml: rankQuotas.text, ladder: ladder, file: rankQuotas.file),
            documents: try DocumentPolicyFile.load(yaml: documents.text, file: documents.file),
            promotion: try rules.applied(to: base.promotion),
            publicInstitution: try rules.applied(to: base.publicInstitution),
            feeds: feeds,
            reconciliation: try ReconciliationPolicyFile.load(yaml: reconciliation.text, file: reconciliation.file),
            exchange: try ExchangePolicyFile.load(yaml: exchange.text, file: exchange.file)
        )
    }

    /// Checks `text` (a file a person is about to install) with the adapter of the kind it
    /// names, against this source's ladder (and, for local rules, its policies).
    public func validate(
        _ text: String,
        file: String
    ) throws(PolicyError) -> (
        kind: String, versions: [PolicyEnvelope.Version]
    ) {
        let adapter = try PolicyKinds.adapter(for: text, file: file)
        let versions = try adapter.check(yaml: text, file: file, context: context(for: adapter))
        return (adapter.kind, versions)
    }

    /// What `name` holds on `date`: the version in force that day (the oldest before the first
    /// date, as `Dated` answers), and the local rule changing it that day, if any. The file and
    /// the local rules must load.
    public func inForce(
        _ name: String,
        on date: CivilDate
    ) throws(PolicyError) -> (
        source: Text, version: PolicyEnvelope.Version?, localRule: LocalRule?
    ) {
        guard let adapter = PolicyKinds.adapter(fileName: name) else {
            throw PolicyError(file: name, reason: "it is not a policy file Dossier reads")
        }
        let found = try text(name)
        var checkContext = try context(for: adapter)
        checkContext.feed = FeedKind.allCases.first { FeedFormatFile.fileName($0) == name }
        let versions = try adapter.check(yaml: found.text, file: found.file, context: checkContext)
        let version = versions.last { ($0.effectiveFrom ?? date) <= date } ?? versions.first
        var localRule: LocalRule?
        if LocalRulesFile.changeable[adapter.kind] != nil {
            let local = try text(LocalRulesFile.fileName)
            let rules = try LocalRulesFile.load(
                yaml: local.text,
                file: local.file,
                context: self.context(for: LocalRulesFile.self)
            )
            localRule = rules.inForce(adapter.kind, on: date)
        }
        return (found, version, localRule)
    }

    /// One policy file of the node, as `dossier policy list` shows it.
    public struct Entry: Sendable {
        public var kind: String
        public var source: Text
        /// Its versions as written (empty for local rules that change nothing).
        public var versions: [PolicyEnvelope.Version]
        /// Why the file does not load; nil when it does.
        public var problem: PolicyError?
    }

    /// Every policy file the node reads, in the order it reads them, each checked as the node
    /// would check it; a broken file is listed with its problem rather than hiding the others.
    public func entries() -> [Entry] {
        var result: [Entry] = []
        for name in PolicyFiles.names {
            guard let adapter = PolicyKinds.adapter(fileName: name) else { continue }
            let found: Text
            do { found = try text(name) } catch {
                result.append(
                    Entry(
                        kind: adapter.kind,
                        source: Text(name: name, text: "", file: name, isNodeCopy: false),
                        versions: [],
                        problem: error
                    )
                )
                continue
            }
            var entry = Entry(kind: adapter.kind, source: found, versions: [], problem: nil)
            do {
                entry.versions = try adapter.versions(of: found.text, file: found.file)
                var checkContext = try context(for: adapter)
                checkContext.feed = FeedKind.allCases.first { FeedFormatFile.fileName($0) == name }
                _ = try adapter.check(yaml: found.text, file: found.file, context: checkContext)
            } catch {
                entry.problem = error
            }
            result.append(entry)
        }
        return result
    }
}
