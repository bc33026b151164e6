import ArgumentParser
import DossierCore
import DossierService

struct QuotaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quota",
        abstract: "Set staffing quotas (编制, 领导职数) and see headcount against them as of any date.",
        subcommands: [Set.self, Show.self, Overview.self]
    )

    static func name(_ subject: Headcount.Subject) -> String {
        switch subject {
        case .category(let category): return category.chineseName
        case .post(let post): return post.chineseName
        case .rankBand(let band): return "职级职数 \(band)"
        }
    }

    /// The table marks a unit over its quota (“3 超编”); a CSV keeps every count a number, so a
    /// spreadsheet can add them up.
    static func headcountListing(_ rows: [Headcount], format: OutputFormat = .table) -> Listing {
        Listing(
            headers: ["org", "name", "quota", "approved", "occupied", "vacant", "over"],
            rows: rows.map {
                [
                    $0.orgCode.value, $0.orgName, name($0.subject), String($0.approved), String($0.occupied),
                    String($0.vacant), $0.over > 0 && format == .table ? "\($0.over) 超编" : String($0.over),
                ]
            },
            chineseHeaders: ["单位代码", "单位名称", "编制/职数", "核定", "实有", "空编", "超编"]
        )
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a new approved number from a date; earlier numbers stay in the history.",
            discussion: "Give either --category (an establishment category) or --post (a leadership post level)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The organisation's credit code.", transform: Parse.code) var org: CreditCode
        @Option(
            help: "admin, legal, pscs, inst-full, inst-partial, inst-self or service (or the Chinese name).",
            transform: Parse.coded(EstablishmentCategory.self)
        )
        var category: EstablishmentCategory?
        @Option(
            help: "A leadership post level such as division-head or 县处级副职.",
            transform: Parse.coded(LeadershipPost.self)
        )
        var post: LeadershipPost?
        @Option(help: "A rank band of the rank quotas (职级职数), e.g. researcher-1-4; see policies/rank-quotas.yaml.")
        var band: String?
        @Option(help: "The approved number.") var approved: Int
        @Option(
            name: .customLong("from"),
            help: "The date it takes effect (YYYY-MM-DD; default today).",
            transform: Parse.date
        )
        var from: CivilDate?

        func validate() throws {
            guard [category != nil, post != nil, band != nil].filter({ $0 }).count == 1 else {
                throw ValidationError("Give exactly one of --category, --post or --band.")
            }
            guard approved >= 0 else { throw ValidationError("--approved cannot be negative.") }
        }

        func run() async throws {
            let code = org
            let subject: Headcount.Subject =
                category.map { .category($0) } ?? post.map { .post($0) } ?? .rankBand(band!)
            let date = from ?? global.currentDate
            try await DossierCommand.perform {
                try await global.open().setQuota(org: code, subject: subject, approved: approved, effectiveOn: date)
                print("Recorded: \(QuotaCommand.name(subject)) approved \(approved) from \(date).")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Headcount against quotas as of a date: approved, occupied, vacant (空编) and over (超编)."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Option(help: "As of this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?
        @Option(help: "Only this organisation (credit code).", transform: Parse.code) var org: CreditCode?
        @Flag(help: "Show leadership posts (领导职数) instead of establishment categories.") var posts = false
        @Flag(help: "Show rank quotas (职级职数) instead of establishment categories.") var bands = false
        @Flag(help: "Only rows that are over quota.") var over = false

        func run() async throws {
            let day = date ?? global.currentDate
            let code = org
            try await DossierCommand.perform {
                let dossier = try await global.open()
                var rows =
                    try await bands
                    ? dossier.rankHeadcount(on: day, org: code)
                    : dossier.headcount(on: day, org: code).filter {
                        if case .post = $0.subject { return posts } else { return !posts }
                    }
                if over { rows = rows.filter { $0.over > 0 } }
                if output.format == .json {
                    print(try JSONOutput.encode(rows.map(HeadcountJSON.init)))
                } else {
                    print(QuotaCommand.headcountListing(rows, format: output.format).render(output.format))
                }
            }
        }
    }

    struct Overview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The staffing overview: totals per category, units over quota, units with most vacancies."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "As of this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?

        func run() async throws {
            let day = date ?? global.currentDate
            try await DossierCommand.perform {
                let overview = try await global.open().overview(on: day)
                print(
                    "Staffing overview as of \(overview.date): \(overview.organizations) organisations, \(overview.people) people on file."
                )
                print("")
                print(
                    Listing(
                        headers: ["category", "approved", "occupied", "vacant", "over"],
                        rows: overview.categories.map {
                            Self.figures("\($0.category.chineseName) (\($0.category.code))", $0.sums)
                        } + [Self.figures("领导职数 (leadership posts)", overview.posts)]
                    ).render(.table)
                )
                print("")
                if overview.overQuota.isEmpty {
                    print("No unit is over quota.")
                } else {
                    print("Over quota (超编) — \(overview.overQuota.count) units:")
                    print(QuotaCommand.headcountListing(overview.overQuota).render(.table))
                }
                print("")
                print("Most vacancies (空编):")
                print(QuotaCommand.headcountListing(overview.mostVacant).render(.table))
            }
        }

        private static func figures(_ label: String, _ sums: HeadcountSums) -> [String] {
            [label, String(sums.approved), String(sums.occupied), String(sums.vacant), String(sums.over)]
        }
    }
}
