import DossierCore
import DossierService
import Testing

/// The node's clock decides "today" everywhere a rule needs it, the database's look-ups
/// included: a node run on a fixed date answers as of that date.
@Suite struct DayClockTests {
    @Test func whereAPersonBelongsFollowsTheNodesClockNotTheMachines() throws {
        let fixture = try ServiceFixture()
        let officer = try fixture.acting(as: "officer", role: .officer)
        let approver = try fixture.acting(as: "approver", role: .approver)
        let person = try fixture.hire(5)
        // A transfer to the hospital approved now for a day far in the future.
        try drafted(
            transfer(person, to: ServiceFixture.hospital, category: .partiallyFundedInstitution, on: "2090-01-01"),
            by: officer,
            approvedBy: approver
        )
        let hospital = try fixture.scoped("hospitalviewer", role: .viewer, to: ServiceFixture.hospital)
        let finance = try fixture.scoped("financeviewer", role: .viewer, to: ServiceFixture.finance)

        // On the machine's real today, and on a node run the day before, they still belong to
        // the finance department; on a node run the day after, to the hospital.
        for node in [finance, finance.on(.fixed(day("2089-12-31")))] {
            #expect(try node.person(person).id == person)
        }
        #expect(throws: ServiceError.self) { _ = try hospital.person(person) }
        let after = DayClock.fixed(day("2090-01-02"))
        #expect(try hospital.on(after).person(person).org == ServiceFixture.hospital)
        #expect(throws: ServiceError.self) { _ = try finance.on(after).person(person) }
        // A look-up without a date is as of the node's today.
        #expect(try fixture.dossier.on(.fixed(day("2089-12-31"))).person(person).org == ServiceFixture.finance)
        #expect(try fixture.dossier.on(after).person(person).org == ServiceFixture.hospital)
    }
}
