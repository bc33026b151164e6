/// An agency (机关或单位) as exchange envelopes name it: its unified social credit code and
/// its name. A node speaks for one agency; transfers go from one agency's node to another's.
public struct Agency: Sendable, Hashable, Codable {
    public var code: CreditCode
    public var name: String

    public init(code: CreditCode, name: String) {
        self.code = code
        self.name = name
    }
}
