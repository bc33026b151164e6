import ArgumentParser
import DossierCore
import DossierReports
import DossierService
import Foundation

struct PersonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person",
        abstract: "Real-name personnel files (实名制): file, hire, exit, look up and import people.",
        subcommands: [
            Add.self, Show.self, List.self, Search.self, Find.self, Import.self, Hire.self, Exit.self, Timeline.self,
            ChangeIDNumber.self, IDNumbers.self, Roster.self,
        ]
    )

    /// The columns of a list of people, in English (for scripts, and the terminal's table) and in
    /// Chinese (a CSV's default header row).
    static let columns: [(en: String, zh: String)] = [
        ("id", "档案号"), ("name", "姓名"), ("id_number", "公民身份号码"), ("org", "单位代码"), ("org_name", "单位名称"),
        ("category", "编制类型"), ("rank", "职级"), ("post", "领导职务"), ("status", "人员状态"), ("since", "起始日期"),
    ]

    /// Ranks by their names on `ladder`; the organisation's name beside its code. A CSV with
    /// Chinese headers (`headers`) starts with a byte-order mark, for Excel.
    static func listing(
        _ people: [PersonView],
        ladder: RankLadder,
        format: OutputFormat = .table,
        headers: HeaderLanguage = .en
    ) -> Listing {
        let chinese = format == .csv && headers == .zh
        return Listing(
            headers: columns.map { chinese ? $0.zh : $0.en },
            rows: people.map {
                [
                    String($0.id), $0.name, $0.idNumber, $0.org?.value ?? "", $0.orgName ?? "",
                    $0.category?.chineseName ?? "", $0.rank.map(ladder.name(of:)) ?? "", $0.post?.chineseName ?? "",
                    $0.status?.chineseName ?? "", $0.since?.description ?? "",
                ]
            },
            byteOrderMark: chinese
        )
    }

    /// A list of people as `output` asks: JSON, or the listing as a table or CSV.
    static func printPeople(_ people: [PersonView], ladder: RankLadder, output: PeopleFormatOptions) throws {
        guard output.format != .json else {
            print(try JSONOutput.encode(people.map(PersonJSON.init)))
            return
        }
        print(listing(people, ladder: ladder, format: output.format, headers: output.headers).render(output.format))
    }

    static func printPerson(
        _ person: PersonView,
        format: OutputFormat,
        headers: HeaderLanguage = .zh,
        ladder: RankLadder
    ) throws {
        switch format {
        case .json: print(try JSONOutput.encode(PersonJSON(person)))
        case .csv: print(listing([person], ladder: ladder, format: .csv, headers: headers).render(.csv))
        case .table:
            let lines: [(String, String)] = [
                ("file number", String(person.id)), ("name 姓名", person.name), ("identity number", person.idNumber),
                ("sex 性别", person.sex.chineseName), ("born 出生日期", person.birthDate.description),
                ("ethnicity 民族", person.ethnicity.chineseName), ("education 学历", person.education.chineseName),
                ("political status 政治面貌", person.politicalStatus.chineseName), ("phone", person.phone ?? ""),
                ("organisation", person.orgName.map { "\($0) (\(person.org!.value))" } ?? "(not placed on this date)"),
                ("establishment 编制", person.category?.chineseName ?? ""),
                ("rank 职级", person.rank.map(ladder.name(of:)) ?? ""),
                ("post 职务", person.post?.chineseName ?? ""), ("status 状态", person.status?.chineseName ?? ""),
                ("since", person.since?.description ?? ""),
            ]
            let width = lines.map { Listing.displayWidth($0.0) }.max() ?? 0
            for (label, value) in lines {
                print(label + String(repeating: " ", count: width - Listing.displayWidth(label) + 2) + value)
            }
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "File a new person and hire them into a vacant slot (录用).",
            discussion: "Sex and birth date come from the identity number; if you give them, they must agree."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "Resident identity number, 18 characters.") var idNumber: String
        @Option(help: "Full name.") var name: String
        @Option(help: "Sex (optional; checked against the identity number).") var sex: String?
        @Option(help: "Birth date (optional; checked against the identity number).") var birthDate: String?
        @Option(help: "Ethnicity code or name, e.g. 01 or 汉族.") var ethnicity: String
        @Option(help: "Education code or name, e.g. 20 or 本科.") var education: String
        @Option(help: "Political status code or name, e.g. 13 or 群众.") var politicalStatus: String
        @Option(help: "Phone number (optional).") var phone: String?
        @Option(help: "Credit code of the organisation.") var org: String
        @Option(help: "Establishment category, e.g. admin or 行政编制.") var category: String
        @Option(help: "Rank (职级), e.g. L1-clerk or 一级科员 (optional).") var rank: String?
        @Option(help: "Leadership post level (optional).") var post: String?
        @Option(help: "probation (试用) or active (在职).") var status = "probation"
        @Option(help: "Hire date (YYYY-MM-DD; default today).") var hiredOn: String?
        @Flag(help: "File the record now and draft the hire for another user's approval (maker-checker).")
        var forApproval = false

        func run() async throws {
            var input = PersonInput()
            input.idNumber = idNumber
            input.name = name
            input.sex = sex ?? ""
            input.birthDate = birthDate ?? ""
            input.ethnicity = ethnicity
            input.education = education
            input.politicalStatus = politicalStatus
            input.phone = phone ?? ""
            input.orgCode = org
            input.category = category
            input.rank = rank ?? ""
            input.post = post ?? ""
            input.status = status
            input.hiredOn = hiredOn ?? global.currentDate.description
            try await DossierCommand.perform {
                if forApproval {
                    let (id, draft) = try await global.open().addPersonForApproval(input)
                    print("Filed as file number \(id); the hire is draft \(draft), waiting for approval.")
                } else {
                    let id = try await global.open().addPerson(input)
                    print("Filed and hired as file number \(id).")
                }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a person's file as of a date.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: PeopleFormatOptions
        @Argument(help: "The person's file number.") var id: Int64
        @Option(help: "As of this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?
        @Flag(help: "Show the full identity and phone numbers (if your role allows).") var reveal = false

        func run() async throws {
            let day = date ?? global.currentDate
            try await DossierCommand.perform {
                let dossier = try await global.open()
                try await PersonCommand.printPerson(
                    try dossier.person(id, on: day, reveal: reveal),
                    format: output.format,
                    headers: output.headers,
                    ladder: dossier.rankLadder(on: day)
                )
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List people with their placement as of a date.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: PeopleFormatOptions
        @Option(help: "Only people placed in this organisation (credit code).", transform: Parse.code)
        var org: CreditCode?
        @Flag(help: "With --org: also everyone placed in the units under it.") var subtree = false
        @Option(help: "As of this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?
        @Option(help: "Start after this file number (for paging).") var after: Int64 = 0
        @Option(help: "At most this many people.") var limit = 100
        @Flag(help: "Show full identity and phone numbers (if your role allows).") var reveal = false

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
            guard !subtree || org != nil else { throw ValidationError("--subtree goes with --org.") }
        }

        func run() async throws {
            let day = date ?? global.currentDate
            let code = org
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let people = try await dossier.people(
                    on: day,
                    org: code,
                    subtree: subtree,
                    after: after,
                    limit: limit,
                    reveal: reveal
                )
                try PersonCommand.printPeople(people, ladder: dossier.rankLadder(on: day), output: output)
                if output.format != .json {
                    // A full page may not be all: say how many there are (on stderr, so a CSV stays clean).
                    if people.count == limit, let last = people.last {
                        let total = try await dossier.peopleCount(on: day, org: code, subtree: subtree)
                        if total > people.count {
                            printError(
                                "… \(people.count) of \(total.formatted()) shown; --limit or --after \(last.id) for more."
                            )
                        }
                    }
                }
            }
        }
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Find people on a date by unit, level, rank, category, status, sex, age, education, ethnicity, politics or name.",
            discussion: """
                Every filter takes a code or a name, several separated by commas; leave one out and \
                it filters nothing. Without --status only people in post are found. --name takes a \
                full name, part of one, or pinyin initials (zw finds 张伟). --count prints only how \
                many (statisticians may ask that too). Example, the 四级调研员 under 40 with a \
                postgraduate degree in a county bureau and the units under it:
                  dossier person search --org CODE --rank 四级调研员 --max-age 39 --education 研究生 --count
                """
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: PeopleFormatOptions
        @Option(help: "This unit and every unit under it (credit code).", transform: Parse.code) var org: CreditCode?
        @Option(help: "On this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?
        @Option(help: "职务职级层次 as the statistical tables count it, e.g. 县处级副职.") var level: String?
        @Option(help: "Ranks, e.g. 四级调研员.") var rank: String?
        @Option(help: "Leadership posts, e.g. 县处级正职.") var post: String?
        @Option(help: "Establishment categories, e.g. 行政编制.") var category: String?
        @Option(help: "Statuses, e.g. 在职,试用 (default: everyone in post).") var status: String?
        @Option(help: "男 or 女.") var sex: String?
        @Option(name: .customLong("min-age"), help: "At least this old on the date.") var minimumAge: Int?
        @Option(name: .customLong("max-age"), help: "At most this old on the date.") var maximumAge: Int?
        @Option(help: "Education codes or names, or a group such as 研究生.") var education: String?
        @Option(help: "Ethnicities, or 少数民族.") var ethnicity: String?
        @Option(name: .customLong("political-status"), help: "Political status, or a group such as 民主党派.")
        var politicalStatus: String?
        @Option(help: "A name, part of one, or pinyin initials.") var name: String?
        @Flag(help: "Print only how many people are found.") var count = false
        @Option(help: "Start after this file number (for paging).") var after: Int64 = 0
        @Option(help: "At most this many people.") var limit = 100

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1.") }
        }

        func run() async throws {
            var question = PeopleQuestion()
            question.on = date
            question.org = org
            question.level = level
            question.rank = rank
            question.post = post
            question.category = category
            question.status = status
            question.sex = sex
            question.minimumAge = minimumAge
            question.maximumAge = maximumAge
            question.education = education
            question.ethnicity = ethnicity
            question.politicalStatus = politicalStatus
            question.name = name
            try await DossierCommand.perform {
                let dossier = try await global.open()
                if count {
                    let found = try await dossier.countPeople(question)
                    print(output.format == .json ? try JSONOutput.encode(["count": found]) : String(found))
                    return
                }
                let people = try await dossier.searchPeople(question, after: after, limit: limit)
                let ladder = dossier.rankLadder(on: date ?? global.currentDate)
                try PersonCommand.printPeople(people, ladder: ladder, output: output)
            }
        }
    }

    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Find a person by identity number.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: PeopleFormatOptions
        @Option(help: "The resident identity number.") var idNumber: String
        @Flag(help: "Show full identity and phone numbers (if your role allows).") var reveal = false

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                try await PersonCommand.printPerson(
                    try dossier.findPerson(idNumber: idNumber, reveal: reveal),
                    format: output.format,
                    headers: output.headers,
                    ladder: dossier.rankLadder()
                )
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import people from a CSV file or an Excel workbook, all or nothing.",
            discussion: """
                The file is CSV (UTF-8, or GB18030/GBK as Excel and WPS save it in China: found out from its \
                bytes, or say --encoding), or an Excel workbook (.xlsx) of which the first sheet is read \
                (type identity numbers there as text), with a header naming these columns, in any order:

                id_number, name, sex, birth_date, ethnicity, education, political_status, phone, org_code, \
                category, rank, post, status, hired_on

                or their Chinese names: 公民身份号码, 姓名, 性别, 出生日期, 民族, 学历, 政治面貌, 联系电话, \
                单位统一社会信用代码, 编制类型, 职级, 领导职务, 人员状态, 入职日期.

                sex, birth_date, phone, rank and post may be empty; dates are written year first (2024-03-01, \
                2024/3/1 or 2024年3月1日); status is \
                试用 (probation) or 在职 (active). If any row has a problem, nothing is written and every \
                problem is listed, one line each, with its row number (the header is row 1).
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The CSV file, or Excel workbook (.xlsx).") var file: String
        @Flag(help: "Check the file and report, but write nothing.") var dryRun = false
        @Option(
            help: "How a CSV file's text is encoded: utf-8 or gb18030 (default: found out from its first bytes).",
            transform: Parse.feedEncoding
        )
        var encoding: FeedEncoding?

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let meter = ProgressMeter(label: dryRun ? "checking" : "importing", unit: .items("rows"))
                let summary = try await dossier.importPeople(
                    from: file,
                    encoding: encoding,
                    dryRun: dryRun,
                    progress: { meter.show(Int64($0)) },
                    report: { problem in printError(problem.description) }
                )
                meter.end()
                if summary.accepted {
                    if dryRun {
                        print("Checked \(summary.rows) rows: no problems. Nothing was written (dry run).")
                    } else {
                        print("Imported \(summary.imported) people.")
                    }
                } else {
                    printError(
                        "dossier: import refused: \(summary.problems) problems in \(summary.rowsWithProblems) of \(summary.rows) rows; nothing was written."
                    )
                    throw ExitCode.failure
                }
            }
        }
    }

    struct Hire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hire again someone on file whose last post ended (再入职)."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var id: Int64
        @Option(help: "Credit code of the organisation.", transform: Parse.code) var org: CreditCode
        @Option(help: "Establishment category.", transform: Parse.coded(EstablishmentCategory.self))
        var category: EstablishmentCategory
        @Option(help: "Rank, by code or name (optional).", transform: Rank.init(code:)) var rank: Rank?
        @Option(help: "Leadership post level (optional).", transform: Parse.coded(LeadershipPost.self))
        var post: LeadershipPost?
        @Option(help: "probation (试用) or active (在职).", transform: Parse.coded(PersonStatus.self))
        var status: PersonStatus = .active
        @Option(name: .customLong("on"), help: "Effective date (YYYY-MM-DD; default today).", transform: Parse.date)
        var on: CivilDate?

        func run() async throws {
            let terms = HireTerms(
                orgCode: org,
                category: category,
                rank: rank,
                post: post,
                status: status,
                effectiveOn: on ?? global.currentDate
            )
            try await DossierCommand.perform {
                try await global.open().rehire(personID: id, terms: terms)
                print("Person \(id) hired from \(terms.effectiveOn).")
            }
        }
    }

    struct Exit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Record that a person left: transfer-out, resign, retire, dismiss or expel. Frees the slot from that date."
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var id: Int64
        @Option(help: "transfer-out, resign, retire, dismiss or expel (or 调出, 辞职, 退休, 辞退, 开除).", transform: Parse.exit)
        var kind: ActionKind
        @Option(name: .customLong("on"), help: "Effective date (YYYY-MM-DD; default today).", transform: Parse.date)
        var on: CivilDate?

        func run() async throws {
            let action = kind
            let date = on ?? global.currentDate
            try await DossierCommand.perform {
                try await global.open().exit(personID: id, kind: action, on: date)
                print("Recorded \(action.chineseName) for person \(id) from \(date).")
            }
        }
    }

    struct Timeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a person's personnel actions, oldest first.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var id: Int64

        func run() async throws {
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let entries = try await dossier.timeline(personID: id)
                if output.format == .json {
                    print(try JSONOutput.encode(entries.map(TimelineEntryJSON.init)))
                    return
                }
                print(
                    Listing(
                        headers: [
                            "action", "effective", "kind", "org", "category", "rank", "post", "status", "by", "note",
                        ],
                        rows: entries.map { entry in
                            var note = entry.targetActionID.map { "amends \($0)" } ?? ""
                            if let by = entry.amendedBy, let kind = entry.amendment {
                                note = "\(kind == .cancel ? "cancelled" : "corrected") by \(by)"
                            }
                            if let details = entry.details { note = details.text }
                            return [
                                String(entry.actionID), entry.effectiveOn.description, entry.kind.chineseName,
                                entry.orgCode.value, entry.category.chineseName,
                                entry.rank.map(dossier.rankLadder(on: entry.effectiveOn).name(of:)) ?? "",
                                entry.post?.chineseName ?? "", entry.status.chineseName, entry.recordedBy, note,
                            ]
                        },
                        chineseHeaders: [
                            "行为号", "生效日期", "人事行为", "单位代码", "编制类型", "职级", "领导职务", "人员状态", "经办人", "说明",
                        ]
                    ).render(output.format)
                )
            }
        }
    }

    struct ChangeIDNumber: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change-id-number",
            abstract: "Give a file a new identity number (administrators only), with the reason.",
            discussion: """
                For a number filed wrong, or one the public security office reissued. The new number is \
                checked like a new filing's and must not be on another file; the sex and birth date follow \
                it. The old number stays in the file's history ('dossier person id-numbers').
                """
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The person's file number.") var id: Int64
        @Option(help: "The new identity number (公民身份号码), 18 characters.") var to: String
        @Option(help: "Why it changes, e.g. 建档时录入错误 or 公安机关重新编号.") var reason: String

        func run() async throws {
            try await DossierCommand.perform {
                try await global.open().changeIdentityNumber(personID: id, to: to, reason: reason)
                print("File \(id) now holds the new identity number; the old one is kept in its history.")
            }
        }
    }

    struct IDNumbers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "id-numbers",
            abstract: "Show the changes of a file's identity number, oldest first."
        )
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: FormatOptions
        @Argument(help: "The person's file number.") var id: Int64
        @Flag(help: "Show the full numbers (if your role allows).") var reveal = false

        func run() async throws {
            try await DossierCommand.perform {
                let changes = try await global.open().identityNumberChanges(personID: id, reveal: reveal)
                print(
                    Listing(
                        headers: ["old", "new", "reason", "by", "at"],
                        rows: changes.map { [$0.old, $0.new, $0.reason, $0.changedBy, $0.changedAt] }
                    ).render(output.format)
                )
            }
        }
    }

    struct Roster: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a unit's staff roster (花名册) as an Excel workbook.",
            discussion: """
                One row per person in post (or on the unit's books) on the date: 姓名, 性别, 民族, 出生年月, \
                公民身份号码 (masked unless --reveal), 政治面貌, 学历, 单位, 编制类型, 职级, 领导职务, 人员状态 and \
                the date of the placement. Every cell is text, so identity numbers keep their digits. Example:
                  dossier person roster --org CODE --subtree --out 花名册.xlsx
                """
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The unit (credit code).", transform: Parse.code) var org: CreditCode
        @Flag(help: "Also everyone placed in the units under it.") var subtree = false
        @Option(help: "As of this date (YYYY-MM-DD; default today).", transform: Parse.date) var date: CivilDate?
        @Flag(help: "Full identity and phone numbers (if your role allows; the reveal is audited).") var reveal = false
        @Option(help: "The workbook to write, e.g. 花名册.xlsx.") var out: String

        func run() async throws {
            let day = date ?? global.currentDate
            try await DossierCommand.perform {
                let dossier = try await global.open()
                let unit = try await dossier.organization(org)
                let roster = try await dossier.roster(org: org, subtree: subtree, on: day, reveal: reveal)
                do { try roster.xlsx(to: out) } catch {
                    throw ServiceError(.invalid, "Cannot write the file \(out).", zh: "无法写入文件 \(out)。")
                }
                print("Wrote the roster of \(unit.name): \(roster.rows.count) people, to \(out).")
            }
        }
    }
}
