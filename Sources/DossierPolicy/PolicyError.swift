/// A policy file that cannot be used, with the reason in words an administrator can act on.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let reason: String

    public var description: String { "The policy file \(file) cannot be used: \(reason)." }
}
