import DossierCore
import DossierStore
import DossierTestSupport
import Testing

@testable import DossierService

/// History received from another agency's node: kept as it was recorded there, shown with the
/// person, holding no slot here; received once, all of it or none.
@Suite struct ReceivedHistoryTests {
    /// An agency elsewhere, and one of its units.
    static let sender = orgCode(51, division: "390200")
    static let senderUnit = orgCode(52, division: "390200")

    private func received(_ number: Int64, _ kind: ActionKind, on date: String, status: PersonStatus) -> ReceivedAction
    {
        ReceivedAction(
            originAgency: Self.sender,
            originActionID: number,
            kind: kind,
            effectiveOn: day(date),
            orgCode: Self.senderUnit,
            orgName: "海州市税务局",
            category: .administrative,
            rank: .principal2,
            post: nil,
            status: status,
            stated: kind == .hire ? [.org, .category, .rank, .status] : [],
            recordedAt: "2019-03-01T08:00:00.000Z",
            recordedBy: "li.clerk"
        )
    }

    @Test func receivedHistoryIsKeptAsRecordedThereAndHoldsNoSlotHere() async throws {
        let fixture = try await ServiceFixture()
        let person = fixture.onFileID
        let before = try await ServiceSnapshot(fixture.dossier)
        let history = [
            received(7, .transferOut, on: "2023-12-31", status: .transferredOut),
            received(3, .hire, on: "2019-03-01", status: .active),
        ]
        try await fixture.dossier.receiveHistory(history, personID: person)

        let kept = try await fixture.dossier.receivedHistory(personID: person)
        #expect(kept == history.sorted { $0.effectiveOn < $1.effectiveOn })
        #expect(kept.first?.orgName == "海州市税务局")
        #expect(kept.first?.recordedBy == "li.clerk")
        // Nothing here changed but the audit trail: no placement, no headcount, no local action.
        var after = try await ServiceSnapshot(fixture.dossier)
        #expect(after.audit.last?.action == "history.receive")
        #expect(after.audit.last?.details.contains(Self.sender.value) == true)
        after.audit.removeLast()
        #expect(after == before)
    }

    @Test func anActionAlreadyReceivedRefusesTheWholeLotAndNothingIsWritten() async throws {
        let fixture = try await ServiceFixture()
        let person = fixture.onFileID
        try await fixture.dossier.receiveHistory(
            [received(3, .hire, on: "2019-03-01", status: .active)],
            personID: person
        )
        let before = try await ServiceSnapshot(fixture.dossier)
        let kept = try await fixture.dossier.receivedHistory(personID: person)
        await #expect {
            try await fixture.dossier.receiveHistory(
                [
                    received(7, .transferOut, on: "2023-12-31", status: .transferredOut),
                    received(3, .hire, on: "2019-03-01", status: .active),
                ],
                personID: person
            )
        } throws: { error in
            "\(error)".contains("already in this person's history")
        }
        await #expect(try ServiceSnapshot(fixture.dossier) == before)
        await #expect(try fixture.dossier.receivedHistory(personID: person) == kept)
    }

    @Test func onlyThoseWhoMayRecordActionsReceiveHistoryAndOnlyWithinReach() async throws {
        let fixture = try await ServiceFixture()
        let viewer = try await fixture.acting(as: "viewer", role: .viewer)
        await #expect(throws: ServiceError.self) {
            try await viewer.receiveHistory(
                [received(3, .hire, on: "2019-03-01", status: .active)],
                personID: fixture.onFileID
            )
        }
        let elsewhere = try await fixture.acting(
            as: "officer-archives",
            role: .officer,
            reach: .organization(ServiceFixture.archives)
        )
        await #expect(throws: ServiceError.self) {
            try await elsewhere.receiveHistory(
                [received(3, .hire, on: "2019-03-01", status: .active)],
                personID: fixture.onFileID
            )
        }
        await #expect(try fixture.dossier.receivedHistory(personID: fixture.onFileID).isEmpty)
    }
}
