/// 档案转递: the figures of the transfer exchange (DOMAIN.md §4). The sender completes a
/// transfer within two months and chases a missing receipt after one month (some provinces:
/// three).
public struct ExchangePolicy: Sendable, Hashable {
    /// How many days a transfer package may be received after it was made.
    public var packageValidDays: Int
    /// After how many months without a receipt a transfer is overdue and chased.
    public var chaseMonths: Int

    public init(packageValidDays: Int, chaseMonths: Int) {
        self.packageValidDays = packageValidDays
        self.chaseMonths = chaseMonths
    }

    /// The national figures: a package valid for two months (61 days), chased after one month.
    public static let national = ExchangePolicy(packageValidDays: 61, chaseMonths: 1)
}
