import DossierCore
import DossierStorage
import DossierStore
import Testing

@testable import DossierService

/// Maker-checker holds in the service's write path itself, not only in the permission checks in
/// front of it: whoever drafted an action can neither approve nor reject it, and a refused
/// decision writes nothing.
@Suite struct MakerCheckerTests {
    @Test func theDrafterCanNeitherApproveNorRejectTheirOwnDraftAndNothingIsWritten() async throws {
        let fixture = try await ServiceFixture()
        let org = try await fixture.addBureau(1, approved: 5)
        let person = try await fixture.dossier.hire(newPerson(1, org: org, on: "2024-02-01"))
        let clerk = try await fixture.acting(as: "clerk", role: .officer)
        let draft = try await clerk.recordDraft(
            ActionDraftInput(personID: person, kind: .resign, effectiveOn: day("2024-06-01"))
        )
        let before = try await ActionSnapshot(fixture)
        let approval = await #expect(throws: RuleRefusal.self) {
            _ = try await clerk.recordApproval(of: draft)
        }
        #expect(
            approval?.description.contains("another person must approve") == true,
            "\(String(describing: approval))"
        )
        await #expect(throws: RuleRefusal.self) { try await clerk.recordRejection(of: draft, reason: "不同意") }
        await #expect(try ActionSnapshot(fixture) == before)
        #expect(try fixture.store.draft(draft)?.state == .draft)

        // Someone else may.
        _ = try await fixture.dossier.recordApproval(of: draft)
        #expect(try fixture.store.draft(draft)?.state == .approved)
    }
}
