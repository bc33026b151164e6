import ArgumentParser
import DossierCore
import DossierService
import DossierStorage
import Foundation

struct CaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Work the cases the reconciliation opened: list them, look at one, decide it.",
        discussion: """
            Each case is one disagreement between the records and an outside export, for one \
            person and one check (contributions-stopped, exit-still-insured, retirement-mismatch, \
            inactive-holds-slot, absent-without-leave, insured-elsewhere, paid-not-in-post, \
            unknown-person). It belongs to the person's organisation and is due within the days \
            the reconciliation policy gives that check.
            """,
        subcommands: [List.self, Show.self, Resolve.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List cases within your organisations, the soonest due first (overdue ones lead)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Which cases: open (default), resolved, cleared or all.", transform: Parse.caseStatus)
        var status: CaseStatus?? = .some(.open)
        @Option(help: "Only the cases of one check, by its id.", transform: Parse.rule) var rule: ReconciliationRule?
        @Option(help: "Only one organisation and those under it (credit code).", transform: Parse.code)
        var org: CreditCode?
        @Option(help: "At most this many cases.") var limit = 1000
        @Option(help: "Skip this many cases first (for paging).") var offset = 0

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
            guard offset >= 0 else { throw ValidationError("--offset cannot be negative.") }
        }

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let status = status ?? nil
                let cases = try await dossier.cases(status: status, rule: rule, org: org, limit: limit, offset: offset)
                if output.format == .json {
                    print(try JSONOutput.encode(cases.map(CaseJSON.init)))
                } else {
                    print(CaseCommand.listing(cases).render(output.format))
                }
                // A full page may not be all: say how many there are (on stderr, so the output stays clean).
                if cases.count == limit {
                    let total = try await dossier.caseCount(status: status, rule: rule, org: org)
                    if total > offset + cases.count {
                        printError(
                            "… \(cases.count) of \(total.formatted()) shown; --limit or --offset \(offset + cases.count) for more."
                        )
                    }
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one case with its evidence: the export rows it rests on and the person's actions."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The case number.") var id: Int64
        @Flag(help: "Show an unknown person's identity number in full (if your role may; it is logged).")
        var reveal = false

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let detail = try await dossier.reconciliationCase(id, reveal: reveal)
                if output.format == .json {
                    print(try JSONOutput.encode(CaseDetailJSON(detail)))
                    return
                }
                print(CaseCommand.listing([detail.view]).render(output.format))
                guard output.format == .table else { return }
                let stored = detail.view.stored
                print("\ncheck: \(stored.rule.rawValue) — \(stored.rule.summary) (\(stored.rule.chineseName))")
                for (name, value) in stored.evidence.facts.sorted(by: { $0.key < $1.key }) {
                    print("  \(name): \(value)")
                }
                if let feed = detail.feed {
                    print("\nexport: feed \(feed.id), \(feed.kind.rawValue) as of \(feed.asOf), file \(feed.fileName)")
                    for row in detail.rows { print("  row \(row.row): \(CaseCommand.describe(row))") }
                }
                if !detail.timeline.isEmpty {
                    let cited = Set(stored.evidence.actions)
                    print("\ntimeline:")
                    for entry in detail.timeline {
                        let mark = cited.contains(entry.actionID) ? "*" : " "
                        print(
                            " \(mark) action \(entry.actionID): \(entry.effectiveOn) \(entry.kind.chineseName) "
                                + "→ \(entry.status.chineseName)"
                        )
                    }
                }
                if stored.status != .open {
                    let how = stored.outcome.map { "resolved (\($0.rawValue))" } ?? "cleared"
                    print("\n\(how) on \(stored.closedOn?.description ?? "?") by \(stored.closedBy ?? "?")")
                    if let note = stored.note { print("note: \(note)") }
                    if let draft = stored.draftID { print("draft: \(draft) (see 'dossier action list')") }
                }
            }
        }
    }

    struct Resolve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decide an open case: confirmed, corrected or dismissed, always with a note.",
            discussion: """
                confirmed: the disagreement is real. Where a personnel action ends it, Dossier drafts \
                it for an approver (自离 for contributions-stopped and absent-without-leave, dated \
                from the evidence; 退休 when the insurer counts the person retired and the record \
                does not); for the other checks the note is the record of what was done.
                corrected: one of the two records was put right by other means.
                dismissed: the finding is wrong (say why); the same check stays quiet for this \
                person until the evidence changes.
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The case number.") var id: Int64
        @Option(help: "confirmed, corrected or dismissed.", transform: Parse.outcome) var outcome: CaseOutcome
        @Option(help: "What was found or done (required).") var note: String

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let resolution = try await dossier.resolveCase(id, outcome: outcome, note: note)
                if let draft = resolution.draftID {
                    print(
                        "Case \(id) confirmed; draft \(draft) waits for an approver ('dossier action approve \(draft)')."
                    )
                } else {
                    print("Case \(id) \(outcome.rawValue).")
                }
            }
        }
    }

    static func listing(_ cases: [CaseView]) -> Listing {
        Listing(
            headers: ["case", "check", "person", "name", "org", "opened", "due", "status"],
            rows: cases.map { view in
                let stored = view.stored
                return [
                    String(stored.id), stored.rule.rawValue,
                    stored.personID.map(String.init) ?? (view.identity ?? "-"), stored.name ?? "",
                    stored.org.value, stored.openedOn.description, stored.dueOn.description,
                    view.overdue ? "overdue" : (stored.outcome?.rawValue ?? stored.status.rawValue),
                ]
            },
            chineseHeaders: ["案件号", "核查项", "档案号", "姓名", "单位代码", "立案日期", "办结期限", "状态"]
        )
    }

    static func describe(_ row: FeedRow) -> String {
        var parts = [row.name]
        if let org = row.orgCode { parts.append(org.value) }
        if let insurance = row.insurance { parts.append(insurance.rawValue) }
        if let contribution = row.contribution { parts.append(contribution.rawValue) }
        if let retired = row.retired, retired { parts.append("retired") }
        if let changed = row.changedOn { parts.append("changed \(changed)") }
        if let month = row.month { parts.append("paid for \(month.description.prefix(7))") }
        if let net = row.netCents { parts.append("net \(Yuan.text(fen: net))") }
        if let day = row.day, let mark = row.mark { parts.append("\(day) \(mark.rawValue)") }
        return parts.joined(separator: ", ")
    }
}

extension Parse {
    static func caseStatus(_ text: String) throws -> CaseStatus? {
        if text == "all" { return nil }
        guard let status = CaseStatus(rawValue: text) else {
            throw ValidationError("'\(text)' is not a case status; use open, resolved, cleared or all.")
        }
        return status
    }

    static func rule(_ text: String) throws -> ReconciliationRule {
        guard let rule = ReconciliationRule(rawValue: text) else {
            let rules = ReconciliationRule.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("'\(text)' is not a reconciliation check; use one of \(rules).")
        }
        return rule
    }

    static func outcome(_ text: String) throws -> CaseOutcome {
        guard let outcome = CaseOutcome(rawValue: text) else {
            throw ValidationError("'\(text)' is not an outcome; use confirmed, corrected or dismissed.")
        }
        return outcome
    }
}
