import Foundation
import Testing

/// Maker-checker hires through `dossier action draft` and `dossier action approve`: many processes
/// approving into too few vacancies at the same time, one draft approved by several checkers at
/// once, competing drafts for one person; and the refusals of the maker-checker rules: the drafter
/// approving, and a scoped officer drafting outside their scope.
@Suite struct ActionRaceTests {
    static let vacancies = 5
    static let workers = 20
    /// Everyone is first hired into the home organisation on this date …
    static let hiredOn = "2021-03-01"
    /// … resigns on this one …
    static let resignedOn = "2022-01-01"
    /// … and is re-hired into the target organisation from this one.
    static let rehiredOn = "2024-01-02"

    static let sqliteShell = URL(fileURLWithPath: "/usr/bin/sqlite3")

    @Test(arguments: 1...2)
    func twentyProcessesDraftAndApproveHiresIntoFiveVacanciesAndExactlyFiveGetIn(round: Int) async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let home = Fixture.creditCode(500 + 2 * round)
            let target = Fixture.creditCode(501 + 2 * round)
            try await node.succeed(["init"])
            try await Self.addMakerAndChecker(node)
            try await node.addOrganization(code: home, name: "HomeBureau")
            try await node.addOrganization(code: target, name: "ScarceBureau")
            try await node.setQuota(org: home, approved: Self.workers + 10)
            try await node.setQuota(org: target, approved: Self.vacancies)
            var candidates: [Int64] = []
            for index in 0..<Self.workers {
                candidates.append(try await Self.personOnFileOutOfPost(node, number: 600 + index, org: home))
            }
            #expect(try await node.quotaRows(["--org", home]).map(\.occupied) == [0])
            let draftsBefore = try await Self.drafts(node)
            #expect(draftsBefore.isEmpty)

            // Every worker drafts and then approves, one process after the other; the twenty
            // workers run at the same time, so drafts and approvals of different workers overlap.
            let outcomes = try await withThrowingTaskGroup(of: WorkerOutcome.self) { group in
                for person in candidates {
                    group.addTask { try await Self.draftAndApprove(node, person: person, org: target) }
                }
                var outcomes: [WorkerOutcome] = []
                for try await outcome in group { outcomes.append(outcome) }
                return outcomes.sorted { $0.person < $1.person }
            }
            let everything = outcomes.map(\.description).joined(separator: "\n")

            for outcome in outcomes {
                #expect(outcome.draft.status == 0, "\(outcome.draft)")
                #expect(outcome.draftID != nil, "\(outcome.draft)")
            }
            let approvals = outcomes.compactMap(\.approve)
            try #require(approvals.count == Self.workers, "\(everything)")
            let winners = outcomes.filter { $0.approve?.status == 0 }
            let losers = outcomes.filter { $0.approve?.status != 0 }
            #expect(winners.count == Self.vacancies, "\(everything)")
            #expect(losers.count == Self.workers - Self.vacancies, "\(everything)")
            for winner in winners {
                let approve = try #require(winner.approve)
                #expect(approve.stdout.hasPrefix("Approved: recorded as action "), "\(approve)")
                #expect(approve.stderr.isEmpty, "\(approve)")
            }
            for loser in losers {
                let approve = try #require(loser.approve)
                #expect(approve.status == 1, "\(approve)")
                #expect(approve.stdout.isEmpty, "\(approve)")
                #expect(approve.stderrLines.count == 1, "\(approve)")
                #expect(approve.stderr.hasPrefix("dossier: "), "\(approve)")
                #expect(approve.stderr.contains("no vacancy"), "\(approve)")
            }

            // The quota, the list of people in post and each person's own file agree.
            let rows = try await node.quotaRows(["--org", target])
            #expect(
                rows == [
                    QuotaRow(
                        org: target,
                        category: "admin",
                        approved: Self.vacancies,
                        occupied: Self.vacancies,
                        vacant: 0,
                        over: 0
                    )
                ]
            )
            #expect(try await node.quotaRows(["--org", home]).map(\.occupied) == [0])
            let inPost = try await Self.peopleInPost(node, org: target)
            #expect(inPost.count == Self.vacancies, "\(inPost)")
            #expect(Set(inPost.map(\.id)) == Set(winners.map(\.person)), "\(everything)")
            #expect(inPost.allSatisfy { $0.org == target && $0.category == "admin" }, "\(inPost)")

            // The five approved drafts are marked approved; a refused approval leaves its draft waiting.
            let drafts = try await Self.drafts(node)
            #expect(drafts.count == Self.workers)
            let approvedDrafts = drafts.filter { $0.state == "approved" }
            #expect(Set(approvedDrafts.map(\.personID)) == Set(winners.map(\.person)), "\(drafts)")
            #expect(approvedDrafts.allSatisfy { $0.decidedBy == "approver" && $0.actionID != nil }, "\(drafts)")
            #expect(
                drafts.filter { $0.state == "draft" }.map(\.personID).sorted() == losers.map(\.person).sorted(),
                "\(drafts)"
            )
            #expect(drafts.allSatisfy { $0.draftedBy == "officer" }, "\(drafts)")

            // The audit log has every draft and exactly the approvals that took effect, and its
            // chain is whole.
            let verify = try await node.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify)")
            let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "10000"])
            let entries = try JSONDecoder().decode([AuditAction].self, from: log.stdoutData)
            #expect(entries.filter { $0.action == "action.draft" }.count == Self.workers)
            #expect(entries.filter { $0.action == "action.approve" }.count == Self.vacancies)

            // SQLite's own check of the file every process wrote to.
            let integrity = try await Self.sqlite(node, "PRAGMA integrity_check;")
            #expect(integrity.status == 0, "\(integrity)")
            #expect(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(integrity)")
        }
    }

    @Test func theDrafterCannotApproveTheirOwnDraft() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let home = Fixture.creditCode(510)
            let target = Fixture.creditCode(511)
            try await node.succeed(["init"])
            try await Self.addMakerAndChecker(node)
            try await node.addOrganization(code: home, name: "HomeBureau")
            try await node.addOrganization(code: target, name: "TargetBureau")
            try await node.setQuota(org: home, approved: 5)
            try await node.setQuota(org: target, approved: 5)
            let person = try await Self.personOnFileOutOfPost(node, number: 700, org: home)

            // The admin may both draft and approve, but not the same draft.
            let adminDraft = try await Self.draftRehire(node, person: person, org: target, as: "admin")
            let selfApproval = try await node.run(["action", "approve", String(adminDraft), "--as", "admin"])
            #expect(selfApproval.status == 1, "\(selfApproval)")
            #expect(selfApproval.stdout.isEmpty, "\(selfApproval)")
            #expect(selfApproval.stderrLines.count == 1, "\(selfApproval)")
            #expect(selfApproval.stderr.hasPrefix("dossier: "), "\(selfApproval)")
            #expect(selfApproval.stderr.contains("another person must approve"), "\(selfApproval)")
            #expect(try await Self.drafts(node).map(\.state) == ["draft"])
            #expect(try await Self.peopleInPost(node, org: target).isEmpty)

            // An officer drafts; approving it as that officer is refused too (nothing changes).
            let officerDraft = try await Self.draftRehire(node, person: person, org: target, as: "officer")
            let officerApproval = try await node.run(["action", "approve", String(officerDraft), "--as", "officer"])
            #expect(officerApproval.status == 1, "\(officerApproval)")
            #expect(officerApproval.stdout.isEmpty, "\(officerApproval)")
            #expect(officerApproval.stderr.hasPrefix("dossier: "), "\(officerApproval)")
            #expect(try await Self.drafts(node).map(\.state) == ["draft", "draft"])
            #expect(try await Self.peopleInPost(node, org: target).isEmpty)

            // Someone else approves the admin's draft, and it takes effect.
            try await node.succeed(["action", "approve", String(adminDraft), "--as", "approver"])
            #expect(try await Self.peopleInPost(node, org: target).map(\.id) == [person])
            #expect(try await node.quotaRows(["--org", target]).map(\.occupied) == [1])
            #expect(try await node.run(["audit", "verify"]).status == 0)
        }
    }

    @Test func aScopedOfficerCannotDraftForSomeoneInAnotherOrganisation() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let own = Fixture.creditCode(520)
            let other = Fixture.creditCode(521)
            try await node.succeed(["init"])
            try await node.addOrganization(code: own, name: "OwnBureau")
            try await node.addOrganization(code: other, name: "OtherBureau")
            try await node.setQuota(org: own, approved: 5)
            try await node.setQuota(org: other, approved: 5)
            try await node.succeed(["user", "add", "scoped", "--role", "officer"])
            try await node.succeed(["user", "grant", "scoped", "--role", "officer", "--org", own])
            let insider = try await Self.addPerson(node, number: 800, org: own)
            let outsider = try await Self.addPerson(node, number: 801, org: other)
            let before = try await node.succeed(["action", "list", "--all", "--format", "json"]).stdout

            let attempts: [[String]] = [
                // A person in the other organisation: a change of status there, …
                ["action", "draft", String(outsider), "--kind", "give-notice", "--on", "2024-03-01"],
                ["action", "draft", String(outsider), "--kind", "resign", "--on", "2024-03-01"],
                // … and a transfer from there into the officer's own organisation.
                [
                    "action", "draft", String(outsider), "--kind", "transfer-in", "--org", own, "--category", "admin",
                    "--on", "2024-03-01",
                ],
                // Someone in the officer's own organisation sent into the other one.
                [
                    "action", "draft", String(insider), "--kind", "transfer-in", "--org", other, "--category", "admin",
                    "--on", "2024-03-01",
                ],
            ]
            for attempt in attempts {
                let result = try await node.run(attempt + ["--as", "scoped"])
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
                #expect(!result.stderr.contains("Drafted"), "\(result)")
            }
            let after = try await node.succeed(["action", "list", "--all", "--format", "json"]).stdout
            #expect(after == before)
            #expect(try await Self.drafts(node).isEmpty)

            // Within their own organisation the same officer may draft.
            let allowed = try await node.run(
                ["action", "draft", String(insider), "--kind", "give-notice", "--on", "2024-03-01", "--as", "scoped"]
            )
            #expect(allowed.status == 0, "\(allowed)")
            let drafts = try await Self.drafts(node)
            #expect(drafts.map(\.personID) == [insider])
            #expect(drafts.map(\.draftedBy) == ["scoped"])
        }
    }

    @Test func severalApproversApprovingOneDraftAtOnceRecordItOnce() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let home = Fixture.creditCode(530)
            let target = Fixture.creditCode(531)
            try await node.succeed(["init"])
            try await Self.addMakerAndChecker(node)
            let checkers = (1...6).map { "approver\($0)" }
            for checker in checkers {
                try await node.succeed(["user", "add", checker, "--role", "approver", "--whole-node"])
                try await node.token(for: checker)  // started below all at once: each proves who it is
            }
            try await node.addOrganization(code: home, name: "HomeBureau")
            try await node.addOrganization(code: target, name: "TargetBureau")
            try await node.setQuota(org: home, approved: 5)
            try await node.setQuota(org: target, approved: 5)
            let person = try await Self.personOnFileOutOfPost(node, number: 900, org: home)
            let draft = try await Self.draftRehire(node, person: person, org: target, as: "officer")

            let running = try checkers.map { try node.start(["action", "approve", String(draft), "--as", $0]) }
            var results: [CommandResult] = []
            for process in running { results.append(try await process.finish()) }
            let everything = results.map(\.description).joined(separator: "\n")
            #expect(results.filter { $0.status == 0 }.count == 1, "\(everything)")
            for result in results where result.status != 0 {
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.contains("already approved"), "\(result)")
            }
            #expect(try await node.quotaRows(["--org", target]).map(\.occupied) == [1])
            #expect(try await Self.peopleInPost(node, org: target).map(\.id) == [person])
            let timeline = try await node.succeed(["person", "timeline", String(person), "--format", "json"])
            #expect(timeline.stdout.components(separatedBy: "\"rehire\"").count - 1 == 1, "\(timeline)")
            let drafts = try await Self.drafts(node)
            #expect(drafts.map(\.state) == ["approved"])
            #expect(drafts.first?.decidedBy.map(checkers.contains) == true, "\(drafts)")
            let log = try await node.succeed(["audit", "log", "--format", "json", "--limit", "10000"])
            let entries = try JSONDecoder().decode([AuditAction].self, from: log.stdoutData)
            #expect(entries.filter { $0.action == "action.approve" }.count == 1)
            #expect(try await node.run(["audit", "verify"]).status == 0)
            let integrity = try await Self.sqlite(node, "PRAGMA integrity_check;")
            #expect(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(integrity)")
        }
    }

    @Test func competingDraftsForOnePersonApprovedAtOncePlaceThemOnce() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let home = Fixture.creditCode(540)
            let targets = (541...544).map(Fixture.creditCode)
            try await node.succeed(["init"])
            try await Self.addMakerAndChecker(node)
            try await node.addOrganization(code: home, name: "HomeBureau")
            try await node.setQuota(org: home, approved: 5)
            for (index, target) in targets.enumerated() {
                try await node.addOrganization(code: target, name: "TargetBureau\(index)")
                try await node.setQuota(org: target, approved: 5)
            }
            let person = try await Self.personOnFileOutOfPost(node, number: 910, org: home)
            // Two drafts into each of four organisations, all for the same person and date.
            var drafts: [Int64] = []
            for target in targets + targets {
                drafts.append(try await Self.draftRehire(node, person: person, org: target, as: "officer"))
            }

            try await node.token(for: "approver")
            let running = try drafts.map { try node.start(["action", "approve", String($0), "--as", "approver"]) }
            var results: [CommandResult] = []
            for process in running { results.append(try await process.finish()) }
            let everything = results.map(\.description).joined(separator: "\n")
            #expect(results.filter { $0.status == 0 }.count == 1, "\(everything)")
            for result in results where result.status != 0 {
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                #expect(result.stderrLines.count == 1, "\(result)")
                #expect(result.stderr.hasPrefix("dossier: "), "\(result)")
                // The status machine refuses, naming the action and the status the person is now in.
                #expect(result.stderr.contains("rehire") && result.stderr.contains("active"), "\(result)")
            }
            var occupied = 0
            for target in targets + [home] {
                occupied += try await node.quotaRows(["--org", target]).map(\.occupied).reduce(0, +)
            }
            #expect(occupied == 1)
            #expect(try await node.people().filter { $0.id == person }.count == 1)
            let placed = try await Self.drafts(node).filter { $0.state == "approved" }
            #expect(placed.count == 1, "\(placed)")
            #expect(try await node.run(["audit", "verify"]).status == 0)
            let integrity = try await Self.sqlite(node, "PRAGMA integrity_check;")
            #expect(integrity.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok", "\(integrity)")
        }
    }

    /// The scope check looks at where the person was on the draft's own effective date, so an
    /// officer scoped to one organisation can reach an action recorded in another by back-dating
    /// a cancellation (or correction) of it to a day the person was still theirs.
    @Test func aScopedOfficerCannotCancelAnotherOrganisationsActionByBackDating() async throws {
        try await withScratchDirectory { scratch in
            let node = DossierNode(scratch: scratch)
            let own = Fixture.creditCode(550)
            let other = Fixture.creditCode(551)
            try await node.succeed(["init"])
            try await node.addOrganization(code: own, name: "OwnBureau")
            try await node.addOrganization(code: other, name: "OtherBureau")
            try await node.setQuota(org: own, approved: 5)
            try await node.setQuota(org: other, approved: 5)
            for (user, role) in [("scoped", "officer"), ("scopedapprover", "approver")] {
                try await node.succeed(["user", "add", user, "--role", role])
                try await node.succeed(["user", "grant", user, "--role", role, "--org", own])
            }
            // Once in the officer's organisation, now in the other one.
            let person = try await Self.personOnFileOutOfPost(node, number: 920, org: own)
            try await node.succeed(
                ["person", "hire", String(person), "--org", other, "--category", "admin", "--on", "2023-01-01"]
            )
            let timeline = try await node.succeed(["person", "timeline", String(person), "--format", "json"])
            let rehireAction = try #require(
                try Self.actionIDs(timeline.stdoutData, kind: "rehire").first,
                "\(timeline)"
            )
            #expect(try await node.quotaRows(["--org", other]).map(\.occupied) == [1])
            let before = try await node.succeed(["action", "list", "--all", "--format", "json"]).stdout

            // Dated today, the cancellation is refused: the person is in the other organisation.
            let today = try await node.run(
                [
                    "action", "draft", String(person), "--kind", "cancel", "--target", String(rehireAction), "--as",
                    "scoped",
                ]
            )
            #expect(today.status == 1, "\(today)")

            // Dated back to when the person was in the officer's organisation, it must be refused too.
            let backDated = try await node.run(
                [
                    "action", "draft", String(person), "--kind", "cancel", "--target", String(rehireAction), "--on",
                    "2021-06-01", "--as", "scoped",
                ]
            )
            #expect(backDated.status == 1, "\(backDated)")
            #expect(backDated.stdout.isEmpty, "\(backDated)")
            let after = try await node.succeed(["action", "list", "--all", "--format", "json"]).stdout
            #expect(after == before)

            // And if such a draft exists, an approver scoped the same way must not make it take effect.
            if backDated.status == 0, let draft = Self.draftNumber(backDated.stdout) {
                let approval = try await node.run(["action", "approve", String(draft), "--as", "scopedapprover"])
                #expect(approval.status == 1, "\(approval)")
            }
            #expect(try await node.quotaRows(["--org", other]).map(\.occupied) == [1])
            #expect(try await Self.peopleInPost(node, org: other).map(\.id) == [person])
        }
    }
}

// MARK: Helpers

extension ActionRaceTests {
    /// What one worker's two processes did.
    struct WorkerOutcome: CustomStringConvertible {
        var person: Int64
        var draft: CommandResult
        var draftID: Int64?
        /// Nil when the draft failed and nothing was approved.
        var approve: CommandResult?

        var description: String {
            "person \(person):\n\(draft)\n" + (approve.map { "\($0)" } ?? "(no approval: the draft failed)")
        }
    }

    /// Drafts a re-hire of `person` into `org` as `officer`, then approves it as `approver`.
    static func draftAndApprove(_ node: DossierNode, person: Int64, org: String) async throws -> WorkerOutcome {
        let draft = try await node.run(rehireDraftArguments(person: person, org: org, as: "officer"))
        var outcome = WorkerOutcome(person: person, draft: draft)
        guard draft.status == 0, let id = draftNumber(draft.stdout) else { return outcome }
        outcome.draftID = id
        outcome.approve = try await node.run(["action", "approve", String(id), "--as", "approver"])
        return outcome
    }

    static func rehireDraftArguments(person: Int64, org: String, as user: String) -> [String] {
        [
            "action", "draft", String(person), "--kind", "rehire", "--org", org, "--category", "admin", "--status",
            "active", "--on", rehiredOn, "--as", user,
        ]
    }

    /// Drafts a re-hire that must be accepted; returns the draft number.
    static func draftRehire(
        _ node: DossierNode,
        person: Int64,
        org: String,
        as user: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Int64 {
        let result = try await node.succeed(
            rehireDraftArguments(person: person, org: org, as: user),
            sourceLocation: sourceLocation
        )
        return try #require(draftNumber(result.stdout), "\(result)", sourceLocation: sourceLocation)
    }

    /// The number in "Drafted as number N; …".
    static func draftNumber(_ stdout: String) -> Int64? {
        number(in: stdout, after: "Drafted as number ", before: ";")
    }

    /// The number in "Filed and hired as file number N.".
    static func fileNumber(_ stdout: String) -> Int64? {
        number(in: stdout, after: "Filed and hired as file number ", before: ".")
    }

    private static func number(in text: String, after prefix: String, before terminator: Character) -> Int64? {
        guard let start = text.range(of: prefix)?.upperBound else { return nil }
        return Int64(text[start...].prefix { $0 != terminator })
    }

    /// The maker (`officer`) and the checker (`approver`), each acting over the whole node.
    static func addMakerAndChecker(_ node: DossierNode) async throws {
        try await node.succeed(["user", "add", "officer", "--role", "officer", "--whole-node"])
        try await node.succeed(["user", "add", "approver", "--role", "approver", "--whole-node"])
    }

    /// Files and hires a person into `org`; returns the file number.
    static func addPerson(_ node: DossierNode, number: Int, org: String) async throws -> Int64 {
        let result = try await node.succeed(
            DossierNode.personAdd(idNumber: Fixture.identityNumber(number), org: org, hiredOn: hiredOn)
        )
        return try #require(fileNumber(result.stdout), "\(result)")
    }

    /// A person on file who holds no post: hired into `org`, then resigned.
    static func personOnFileOutOfPost(_ node: DossierNode, number: Int, org: String) async throws -> Int64 {
        let id = try await addPerson(node, number: number, org: org)
        try await node.succeed(["person", "exit", String(id), "--kind", "resign", "--on", resignedOn])
        return id
    }

    /// `person list --org ORG --format json` today.
    static func peopleInPost(_ node: DossierNode, org: String) async throws -> [PersonRow] {
        let result = try await node.succeed(["person", "list", "--org", org, "--format", "json", "--limit", "100000"])
        return try JSONDecoder().decode([PersonRow].self, from: result.stdoutData)
    }

    /// Every draft, whatever its state, as the admin sees them.
    static func drafts(_ node: DossierNode) async throws -> [DraftRow] {
        let result = try await node.succeed(["action", "list", "--all", "--format", "json"])
        return try JSONDecoder().decode([DraftRow].self, from: result.stdoutData)
    }

    /// The numbers of the actions of `kind` in `person timeline --format json` (the number's key
    /// read as `action_id`, or `actionID` as earlier builds printed it).
    static func actionIDs(_ json: Data, kind: String) throws -> [Int64] {
        let entries = try #require(try JSONSerialization.jsonObject(with: json) as? [[String: Any]])
        return entries.filter { $0["kind"] as? String == kind }.compactMap { entry in
            ((entry["action_id"] ?? entry["actionID"]) as? NSNumber)?.int64Value
        }
    }

    /// Runs SQL against the node's database file with the `sqlite3` shell.
    static func sqlite(_ node: DossierNode, _ sql: String) async throws -> CommandResult {
        try #require(
            FileManager.default.isExecutableFile(atPath: sqliteShell.path),
            "this test checks the database with the sqlite3 shell: apt-get install sqlite3"
        )
        return try await runCommand(sqliteShell, [node.databaseURL.path, sql], scratch: node.scratch)
    }

    /// The part of `action list --format json` these tests read.
    struct DraftRow: Decodable, CustomStringConvertible {
        var id: Int64
        var personID: Int64
        var kind: String
        var state: String
        var draftedBy: String
        var decidedBy: String?
        var actionID: Int64?

        private enum CodingKeys: String, CodingKey {
            case id
            case personID = "person_id"
            case kind, state
            case draftedBy = "drafted_by"
            case decidedBy = "decided_by"
            case actionID = "action_id"
        }

        var description: String {
            "draft \(id): person \(personID) \(kind) \(state) by \(draftedBy)"
                + (decidedBy.map { ", decided by \($0)" } ?? "")
        }
    }
}
