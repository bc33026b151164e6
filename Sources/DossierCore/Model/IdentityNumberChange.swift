/// A change of a person's identity number (公民身份号码) by an administrator: the old number and
/// the new, who changed it, when and why. The file keeps every one.
public struct IdentityNumberChange: Sendable, Hashable {
    public var old: ResidentID
    public var new: ResidentID
    public var reason: String
    public var changedBy: String
    public var changedAt: String

    public init(old: ResidentID, new: ResidentID, reason: String, changedBy: String, changedAt: String) {
        self.old = old
        self.new = new
        self.reason = reason
        self.changedBy = changedBy
        self.changedAt = changedAt
    }
}

/// What changing an identity number found.
public enum IdentityNumberChangeOutcome: Sendable, Hashable {
    /// Changed; the old number is kept in the history.
    case changed
    /// The file already holds that number.
    case unchanged
    /// Another file (its number) holds that identity number.
    case heldBy(Int64)
}
