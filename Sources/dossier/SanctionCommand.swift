import ArgumentParser
import DossierCore
import DossierService
import DossierStorage

struct SanctionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanction",
        abstract: "Record disciplinary sanctions (处分), lift them early, list them.",
        discussion: """
            Kinds: 警告, 记过, 记大过, 降级, 撤职 (开除 is the exit 'dossier person exit --kind expel'). \
            While a sanction's period runs (6, 12, 18, 24 and 24 months under the shipped policy) the \
            person cannot be promoted; in the year of a 警告 no 优秀 can be recorded, and in the year \
            of a heavier one only 不定等次.
            """,
        subcommands: [Record.self, Lift.self, List.self]
    )

    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record a sanction on a person's file.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Option(
            help: "警告, 记过, 记大过, 降级 or 撤职 (or warning, demerit, major-demerit, demotion, removal).",
            transform: Parse.coded(SanctionKind.self)
        )
        var kind: SanctionKind
        @Option(name: .customLong("on"), help: "The day it took effect (YYYY-MM-DD).", transform: Parse.date)
        var on: CivilDate
        @Option(help: "The decision's reference (文号).") var reference: String?
        @Option(help: "The number of the class-8 document filed for it ('dossier doc add').") var document: Int64?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let stored = try await node.recordSanction(
                    personID: person,
                    kind: kind,
                    on: on,
                    reference: reference,
                    documentID: document
                )
                print("Recorded sanction \(stored.id): \(stored.kind.chineseName) from \(stored.on).")
            }
        }
    }

    struct Lift: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lift a sanction early (解除处分) from a date.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Argument(help: "The sanction's number.") var id: Int64
        @Option(name: .customLong("on"), help: "The day it was lifted (YYYY-MM-DD).", transform: Parse.date)
        var on: CivilDate
        @Option(help: "The decision's reference (文号).") var reference: String?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let stored = try await node.liftSanction(id, personID: person, on: on, reference: reference)
                print("Sanction \(stored.id) lifted from \(on).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a person's sanctions.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var person: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let sanctions = try await node.sanctions(personID: person)
                if output.format == .json {
                    print(try JSONOutput.encode(sanctions.map(SanctionJSON.init)))
                    return
                }
                let listing = Listing(
                    headers: ["sanction no.", "kind", "from", "lifted on", "reference", "document"],
                    rows: sanctions.map { sanction in
                        [
                            String(sanction.id), sanction.kind.chineseName, sanction.on.description,
                            sanction.liftedOn?.description ?? "", sanction.reference ?? "",
                            sanction.documentID.map(String.init) ?? "",
                        ]
                    },
                    chineseHeaders: ["处分号", "处分种类", "起始日期", "解除日期", "文号", "材料号"]
                )
                print(listing.render(output.format))
            }
        }
    }
}
