import DossierCore
import DossierService
import DossierStorage
import DossierStore
import DossierTestSupport
import Foundation
import Testing

/// `reconcile(asOf:)` and the cases it keeps: synthetic feeds in which every rule is planted next
/// to decoys that must raise nothing.
@Suite struct ReconciliationTests {
    let fixture: ServiceFixture
    let officer: Dossier
    let approver: Dossier
    let runDay = day("2026-11-20")
    let feedDay = day("2026-11-15")
    let finance = ServiceFixture.finance.value
    /// An employer that is not one of this node's organisations.
    let otherEmployer = ServiceFixture.unregistered.value

    /// The people of the scene, by what is planted on them.
    var people: [String: Int64] = [:]
    /// Identity numbers in feeds of people not on file.
    let stranger = residentID(777, born: "1979-02-03")
    let strangerElsewhere = residentID(779, born: "1979-02-03")

    init() async throws {
        fixture = try await ServiceFixture()
        officer = try await fixture.acting(as: "officer", role: .officer)
        approver = try await fixture.acting(as: "approver", role: .approver)
        try await fixture.dossier.setQuota(
            org: ServiceFixture.finance,
            subject: .category(.administrative),
            approved: 30,
            effectiveOn: day("2000-01-01")
        )
        func hire(
            _ name: String,
            _ sequence: Int,
            org: CreditCode = ServiceFixture.finance,
            category: String = "admin"
        )
            async throws
        {
            people[name] = try await fixture.hire(sequence, org: org, category: category, hiredOn: "2020-03-01")
        }
        for (name, sequence) in [
            ("stopped", 11), ("exited", 12), ("exited10DaysAgo", 13), ("retiredElsewhere", 14), ("awol", 15),
            ("onLeave", 16), ("absent", 17), ("absent14", 18), ("insuredElsewhere", 19), ("paidAfterExit", 20),
            ("movedInside", 21), ("agreeing", 22),
        ] {
            try await hire(name, sequence)
        }
        try await act(.resign, "exited", on: "2026-10-01")
        try await act(.resign, "exited10DaysAgo", on: "2026-11-10")
        try await act(.awol, "awol", on: "2026-09-01")
        try await act(.unpaidLeave, "onLeave", on: "2026-09-01")
        try await act(.resign, "paidAfterExit", on: "2026-08-31")
        try await drafted(
            transfer(
                people["movedInside"]!,
                to: ServiceFixture.archives,
                category: .civilServiceManagedInstitution,
                on: "2026-10-15"
            ),
            by: officer,
            approvedBy: approver
        )
    }

    private func act(_ kind: ActionKind, _ name: String, on date: String) async throws {
        try await drafted(plain(kind, people[name]!, on: date), by: officer, approvedBy: approver)
    }

    private func id(_ name: String) -> String { residentID(sequence(name), born: "1990-03-07").value }

    private func sequence(_ name: String) -> Int {
        [
            "stopped": 11, "exited": 12, "exited10DaysAgo": 13, "retiredElsewhere": 14, "awol": 15, "onLeave": 16,
            "absent": 17, "absent14": 18, "insuredElsewhere": 19, "paidAfterExit": 20, "movedInside": 21,
            "agreeing": 22,
        ][name]!
    }

    // MARK: Feeds

    /// Pension and medical rows for a person: 参保缴费 unless said otherwise.
    private func insured(
        _ name: String,
        pension: String = "1",
        retired: String = "0",
        employer: String? = nil,
        changed: String = "2020-03-01"
    ) -> [String] {
        let employer = employer ?? finance
        return [
            "\(id(name)),王,\(employer),110,\(pension),\(retired),\(changed)",
            "\(id(name)),王,\(employer),310,\(pension == "1" ? "1" : pension),0,\(changed)",
        ]
    }

    private var insuranceLines: [String] {
        insured("stopped", pension: "2", changed: "2026-10-01")
            + insured("exited") + insured("exited10DaysAgo") + insured("retiredElsewhere", retired: "1")
            + insured("awol") + insured("onLeave") + insured("absent") + insured("absent14")
            + insured("insuredElsewhere", employer: otherEmployer)
            // Moved to the archives on 2026-10-15; the insurer still lists the finance department.
            + insured("movedInside") + insured("agreeing")
            + [
                "\(stranger.value),赵不在,\(finance),110,1,0,2026-01-01",
                "\(strangerElsewhere.value),钱别处,\(otherEmployer),110,1,0,2026-01-01",
            ]
    }

    private var payrollLines: [String] {
        [
            "\(id("agreeing")),王,\(finance),2026-10,8000.00,6500.00",
            "\(id("paidAfterExit")),王,\(finance),2026-10,8000.00,6500.00",
            "\(id("movedInside")),王,\(finance),2026-10,8000.00,6500.00",
            // Paid for the last month before the exit (2026-10-01): in post all of it.
            "\(id("exited")),王,\(finance),2026-09,8000.00,6500.00",
            // Paid for the month in which they left (2026-11-10): in post until the 9th.
            "\(id("exited10DaysAgo")),王,\(finance),2026-11,8000.00,6500.00",
        ]
    }

    /// October 2026 for two people: `absent` misses 16 working days in a row (weekends, marked
    /// 休息, inside the run), `absent14` misses 14; everyone else is at work.
    private var attendanceLines: [String] {
        var lines: [String] = []
        let first = day("2026-10-01")
        for offset in 0..<31 {
            let date = first.adding(days: offset)
            let weekend = (date.dayNumber + 3) % 7 >= 5  // 1970-01-01 was a Thursday: Monday is 0
            func mark(_ absentDays: Int, startingOn start: Int) -> String {
                if weekend { return "休息" }
                let workdaysBefore = (0..<offset).filter { (first.adding(days: $0).dayNumber + 3) % 7 < 5 }.count
                return workdaysBefore >= start && workdaysBefore < start + absentDays ? "旷工" : "出勤"
            }
            lines.append("\(id("absent")),王,\(date),\(mark(16, startingOn: 2))")
            lines.append("\(id("absent14")),王,\(date),\(mark(14, startingOn: 2))")
            lines.append("\(id("agreeing")),王,\(date),\(weekend ? "休息" : "出勤")")
        }
        return lines
    }

    private func importFeeds(asOf: CivilDate? = nil, insurance: [String]? = nil) async throws {
        let asOf = asOf ?? feedDay
        _ = try await fixture.dossier.importFeed(
            kind: .socialInsurance,
            path: try fixture.file(FeedFile.text(FeedFile.insurance, insurance ?? insuranceLines)),
            asOf: asOf
        )
        if insurance == nil {
            _ = try await fixture.dossier.importFeed(
                kind: .payroll,
                path: try fixture.file(FeedFile.text(FeedFile.payroll, payrollLines)),
                asOf: asOf
            )
            _ = try await fixture.dossier.importFeed(
                kind: .attendance,
                path: try fixture.file(FeedFile.text(FeedFile.attendance, attendanceLines)),
                asOf: asOf
            )
        }
    }

    /// Every case with the given status, as (rule, person) pairs; unknown people as nil.
    private func found(_ status: CaseStatus? = .open) async throws -> [String] {
        try await fixture.dossier.cases(status: status, limit: 1000).map { view in
            let who = view.stored.personID.flatMap { id in people.first { $0.value == id }?.key } ?? "unknown"
            return "\(view.stored.rule.rawValue) \(who)"
        }.sorted()
    }

    private let planted = [
        "absent-without-leave absent",
        "contributions-stopped stopped",
        "exit-still-insured exited",
        "inactive-holds-slot awol",
        "insured-elsewhere insuredElsewhere",
        "paid-not-in-post paidAfterExit",
        "retirement-mismatch retiredElsewhere",
        "unknown-person unknown",
    ]

    // MARK: Tests

    @Test func exactlyThePlantedFindingsOpenCasesAndTheDecoysRaiseNothing() async throws {
        try await importFeeds()
        let summary = try await fixture.dossier.reconcile(asOf: runDay)
        let opened = try await found()
        #expect(
            opened == planted,
            "missing \(Set(planted).subtracting(opened)), extra \(Set(opened).subtracting(planted))"
        )
        #expect(summary.opened == planted.count)
        #expect(summary.alreadyOpen == 0)
        #expect(summary.cleared == 0)
        #expect(Set(summary.feeds.keys) == Set(FeedKind.allCases))
        // It runs on the record alone (transfers sent), and found nothing: none was sent.
        #expect(summary.rulesRun.contains(.transferWithoutReceipt))

        let head = try #require(try fixture.store.auditHead())
        #expect(head.action == "reconcile.run")
        #expect(head.subject == "reconcile:2026-11-20")
    }

    @Test func eachCaseBelongsToItsOrganisationIsDueByThePolicyAndShowsItsEvidence() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let cases = try await fixture.dossier.cases(limit: 100)
        let stopped = try #require(cases.first { $0.stored.rule == .contributionsStopped })
        #expect(stopped.stored.org == ServiceFixture.finance)
        #expect(stopped.stored.openedOn == runDay)
        #expect(stopped.stored.dueOn == runDay.adding(days: 20))
        #expect(stopped.identity == nil)

        let detail = try await fixture.dossier.reconciliationCase(stopped.stored.id)
        #expect(detail.feed?.kind == .socialInsurance)
        #expect(detail.rows.count == 1)
        #expect(detail.rows.first?.insurance == .pension)
        #expect(detail.rows.first?.contribution == .suspended)
        #expect(detail.view.stored.evidence.facts["from"] == "2026-10-01")
        #expect(detail.timeline.map(\.kind) == [.hire])

        let absent = try #require(cases.first { $0.stored.rule == .absentWithoutLeave })
        let absentDetail = try await fixture.dossier.reconciliationCase(absent.stored.id)
        #expect(absentDetail.rows.count == 16)
        #expect(absentDetail.rows.allSatisfy { $0.mark == .absent })
        #expect(absentDetail.view.stored.evidence.facts["days"] == "16")

        // An unknown person's case belongs to the feed row's organisation, the number masked.
        let unknown = try #require(cases.first { $0.stored.rule == .unknownPerson })
        #expect(unknown.stored.personID == nil)
        #expect(unknown.stored.org == ServiceFixture.finance)
        #expect(unknown.identity == stranger.masked)
        #expect(unknown.stored.name == "赵不在")
        let revealed = try await fixture.dossier.reconciliationCase(unknown.stored.id, reveal: true)
        #expect(revealed.view.identity == stranger.value)
        #expect(try fixture.store.auditHead()?.action == "case.reveal")
    }

    @Test func aSecondRunOpensNothingNewAndSaysHowManyWereAlreadyOpen() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let again = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(again.opened == 0)
        #expect(again.alreadyOpen == planted.count)
        #expect(again.cleared == 0)
        #expect(try await found() == planted)
    }

    @Test func confirmingACaseDraftsTheActionThatEndsItForAnApprover() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let stopped = try #require(
            try await officer.cases(rule: .contributionsStopped).first
        )
        let resolution = try await officer.resolveCase(stopped.stored.id, outcome: .confirmed, note: "不再上班")
        let draftID = try #require(resolution.draftID)
        let draft = try await approver.draft(draftID)
        #expect(draft.state == .draft)
        #expect(draft.input.kind == .awol)
        #expect(draft.input.personID == people["stopped"])
        #expect(draft.input.effectiveOn == day("2026-10-01"))
        #expect(draft.draftedBy == "officer")

        let closed = try await fixture.dossier.reconciliationCase(stopped.stored.id).view.stored
        #expect(closed.status == .resolved)
        #expect(closed.outcome == .confirmed)
        #expect(closed.draftID == draftID)
        #expect(closed.closedBy == "officer")
        #expect(try fixture.store.auditHead()?.action == "case.resolve")

        // Maker-checker still holds: the approver decides, and the person is 自离 from then.
        _ = try await approver.approve(draft: draftID)
        let person = try await fixture.dossier.person(people["stopped"]!)
        #expect(person.status == .awol)

        // A case is decided once.
        await #expect(throws: ServiceError.self) {
            _ = try await officer.resolveCase(stopped.stored.id, outcome: .dismissed, note: "again")
        }
    }

    @Test func aDismissedCaseKeepsItsRuleQuietUntilTheEvidenceChanges() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let elsewhere = try #require(try await fixture.dossier.cases(rule: .insuredElsewhere).first)
        let resolution = try await fixture.dossier.resolveCase(
            elsewhere.stored.id,
            outcome: .dismissed,
            note: "借调, 社保暂由原单位缴纳"
        )
        #expect(resolution.draftID == nil)

        let again = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(again.opened == 0)
        #expect(again.keptQuiet == 1)
        #expect(try await fixture.dossier.cases(rule: .insuredElsewhere).isEmpty)

        // New evidence: the other employer's row changed. The rule speaks again.
        var lines = insuranceLines.filter { !$0.hasPrefix(id("insuredElsewhere")) }
        lines += insured("insuredElsewhere", employer: otherEmployer, changed: "2026-11-16")
        try await importFeeds(asOf: day("2026-11-18"), insurance: lines)
        let later = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(later.keptQuiet == 0)
        #expect(try await fixture.dossier.cases(rule: .insuredElsewhere).count == 1)
    }

    @Test func aFindingThatHasGoneIsClearedNotDeleted() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let mismatch = try #require(try await fixture.dossier.cases(rule: .retirementMismatch).first)
        // The insurer corrects its retirement flag in a later snapshot.
        var lines = insuranceLines.filter { !$0.hasPrefix(id("retiredElsewhere")) }
        lines += insured("retiredElsewhere")
        try await importFeeds(asOf: day("2026-11-18"), insurance: lines)
        let summary = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(summary.cleared == 1)
        let cleared = try await fixture.dossier.reconciliationCase(mismatch.stored.id).view.stored
        #expect(cleared.status == .cleared)
        #expect(cleared.closedOn == runDay)
        #expect(try await found(.cleared) == ["retirement-mismatch retiredElsewhere"])
        // The rules the new snapshot does not feed (attendance, payroll) keep their cases.
        #expect(try await found().contains("absent-without-leave absent"))
    }

    @Test func aRunWithoutTheFeedARuleReadsLeavesThatRulesCasesOpen() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        // The day before the feeds were taken: only the record's own checks can run.
        let earlier = try await fixture.dossier.reconcile(asOf: day("2026-11-14"))
        #expect(earlier.feeds.isEmpty)
        #expect(earlier.rulesRun == [.inactiveHoldsSlot, .transferWithoutReceipt])
        #expect(earlier.cleared == 0)
        #expect(earlier.alreadyOpen == 1)
        #expect(try await found() == planted)
    }

    @Test func aScopedOfficerRunsAndSeesOnlyTheirOwnOrganisations() async throws {
        try await importFeeds()
        let hospitalOfficer = try await fixture.scoped("nurse-officer", role: .officer, to: ServiceFixture.hospital)
        let summary = try await hospitalOfficer.reconcile(asOf: runDay)
        #expect(summary.opened == 0)
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(try await hospitalOfficer.cases(limit: 100).isEmpty)
        let someCase = try #require(try await fixture.dossier.cases(limit: 1).first)
        await #expect(throws: ServiceError.self) {
            _ = try await hospitalOfficer.reconciliationCase(someCase.stored.id)
        }
        await #expect(throws: ServiceError.self) {
            _ = try await hospitalOfficer.resolveCase(someCase.stored.id, outcome: .dismissed, note: "not mine")
        }
        #expect(try await fixture.dossier.reconciliationCase(someCase.stored.id).view.stored.status == .open)
    }

    @Test func inspectorsReadCasesButResolveNothingAndStatisticiansSeeCountsOnly() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let inspector = try await fixture.acting(as: "inspector", role: .inspector)
        let statistician = try await fixture.acting(as: "stats", role: .statistician)
        let some = try #require(try await inspector.cases(limit: 1).first)
        _ = try await inspector.reconciliationCase(some.stored.id)
        await #expect(throws: ServiceError.self) {
            _ = try await inspector.resolveCase(some.stored.id, outcome: .dismissed, note: "x")
        }
        await #expect(throws: ServiceError.self) { _ = try await inspector.reconcile(asOf: runDay) }
        await #expect(throws: ServiceError.self) { _ = try await statistician.cases() }
        let counts = try await statistician.caseCounts()
        #expect(counts.reduce(0) { $0 + $1.open } == planted.count)
        #expect(counts.allSatisfy { $0.overdue == 0 })
    }

    @Test func aResolutionWithoutANoteIsRefusedAndChangesNothing() async throws {
        try await importFeeds()
        _ = try await fixture.dossier.reconcile(asOf: runDay)
        let some = try #require(try await fixture.dossier.cases(limit: 1).first)
        let before = try fixture.store.auditHead()
        await #expect(throws: ServiceError.self) {
            _ = try await fixture.dossier.resolveCase(some.stored.id, outcome: .dismissed, note: "  ")
        }
        #expect(try fixture.store.auditHead() == before)
        #expect(try await fixture.dossier.reconciliationCase(some.stored.id).view.stored.status == .open)
    }

    @Test func aRunAsOfADayThatHasNotComeIsRefusedAndWritesNothing() async throws {
        let before = try fixture.store.auditHead()
        let error = await #expect(throws: ServiceError.self) {
            _ = try await fixture.dossier.reconcile(asOf: fixture.dossier.today.adding(days: 1))
        }
        #expect(error?.kind == .invalid)
        #expect(try fixture.store.auditHead() == before)
        #expect(try await found(nil).isEmpty)
    }

    @Test func aRunWithoutFeedsRaisesOnlyWhatTheRecordShows() async throws {
        let summary = try await fixture.dossier.reconcile(asOf: runDay)
        #expect(summary.feeds.isEmpty)
        #expect(summary.rulesRun == [.inactiveHoldsSlot, .transferWithoutReceipt])
        #expect(try await found() == ["inactive-holds-slot awol"])
        // A feed taken after the day of the run is not read.
        try await importFeeds(asOf: day("2026-11-25"))
        #expect(try await fixture.dossier.reconcile(asOf: runDay).opened == 0)
    }
}
