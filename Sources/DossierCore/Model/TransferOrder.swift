/// Where a transfer-out goes and why (转任, 调任, …), kept with its draft.
public struct TransferOrder: Sendable, Hashable {
    public var toAgency: CreditCode
    public var reason: String

    public init(toAgency: CreditCode, reason: String) {
        self.toAgency = toAgency
        self.reason = reason
    }
}
