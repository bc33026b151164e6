import ArgumentParser
import DossierCore
import DossierService
import DossierStorage
import Foundation

struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "Send a person's file to another agency, receive one, and return receipts (档案转递).",
        discussion: """
            The sending office drafts a transfer-out naming the receiving agency ('dossier action draft \
            PERSON --kind transfer-out --to CODE --reason 转任'); once it is approved, 'exchange export' writes \
            one signed transfer package (the whole file with its transfer slip). The receiving office imports \
            it with 'exchange import', which checks everything before writing anything and drafts the \
            transfer-in; once that is approved, 'exchange receipt' writes the signed receipt (回执) to send \
            back, or 'exchange refuse' returns the file. The sender imports the receipt or refusal with \
            'exchange import' too, and 'exchange pending' lists the transfers still without a receipt.
            """,
        subcommands: [Export.self, Import.self, Receipt.self, Refuse.self, Pending.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the signed transfer package of an approved transfer-out."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The transfer-out's number (the draft number 'action draft' printed).") var action: Int64
        @Option(help: "Where to write the package (default: DATA/packages/transfer-N.tar).") var out: String?
        @Option(
            name: .customLong("salary-moves"),
            help: "The date the 工资关系 moves (default: the transfer date).",
            transform: Parse.date
        )
        var salary: CivilDate?
        @Option(
            name: .customLong("party-moves"),
            help: "The date the 组织关系 moves (default: the transfer date).",
            transform: Parse.date
        )
        var party: CivilDate?
        @Option(
            name: .customLong("insurance-moves"),
            help: "The date the 社保关系 moves (default: the transfer date).",
            transform: Parse.date
        )
        var insurance: CivilDate?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                _ = try await node.exportTransfer(
                    draft: action,
                    out: out,
                    moves: RelationMoves(salary: salary, organization: party, insurance: insurance)
                )
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Receive a transfer package, or a receipt or refusal for a transfer sent.",
            discussion: """
                For a transfer package give where the person is placed here: --org, --category and --on, and \
                --rank or --post where they apply. The package is checked whole before anything is written; \
                a package that fails any check is refused with the reason and changes nothing. Importing the \
                same file again does nothing and says when it was imported.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The transfer package, receipt or refusal.") var file: String
        @Option(help: "The organisation the person joins (transfer packages).", transform: Parse.code)
        var org: CreditCode?
        @Option(help: "Establishment category.", transform: Parse.coded(EstablishmentCategory.self))
        var category: EstablishmentCategory?
        @Option(help: "Rank, by code or name.", transform: Rank.init(code:)) var rank: Rank?
        @Option(help: "Leadership post level.", transform: Parse.coded(LeadershipPost.self)) var post: LeadershipPost?
        @Option(name: .customLong("on"), help: "The transfer-in date (YYYY-MM-DD).", transform: Parse.date)
        var on: CivilDate?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                var placement: TransferPlacement?
                if let org, let category {
                    placement = TransferPlacement(
                        orgCode: org,
                        category: category,
                        rank: rank,
                        post: post,
                        effectiveOn: on ?? global.currentDate
                    )
                }
                let result = try await node.importExchange(file: file, placement: placement)
                if output.format == .json {
                    print(try JSONOutput.encode(ExchangeImportJSON(result)))
                    return
                }
                switch (result.status, result.kind) {
                case (.alreadyImported, _):
                    print("This file was already imported at \(result.importedAt); nothing was changed.")
                case (.imported, .transfer):
                    print(
                        "Imported transfer \(result.slipNumber) from \(result.from): file number \(result.person ?? 0), transfer-in drafted as number \(result.draft ?? 0) for approval."
                    )
                case (.imported, .receipt):
                    print("Receipt for transfer \(result.slipNumber) recorded: the transfer is complete.")
                case (.imported, .refusal):
                    print(
                        "Transfer \(result.slipNumber) was returned by \(result.from); a draft cancelling the transfer-out waits for approval as number \(result.draft ?? 0)."
                    )
                }
            }
        }
    }

    struct Receipt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the signed receipt (回执) for an approved transfer-in that came in a package."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The transfer-in's number (the draft number 'exchange import' printed).") var action: Int64
        @Option(help: "Where to write the receipt.") var out: String

        func run() async throws {
            try await DossierCommand.perform {
                let answer = try await global.open().writeReceipt(draft: action, out: out)
                print("Receipt for transfer \(answer.slipNumber) written to \(out); send it back to \(answer.to).")
            }
        }
    }

    struct Refuse: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Return a transfer received (incomplete or wrong material) with a signed refusal."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The transfer-in's draft number, as 'exchange import' printed it.") var draft: Int64
        @Option(help: "Why the file is returned.") var reason: String
        @Option(help: "Where to write the refusal.") var out: String

        func run() async throws {
            try await DossierCommand.perform {
                let answer = try await global.open().refuseTransfer(draft: draft, reason: reason, out: out)
                print("Refusal of transfer \(answer.slipNumber) written to \(out); send it back to \(answer.to).")
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List transfers sent and still without a receipt, overdue ones first."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                let pending = try await global.open().pendingTransfers()
                if output.format == .json {
                    print(try JSONOutput.encode(pending.map(PendingTransferJSON.init)))
                    return
                }
                let listing = Listing(
                    headers: ["action", "person", "name", "to", "slip", "exported on", "days waiting", "overdue"],
                    rows: pending.map {
                        [
                            String($0.action), String($0.person), $0.personName, $0.to.value, $0.slipNumber,
                            $0.exportedOn.description, String($0.daysWaiting), $0.overdue ? "overdue" : "",
                        ]
                    },
                    chineseHeaders: ["调出行为号", "档案号", "姓名", "接收机关", "转递单号", "导出日期", "等待天数", "超期"]
                )
                print(listing.render(output.format))
            }
        }
    }
}

struct AgencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agency",
        abstract: "The agency this node speaks for in transfers (its credit code and name).",
        subcommands: [Set.self, Show.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set the agency this node speaks for.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The agency's unified social credit code.", transform: Parse.code) var code: CreditCode
        @Option(help: "The agency's name.") var name: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().setAgency(Agency(code: code, name: name))
                print("This node now speaks for \(name) (\(code)).")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the agency this node speaks for.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                guard let agency = try await global.open().agency() else {
                    throw ServiceError(
                        .notFound,
                        "This node does not yet say which agency it speaks for; set it with 'dossier agency set CODE --name NAME'.",
                        zh: "本节点尚未写明代表哪个机关；请用“dossier agency set CODE --name NAME”设置。"
                    )
                }
                if output.format == .json {
                    print(try JSONOutput.encode(["code": agency.code.value, "name": agency.name]))
                } else {
                    print("\(agency.name) (\(agency.code))")
                }
            }
        }
    }
}
