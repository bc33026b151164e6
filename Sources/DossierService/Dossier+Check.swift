import DossierCore
import DossierStorage
import Foundation

/// What `dossier check` found: each area looked at, how much of it, and every finding.
public struct NodeCheck: Sendable, Hashable {
    /// A part of the node the check looks at, in the order it looks.
    public enum Area: String, Sendable, Hashable, CaseIterable, Codable {
        /// SQLite's integrity and foreign-key checks.
        case database
        /// The hash chain of the audit log.
        case audit
        /// Every document file: present, and matching its recorded digests and size; and files on
        /// disk that no record refers to.
        case documents
        /// Every person's stored placements against a fresh fold of their actions.
        case placements
        /// Every quota's occupancy today against a recount from the fold.
        case quotas
        /// The node's policy files and statistical tables load.
        case policies

        /// The area's name for a personnel officer.
        public var title: String {
            switch self {
            case .database: return "database file"
            case .audit: return "audit log"
            case .documents: return "document files"
            case .placements: return "placements"
            case .quotas: return "quota occupancy"
            case .policies: return "policies"
            }
        }
    }

    /// One thing found wrong.
    public struct Finding: Sendable, Hashable {
        public var area: Area
        public var text: String
    }

    /// How many items each area looked at (entries, files, people, quotas, files of policy).
    public var examined: [Area: Int] = [:]
    /// Everything found wrong, area by area (at most `maxListed` per area, then a count).
    public var findings: [Finding] = []
    /// Things worth knowing that leave the records consistent: document files on disk that no
    /// record refers to (what a document add or a package import interrupted between storing
    /// its files and committing its records leaves; never the other way round, so no record
    /// ever lacks its file). `--repair` removes them.
    public var notes: [Finding] = []
    /// What `--repair` changed.
    public var repaired: [String] = []

    /// True when nothing was found wrong.
    public var passed: Bool { findings.isEmpty }

    /// The most findings listed one by one for an area; the rest are counted in one more.
    public static let maxListed = 50

    mutating func found(_ area: Area, _ texts: [String]) {
        findings += Self.listed(area, texts)
    }

    mutating func noted(_ area: Area, _ texts: [String]) {
        notes += Self.listed(area, texts)
    }

    private static func listed(_ area: Area, _ texts: [String]) -> [Finding] {
        var listed = texts.prefix(maxListed).map { Finding(area: area, text: $0) }
        if texts.count > maxListed {
            listed.append(Finding(area: area, text: "… and \(texts.count - maxListed) more like these"))
        }
        return listed
    }
}

extension Dossier {
    /// Checks the node as a whole: SQLite's integrity and foreign keys; the audit chain; every
    /// document file present and matching its digests, and files that no record refers to
    /// (removed when `repair` is set); every person's placements equal to a fresh fold of their
    /// actions; every quota's occupancy today equal to a recount; the policies and tables load.
    /// Reads only (apart from a repair), then one audit entry saying what was found; a check
    /// that found nothing is noted as the node's last passed check (`/metrics` shows it).
    /// `progress` hears how many people's timelines have been folded again so far.
    public func checkNode(repair: Bool = false, progress: (Int) -> Void = { _ in }) async throws -> NodeCheck {
        try require(.operateNode)
        var result = NodeCheck()

        let problems = try await mapErrors { try await store.storageProblems() }
        result.examined[.database] = 1
        result.found(.database, problems)

        let audit = try await verifyAudit()
        result.examined[.audit] = Int(audit.checked)
        if let broken = audit.firstBroken {
            result.found(.audit, ["entry \(broken): \(audit.problem ?? "it does not match")"])
        }
        if audit.brokenCheckpoint != nil {
            result.found(.audit, [audit.checkpointProblem ?? "a signed checkpoint does not hold"])
        }

        try await checkDocuments(into: &result, repair: repair)
        try await checkPlacementsAndQuotas(into: &result, progress: progress)

        var policyProblems: [String] = []
        do { _ = try Self.loadPolicies(dataDirectory) } catch { policyProblems.append("\(error)") }
        if case .failure(let error) = ReportCatalogCache.load(dataDirectory, ladder: policies.rankLadder) {
            policyProblems.append(error.description)
        }
        result.examined[.policies] = 2
        result.found(.policies, policyProblems)

        let outcome = result
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                var details = [
                    "result": outcome.passed ? "passed" : "failed", "findings": String(outcome.findings.count),
                ]
                if !outcome.repaired.isEmpty { details["repaired"] = String(outcome.repaired.count) }
                try self.audit(tx, action: "node.check", subject: "node", details: details)
                if outcome.passed { try tx.notePassedCheck() }
            }
        }
        return result
    }

    /// When the node last passed its consistency check (an ISO 8601 time), if it has.
    public func lastPassedCheck() async throws -> String? {
        try await mapErrors { try await store.lastPassedCheck() }
    }

    private func checkDocuments(into result: inout NodeCheck, repair: Bool) async throws {
        guard let blobs else { return }
        let referenced = try await mapErrors { try await store.documentBlobs() }
        var findings: [String] = []
        for blob in referenced {
            let name = "\(blob.sha256.prefix(12))…"
            guard let found = blobs.measure(sha256: blob.sha256) else {
                findings.append("the file \(name) of a document is missing")
                continue
            }
            if found.sha256 != blob.sha256 || found.sm3 != blob.sm3 || found.size != blob.size {
                findings.append("the file \(name) of a document does not match its recorded digests or size (damaged)")
            }
        }
        let (stored, strangers) = blobs.inventory()
        let known = Set(referenced.map(\.sha256))
        let unreferenced = stored.filter { !known.contains($0) }
        if repair {
            for digest in unreferenced {
                // Inside a write transaction: a document added since the list was read keeps its file.
                let removed = try await mapErrors {
                    try await store.discardUnreferenced(BlobStore.Stored(unreferencedSHA256: digest), in: blobs)
                }
                if removed {
                    result.repaired.append("removed the file \(digest.prefix(12))…, which no record refers to")
                }
            }
        } else {
            result.noted(
                .documents,
                unreferenced.map {
                    "the file \($0.prefix(12))… is on disk but no record refers to it (dossier check --repair removes it)"
                }
            )
        }
        findings += strangers.map { "blobs/\($0) is not a document file of Dossier's (left in place)" }
        result.examined[.documents] = referenced.count + stored.count
        result.found(.documents, findings)
    }

    /// Folds every timeline again under the policies in force at each action's date, compares
    /// the result with the stored placements, and recounts today's occupancy from the fold for
    /// the quota comparison (the stored counts come from SQL over the stored placements: two
    /// independent paths).
    private func checkPlacementsAndQuotas(into result: inout NodeCheck, progress: (Int) -> Void) async throws {
        let today = self.today
        let policies = self.policies
        var people = 0
        var mismatched: [String] = []
        var recount: [QuotaKey: Int] = [:]
        try await mapErrors {
            try await store.forEachTimeline { personID, actions, stored in
                people += 1
                if people % 10_000 == 0 { progress(people) }
                let folded: [TimelineFold.Interval]
                do {
                    folded = try TimelineFold.fold(
                        actions,
                        machine: policies.statusMachine,
                        ladder: policies.rankLadder
                    )
                } catch {
                    mismatched.append("person \(personID): the timeline does not fold (\(error))")
                    return
                }
                if let difference = Self.firstDifference(stored: stored, folded: folded) {
                    mismatched.append("person \(personID): \(difference)")
                }
                for interval in folded
                where interval.status.occupiesSlot && interval.from <= today
                    && (interval.until.map { $0 > today } ?? true)
                {
                    recount[QuotaKey(org: interval.org, subject: .category(interval.category)), default: 0] += 1
                    if let post = interval.post {
                        recount[QuotaKey(org: interval.org, subject: .post(post)), default: 0] += 1
                    }
                }
            }
        }
        result.examined[.placements] = people
        result.found(.placements, mismatched)

        let organizations = try await mapErrors { try await store.organizations() }
        let ids = Dictionary(organizations.map { ($0.code, $0.id) }, uniquingKeysWith: { first, _ in first })
        let counted = try await mapErrors { try await store.headcount(on: today, org: nil, withUnitsBelow: false) }
        var quotaFindings: [String] = []
        var seen: Set<QuotaKey> = []
        for row in counted {
            guard let id = ids[row.orgCode] else { continue }
            let key = QuotaKey(org: id, subject: row.subject)
            seen.insert(key)
            let expected = recount[key] ?? 0
            if expected != row.occupied {
                quotaFindings.append(
                    "\(row.orgName) (\(row.orgCode)), \(Self.subjectName(row.subject)): \(row.occupied) counted as holding it today, \(expected) by the timelines"
                )
            }
        }
        let names = Dictionary(
            organizations.map { ($0.id, "\($0.name) (\($0.code))") },
            uniquingKeysWith: { a, _ in a }
        )
        for (key, count) in recount.sorted(by: { $0.key.org < $1.key.org }) where !seen.contains(key) {
            quotaFindings.append(
                "\(names[key.org] ?? "organisation \(key.org)"), \(Self.subjectName(key.subject)): 0 counted as holding it today, \(count) by the timelines"
            )
        }
        result.examined[.quotas] = counted.count
        result.found(.quotas, quotaFindings)
    }

    private struct QuotaKey: Hashable {
        var org: Int64
        var subject: Headcount.Subject
    }

    private static func subjectName(_ subject: Headcount.Subject) -> String {
        switch subject {
        case .category(let category): return category.chineseName
        case .post(let post): return post.chineseName
        case .rankBand(let band): return band
        }
    }

    /// Where the stored placements first differ from the fold, in words; nil when they agree.
    static func firstDifference(stored: [TimelineFold.Interval], folded: [TimelineFold.Interval]) -> String? {
        let order: (TimelineFold.Interval, TimelineFold.Interval) -> Bool = {
            ($0.from, $0.actionID) < ($1.from, $1.actionID)
        }
        let stored = stored.sorted(by: order)
        let folded = folded.sorted(by: order)
        for (index, (have, want)) in zip(stored, folded).enumerated() where have != want {
            return
                "placement \(index + 1) (from \(want.from), action \(want.actionID)) is stored as from \(have.from), action \(have.actionID), status \(have.status.chineseName); the timeline gives status \(want.status.chineseName) until \(want.until?.description ?? "now")"
        }
        if stored.count != folded.count {
            return "\(stored.count) placements are stored, the timeline gives \(folded.count)"
        }
        return nil
    }
}
