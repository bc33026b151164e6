import DossierCore
import DossierStorage
import Testing

@testable import DossierStore

@Suite struct OrganizationStoreTests {
    @Test func addedOrganizationsAreListedWithTheirParents() async throws {
        let store = try makeStore()
        let root = try store.seedOrganization(
            NewOrganization(code: orgCode(1), name: "Province Bureau", kind: .organ, level: .province),
            by: admin
        )
        let child = try store.seedOrganization(
            NewOrganization(
                code: orgCode(2),
                name: "County Centre",
                kind: .institution,
                level: .county,
                parentCode: orgCode(1)
            ),
            by: admin
        )
        #expect(root.parentCode == nil)
        #expect(child.parentCode == orgCode(1))
        #expect(child.id > root.id)
        #expect(try store.organizations() == [root, child])
        #expect(try store.organization(orgCode(2)) == child)
        #expect(try store.organization(orgCode(3)) == nil)
        let listed = try store.organizations()
        #expect(listed.map(\.name) == ["Province Bureau", "County Centre"])
        #expect(listed.map(\.kind) == [.organ, .institution])
        #expect(listed.map(\.level) == [.province, .county])
    }

    @Test func duplicateCreditCodeIsRefusedAndNothingIsWritten() async throws {
        let store = try makeStore()
        try addOrganization(store, 1)
        let error = try await refusal(of: store, as: StoreError.self) {
            _ = try store.seedOrganization(
                NewOrganization(code: orgCode(1), name: "Another", kind: .organ, level: .county),
                by: admin
            )
        }
        #expect(error == StoreError(.duplicateOrganization(orgCode(1))))
    }

    @Test func unknownParentIsRefusedAndNothingIsWritten() async throws {
        let store = try makeStore()
        try addOrganization(store, 1)
        let error = try await refusal(of: store, as: StoreError.self) {
            _ = try store.seedOrganization(
                NewOrganization(code: orgCode(2), name: "Orphan", kind: .organ, level: .county, parentCode: orgCode(9)),
                by: admin
            )
        }
        #expect(error == StoreError(.unknownOrganization(orgCode(9))))
    }

    @Test func blankNameIsRefusedByTheSchemaAndNothingIsWritten() async throws {
        let store = try makeStore()
        try await refusal(of: store) {
            _ = try store.seedOrganization(
                NewOrganization(code: orgCode(1), name: "   ", kind: .organ, level: .county),
                by: admin
            )
        }
    }
}

@Suite struct UserStoreTests {
    @Test func addedUsersAreListedByName() async throws {
        let store = try makeStore()
        try store.seedUser(User(name: "clerk", role: .officer, displayName: "Clerk"), by: admin)
        #expect(try store.user(admin) == User(name: admin, role: .admin, displayName: "Admin"))
        #expect(try store.users().map(\.name) == [admin, "clerk"])
        #expect(try store.user("nobody") == nil)
        let entries = try store.auditEntries()
        #expect(entries.map(\.action) == ["user.add", "user.add"])
        #expect(entries.map(\.actor) == [admin, admin])
    }

    @Test func duplicateUserIsRefusedAndNothingIsWritten() async throws {
        let store = try makeStore()
        let error = try await refusal(of: store, as: StoreError.self) {
            try store.seedUser(User(name: admin, role: .viewer, displayName: "Impostor"), by: admin)
        }
        #expect(error == StoreError(.duplicateUser(admin)))
    }

    @Test func invalidUserNameIsRefusedAndNothingIsWritten() async throws {
        let store = try makeStore()
        try await refusal(of: store) {
            try store.seedUser(User(name: "Has Spaces", role: .viewer, displayName: "X"), by: admin)
        }
    }
}
