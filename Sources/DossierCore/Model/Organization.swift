/// 单位: an organisation holding an establishment — an agency (机关) or public institution
/// (事业单位) — in the tree of organisations.
public struct Organization: Sendable, Hashable {
    /// Internal row id.
    public var id: Int64
    /// Unified social credit code (统一社会信用代码): the organisation's public identifier.
    public var code: CreditCode
    public var name: String
    public var kind: OrgKind
    public var level: OrgLevel
    /// The parent organisation's credit code; nil for a root.
    public var parentCode: CreditCode?

    public init(id: Int64, code: CreditCode, name: String, kind: OrgKind, level: OrgLevel, parentCode: CreditCode?) {
        self.id = id
        self.code = code
        self.name = name
        self.kind = kind
        self.level = level
        self.parentCode = parentCode
    }
}

/// What is needed to register a new organisation.
public struct NewOrganization: Sendable, Hashable {
    public var code: CreditCode
    public var name: String
    public var kind: OrgKind
    public var level: OrgLevel
    public var parentCode: CreditCode?

    public init(code: CreditCode, name: String, kind: OrgKind, level: OrgLevel, parentCode: CreditCode? = nil) {
        self.code = code
        self.name = name
        self.kind = kind
        self.level = level
        self.parentCode = parentCode
    }
}
