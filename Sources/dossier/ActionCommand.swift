import ArgumentParser
import DossierCore
import DossierService

struct ActionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "action",
        abstract: "Personnel actions (人事行为): one person drafts, another approves (maker-checker).",
        discussion: """
            Kinds: hire 录用, rehire 再入职, confirm 转正, transfer-in 调入 (from another organisation of this node: \
            the 调出 is recorded with it), transfer-out 调出, reassign 转岗, promote 职级晋升, demote 职级降低, \
            appoint 任职, remove 免职, unpaid-leave 停薪留职, return 复职, awol 自离, give-notice 提出离职, \
            resign 辞职, dismiss 辞退, expel 开除, retire 退休, correct 更正, cancel 撤销. Which kind may follow \
            which status is set by the node's policies/status-machine.yaml.
            """,
        subcommands: [Draft.self, Approve.self, Reject.self, Withdraw.self, List.self, Show.self]
    )

    /// Ranks by their names on the ladder in force on each draft's date.
    /// Drafts as a table; with `previews`, what approving each waiting one would change (where
    /// the person stands before its date, and the fields that would differ) and the officer's note.
    static func listing(
        _ drafts: [ActionDraft],
        dossier: Dossier,
        previews: [Int64: DraftPreview] = [:]
    ) -> Listing {
        func rankName(_ date: CivilDate) -> (Rank) -> String { dossier.rankLadder(on: date).name(of:) }
        func standing(_ standing: Standing?, on date: CivilDate) -> String {
            standing?.text(rankName: rankName(date)) ?? "—"
        }
        func change(_ preview: DraftPreview?, on date: CivilDate) -> String {
            guard let preview else { return "" }
            if let refusal = preview.refusal { return "would be refused: \(refusal)" }
            let changes = preview.changes(rankName: rankName(date))
            return changes.isEmpty
                ? "nothing" : changes.map { "\($0.field) \($0.from) → \($0.to)" }.joined(separator: "; ")
        }
        let withPreviews = !previews.isEmpty
        return Listing(
            headers: ["draft", "person", "name", "action", "effective", "org", "details", "by", "state"]
                + (withPreviews ? ["now", "would change", "note"] : []),
            rows: drafts.map { draft in
                let details = [
                    draft.category?.chineseName, draft.rank.map(dossier.rankLadder(on: draft.effectiveOn).name(of:)),
                    draft.post?.chineseName,
                    draft.status?.chineseName, draft.targetActionID.map { "action \($0)" }, draft.details?.text,
                ].compactMap { $0 }.joined(separator: " ")
                var state = draft.state.rawValue
                if let decided = draft.decidedBy { state += " by \(decided)" }
                if let reason = draft.reason { state += ": \(reason)" }
                let row = [
                    String(draft.id), String(draft.personID), draft.personName, draft.kind.chineseName,
                    draft.effectiveOn.description, draft.orgCode?.value ?? "", details, draft.draftedBy, state,
                ]
                guard withPreviews else { return row }
                let preview = previews[draft.id]
                return row + [
                    preview.map { standing($0.current, on: draft.effectiveOn) } ?? "",
                    change(preview, on: draft.effectiveOn), draft.note,
                ]
            }
        )
    }

    struct Draft: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Draft a personnel action for approval by someone else."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Option(help: "The kind of action, e.g. promote or 职级晋升.", transform: Parse.action) var kind: ActionKind
        @Option(
            name: .customLong("on"),
            help: ArgumentHelp(
                "Effective date (YYYY-MM-DD). Default: today; for a correction, the date of the action it corrects; "
                    + "a correction of the filed details (correct-details) always takes the filing date."
            ),
            transform: Parse.date
        )
        var on: CivilDate?
        @Option(help: "Organisation (hire, rehire, transfer-in).", transform: Parse.code) var org: CreditCode?
        @Option(help: "Establishment category.", transform: Parse.coded(EstablishmentCategory.self))
        var category: EstablishmentCategory?
        @Option(
            help: "Rank, by code or name (e.g. L4-principal or 四级主任科员): the new one for promote and demote.",
            transform: Rank.init(code:)
        )
        var rank: Rank?
        @Option(help: "Leadership post level (appoint, hire).", transform: Parse.coded(LeadershipPost.self))
        var post: LeadershipPost?
        @Option(help: "probation (试用) or active (在职), for a hire.", transform: Parse.coded(PersonStatus.self))
        var status: PersonStatus?
        @Option(help: "The action a correction or cancellation amends.") var target: Int64?
        @Option(help: "A note for the approver.") var note = ""
        @Option(
            help: "transfer-out to another agency's node: its unified social credit code (the package goes there).",
            transform: Parse.code
        )
        var to: CreditCode?
        @Option(help: "transfer-out with --to: the reason, e.g. 转任 or 调任.") var reason: String?
        @Option(help: "change-details, correct-details: the name (姓名).") var name: String?
        @Option(
            help: "change-details, correct-details: ethnicity (民族), by code or name.",
            transform: Parse.coded(Ethnicity.self)
        )
        var ethnicity: Ethnicity?
        @Option(
            help: "change-details, correct-details: highest education (学历), by code or name, e.g. 研究生.",
            transform: Parse.coded(Education.self)
        )
        var education: Education?
        @Option(
            help: "change-details, correct-details: political status (政治面貌), by code or name, e.g. 中共党员.",
            transform: Parse.coded(PoliticalStatus.self)
        )
        var politicalStatus: PoliticalStatus?
        @Option(help: "change-details, correct-details: the phone number (联系电话).") var phone: String?

        /// The personal details the draft states, if any.
        var details: DetailsChange? {
            let change = DetailsChange(
                name: name,
                ethnicity: ethnicity,
                education: education,
                politicalStatus: politicalStatus,
                phone: phone
            )
            return change.isEmpty ? nil : change
        }

        func validate() throws {
            guard (to == nil) == (reason == nil) else { throw ValidationError("--to and --reason go together.") }
            if kind == .correctDetails, on != nil {
                throw ValidationError(
                    "A correction of the filed details (correct-details) takes effect from the filing date: leave out --on."
                )
            }
            if details != nil, !kind.changesDetails {
                throw ValidationError(
                    "--name, --ethnicity, --education, --political-status and --phone go with --kind change-details "
                        + "(a change from a date) or correct-details (a filing error)."
                )
            }
        }

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                // A correction restates what it names; left out, its date stays the corrected
                // action's, as the latest correction of it left it.
                var date = on ?? global.currentDate
                if on == nil, kind == .correct, let target {
                    let timeline = try await node.timeline(personID: person)
                    let latest =
                        timeline.last { $0.kind == .correct && $0.targetActionID == target }
                        ?? timeline.first { $0.actionID == target }
                    date = latest?.effectiveOn ?? date
                }
                let input = ActionDraftInput(
                    personID: person,
                    kind: kind,
                    effectiveOn: date,
                    orgCode: org,
                    category: category,
                    rank: rank,
                    post: post,
                    status: status,
                    targetActionID: target,
                    details: details,
                    note: note
                )
                let id = try await node.draftAction(
                    input,
                    transfer: to.flatMap { code in reason.map { TransferOrder(toAgency: code, reason: $0) } }
                )
                print("Drafted as number \(id); it takes effect when another user approves it.")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Approve a draft drafted by someone else.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The draft number.") var draft: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let result = try await global.open().approve(draft: draft)
                for warning in result.warnings { printError("warning: \(warning)") }
                print("Approved: recorded as action \(result.actionIDs.map(String.init).joined(separator: " and ")).")
            }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reject a draft, giving the reason.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The draft number.") var draft: Int64
        @Option(help: "Why it is rejected.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().reject(draft: draft, reason: reason)
                print("Rejected draft \(draft).")
            }
        }
    }

    struct Withdraw: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Withdraw (撤回) a draft you made, before anyone has decided it, giving the reason.",
            discussion: "The draft stays on file, marked withdrawn; only its own officer may withdraw it."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The draft number.") var draft: Int64
        @Option(help: "Why it is withdrawn.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().withdraw(draft: draft, reason: reason)
                print("Withdrew draft \(draft).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List drafts waiting for approval (the approval queue), or all with --all."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Flag(help: "Also approved, rejected and withdrawn drafts.") var all = false
        @Option(help: "Start after this draft number (for paging).") var after: Int64 = 0
        @Option(help: "At most this many drafts.") var limit = 100

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        }

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let drafts = try await dossier.drafts(state: all ? nil : .draft, after: after, limit: limit)
                if output.format == .json {
                    print(try JSONOutput.encode(drafts.map(DraftJSON.init)))
                } else {
                    let previews = try await dossier.previews(of: drafts)
                    print(ActionCommand.listing(drafts, dossier: dossier, previews: previews).render(output.format))
                }
                // A full page may not be all (on stderr, so the output stays clean).
                if drafts.count == limit, let last = drafts.last {
                    printError("… \(drafts.count) shown; --after \(last.id) for more.")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one draft.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The draft number.") var draft: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let found = try await dossier.draft(draft)
                if output.format == .json {
                    print(try JSONOutput.encode(DraftJSON(found)))
                } else {
                    let previews = try await dossier.previews(of: [found])
                    print(ActionCommand.listing([found], dossier: dossier, previews: previews).render(output.format))
                    if previews.isEmpty, !found.note.isEmpty { print("note: \(found.note)") }
                }
            }
        }
    }
}
