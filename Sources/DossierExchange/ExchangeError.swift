/// Why an exchange package, receipt or refusal was refused or could not be written, in one
/// sentence for the personnel officer handling it.
public struct ExchangeError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
