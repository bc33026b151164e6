public import DossierCore

extension Dossier {
    /// How many drafts in `state` are within the acting user's reach, for a listing's total;
    /// nil for decided drafts. Open drafts (the approval queue) are few by nature, so they are
    /// counted the way `drafts` finds them, draft by draft through the user's scope; decided ones
    /// pile up over the years and are not counted.
    public func draftCount(state: ActionDraft.State?) async throws -> Int? {
        guard state == .draft else { return nil }
        var count = 0
        var cursor: Int64 = 0
        while true {
            let page = try await drafts(state: .draft, after: cursor, limit: 500)
            count += page.count
            guard page.count == 500, let last = page.last else { return count }
            cursor = last.id
        }
    }
}
