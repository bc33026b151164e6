public import DossierCore
import DossierStorage
import Foundation
import Logging

/// What `demo` loaded.
public struct DemoSummary: Sendable, Hashable {
    public var organizations = 0
    public var people = 0
    public var overQuotaUnits = 0
    public var users: [String] = []
    /// Social-insurance, payroll and attendance feeds imported (none with `peopleCSV`).
    public var feeds = 0
    /// Cases the reconciliation of those feeds opened.
    public var openCases = 0
}

extension Dossier {
    /// The date the demo province is generated "as of" unless told otherwise: a fixed date, so
    /// the same seed gives the same records on any day.
    public static let demoReferenceDate = CivilDate(year: 2026, month: 6, day: 30)!

    /// The demo users, one per role, created beside `admin`.
    public static let demoUsers: [User] = [
        User(name: "officer", role: .officer, displayName: "人事干部 (demo)"),
        User(name: "approver", role: .approver, displayName: "审批人 (demo)"),
        User(name: "viewer", role: .viewer, displayName: "查阅人 (demo)"),
        User(name: "statistician", role: .statistician, displayName: "统计人员 (demo)"),
        User(name: "inspector", role: .inspector, displayName: "检查人员 (demo)"),
    ]

    /// Loads the synthetic province: organisations at every level with quotas and leadership
    /// posts, `people` people with valid identity numbers, plausible ages, ranks and mixes, many
    /// vacancies, and a few units over quota because their quota was cut after they were staffed.
    /// The same seed gives the same records. Refuses a node that already has organisations.
    ///
    /// Then it imports small social-insurance, payroll and attendance feeds taken a few days
    /// before `today`, built from a handful of the demo people with a few findings planted
    /// (`DemoFeeds`), and runs the reconciliation once as of `today`, so the cases pages have
    /// something to show. Not when `today` is after the node's clock: records can be compared
    /// only as of a day that has come.
    ///
    /// With `peopleCSV`, the people are not hired but written to that file in the import format,
    /// so the bulk import can be exercised (and measured) against the demo organisations; no
    /// feeds are imported then.
    public func loadDemo(
        people: Int,
        seed: UInt64,
        today: CivilDate = Dossier.demoReferenceDate,
        peopleCSV: String? = nil,
        progress: (Int) -> Void = { _ in }
    ) async throws -> DemoSummary {
        try require(.manageEstablishment)
        guard people >= 0 else {
            throw ServiceError(.invalid, "The number of people cannot be negative.", zh: "人数不能为负数。")
        }
        guard try await organizations().isEmpty else {
            throw ServiceError(
                .refused,
                "This node already has organisations; demo data goes into a fresh data directory.",
                zh: "本节点已有机构；演示数据只能放入新的数据目录。"
            )
        }
        var summary = DemoSummary()
        for user in Self.demoUsers where try await mapErrors({ try await store.user(user.name) }) == nil {
            try await addUser(user, reach: .wholeNode)
            summary.users.append(user.name)
        }
        let province = DemoProvince()
        let ladder = policies.rankLadder
        var random = SeededRandom(seed: seed)
        let established = CivilDate(year: 1985, month: 1, day: 1)!

        // Approved numbers: each unit's share of the province by weight, sized so about 88% of
        // slots are filled overall; some units are full, many have vacancies.
        let totalWeight = province.units.reduce(0) { $0 + $1.weight }
        var fill: [Int] = []
        var approved: [Int] = []
        for unit in province.units {
            let share = unit.weight / totalWeight * Double(people)
            let rate = random.chance(0.15) ? 1.0 : Double(random.int(70...97)) / 100
            let slots = max(Int((share / 0.88).rounded(.up)), 3)
            approved.append(slots)
            fill.append(min(Int((Double(slots) * rate).rounded(.down)), slots))
        }
        // Adjust so exactly `people` are hired: add to units with room, or take away.
        var remaining = people - fill.reduce(0, +)
        var index = 0
        while remaining != 0, !province.units.isEmpty {
            let unit = index % province.units.count
            if remaining > 0, fill[unit] < approved[unit] {
                fill[unit] += 1
                remaining -= 1
            } else if remaining < 0, fill[unit] > 0 {
                fill[unit] -= 1
                remaining += 1
            }
            index += 1
            if index > 100 * province.units.count * max(people, 1) { break }
        }

        for (position, unit) in province.units.enumerated() {
            _ = try await addOrganization(unit.org)
            try await setQuota(
                org: unit.org.code,
                subject: .category(unit.category),
                approved: approved[position],
                effectiveOn: established
            )
            if unit.org.kind == .organ {
                try await setQuota(
                    org: unit.org.code,
                    subject: .category(.serviceWorker),
                    approved: max(approved[position] / 20, 1),
                    effectiveOn: established
                )
            }
            try await setQuota(
                org: unit.org.code,
                subject: .post(unit.post.head),
                approved: 1,
                effectiveOn: established
            )
            try await setQuota(
                org: unit.org.code,
                subject: .post(unit.post.deputy),
                approved: unit.deputies,
                effectiveOn: established
            )
        }
        summary.organizations = province.units.count

        var sequences: [String: Int] = [:]
        var feeds = DemoFeeds(
            demoDate: today,
            absenceLimit: policies.reconciliation?.at(today).absence.consecutiveDays ?? 15
        )
        if let peopleCSV {
            guard let writer = CSVWriter(path: peopleCSV) else {
                throw ServiceError(.setup, "Cannot create the file \(peopleCSV).", zh: "无法创建文件 \(peopleCSV)。")
            }
            writer.write(PersonInput.columns)
            for (position, unit) in province.units.enumerated() {
                for slot in 0..<fill[position] {
                    let post: LeadershipPost? =
                        slot == 0 ? unit.post.head : (slot <= unit.deputies ? unit.post.deputy : nil)
                    let person = Self.demoPerson(
                        unit: unit,
                        post: post,
                        today: today,
                        ladder: ladder,
                        random: &random,
                        sequences: &sequences
                    )
                    writer.write([
                        person.idNumber.value, person.name, "", "", person.ethnicity.code, person.education.code,
                        person.politicalStatus.code, person.phone ?? "", person.hire.orgCode.value,
                        person.hire.category.code,
                        person.hire.rank?.code ?? "", person.hire.post?.code ?? "", person.hire.status.code,
                        person.hire.effectiveOn.description,
                    ])
                    summary.people += 1
                }
            }
            guard writer.close() else {
                throw ServiceError(
                    .setup,
                    "Cannot write the file \(peopleCSV) completely.",
                    zh: "无法完整写入文件 \(peopleCSV)。"
                )
            }
            return summary
        }
        let hired = try await mapErrors {
            try await withHireBatch(bulk: true) { batch in
                var count = 0
                for (position, unit) in province.units.enumerated() {
                    for slot in 0..<fill[position] {
                        let post: LeadershipPost? =
                            slot == 0 ? unit.post.head : (slot <= unit.deputies ? unit.post.deputy : nil)
                        let person = Self.demoPerson(
                            unit: unit,
                            post: post,
                            today: today,
                            ladder: ladder,
                            random: &random,
                            sequences: &sequences
                        )
                        var id: Int64?
                        let problems = try batch.hire(person, personID: &id)
                        if let problem = problems.first {
                            throw ServiceError(
                                .setup,
                                "Demo data could not be generated: \(problem.description)",
                                zh: "演示数据无法生成。"
                            )
                        }
                        feeds.consider(person)
                        count += 1
                        if count % 50_000 == 0 { progress(count) }
                    }
                }
                return (count, ("demo.people", "demo", ["people": String(count), "seed": String(seed)]))
            }
        }
        summary.people = hired

        // A few units (one in 25, at least one) had their quota cut after they were staffed:
        // over quota from then on.
        let cutDate = CivilDate(year: today.year, month: 1, day: 1)!
        var eligible = province.units.indices.filter { fill[$0] >= 2 }
        eligible.shuffle(using: &random)
        for position in eligible.prefix(max(1, eligible.count / 25)).sorted() {
            let unit = province.units[position]
            try await setQuota(
                org: unit.org.code,
                subject: .category(unit.category),
                approved: fill[position] - random.int(1...min(3, fill[position] - 1)),
                effectiveOn: cutDate
            )
            summary.overQuotaUnits += 1
        }

        // Someone the insurer lists under a demo department who is not on file: a number made
        // the way the people's are, with the next sequence for its address and birth date.
        if province.units.count > 1 {
            let unit = province.units[1]
            let birth = today.adding(months: -37 * 12).adding(days: -100)
            let key = unit.divisionCode + birth.description + "m"
            let sequence = (sequences[key, default: 0] * 2 + 1) % 1000
            var names = SeededRandom(seed: seed ^ 0xFEED)
            feeds.stranger = DemoFeeds.Member(
                idNumber: ResidentID.make(addressCode: unit.divisionCode, birthDate: birth, sequence: sequence),
                name: DemoProvince.name(&names),
                org: unit.org.code,
                hiredOn: today.adding(months: -24)
            )
        }
        if today <= self.today {
            (summary.feeds, summary.openCases) = try await importDemoFeeds(feeds, runOn: today)
        }
        logger.info(
            "demo loaded",
            metadata: ["demo.people": "\(hired)", "demo.organizations": "\(summary.organizations)"]
        )
        return summary
    }

    /// Writes the demo's feeds to a temporary folder, imports them through the node's feed
    /// formats, removes the files and runs the reconciliation as of `date`: how many feeds were
    /// imported and how many cases the run opened. A kind whose format cannot write the demo's
    /// rows is left out.
    private func importDemoFeeds(_ feeds: DemoFeeds, runOn date: CivilDate) async throws -> (feeds: Int, cases: Int) {
        let template = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dossier-demo-XXXXXX").path
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw ServiceError(.setup, "Cannot create a temporary folder for the demo feeds.", zh: "无法为演示数据源创建临时文件夹。")
        }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var imported = 0
        for kind in FeedKind.allCases {
            guard let format = policies.feeds[kind]?.at(feeds.takenOn), let lines = feeds.lines(kind, format: format)
            else {
                logger.warning(
                    "demo feed left out: no feed format in force can write its rows",
                    metadata: ["feed.kind": "\(kind.rawValue)"]
                )
                continue
            }
            let name = "demo-\(kind.rawValue).csv"
            let path = folder + "/" + name
            guard let writer = CSVWriter(path: path) else {
                throw ServiceError(.setup, "Cannot create the file \(path).", zh: "无法创建文件 \(path)。")
            }
            for line in lines { writer.write(line) }
            guard writer.close() else {
                throw ServiceError(.setup, "Cannot write the file \(path) completely.", zh: "无法完整写入文件 \(path)。")
            }
            _ = try await importFeed(kind: kind, path: path, asOf: feeds.takenOn, fileName: name)
            imported += 1
        }
        guard policies.reconciliation?.at(date) != nil else { return (imported, 0) }
        return (imported, try await reconcile(asOf: date).opened)
    }

    private static func demoPerson(
        unit: DemoProvince.Unit,
        post: LeadershipPost?,
        today: CivilDate,
        ladder: Dated<RankLadder>,
        random: inout SeededRandom,
        sequences: inout [String: Int]
    ) -> NewPerson {
        let leader = post != nil
        let age = leader ? random.int(40...58) : random.int(22...59)
        // Calendar years, so leap days cannot push a 22nd birthday (and the hire) past `today`.
        let birth = today.adding(months: -age * 12).adding(days: -random.int(1...364))
        let male = random.chance(0.58)
        // A unique sequence per address and birth date keeps identity numbers unique.
        let key = unit.divisionCode + birth.description + (male ? "m" : "f")
        let used = sequences[key, default: 0]
        sequences[key] = used + 1
        let sequence = (used * 2 + (male ? 1 : 2)) % 1000
        let id = ResidentID.make(addressCode: unit.divisionCode, birthDate: birth, sequence: sequence)
        let earliestHire = max(
            birth.adding(months: 22 * 12).dayNumber,
            CivilDate(year: 1985, month: 1, day: 1)!.dayNumber
        )
        let hiredDay = random.int(earliestHire...max(earliestHire, today.dayNumber - 1))
        let hired = CivilDate(dayNumber: hiredDay)
        let years = (today.dayNumber - hiredDay) / 365
        let rank = demoRank(tier: unit.tier, years: years, post: post, ladder: ladder.at(hired), random: &random)
        let phone = "1" + String(random.int(30...99)) + String(random.int(10_000_000...99_999_999))
        return NewPerson(
            idNumber: id,
            name: DemoProvince.name(&random),
            ethnicity: Ethnicity(codeOrName: random.weighted(DemoProvince.ethnicities))!,
            education: Education(codeOrName: random.weighted(DemoProvince.educations))!,
            politicalStatus: PoliticalStatus(codeOrName: random.weighted(DemoProvince.politics))!,
            phone: random.chance(0.9) ? phone : nil,
            hire: HireTerms(
                orgCode: unit.org.code,
                category: unit.category,
                rank: rank,
                post: post,
                status: today.dayNumber - hiredDay < 365 && !leader ? .probation : .active,
                effectiveOn: hired
            )
        )
    }

    /// Ranks rise with years of service, higher in provincial bodies; leaders hold at least the
    /// lowest rank matching their post (DOMAIN.md §2).
    /// Positions are counted from the top of the rank ladder in force on the hire date (the
    /// shipped ladder: 0 一级巡视员 … 11 二级科员), so the demo follows whatever ladder the node
    /// runs under.
    private static func demoRank(
        tier: Int,
        years: Int,
        post: LeadershipPost?,
        ladder: RankLadder,
        random: inout SeededRandom
    ) -> Rank? {
        let ranks = ladder.ranks
        func rank(_ fromTop: Int) -> Rank { ranks[min(fromTop, ranks.count - 1)] }
        switch post {
        case .provinceHead?, .provinceDeputy?, .bureauHead?: return rank(0)
        case .bureauDeputy?: return rank(1)
        case .divisionHead?: return rank(random.chance(0.5) ? 2 : 3)
        case .divisionDeputy?: return rank(random.chance(0.5) ? 4 : 5)
        case .sectionHead?: return rank(random.chance(0.5) ? 6 : 7)
        case .sectionDeputy?: return rank(random.chance(0.5) ? 8 : 9)
        default: break
        }
        // Roughly one step every 3 years from the bottom, capped by the level of the body.
        let cap = tier == 3 ? 9 : (tier == 2 ? 7 : 5)
        let steps = min(years / 3 + random.int(0...1), cap)
        return rank(max(ranks.count - 1 - steps, 0))
    }
}
