public import DossierCore

extension Dossier {
    /// How many open drafts (the approval queue) are within the acting user's reach, for a
    /// listing's total: counted the way `drafts` finds them, draft by draft through the user's
    /// scope. The queue is what approvers work through, so it stays short; decided drafts, which
    /// pile up over the years, are not counted.
    public func draftCount() async throws -> Int {
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
