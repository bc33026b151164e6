import DossierCore
import DossierService
import Testing

/// The node's clock decides "today" everywhere a rule needs it, the database's look-ups
/// included: a node run on a fixed date answers as of that date.
@Suite struct DayClockTests {
    @Test func whereAPersonBelongsFollowsTheNodesClockNotTheMachines() async throws {
        let fixture = try await ServiceFixture()
        let officer = try await fixture.acting(as: "officer", role: .officer)
        let approver = try await fixture.acting(as: "approver", role: .approver)
        let person = try await fixture.hire(5)
        // A transfer to the hospital approved now for a day far in the future.
        try await drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2090-01-01"),
            by: officer,
            approvedBy: approver
        )
        let hospital = try await fixture.scoped("hospitalviewer", role: .viewer, to: ServiceFixture.hospital)
        let finance = try await fixture.scoped("financeviewer", role: .viewer, to: ServiceFixture.finance)

        // On the machine's real today, and on a node run the day before, they still belong to
        // the finance department; on a node run the day after, to the hospital.
        for node in [finance, finance.on(.fixed(day("2089-12-31")))] {
            await #expect(try node.person(person).id == person)
        }
        await #expect(throws: ServiceError.self) { _ = try await hospital.person(person) }
        let after = DayClock.fixed(day("2090-01-02"))
        await #expect(try hospital.on(after).person(person).org == ServiceFixture.hospital)
        await #expect(throws: ServiceError.self) { _ = try await finance.on(after).person(person) }
        // A look-up without a date is as of the node's today.
        await #expect(try fixture.dossier.on(.fixed(day("2089-12-31"))).person(person).org == ServiceFixture.finance)
        await #expect(try fixture.dossier.on(after).person(person).org == ServiceFixture.hospital)
    }
}
