import DossierCore
import DossierService
import DossierStore
import DossierTestSupport
import Testing

/// Personal details over time (issue 17): a change (信息变更) takes effect from its date, a
/// correction of a filing error (信息更正) from the filing date; both are drafted and approved by
/// two people like any personnel action, place nobody, and keep the old value in the history.
@Suite struct PersonalDetailsTests {
    let fixture: ServiceFixture
    let officer: Dossier
    let approver: Dossier

    init() async throws {
        fixture = try await ServiceFixture(policies: ServiceFixture.withoutPromotionRules)
        officer = try await fixture.acting(as: "officer", role: .officer)
        approver = try await fixture.acting(as: "approver", role: .approver)
    }

    var admin: Dossier { fixture.dossier }

    func change(
        _ person: Int64,
        on date: String,
        _ details: DetailsChange,
        kind: ActionKind = .changeDetails
    ) -> ActionDraftInput {
        ActionDraftInput(personID: person, kind: kind, effectiveOn: day(date), details: details, note: "入党材料已归档")
    }

    @Test func aChangeTakesEffectFromItsDateAndThePlacementStaysAsItWas() async throws {
        let person = try await fixture.hire(11)  // 群众, 本科, filed 2024-01-05
        let placementBefore = try await admin.person(person, on: day("2025-07-01"))
        let occupiedBefore = try await fixture.occupied(
            ServiceFixture.finance,
            .category(.administrative),
            on: day("2025-07-01")
        )
        let draft = try await officer.draftAction(
            change(person, on: "2025-07-01", DetailsChange(education: .masters, politicalStatus: .partyMember))
        )
        // A draft changes nothing until it is approved.
        await #expect(try admin.person(person, on: day("2025-08-01")).politicalStatus == .masses)
        _ = try await approver.approve(draft: draft)

        let dayBefore = try await admin.person(person, on: day("2025-06-30"))
        let from = try await admin.person(person, on: day("2025-07-01"))
        #expect(dayBefore.politicalStatus == .masses && dayBefore.education == .bachelor)
        #expect(from.politicalStatus == .partyMember && from.education == .masters)
        #expect(from.name == "王11" && from.ethnicity == .han, "the details it does not state stay as they were")
        #expect(from.org == placementBefore.org && from.rank == placementBefore.rank)
        #expect(from.status == placementBefore.status && from.since == placementBefore.since)
        await #expect(
            try fixture.occupied(ServiceFixture.finance, .category(.administrative), on: day("2025-07-01"))
                == occupiedBefore
        )

        // The history keeps the action, who drafted it and what it stated; the filed values stay
        // readable as of any earlier date.
        let entry = try #require(try await admin.timeline(personID: person).last)
        #expect(entry.kind == .changeDetails && entry.effectiveOn == day("2025-07-01"))
        #expect(entry.details == DetailsChange(education: .masters, politicalStatus: .partyMember))
        #expect(entry.orgCode == ServiceFixture.finance, "the row shows where the person stood on its date")
        let audit = try #require(try await admin.auditLog(after: 0, limit: 100_000).last)
        #expect(audit.action == "action.approve" && audit.details.contains("change-details"))
    }

    @Test func searchesAndTablesCountTheDetailsInForceOnTheirDate() async throws {
        let person = try await fixture.hire(21)  // 本科, 群众
        try await drafted(
            change(person, on: "2025-07-01", DetailsChange(name: "王廿一", education: .masters)),
            by: officer,
            approvedBy: approver
        )
        func found(_ edit: (inout PeopleQuestion) -> Void, on date: String) async throws -> Bool {
            var question = PeopleQuestion()
            question.on = day(date)
            edit(&question)
            return try await admin.searchPeople(question).contains { $0.id == person }
        }
        #expect(try await !found({ $0.education = "硕士研究生" }, on: "2025-06-30"))
        #expect(try await found({ $0.education = "硕士研究生" }, on: "2025-07-01"))
        #expect(try await found({ $0.education = "大学本科" }, on: "2025-06-30"))
        #expect(try await !found({ $0.education = "大学本科" }, on: "2025-07-01"))
        #expect(try await found({ $0.name = "廿一" }, on: "2025-07-01"))
        #expect(try await !found({ $0.name = "廿一" }, on: "2025-06-30"))

        func masters(on date: String) throws -> Int {
            try fixture.store.reportHeadcount(on: day(date), facts: [.education], filter: [:], organizations: nil)
                .groups.first { $0.values == [Education.masters.code] }?.count ?? 0
        }
        #expect(try masters(on: "2025-06-30") == 0)
        #expect(try masters(on: "2025-07-01") == 1)
    }

    @Test func aCorrectionOfTheFilingAppliesFromTheFilingDateWhateverDayItIsDrafted() async throws {
        let person = try await fixture.hire(12)  // filed 2024-01-05 as 王12
        let draft = try await officer.draftAction(
            change(person, on: "2026-11-27", DetailsChange(name: "汪12"), kind: .correctDetails)
        )
        await #expect(try admin.draft(draft).effectiveOn == day("2024-01-05"))
        _ = try await approver.approve(draft: draft)
        await #expect(try admin.person(person, on: day("2024-01-05")).name == "汪12")
        await #expect(try admin.person(person, on: today).name == "汪12")
        let entry = try #require(try await admin.timeline(personID: person).first { $0.kind == .correctDetails })
        #expect(entry.effectiveOn == day("2024-01-05") && entry.details?.name == "汪12")
    }

    @Test func aLaterChangeWinsOverACorrectionFromItsDateOn() async throws {
        let person = try await fixture.hire(13)
        try await drafted(
            change(person, on: "2025-03-01", DetailsChange(politicalStatus: .youthLeagueMember)),
            by: officer,
            approvedBy: approver
        )
        try await drafted(
            change(person, on: "2026-01-01", DetailsChange(politicalStatus: .nonParty), kind: .correctDetails),
            by: officer,
            approvedBy: approver
        )
        // Filed as 群众 in error (it should have been 无党派人士); 共青团员 from 2025-03-01 all the same.
        await #expect(try admin.person(person, on: day("2024-06-01")).politicalStatus == .nonParty)
        await #expect(try admin.person(person, on: day("2025-03-01")).politicalStatus == .youthLeagueMember)
    }

    @Test func aChangedPhoneIsSealedAndShownMaskedUnlessRevealed() async throws {
        let person = try await fixture.hire(14)
        try await drafted(
            change(person, on: "2025-01-01", DetailsChange(phone: "13912345678")),
            by: officer,
            approvedBy: approver
        )
        await #expect(try admin.person(person, on: today).phone == "139****5678")
        await #expect(try admin.person(person, on: today, reveal: true).phone == "13912345678")
        await #expect(try admin.person(person, on: day("2024-12-31"), reveal: true).phone == "13800138000")
        let entry = try #require(try await admin.timeline(personID: person).last)
        #expect(entry.details?.phone == "139****5678", "the history masks it too")
    }

    @Test func theApproversQueueShowsWhatTheChangeWouldChangeWithThePhoneMasked() async throws {
        let person = try await fixture.hire(15)
        let id = try await officer.draftAction(
            change(person, on: "2025-07-01", DetailsChange(politicalStatus: .partyMember, phone: "13912345678"))
        )
        let draft = try await approver.draft(id)
        #expect(draft.details?.phone == "139****5678")
        let preview = try #require(try await approver.previews(of: [draft])[id])
        let changes = preview.changes(rankName: { $0.code })
        #expect(changes.map(\.field) == ["政治面貌", "联系电话"])
        #expect(changes.first?.from == "群众" && changes.first?.to == "中共党员")
        #expect(changes.last?.from == "138****8000" && changes.last?.to == "139****5678")
    }

    @Test func badChangesAreRefusedWhenDraftedAndChangeNothing() async throws {
        let person = try await fixture.hire(16)
        let refusals: [(ActionDraftInput, ServiceError.Kind, String)] = [
            (change(person, on: "2025-01-01", DetailsChange()), .invalid, "needs at least one of"),
            (change(person, on: "2023-12-31", DetailsChange(name: "王十六")), .refused, "correct-details"),
            (change(person, on: "2025-01-01", DetailsChange(name: "王\u{0}")), .invalid, "control characters"),
            (change(person, on: "2025-01-01", DetailsChange(name: "  ")), .invalid, "a value is required"),
            (change(person, on: "2025-01-01", DetailsChange(phone: "call me")), .invalid, "5 to 20 digits"),
            (
                ActionDraftInput(
                    personID: person,
                    kind: .changeDetails,
                    effectiveOn: day("2025-01-01"),
                    rank: .principal4,
                    details: DetailsChange(name: "王十六")
                ), .invalid, "changes personal details only"
            ),
            (
                ActionDraftInput(
                    personID: person,
                    kind: .confirm,
                    effectiveOn: day("2025-01-01"),
                    details: DetailsChange(name: "王十六")
                ), .invalid, "Only a change of personal details"
            ),
        ]
        for (input, kind, words) in refusals {
            let error = try await fixture.refused(kind: kind) { _ = try await officer.draftAction(input) }
            #expect(error?.message.contains(words) == true, "\(String(describing: error))")
        }
    }

    @Test func aChangeOfDetailsIsNeitherCancelledNorCorrectedButChangedAgain() async throws {
        let person = try await fixture.hire(17)
        let recorded = try await drafted(
            change(person, on: "2025-01-01", DetailsChange(ethnicity: try #require(Ethnicity(codeOrName: "回族")))),
            by: officer,
            approvedBy: approver
        )
        let cancel = ActionDraftInput(
            personID: person,
            kind: .cancel,
            effectiveOn: day("2025-01-01"),
            targetActionID: recorded.first
        )
        let error = try await fixture.refused(kind: .refused) { _ = try await officer.draftAction(cancel) }
        #expect(error?.message.contains("record another change") == true, "\(String(describing: error))")
        // Its drafter cannot approve it either (maker-checker holds for details too), not even
        // an administrator.
        let id = try await admin.draftAction(change(person, on: "2025-02-01", DetailsChange(ethnicity: .han)))
        try await fixture.refusedApproval(of: id, by: admin)
    }

    // MARK: - The identity number

    @Test func onlyAnAdministratorChangesTheIdentityNumberAndTheOldOneStaysInTheHistory() async throws {
        let person = try await fixture.hire(18)
        let old = residentID(18, born: "1990-03-07")
        let new = residentID(81, born: "1991-04-08")
        try await fixture.refused(kind: .forbidden) {
            try await officer.changeIdentityNumber(personID: person, to: new.value, reason: "建档时录入错误")
        }
        try await admin.changeIdentityNumber(personID: person, to: new.value, reason: "建档时录入错误")

        let record = try await admin.person(person, reveal: true)
        #expect(record.idNumber == new.value)
        #expect(record.birthDate == new.birthDate && record.sex == new.sex, "sex and birth date follow the number")
        await #expect(try admin.findPerson(idNumber: new.value).id == person, "found by the new number's index")
        try await fixture.refused(kind: .notFound) { _ = try await admin.findPerson(idNumber: old.value) }

        let masked = try await officer.identityNumberChanges(personID: person)
        #expect(masked.count == 1 && masked[0].old == old.masked && masked[0].new == new.masked)
        #expect(masked[0].reason == "建档时录入错误" && masked[0].changedBy == "admin")
        let revealed = try await admin.identityNumberChanges(personID: person, reveal: true)
        #expect(revealed.first?.old == old.value)
        let entry = try #require(
            try await admin.auditLog(after: 0, limit: 100_000).last { $0.action == "person.id-number" }
        )
        #expect(!entry.details.contains(old.value) && !entry.details.contains(new.value), "no number in the audit log")
    }

    @Test func aNewIdentityNumberThatIsInvalidTakenOrTheSameIsRefusedAndChangesNothing() async throws {
        let person = try await fixture.hire(19)
        let other = try await fixture.hire(20)
        var wrongCheck = Array(residentID(82, born: "1990-03-07").value)
        wrongCheck[17] = wrongCheck[17] == "1" ? "2" : "1"
        let cases: [(String, ServiceError.Kind, String)] = [
            (String(wrongCheck), .invalid, "refused"),
            (residentID(20, born: "1990-03-07").value, .refused, "on file \(other)"),
            (residentID(19, born: "1990-03-07").value, .refused, "already holds"),
        ]
        for (number, kind, words) in cases {
            let error = try await fixture.refused(kind: kind) {
                try await admin.changeIdentityNumber(personID: person, to: number, reason: "核对")
            }
            #expect(error?.message.contains(words) == true, "\(String(describing: error))")
            #expect(error?.message.contains(number) != true, "the number is not echoed")
        }
        await #expect(try admin.identityNumberChanges(personID: person).isEmpty)
    }
}
