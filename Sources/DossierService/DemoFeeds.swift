import DossierCore

/// The small social-insurance, payroll and attendance exports the demo imports, so that a new
/// node has cases on its reconciliation pages. They are built from a handful of the demo's own
/// people and plant one finding of each of these rules: a person in post whose pension is
/// suspended, one insured by an employer that is not on this node, one the insurer counts as
/// retired, one absent without leave for a day more than the limit, and an identity number not
/// on file under a demo organisation. Everyone else agrees with the record (two of them were
/// absent or on leave for a few days, below the limit). Everything derives from the demo's seed
/// and date.
struct DemoFeeds {
    /// One person as the exports know them.
    struct Member {
        var idNumber: ResidentID
        var name: String
        var org: CreditCode
        var hiredOn: CivilDate
    }

    /// What the exports plant on a member, in the order members are taken.
    enum Role: CaseIterable {
        case absent
        case stopped
        case elsewhere
        case retired
        case onLeaveAFewDays
        case absentAFewDays
        case agreeing
        case agreeingToo
    }

    /// A cell before it is written: text as it is, a coded field's meaning, or a date.
    enum Cell {
        case text(String)
        case meaning(String)
        case date(CivilDate)
    }

    /// The day the exports are taken: a few days before the demo's date.
    let takenOn: CivilDate
    /// The first day of the month the payroll and attendance cover: the month before the one
    /// the exports are taken in, so every day of it has passed.
    let month: CivilDate
    /// Days absent in a row for the person absent without leave: one more than the limit.
    let absentDays: Int
    /// The people, one per role in `Role` order (fewer when the demo has fewer people).
    private(set) var members: [Member] = []
    /// A valid identity number not on file, kept under one of the demo's organisations.
    var stranger: Member?
    /// An employer that is not on this node: a company in 海州市.
    let otherEmployer = CreditCode.make(
        authority: "9",
        entityType: "1",
        divisionCode: "390100",
        organizationCode: "E00000001"
    )

    init(demoDate: CivilDate, absenceLimit: Int) {
        takenOn = demoDate.adding(days: -5)
        month = CivilDate(year: takenOn.year, month: takenOn.month, day: 1)!.adding(months: -1)
        absentDays = absenceLimit + 1
    }

    /// Whether the exports still need people.
    var wantsMore: Bool { members.count < Role.allCases.count }

    /// Takes a person hired before the month the exports cover, so they were in post all of it.
    mutating func consider(_ person: NewPerson) {
        guard wantsMore, person.hire.effectiveOn < month, !members.contains(where: { $0.org == person.hire.orgCode })
        else { return }
        members.append(
            Member(
                idNumber: person.idNumber,
                name: person.name,
                org: person.hire.orgCode,
                hiredOn: person.hire.effectiveOn
            )
        )
    }

    /// The days of the month the payroll and attendance cover.
    private var days: [CivilDate] {
        (0..<31).map { month.adding(days: $0) }.filter { $0.month == month.month }
    }

    /// Saturday or Sunday (1970-01-01, day 0, was a Thursday: Monday gives 0).
    private static func isWeekend(_ date: CivilDate) -> Bool { (date.dayNumber + 3) % 7 >= 5 }

    /// The rows of one export, field by field.
    func rows(_ kind: FeedKind) -> [[FeedField: Cell]] {
        let planted = zip(Role.allCases, members)
        switch kind {
        case .socialInsurance:
            var rows: [[FeedField: Cell]] = []
            for (role, member) in planted {
                let employer = role == .elsewhere ? otherEmployer : member.org
                let changed = [.stopped, .retired, .elsewhere].contains(role) ? month : member.hiredOn
                rows.append(
                    insurance(
                        member,
                        employer: employer,
                        type: "pension",
                        status: role == .stopped ? "suspended" : "contributing",
                        retired: role == .retired,
                        changedOn: changed
                    )
                )
                rows.append(
                    insurance(
                        member,
                        employer: employer,
                        type: "medical",
                        status: "contributing",
                        retired: false,
                        changedOn: role == .elsewhere ? month : member.hiredOn
                    )
                )
            }
            if let stranger {
                rows.append(
                    insurance(
                        stranger,
                        employer: stranger.org,
                        type: "pension",
                        status: "contributing",
                        retired: false,
                        changedOn: stranger.hiredOn
                    )
                )
            }
            return rows
        case .payroll:
            return planted.enumerated().map { index, pair in
                let gross = 680_000 + 35_000 * index
                return [
                    .idNumber: .text(pair.1.idNumber.value), .name: .text(pair.1.name),
                    .orgCode: .text(pair.1.org.value),
                    .month: .date(month), .gross: .text(Yuan.text(fen: Int64(gross))),
                    .net: .text(Yuan.text(fen: Int64(gross * 82 / 100))),
                ]
            }
        case .attendance:
            var rows: [[FeedField: Cell]] = []
            for (role, member) in planted {
                var workday = 0
                for date in days {
                    var mark = "present"
                    if Self.isWeekend(date) {
                        mark = "rest"
                    } else {
                        workday += 1
                        switch role {
                        case .absent where workday >= 2 && workday < 2 + absentDays: mark = "absent"
                        case .onLeaveAFewDays where (3...5).contains(workday): mark = "leave"
                        case .absentAFewDays where (6...7).contains(workday): mark = "absent"
                        default: break
                        }
                    }
                    rows.append([
                        .idNumber: .text(member.idNumber.value), .name: .text(member.name), .date: .date(date),
                        .attendance: .meaning(mark),
                    ])
                }
            }
            return rows
        }
    }

    private func insurance(
        _ member: Member,
        employer: CreditCode,
        type: String,
        status: String,
        retired: Bool,
        changedOn: CivilDate
    ) -> [FeedField: Cell] {
        [
            .idNumber: .text(member.idNumber.value), .name: .text(member.name), .orgCode: .text(employer.value),
            .insuranceType: .meaning(type), .contributionStatus: .meaning(status),
            .retired: .meaning(retired ? "retired" : "not-retired"), .changedOn: .date(changedOn),
        ]
    }

    /// The export written through a node's feed format: its header row, then the rows. Nil when
    /// the format has no code for a meaning the rows need.
    func lines(_ kind: FeedKind, format: FeedFormat) -> [[String]]? {
        var lines = [kind.fields.map { format.headers[$0] ?? $0.rawValue }]
        for row in rows(kind) {
            var line: [String] = []
            for field in kind.fields {
                switch row[field] {
                case .text(let text)?: line.append(text)
                case .meaning(let meaning)?:
                    // The smallest local code with that meaning, so the file is the same every time.
                    guard let code = format.codes[field]?.filter({ $0.value == meaning }).keys.min() else { return nil }
                    line.append(code)
                case .date(let date)?:
                    let written = format.dateFormats[field] ?? (field.dateKind == .month ? .isoMonth : .isoDay)
                    line.append(written.write(date))
                case nil: line.append("")
                }
            }
            lines.append(line)
        }
        return lines
    }
}
