import DossierCore
import DossierService
import DossierStorage
import DossierStore
import Foundation
import Testing

/// Annual grades, sanctions and promotion eligibility through the service, with the shipped
/// policies: who may record and approve, what is refused (and leaves nothing behind), the 优秀
/// share, and the promotion policy asked when a promotion is approved.
@Suite struct AssessmentTests {
    /// A node whose finance bureau has 40 administrative slots, an officer and an approver.
    private struct Node {
        let fixture: ServiceFixture
        let admin: Dossier
        let officer: Dossier
        let approver: Dossier

        init() async throws {
            fixture = try await ServiceFixture()
            admin = fixture.dossier
            try await admin.setQuota(
                org: ServiceFixture.finance,
                subject: .category(.administrative),
                approved: 40,
                effectiveOn: day("2000-01-01")
            )
            officer = try await fixture.acting(as: "officer", role: .officer)
            approver = try await fixture.acting(as: "approver", role: .approver)
        }

        /// Files someone in post (在职), by default at 一级主任科员 from 2024-01-05.
        func hire(
            _ sequence: Int,
            rank: String = "一级主任科员",
            hired: String = "2024-01-05",
            org: CreditCode = ServiceFixture.finance,
            category: String = "admin"
        ) async throws -> Int64 {
            try await fixture.hire(sequence, rank: rank, org: org, category: category, hiredOn: hired)
        }
    }

    @Test func anAdministratorsGradeIsFinalAtOnceAnOfficersWaitsForAnotherApprover() async throws {
        let node = try await Node()
        let person = try await node.hire(11)
        let direct = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .competent, decidedOn: day("2025-01-20"))
        )
        #expect(direct.assessment.state == .final)
        #expect(direct.assessment.decidedBy == nil)

        let drafted = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent, decidedOn: day("2026-01-20"))
        )
        #expect(drafted.assessment.state == .pending)
        #expect(try await node.approver.pendingAssessments().map(\.id) == [drafted.assessment.id])
        // The officer cannot approve (no permission); the approver can, once.
        await #expect(throws: ServiceError.self) { try await node.officer.approveAssessment(drafted.assessment.id) }
        let approved = try await node.approver.approveAssessment(drafted.assessment.id)
        #expect(approved.assessment.state == .final)
        #expect(approved.assessment.decidedBy == "approver")
        await #expect(throws: ServiceError.self) { try await node.approver.approveAssessment(drafted.assessment.id) }
        #expect(try await node.admin.assessments(personID: person).map(\.state) == [.final, .final])
    }

    /// No role both records pending grades and approves them, so the service's own check is a
    /// second line: the schema refuses a decision by the grade's recorder.
    @Test func theSchemaRefusesAGradeDecidedByTheOneWhoRecordedIt() async throws {
        let node = try await Node()
        let person = try await node.hire(12)
        let grade = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent, decidedOn: day("2026-01-10"))
        )
        #expect(grade.assessment.recordedBy == "officer")
        await #expect {
            try await node.fixture.store.write { tx in
                try tx.decideAssessment(grade.assessment.id, state: .final, reason: nil, by: "officer")
            }
        } throws: { error in
            "\(error)".contains("CHECK constraint failed")
        }
        #expect(try await node.admin.assessments(personID: person).map(\.state) == [.pending])
    }

    @Test func aGradeOfTheOtherScaleIsRefusedAndNothingIsWritten() async throws {
        let node = try await Node()
        let civil = try await node.hire(13)
        let nurse = try await node.hire(14, rank: "", org: ServiceFixture.hospital, category: "inst-partial")
        let before = try await ServiceSnapshot(node.admin)
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: civil, year: 2025, grade: .pass))
        } throws: { error in
            "\(error)".contains("合格 is not a grade for 公务员")
        }
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: nurse, year: 2025, grade: .competent))
        } throws: { error in
            "\(error)".contains("称职 is not a grade for 事业单位")
        }
        #expect(try await ServiceSnapshot(node.admin) == before)
        #expect(try await node.admin.assessments(personID: civil).isEmpty)
        // The right scale is accepted for each.
        _ = try await node.admin.recordAssessment(AssessmentInput(personID: nurse, year: 2025, grade: .pass))
    }

    @Test func undeterminedNeedsAReasonAndAYearIsGradedOnce() async throws {
        let node = try await Node()
        let person = try await node.hire(15)
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: person, year: 2024, grade: .undetermined))
        } throws: { error in
            "\(error)".contains("needs a reason")
        }
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .undetermined, reason: "试用期")
        )
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: person, year: 2024, grade: .competent))
        } throws: { error in
            "\(error)".contains("already has a grade for 2024")
        }
        // A rejected grade frees the year.
        let pending = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent)
        )
        try await node.approver.rejectAssessment(pending.assessment.id, reason: "wrong person")
        let again = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .basicallyCompetent)
        )
        #expect(again.assessment.state == .pending)
    }

    @Test func aWarningYearCannotBeExcellentAndAHeavierSanctionYearIsUndetermined() async throws {
        let node = try await Node()
        let person = try await node.hire(16)
        _ = try await node.admin.recordSanction(personID: person, kind: .warning, on: day("2025-04-01"))
        _ = try await node.admin.recordSanction(personID: person, kind: .demerit, on: day("2024-03-01"))
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: person, year: 2025, grade: .excellent))
        } throws: { error in
            "\(error)".contains("cannot be graded 优秀")
        }
        _ = try await node.admin.recordAssessment(AssessmentInput(personID: person, year: 2025, grade: .competent))
        await #expect {
            try await node.admin.recordAssessment(AssessmentInput(personID: person, year: 2024, grade: .competent))
        } throws: { error in
            "\(error)".contains("不定等次")
        }
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .undetermined, reason: "处分期内")
        )
    }

    /// 11 people in post: 20 % of 11 is 2 (rounded down), 25 % of 11 is 2, so a third 优秀 is
    /// refused; 20 people: 20 % is 4, 25 % is 5, so the fifth warns and the sixth is refused.
    @Test(arguments: [(11, 2, 2), (20, 4, 5), (10, 2, 2)])
    func theExcellentShareWarnsAndRefusesNamingTheNumbers(people: Int, warnAbove: Int, refuseAbove: Int) async throws {
        let node = try await Node()
        // The person the fixture filed is in finance too: count them in.
        var ids: [Int64] = [node.fixture.onFileID]
        for sequence in 0..<(people - 1) { ids.append(try await node.hire(100 + sequence)) }
        for (index, id) in ids.enumerated() {
            let grade = AssessmentInput(personID: id, year: 2025, grade: .excellent, decidedOn: day("2026-01-15"))
            let count = index + 1
            if count > refuseAbove {
                await #expect {
                    try await node.admin.recordAssessment(grade)
                } throws: { error in
                    "\(error)".contains("\(count) 优秀 among \(people) assessed")
                        && "\(error)".contains("(\(refuseAbove), rounded down)")
                }
                #expect(try await node.admin.assessments(personID: id).isEmpty)
                break
            }
            let outcome = try await node.admin.recordAssessment(grade)
            #expect(outcome.warnings.isEmpty == (count <= warnAbove), "优秀 number \(count) of \(people)")
        }
    }

    @Test func aFinalIncompetentGradeDraftsADemotionByOneRank() async throws {
        let node = try await Node()
        let person = try await node.hire(17, rank: "三级主任科员")
        let outcome = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .incompetent, decidedOn: day("2026-01-20"))
        )
        let draftID = try #require(outcome.demotionDraftID)
        let draft = try #require(try await node.approver.drafts().first { $0.id == draftID })
        #expect(draft.input.kind == .demote)
        #expect(draft.input.rank == Rank(code: "L4-principal"))
        #expect(draft.input.effectiveOn == day("2026-01-20"))
        // A grade waiting for approval drafts nothing until it is approved.
        let pending = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .incompetent, decidedOn: day("2025-01-20"))
        )
        #expect(pending.demotionDraftID == nil)
        let approved = try await node.approver.approveAssessment(pending.assessment.id)
        #expect(approved.demotionDraftID != nil)
    }

    /// 一级主任科员 since 2024-01-05 → time counts from 2024-01-01; 24 months needed for 四级调研员:
    /// 2024-01-01 + 24 months = 2026-01-01. On 2025-06-01 only 17 months are counted.
    @Test func aPromotionBeforeTheTimeIsRefusedWhenDraftedWithTheFirstUnmetRule() async throws {
        let node = try await Node()
        let person = try await node.hire(18)
        let before = try await ServiceSnapshot(node.admin)
        await #expect {
            try await node.officer.draftAction(
                ActionDraftInput(
                    personID: person,
                    kind: .promote,
                    effectiveOn: day("2025-06-01"),
                    rank: Rank(code: "L4-researcher")
                )
            )
        } throws: { error in
            "\(error)".contains("17 of the 24 months") && "\(error)".contains("2026-01-01")
        }
        #expect(try await ServiceSnapshot(node.admin) == before)
        let due = try await node.officer.draftAction(
            ActionDraftInput(
                personID: person,
                kind: .promote,
                effectiveOn: day("2026-01-01"),
                rank: Rank(code: "L4-researcher")
            )
        )
        _ = try await node.approver.approve(draft: due)
        #expect(try await node.admin.person(person, on: day("2026-01-01")).rank == Rank(code: "L4-researcher"))
    }

    /// The same person with a final 优秀 for 2024 (decided 2025-02-10): 24 − 6 = 18 months,
    /// reached on 2025-07-01 (2024-01-01 + 18 months).
    @Test func explainAndTheEligibleListAgree() async throws {
        let node = try await Node()
        let person = try await node.hire(19)
        let other = try await node.hire(20)
        // Five in post, so that one 优秀 is within the share (25 % of 5 is 1).
        for sequence in 24...25 { _ = try await node.hire(sequence) }
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .excellent, decidedOn: day("2025-02-10"))
        )
        let explanation = try await node.admin.explainPromotion(personID: person, on: day("2025-07-01"))
        #expect(explanation.eligible)
        #expect(explanation.eligibleFrom == day("2025-07-01"))
        #expect(explanation.nextRank == Rank(code: "L4-researcher"))
        let eligible = try await node.admin.promotionCandidates(
            org: ServiceFixture.finance,
            on: day("2025-07-01"),
            all: false
        )
        #expect(eligible.map(\.personID) == [person])
        let everyone = try await node.admin.promotionCandidates(org: nil, on: day("2025-07-01"), all: true)
        let otherAnswer = try #require(everyone.first { $0.personID == other })
        #expect(!otherAnswer.explanation.eligible)
        #expect(otherAnswer.explanation.eligibleFrom == day("2026-01-01"))
    }

    @Test func aSanctionRunningOnTheDateBarsPromotionUntilItEndsOrIsLifted() async throws {
        let node = try await Node()
        let person = try await node.hire(21)
        let sanction = try await node.admin.recordSanction(personID: person, kind: .demerit, on: day("2025-12-01"))
        // 记过: 12 months, until 2026-12-01.
        let barred = try await node.admin.explainPromotion(personID: person, on: day("2026-03-01"))
        #expect(!barred.eligible)
        #expect(barred.eligibleFrom == day("2026-12-01"))
        #expect(barred.firstUnmet?.contains("记过") == true)
        _ = try await node.admin.liftSanction(sanction.id, personID: person, on: day("2026-02-01"))
        let lifted = try await node.admin.explainPromotion(personID: person, on: day("2026-03-01"))
        #expect(lifted.eligible)
        #expect(lifted.eligibleFrom == day("2026-02-01"))
    }

    /// 不称职 for 2024 and 2025 (policy: two in a row) opens one failing-grades case in the
    /// person's organisation; confirming it drafts the dismissal (辞退) for an approver.
    @Test func twoConsecutiveFailingGradesOpenACaseWhoseConfirmationDraftsTheDismissal() async throws {
        let node = try await Node()
        let person = try await node.hire(22, rank: "三级主任科员", hired: "2022-03-01")
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2023, grade: .incompetent, decidedOn: day("2024-01-20"))
        )
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2024, grade: .competent, decidedOn: day("2025-01-20"))
        )
        // 2023 and 2025 are not consecutive: no case yet.
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .incompetent, decidedOn: day("2026-01-20"))
        )
        #expect(try await node.admin.cases(rule: .failingGrades).isEmpty)
        let other = try await node.hire(23, rank: "三级主任科员", hired: "2022-03-01")
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: other, year: 2024, grade: .incompetent, decidedOn: day("2025-01-20"))
        )
        let second = try await node.officer.recordAssessment(
            AssessmentInput(personID: other, year: 2025, grade: .incompetent, decidedOn: day("2026-01-20"))
        )
        // Pending grades do not count: the case opens when the second becomes final.
        #expect(try await node.admin.cases(rule: .failingGrades).isEmpty)
        _ = try await node.approver.approveAssessment(second.assessment.id)
        let cases = try await node.admin.cases(rule: .failingGrades)
        #expect(cases.map(\.stored.personID) == [other])
        #expect(cases.first?.stored.evidence.facts["years"] == "2024, 2025")
        let resolution = try await node.officer.resolveCase(cases[0].stored.id, outcome: .confirmed, note: "两年不称职")
        let draftID = try #require(resolution.draftID)
        let draft = try #require(try await node.approver.drafts().first { $0.id == draftID })
        #expect(draft.input.kind == .dismiss)
        #expect(draft.input.effectiveOn == day("2026-01-20"))
    }

    /// Writes `lines` under `header` to a fresh file and returns its path.
    private func file(_ header: String, _ lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("grades-\(UUID().uuidString).csv").path
        try ([header] + lines).map { $0 + "\n" }.joined().write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func anImportWithOneBadRowWritesNothingAndNamesEveryProblemWithoutIdentityNumbers() async throws {
        let node = try await Node()
        let first = try await node.hire(30)
        let second = try await node.hire(31)
        let stranger = residentID(777, born: "1980-01-01")
        let path = try file(
            "id_number,year,grade,reason,decided_on",
            [
                "\(residentID(30, born: "1990-03-07").value),2024,称职,,2025-01-20",
                "\(residentID(31, born: "1990-03-07").value),2024,合格,,2025-01-20",
                "\(stranger.value),2024,称职,,2025-01-20",
                "\(residentID(30, born: "1990-03-07").value),2025,不定等次,,2026-01-20",
            ]
        )
        let before = try await ServiceSnapshot(node.admin)
        var problems: [ImportProblem] = []
        let summary = try await node.admin.importAssessments(from: path, dryRun: false) { problems.append($0) }
        #expect(!summary.accepted)
        #expect(problems.map(\.row) == [3, 4, 5])
        #expect(problems[0].message.contains("合格 is not a grade for 公务员"))
        #expect(problems[1].column == "id_number" && problems[1].message == "no such person on file")
        #expect(problems[2].column == "reason")
        for problem in problems { #expect(!problem.description.contains(stranger.value)) }
        #expect(try await ServiceSnapshot(node.admin) == before)
        #expect(try await node.admin.assessments(personID: first).isEmpty)
        #expect(try await node.admin.assessments(personID: second).isEmpty)
    }

    @Test func aCleanImportFilesEveryGradeFinalForAnAdministratorAndPendingForAnOfficer() async throws {
        let node = try await Node()
        let first = try await node.hire(32)
        let second = try await node.hire(33)
        // Five in post, so that one 优秀 is within the share (25 % of 5 is 1).
        for sequence in 35...36 { _ = try await node.hire(sequence) }
        let path = try file(
            "file_number,year,grade,decided_on",
            ["\(first),2024,优秀,2025-01-20", "\(second),2024,competent,2025-01-20", "\(first),2025,称职,"]
        )
        var problems: [ImportProblem] = []
        let dry = try await node.admin.importAssessments(from: path, dryRun: true) { problems.append($0) }
        #expect(dry.accepted && dry.imported == 0 && problems.isEmpty)
        #expect(try await node.admin.assessments(personID: first).isEmpty)
        let done = try await node.admin.importAssessments(from: path, dryRun: false) { problems.append($0) }
        #expect(done.imported == 3)
        #expect(try await node.admin.assessments(personID: first).map(\.grade) == [.excellent, .competent])
        #expect(try await node.admin.assessments(personID: first).allSatisfy { $0.state == .final })
        let third = try await node.hire(34)
        let pending = try file("file_number,year,grade", ["\(third),2025,称职"])
        _ = try await node.officer.importAssessments(from: pending, dryRun: false) { problems.append($0) }
        #expect(try await node.admin.assessments(personID: third).map(\.state) == [.pending])
    }

    /// Four people in post (with the one the fixture filed, five): 25 % of 5 is 1, so two 优秀 in
    /// one file for one organisation and year are refused, whatever the order of the rows.
    @Test func anImportChecksTheExcellentShareOverTheWholeFile() async throws {
        let node = try await Node()
        var ids: [Int64] = []
        for sequence in 40..<44 { ids.append(try await node.hire(sequence)) }
        let path = try file(
            "file_number,year,grade,decided_on",
            ["\(ids[0]),2025,优秀,2026-01-10", "\(ids[1]),2025,称职,2026-01-10", "\(ids[2]),2025,优秀,2026-01-10"]
        )
        var problems: [ImportProblem] = []
        let summary = try await node.admin.importAssessments(from: path, dryRun: false) { problems.append($0) }
        #expect(!summary.accepted)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("2 优秀 among 5 assessed") == true)
        for id in ids { #expect(try await node.admin.assessments(personID: id).isEmpty) }
    }

    /// Public-institution staff: 不合格 for two consecutive years (the public-institution-staff
    /// policy: two) opens the same case for termination; no demotion is drafted (the policy says
    /// none).
    @Test func twoConsecutiveFailsOfPublicInstitutionStaffOpenATerminationCase() async throws {
        let node = try await Node()
        let nurse = try await node.hire(
            50,
            rank: "",
            hired: "2022-03-01",
            org: ServiceFixture.hospital,
            category: "inst-partial"
        )
        let first = try await node.admin.recordAssessment(
            AssessmentInput(personID: nurse, year: 2024, grade: .fail, decidedOn: day("2025-01-20"))
        )
        #expect(first.demotionDraftID == nil)
        #expect(try await node.admin.cases(rule: .failingGrades).isEmpty)
        _ = try await node.admin.recordAssessment(
            AssessmentInput(personID: nurse, year: 2025, grade: .fail, decidedOn: day("2026-01-20"))
        )
        let cases = try await node.admin.cases(rule: .failingGrades)
        #expect(cases.map(\.stored.personID) == [nurse])
        #expect(cases.first?.stored.org == ServiceFixture.hospital)
        #expect(cases.first?.stored.evidence.facts["grade"] == "不合格")
    }

    /// An approver limited to the hospital cannot decide a finance grade, and is told only that no
    /// such grade waits (not whose it is).
    @Test func aGradeOutsideTheApproversReachIsAnsweredAsNotWaiting() async throws {
        let node = try await Node()
        let person = try await node.hire(60)
        let grade = try await node.officer.recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent, decidedOn: day("2026-01-10"))
        )
        let hospitalApprover = try await node.fixture.scoped(
            "hospital-approver",
            role: .approver,
            to: ServiceFixture.hospital
        )
        let error = await #expect(throws: ServiceError.self) {
            _ = try await hospitalApprover.approveAssessment(grade.assessment.id)
        }
        #expect(error?.kind == .notFound)
        #expect(error?.message == "No assessment grade \(grade.assessment.id) is waiting for a decision.")
        #expect(try await node.admin.assessments(personID: person).map(\.state) == [.pending])
        #expect(try await hospitalApprover.pendingAssessments().isEmpty)
    }

    /// Nonsense years and decision dates are refused in words, never by a crash (the API's fuzzing
    /// sent a year of 4059 decided in the year 118).
    @Test func impossibleYearsAndDecisionDatesAreRefused() async throws {
        let node = try await Node()
        let person = try await node.hire(61)
        for (year, decided) in [(4059, "0118-06-30"), (1949, "2026-01-10"), (2026, "2025-06-30"), (1950, "1949-12-31")]
        {
            let error = await #expect(throws: ServiceError.self) {
                _ = try await node.admin.recordAssessment(
                    AssessmentInput(personID: person, year: year, grade: .competent, decidedOn: day(decided))
                )
            }
            #expect(error?.kind == .invalid, "year \(year) decided \(decided)")
        }
        await #expect(throws: ServiceError.self) { _ = try await node.admin.gradeCounts(year: 0) }
        #expect(try await node.admin.assessments(personID: person).isEmpty)
    }
}
