import DossierCore
import DossierService
import DossierStorage
import Foundation
import HTTPTypes
import Hummingbird
import Testing

/// Assessment grades, sanctions and promotion eligibility over HTTP, on a node whose today is
/// 2026-06-15. Everyone was hired at 一级科员 on 2024-01-05, so 24 months in the rank make them
/// eligible for 四级主任科员 from 2026-01-01, unless something below says otherwise.
@Suite("Assessments, sanctions and promotion over HTTP")
struct MeritRoutesTests {
    static let today = CivilDate(iso: "2026-06-15")!

    let fixture: HTTPFixture

    init() async throws {
        fixture = try await HTTPFixture(today: Self.today)
    }

    /// Bureau A as the promotion list sees it: the first person eligible since 2026-01-01; the
    /// second graded 基本称职 for 2024, whose months do not count, so eligible from 2027-01-01;
    /// the third under a 降级 sanction from 2026-06-01, barred for 24 months (beyond the year
    /// the page looks ahead).
    private func bureauAWithAGradeAndASanction() async throws {
        _ = try await fixture.admin.recordAssessment(
            AssessmentInput(personID: fixture.peopleA[1], year: 2024, grade: .basicallyCompetent)
        )
        _ = try await fixture.admin.recordSanction(
            personID: fixture.peopleA[2],
            kind: .demotion,
            on: CivilDate(iso: "2026-06-01")!
        )
    }

    /// What a person's grades and sanctions, and the node's audit log, hold now.
    private func state(of person: Int64) async throws -> (grades: [StoredAssessment], sanctions: [StoredSanction]) {
        (
            try await fixture.admin.assessments(personID: person),
            try await fixture.admin.sanctions(personID: person)
        )
    }

    private func signedIn(_ api: API, _ user: String) async throws -> String {
        let reply = try await api.signIn(user)
        return try #require(sessionID(in: reply.setCookie), "not signed in: \(reply.text)")
    }

    // MARK: Assessments

    @Test func anOfficersGradeWaitsForAnApproverAndCountsOnceApproved() async throws {
        let person = fixture.peopleA[0]
        let before = try await fixture.audit()
        let (recorded, pending, approved, listed) = try await fixture.withAPI { api in
            let recorded = try await api.send(
                .post,
                "/api/v1/people/\(person)/assessments",
                as: .officer,
                body: json(["year": 2025, "grade": "称职", "decided_on": "2026-01-20"])
            )
            let pending = try await api.send(.get, "/api/v1/assessments/pending", as: .approver)
            let id = try recorded.object()["assessment"].flatMap { $0 as? [String: Any] }?["id"] as? Int64 ?? 0
            let approved = try await api.send(.post, "/api/v1/assessments/\(id)/approve", as: .approver)
            let listed = try await api.send(.get, "/api/v1/people/\(person)/assessments", as: .viewer)
            return (recorded, pending, approved, listed)
        }

        #expect(recorded.code == 201, "\(recorded.text)")
        let outcome = try recorded.object()
        #expect(Set(outcome.keys) == ["assessment", "warnings", "demotion_draft"])
        #expect(outcome["warnings"] as? [String] == [])
        #expect(outcome["demotion_draft"] is NSNull)
        let grade = try #require(outcome["assessment"] as? [String: Any])
        #expect(grade["person"] as? Int64 == person)
        #expect(grade["org"] as? String == HTTPFixture.bureauA.value)
        #expect(grade["year"] as? Int == 2025)
        #expect(grade["grade"] as? String == "competent")
        #expect(grade["grade_name"] as? String == "称职")
        #expect(grade["decided_on"] as? String == "2026-01-20")
        #expect(grade["state"] as? String == "pending")
        #expect(grade["recorded_by"] as? String == "officer")

        #expect(pending.code == 200, "\(pending.text)")
        #expect(try pending.array().compactMap { ($0 as? [String: Any])?["id"] as? Int64 } == [grade["id"] as? Int64])

        #expect(approved.code == 200, "\(approved.text)")
        let decided = try #require(try approved.object()["assessment"] as? [String: Any])
        #expect(decided["state"] as? String == "final")
        #expect(decided["decided_by"] as? String == "approver")

        #expect(listed.code == 200, "\(listed.text)")
        let grades = try listed.array()
        #expect(grades.count == 1)
        #expect((grades.first as? [String: Any])?["state"] as? String == "final")
        let actions = try await fixture.audit(since: before).map(\.action)
        #expect(actions == ["assessment.record", "assessment.approve"])
    }

    @Test func anAdministratorsFailingGradeIsFinalAtOnceAndDraftsADemotion() async throws {
        let person = fixture.peopleA[0]
        let reply = try await fixture.withAPI { api in
            try await api.send(
                .post,
                "/api/v1/people/\(person)/assessments",
                as: .admin,
                body: json(["year": 2025, "grade": "incompetent"])
            )
        }
        #expect(reply.code == 201, "\(reply.text)")
        let outcome = try reply.object()
        #expect((outcome["assessment"] as? [String: Any])?["state"] as? String == "final")
        let draft = try #require(outcome["demotion_draft"] as? Int64, "\(reply.text)")
        let drafted = try await fixture.admin.draft(draft)
        #expect(drafted.personID == person)
        #expect(drafted.kind == .demote)
    }

    @Test func aRejectedGradeKeepsItsReasonAndAnEmptyReasonChangesNothing() async throws {
        let person = fixture.peopleA[0]
        let outcome = try await fixture.node(.officer).recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent)
        )
        let id = outcome.assessment.id
        let (empty, afterEmpty, rejected, again) = try await fixture.withAPI { api in
            let empty = try await api.send(
                .post,
                "/api/v1/assessments/\(id)/reject",
                as: .approver,
                body: json(["reason": ""])
            )
            let afterEmpty = try await state(of: person)
            let rejected = try await api.send(
                .post,
                "/api/v1/assessments/\(id)/reject",
                as: .approver,
                body: json(["reason": "考核材料不全"])
            )
            let again = try await api.send(.post, "/api/v1/assessments/\(id)/approve", as: .approver)
            return (empty, afterEmpty, rejected, again)
        }
        try expectProblem(empty, 422)
        #expect(afterEmpty.grades.map(\.state) == [.pending])

        #expect(rejected.code == 200, "\(rejected.text)")
        let grade = try rejected.object()
        #expect(grade["id"] as? Int64 == id)
        #expect(grade["state"] as? String == "rejected")
        #expect(grade["decision_reason"] as? String == "考核材料不全")
        // Decided once: nothing is waiting any more.
        try expectProblem(again, 404)
    }

    @Test func onlyAnApproverMayDecideAGrade() async throws {
        let person = fixture.peopleA[0]
        let id = try await fixture.node(.officer).recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent)
        ).assessment.id
        let (byOfficer, byViewer) = try await fixture.withAPI { api in
            (
                try await api.send(.post, "/api/v1/assessments/\(id)/approve", as: .officer),
                try await api.send(.post, "/api/v1/assessments/\(id)/approve", as: .viewer)
            )
        }
        try expectProblem(byOfficer, 403)
        try expectProblem(byViewer, 403)
        #expect(try await state(of: person).grades.map(\.state) == [.pending])
    }

    @Test func theShareListsEachOrganisationAndARefusedExcellentChangesNothing() async throws {
        let person = fixture.peopleA[0]
        _ = try await fixture.admin.recordAssessment(
            AssessmentInput(personID: fixture.peopleA[1], year: 2025, grade: .competent)
        )
        let before = try await state(of: person)
        let audit = try await fixture.audit()
        let (excellent, share, missing) = try await fixture.withAPI { api in
            (
                // Three in post in bureau A: 25 % of three, rounded down, allows no 优秀.
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/assessments",
                    as: .admin,
                    body: json(["year": 2025, "grade": "优秀"])
                ),
                try await api.send(.get, "/api/v1/assessments/share?year=2025", as: .statistician),
                try await api.send(.get, "/api/v1/assessments/share", as: .statistician)
            )
        }
        try expectProblem(excellent)
        #expect(excellent.code == 409, "\(excellent.text)")
        #expect(try await state(of: person).grades == before.grades)
        #expect(try await fixture.audit(since: audit).isEmpty)

        #expect(share.code == 200, "\(share.text)")
        let rows = try share.array().compactMap { $0 as? [String: Any] }
        let bureauA = try #require(rows.first { $0["org"] as? String == HTTPFixture.bureauA.value }, "\(share.text)")
        #expect(Set(bureauA.keys) == ["org", "year", "excellent", "graded", "in_post", "note"])
        #expect(bureauA["year"] as? Int == 2025)
        #expect(bureauA["excellent"] as? Int == 0)
        #expect(bureauA["graded"] as? Int == 1)
        #expect(bureauA["in_post"] as? Int == 3)
        #expect(bureauA["note"] is NSNull)
        try expectProblem(missing, 400)
    }

    @Test func malformedOrRuleBreakingGradesAreRefusedAndNothingIsWritten() async throws {
        let person = fixture.peopleA[0]
        let before = try await state(of: person)
        let audit = try await fixture.audit()
        let bodies: [(String, Int)] = [
            (json(["year": 2025]), 400),
            (json(["year": "2025", "grade": "称职"]), 400),
            (json(["year": 2025, "grade": "称职", "decided_on": "2026-13-01"]), 400),
            ("{not json", 400),
            (json(["year": 2025, "grade": "great"]), 422),
            (json(["year": 2025, "grade": "不定等次"]), 422),
            (json(["year": 2030, "grade": "称职"]), 422),
            (json(["year": 2025, "grade": "称职", "decided_on": "2027-01-01"]), 422),
            // 合格 is a grade of public-institution staff, not of civil servants.
            (json(["year": 2025, "grade": "合格"]), 409),
        ]
        let replies = try await fixture.withAPI { api in
            var replies: [Reply] = []
            for (body, _) in bodies {
                replies.append(
                    try await api.send(.post, "/api/v1/people/\(person)/assessments", as: .officer, body: body)
                )
            }
            return replies
        }
        for ((body, status), reply) in zip(bodies, replies) {
            let problem = try expectProblem(reply, status)
            #expect((problem["detail"] as? String)?.contains(fixture.idNumbers[person]!.value) == false, "\(body)")
        }
        #expect(try await state(of: person).grades == before.grades)
        #expect(try await fixture.audit(since: audit).isEmpty)
    }

    // MARK: Sanctions

    @Test func aSanctionIsRecordedListedAndLiftedOnce() async throws {
        let person = fixture.peopleA[0]
        let (recorded, listed, lifted, again) = try await fixture.withAPI { api in
            let recorded = try await api.send(
                .post,
                "/api/v1/people/\(person)/sanctions",
                as: .officer,
                body: json(["kind": "记过", "on": "2026-03-01", "reference": "东纪发〔2026〕1号"])
            )
            let id = try recorded.object()["id"] as? Int64 ?? 0
            let listed = try await api.send(.get, "/api/v1/people/\(person)/sanctions", as: .viewer)
            let lift = json(["on": "2026-05-01", "reference": "东纪发〔2026〕9号"])
            let lifted = try await api.send(
                .post,
                "/api/v1/people/\(person)/sanctions/\(id)/lift",
                as: .officer,
                body: lift
            )
            let again = try await api.send(
                .post,
                "/api/v1/people/\(person)/sanctions/\(id)/lift",
                as: .officer,
                body: lift
            )
            return (recorded, listed, lifted, again)
        }
        #expect(recorded.code == 201, "\(recorded.text)")
        let sanction = try recorded.object()
        #expect(sanction["person"] as? Int64 == person)
        #expect(sanction["kind"] as? String == "demerit")
        #expect(sanction["kind_name"] as? String == "记过")
        #expect(sanction["on"] as? String == "2026-03-01")
        #expect(sanction["reference"] as? String == "东纪发〔2026〕1号")
        #expect(sanction["document"] is NSNull)
        #expect(sanction["lifted_on"] is NSNull)

        #expect(listed.code == 200, "\(listed.text)")
        #expect(try listed.array().count == 1)

        #expect(lifted.code == 200, "\(lifted.text)")
        #expect(try lifted.object()["lifted_on"] as? String == "2026-05-01")
        #expect(try lifted.object()["lift_reference"] as? String == "东纪发〔2026〕9号")
        try expectProblem(again, 409)
    }

    @Test func malformedOrRuleBreakingSanctionsAreRefusedAndNothingIsWritten() async throws {
        let person = fixture.peopleA[0]
        let before = try await state(of: person)
        let audit = try await fixture.audit()
        let bodies: [(String, Int)] = [
            (json(["kind": "警告"]), 400),
            (json(["kind": "警告", "on": "yesterday"]), 400),
            (json(["kind": "罚款", "on": "2026-03-01"]), 422),
            (json(["kind": "警告", "on": "2026-07-01"]), 422),
            (json(["kind": "警告", "on": "2026-03-01", "document": 999]), 409),
        ]
        let (replies, lift) = try await fixture.withAPI { api in
            var replies: [Reply] = []
            for (body, _) in bodies {
                replies.append(
                    try await api.send(.post, "/api/v1/people/\(person)/sanctions", as: .officer, body: body)
                )
            }
            let lift = try await api.send(
                .post,
                "/api/v1/people/\(person)/sanctions/999/lift",
                as: .officer,
                body: json(["on": "2026-05-01"])
            )
            return (replies, lift)
        }
        for ((body, status), reply) in zip(bodies, replies) {
            try expectProblem(reply, status)
            #expect(reply.code == status, "\(body)")
        }
        try expectProblem(lift, 404)
        #expect(try await state(of: person).sanctions == before.sanctions)
        #expect(try await fixture.audit(since: audit).isEmpty)
    }

    // MARK: Roles and reach

    @Test func aViewerCannotRecordGradesOrSanctions() async throws {
        let person = fixture.peopleA[0]
        let sanction = try await fixture.admin.recordSanction(
            personID: person,
            kind: .warning,
            on: CivilDate(iso: "2026-03-01")!
        )
        let before = try await state(of: person)
        let audit = try await fixture.audit()
        let replies = try await fixture.withAPI { api in
            [
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/assessments",
                    as: .viewer,
                    body: json(["year": 2025, "grade": "称职"])
                ),
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/sanctions",
                    as: .viewer,
                    body: json(["kind": "警告", "on": "2026-03-01"])
                ),
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/sanctions/\(sanction.id)/lift",
                    as: .viewer,
                    body: json(["on": "2026-05-01"])
                ),
            ]
        }
        for reply in replies { try expectProblem(reply, 403) }
        #expect(try await state(of: person).grades == before.grades)
        #expect(try await state(of: person).sanctions == before.sanctions)
        #expect(try await fixture.audit(since: audit).isEmpty)
    }

    @Test func anOfficerScopedToBureauAFindsNothingOfBureauB() async throws {
        let person = fixture.peopleB[0]
        let sanction = try await fixture.admin.recordSanction(
            personID: person,
            kind: .warning,
            on: CivilDate(iso: "2026-03-01")!
        )
        let pendingB = try await fixture.node(.officer).recordAssessment(
            AssessmentInput(personID: person, year: 2025, grade: .competent)
        )
        let before = try await state(of: person)
        let (replies, pending, eligible) = try await fixture.withAPI { api in
            let replies = [
                try await api.send(.get, "/api/v1/people/\(person)/assessments", as: .officerA),
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/assessments",
                    as: .officerA,
                    body: json(["year": 2024, "grade": "称职"])
                ),
                try await api.send(.get, "/api/v1/people/\(person)/sanctions", as: .officerA),
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/sanctions",
                    as: .officerA,
                    body: json(["kind": "警告", "on": "2026-03-01"])
                ),
                try await api.send(
                    .post,
                    "/api/v1/people/\(person)/sanctions/\(sanction.id)/lift",
                    as: .officerA,
                    body: json(["on": "2026-05-01"])
                ),
                try await api.send(.get, "/api/v1/people/\(person)/promotion", as: .officerA),
                try await api.send(
                    .get,
                    "/api/v1/promotion/eligible?org=\(HTTPFixture.bureauB)",
                    as: .officerA
                ),
            ]
            let pending = try await api.send(.get, "/api/v1/assessments/pending", as: .officerA)
            let eligible = try await api.send(.get, "/api/v1/promotion/eligible", as: .officerA)
            return (replies, pending, eligible)
        }
        for reply in replies {
            let problem = try expectProblem(reply, 404)
            #expect((problem["detail"] as? String)?.contains(fixture.idNumbers[person]!.value) == false)
        }
        #expect(try await state(of: person).grades == before.grades)
        #expect(try await state(of: person).sanctions == before.sanctions)
        #expect(pending.code == 200, "\(pending.text)")
        // Bureau B's pending grade is not among bureau A's.
        #expect(try pending.array().isEmpty, "\(pendingB.assessment.id) listed: \(pending.text)")
        #expect(eligible.code == 200, "\(eligible.text)")
        let people = try eligible.array().compactMap { ($0 as? [String: Any])?["person"] as? Int64 }
        #expect(Set(people) == Set(fixture.peopleA))
    }

    // MARK: Promotion

    @Test func theExplanationSaysWhenAndWhyStepByStep() async throws {
        let person = fixture.peopleA[0]
        let (today, earlier, bad) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/people/\(person)/promotion", as: .viewer),
                try await api.send(.get, "/api/v1/people/\(person)/promotion?as_of=2025-06-01", as: .viewer),
                try await api.send(.get, "/api/v1/people/\(person)/promotion?as_of=June", as: .viewer)
            )
        }
        #expect(today.code == 200, "\(today.text)")
        let now = try today.object()
        #expect(now["person"] as? Int64 == person)
        #expect(now["as_of"] as? String == Self.today.description)
        #expect(now["rank"] as? String == "L1-clerk")
        #expect(now["rank_name"] as? String == "一级科员")
        #expect(now["next_rank"] as? String == "L4-principal")
        #expect(now["eligible"] as? Bool == true)
        #expect(now["eligible_from"] as? String == "2026-01-01")
        #expect(now["months_needed"] as? Int == 24)
        #expect(now["first_unmet"] is NSNull)
        let steps = try #require(now["steps"] as? [[String: Any]])
        #expect(steps.map { $0["rule"] as? String }.last == "result")
        #expect(steps.contains { $0["rule"] as? String == "year" && $0["year"] as? Int == 2024 })

        #expect(earlier.code == 200, "\(earlier.text)")
        let then = try earlier.object()
        #expect(then["eligible"] as? Bool == false)
        #expect(then["eligible_from"] as? String == "2026-01-01")
        #expect((then["first_unmet"] as? String)?.isEmpty == false)
        try expectProblem(bad, 400)
    }

    @Test func theEligibleListHoldsThoseEligibleOnTheDayAndWithAllTheOthersToo() async throws {
        try await bureauAWithAGradeAndASanction()
        let (eligible, all, outside) = try await fixture.withAPI { api in
            (
                try await api.send(.get, "/api/v1/promotion/eligible?org=\(HTTPFixture.bureauA)", as: .viewer),
                try await api.send(
                    .get,
                    "/api/v1/promotion/eligible?org=\(HTTPFixture.bureauA)&all=true&as_of=\(Self.today)",
                    as: .viewer
                ),
                try await api.send(.get, "/api/v1/promotion/eligible?org=\(HTTPFixture.bureauA)&all=maybe", as: .viewer)
            )
        }
        #expect(eligible.code == 200, "\(eligible.text)")
        let listed = try eligible.array().compactMap { $0 as? [String: Any] }
        #expect(listed.compactMap { $0["person"] as? Int64 } == [fixture.peopleA[0]])
        #expect(listed.first?["name"] as? String == "测试21")
        #expect(listed.first?["org"] as? String == HTTPFixture.bureauA.value)

        #expect(all.code == 200, "\(all.text)")
        let everyone = try all.array().compactMap { $0 as? [String: Any] }
        var from: [Int64: String] = [:]
        for entry in everyone {
            if let person = entry["person"] as? Int64 { from[person] = entry["eligible_from"] as? String }
        }
        #expect(
            from == [
                fixture.peopleA[0]: "2026-01-01", fixture.peopleA[1]: "2027-01-01", fixture.peopleA[2]: "2028-06-01",
            ]
        )
        try expectProblem(outside, 400)
    }

    // MARK: Pages

    @Test func theOrganisationsPromotionPageListsWhoBecomesEligibleWithinAYearEachOneClickFromTheSteps()
        async throws
    {
        try await bureauAWithAGradeAndASanction()
        let now = fixture.peopleA[0]
        let soon = fixture.peopleA[1]
        let barred = fixture.peopleA[2]
        let (organization, list, reasoning, person, farFuture) = try await fixture.withAPI { api in
            let cookie = try await signedIn(api, "officer")
            return (
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)", cookie: cookie),
                try await api.send(.get, "/admin/organizations/\(HTTPFixture.bureauA)/promotion", cookie: cookie),
                try await api.send(.get, "/admin/people/\(soon)/promotion?as_of=\(Self.today)", cookie: cookie),
                try await api.send(.get, "/admin/people/\(soon)", cookie: cookie),
                try await api.send(
                    .get,
                    "/admin/organizations/\(HTTPFixture.bureauA)/promotion?as_of=9999-06-01",
                    cookie: cookie
                )
            )
        }
        // A year past the last date there is: refused, not a crash.
        #expect(farFuture.code == 400, "\(farFuture.text)")
        #expect(organization.code == 200, "\(organization.text)")
        #expect(organization.text.contains("href=\"/admin/organizations/\(HTTPFixture.bureauA)/promotion"))

        #expect(list.code == 200, "\(list.text)")
        let page = list.text
        #expect(page.contains("data-person=\"\(now)\" data-eligible=\"true\""))
        #expect(page.contains("data-person=\"\(soon)\" data-eligible=\"false\""))
        #expect(!page.contains("data-person=\"\(barred)\""), "eligible only in 2028: beyond the year shown")
        let first = try #require(page.range(of: "data-person=\"\(now)\""))
        let second = try #require(page.range(of: "data-person=\"\(soon)\""))
        #expect(first.lowerBound < second.lowerBound, "eligible now comes first")
        #expect(page.contains("2027-01-01"))
        #expect(page.contains("href=\"/admin/people/\(soon)/promotion?as_of=\(Self.today)\""))
        #expect(!page.contains(fixture.idNumbers[now]!.value))

        #expect(reasoning.code == 200, "\(reasoning.text)")
        #expect(reasoning.text.contains("id=\"steps\""))
        #expect(reasoning.text.contains("<li data-rule=\"year\">2024: 12 months, graded 基本称职: not counted.</li>"))
        #expect(reasoning.text.contains("<li data-rule=\"result\">"))
        #expect(reasoning.text.contains("id=\"promotion-eligible-from\">2027-01-01<"))

        #expect(person.code == 200, "\(person.text)")
        #expect(person.text.contains("id=\"assessments\""))
        #expect(person.text.contains("data-year=\"2024\" data-state=\"final\""))
        #expect(person.text.contains("基本称职"))
        #expect(person.text.contains("href=\"/admin/people/\(soon)/promotion\""))
    }

    @Test func aPersonsPageShowsTheirSanctions() async throws {
        try await bureauAWithAGradeAndASanction()
        let barred = fixture.peopleA[2]
        let page = try await fixture.withAPI { api in
            let cookie = try await signedIn(api, "viewer")
            return try await api.send(.get, "/admin/people/\(barred)", cookie: cookie)
        }
        #expect(page.code == 200, "\(page.text)")
        #expect(page.text.contains("id=\"sanctions\""))
        #expect(page.text.contains("data-kind=\"demotion\""))
        #expect(page.text.contains("2026-06-01"))
        #expect(page.text.contains("id=\"no-assessments\""))
    }
}
