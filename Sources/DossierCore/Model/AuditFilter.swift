/// Which audit entries to read: about a person, by a user, of an action (or a family of them:
/// `action.` for every personnel-action entry), between two instants, newest or oldest first.
public struct AuditFilter: Sendable, Hashable {
    /// Entries about this person: their subject is the person, or the entry names them in its
    /// details (a draft, a document).
    public var person: Int64?
    /// Entries made by this user (or client, for refused sign-ins: `client:ADDRESS`).
    public var user: String?
    /// Entries whose action is this one, or starts with it when it ends in `.`.
    public var action: String?
    /// From this instant (UTC, ISO 8601 as entries record it), included.
    public var from: String?
    /// Before this instant, excluded.
    public var until: String?
    /// Newest first (the pages), else oldest first (the chain's order).
    public var newestFirst = false
    /// Entries past this sequence number in the order asked (a page's cursor); nil: from the
    /// start (or the end, newest first).
    public var cursor: Int64?

    public init(
        person: Int64? = nil,
        user: String? = nil,
        action: String? = nil,
        from: String? = nil,
        until: String? = nil,
        newestFirst: Bool = false,
        cursor: Int64? = nil
    ) {
        self.person = person
        self.user = user
        self.action = action
        self.from = from
        self.until = until
        self.newestFirst = newestFirst
        self.cursor = cursor
    }
}
