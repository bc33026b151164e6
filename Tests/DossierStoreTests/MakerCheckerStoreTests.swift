import DossierCore
import DossierStorage
import Testing

@testable import DossierStore

/// Maker-checker holds in the store itself, not only in the service above it: whoever drafted an
/// action can neither approve nor reject it, and a refused decision writes nothing.
@Suite struct MakerCheckerStoreTests {
    @Test func theDrafterCanNeitherApproveNorRejectTheirOwnDraftAndNothingIsWritten() async throws {
        let store = try await makeStore()
        let org = try await addOrganization(store, 1, approved: 5)
        let person = try await store.addPerson(newPerson(1, org: org, on: "2024-02-01"), actor: admin)
        try await store.addUser(User(name: "clerk", role: .officer, displayName: "Clerk"), actor: admin)
        let draft = try await store.draftAction(
            ActionDraftInput(personID: person, kind: .resign, effectiveOn: day("2024-06-01")),
            actor: "clerk"
        )
        let before = try StoreSnapshot(store)
        let approval = await #expect(throws: RuleRefusal.self) {
            _ = try await store.approveDraft(draft, actor: "clerk", machine: machine)
        }
        #expect(
            approval?.description.contains("another person must approve") == true,
            "\(String(describing: approval))"
        )
        await #expect(throws: RuleRefusal.self) { try await store.rejectDraft(draft, reason: "不同意", actor: "clerk") }
        #expect(try StoreSnapshot(store) == before)
        #expect(try store.draft(draft)?.state == .draft)

        // Someone else may.
        _ = try await store.approveDraft(draft, actor: admin, machine: machine)
        #expect(try store.draft(draft)?.state == .approved)
    }
}
