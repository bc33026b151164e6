import ArgumentParser
import DossierCore
import DossierService

struct OrgCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org",
        abstract: "Register and look at organisations (单位).",
        subcommands: [Add.self, List.self, Find.self, Show.self, Tree.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an organisation.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Its unified social credit code (统一社会信用代码), 18 characters.", transform: Parse.code)
        var code: CreditCode
        @Option(help: "Its full name.") var name: String
        @Option(
            help: "organ (机关), pscs-institution (参公事业单位) or institution (事业单位).",
            transform: Parse.coded(OrgKind.self)
        )
        var kind: OrgKind
        @Option(
            help: "central, province, sub-province, prefecture, county or township (or the Chinese name).",
            transform: Parse.coded(OrgLevel.self)
        )
        var level: OrgLevel
        @Option(help: "The credit code of the organisation it belongs to.", transform: Parse.code)
        var parent: CreditCode?

        func run() async throws {
            let new = NewOrganization(code: code, name: name, kind: kind, level: level, parentCode: parent)
            try await DossierCommand.perform {
                let org = try await global.open().addOrganization(new)
                print("Registered \(org.name) (\(org.code)).")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every organisation.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions

        func run() async throws {
            try await DossierCommand.perform {
                let orgs = try await global.open().organizations()
                if output.format == .json {
                    print(try JSONOutput.encode(orgs.map(OrganizationJSON.init)))
                } else {
                    print(
                        Listing(
                            headers: ["code", "name", "kind", "level", "parent"],
                            rows: orgs.map {
                                [
                                    $0.code.value, $0.name, $0.kind.chineseName, $0.level.chineseName,
                                    $0.parentCode?.value ?? "",
                                ]
                            },
                            chineseHeaders: ["代码", "名称", "类别", "级别", "上级单位"]
                        ).render(output.format)
                    )
                }
            }
        }
    }

    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find organisations by part of the name, pinyin initials or the start of the code.",
            discussion: """
                For example 'dossier org find 教育厅', 'dossier org find jyt' or 'dossier org find 11390000'. \
                The best matches come first (the exact name, then names that start with the text, then \
                names that contain it), each with the units above it.
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "Part of the name (教育厅), its initials (jyt) or the start of the credit code.")
        var text: String

        func run() async throws {
            try await DossierCommand.perform {
                let matches = try await global.open().findOrganizations(text)
                if output.format == .json {
                    struct Found: Encodable {
                        var organization: OrganizationJSON
                        var path: String
                    }
                    print(
                        try JSONOutput.encode(
                            matches.map { Found(organization: OrganizationJSON($0.organization), path: $0.path) }
                        )
                    )
                    return
                }
                guard !matches.isEmpty || output.format != .table else {
                    print("No organisation matches '\(text)'.")
                    return
                }
                print(
                    Listing(
                        headers: ["code", "name", "kind", "level", "under"],
                        rows: matches.map {
                            [
                                $0.organization.code.value, $0.organization.name, $0.organization.kind.chineseName,
                                $0.organization.level.chineseName, $0.ancestors.map(\.name).joined(separator: " › "),
                            ]
                        },
                        chineseHeaders: ["代码", "名称", "类别", "级别", "隶属"]
                    ).render(output.format)
                )
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one organisation with its headcount and quota history."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The organisation's credit code.", transform: Parse.code) var code: CreditCode
        @Option(help: "Headcount as of this date (YYYY-MM-DD; default today).", transform: Parse.date)
        var date: CivilDate?

        func run() async throws {
            let day = date ?? global.currentDate
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let org = try await dossier.organization(code)
                let counts = try await dossier.headcount(on: day, org: code)
                if output.format == .json {
                    struct Shown: Encodable {
                        var organization: OrganizationJSON
                        var date: CivilDate
                        var headcount: [HeadcountJSON]
                    }
                    print(
                        try JSONOutput.encode(
                            Shown(
                                organization: OrganizationJSON(org),
                                date: day,
                                headcount: counts.map(HeadcountJSON.init)
                            )
                        )
                    )
                    return
                }
                print("\(org.name)  \(org.code)  \(org.kind.chineseName) · \(org.level.chineseName)")
                if let parent = org.parentCode { print("belongs to \(parent)") }
                print("")
                let format: OutputFormat = output.format == .csv ? .csv : .table
                print(QuotaCommand.headcountListing(counts, format: format).render(format))
                print("")
                print("Quota history:")
                let history = try await dossier.quotaHistory(org: code)
                print(
                    Listing(
                        headers: ["from", "quota", "approved", "recorded by"],
                        rows: history.map {
                            [
                                $0.effectiveOn.description, QuotaCommand.name($0.subject), String($0.approved),
                                $0.recordedBy,
                            ]
                        },
                        chineseHeaders: ["生效日期", "编制/职数", "核定", "经办人"]
                    ).render(.table)
                )
            }
        }
    }

    struct Tree: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the organisation tree.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DossierCommand.perform {
                let orgs = try await global.open().organizations()
                var children: [CreditCode?: [Organization]] = [:]
                for org in orgs { children[org.parentCode, default: []].append(org) }
                func walk(_ parent: CreditCode?, _ depth: Int) {
                    for org in children[parent] ?? [] {
                        print(String(repeating: "  ", count: depth) + "\(org.name)  \(org.code)")
                        walk(org.code, depth + 1)
                    }
                }
                walk(nil, 0)
            }
        }
    }
}
