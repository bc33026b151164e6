import ArgumentParser
import DossierCore
import DossierService
import Foundation

struct PromotionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promotion",
        abstract: "Who may be promoted to the next rank (职级晋升), from when, and why not the others.",
        discussion: """
            The rules are the promotion policy's (civil-service-ranks-2019.yaml): months in the \
            current rank, counted from the first day of the month it began; years graded 基本称职, \
            不称职 or 不定等次 left out; six months less for each 优秀 of a year spent wholly in the \
            rank; none while a sanction runs. Eligible is not entitled: rank quotas decide separately.
            """,
        subcommands: [Eligible.self, Explain.self]
    )

    struct Eligible: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everyone in your organisations eligible for the next rank on a date."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "Only one organisation and those under it (credit code).", transform: Parse.code)
        var org: CreditCode?
        @Option(name: .customLong("as-of"), help: "The day judged (YYYY-MM-DD). Default: today.", transform: Parse.date)
        var asOf: CivilDate?
        @Flag(help: "Everyone else too, with the first rule they do not meet.") var all = false

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let date = asOf ?? global.currentDate
                let ladder = node.policies.rankLadder.at(date)
                func row(_ candidate: PromotionCandidate) -> [String] {
                    let explanation = candidate.explanation
                    return [
                        String(candidate.personID), candidate.name, candidate.org.value,
                        explanation.rank.map(ladder.name(of:)) ?? "", explanation.nextRank.map(ladder.name(of:)) ?? "",
                        explanation.eligible ? "yes" : "no", explanation.eligibleFrom?.description ?? "",
                        explanation.firstUnmet ?? "",
                    ]
                }
                let headers = ["person", "name", "org", "rank", "next rank", "eligible", "from", "first rule not met"]
                // A whole node's list is printed as it is worked out (CSV and JSON); a table needs
                // every row first, for its column widths.
                switch output.format {
                case .json:
                    let encoder = JSONOutput.encoder()
                    var first = true
                    print("[")
                    try await node.promotionCandidates(org: org, on: date, all: all) { candidate in
                        let item = String(
                            decoding: try encoder.encode(PromotionJSON(candidate, ladder: ladder)),
                            as: UTF8.self
                        )
                        print((first ? "" : ",\n") + item, terminator: "")
                        first = false
                    }
                    print("\n]")
                case .csv:
                    // Written in large blocks: a whole node is hundreds of thousands of lines.
                    var buffer: [UInt8] = []
                    buffer.reserveCapacity(1 << 17)
                    func line(_ cells: [String]) {
                        for (index, cell) in cells.enumerated() {
                            if index > 0 { buffer.append(UInt8(ascii: ",")) }
                            CSVCell.append(cell, to: &buffer)
                        }
                        buffer.append(UInt8(ascii: "\n"))
                        if buffer.count >= 1 << 16 { flush() }
                    }
                    func flush() {
                        FileHandle.standardOutput.write(Data(buffer))
                        buffer.removeAll(keepingCapacity: true)
                    }
                    line(headers)
                    try await node.promotionCandidates(org: org, on: date, all: all) { line(row($0)) }
                    flush()
                case .table:
                    var rows: [[String]] = []
                    try await node.promotionCandidates(org: org, on: date, all: all) { rows.append(row($0)) }
                    let chinese = ["档案号", "姓名", "单位代码", "职级", "拟晋职级", "符合条件", "符合条件日期", "未满足的首项条件"]
                    print(Listing(headers: headers, rows: rows, chineseHeaders: chinese).render(.table))
                }
            }
        }
    }

    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The whole reasoning for one person: months year by year, 优秀, sanctions, the date."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var person: Int64
        @Option(name: .customLong("as-of"), help: "The day judged (YYYY-MM-DD). Default: today.", transform: Parse.date)
        var asOf: CivilDate?

        func run() async throws {
            try await DossierCommand.perform {
                let node = try await global.open()
                let date = asOf ?? global.currentDate
                let explanation = try await node.explainPromotion(personID: person, on: date)
                let ladder = node.policies.rankLadder.at(date)
                if output.format == .json {
                    print(
                        try JSONOutput.encode(PromotionJSON(personID: person, explanation: explanation, ladder: ladder))
                    )
                    return
                }
                for step in explanation.steps { print("- \(step.text)") }
                if let unmet = explanation.firstUnmet { print("\nFirst rule not met: \(unmet)") }
            }
        }
    }
}
