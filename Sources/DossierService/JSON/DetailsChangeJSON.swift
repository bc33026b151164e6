public import DossierCore

/// The personal details a change or correction states, for scripts and the API: only the fields
/// it states (`name`, `ethnicity`, `education`, `political_status` as codes, `phone` masked).
public struct DetailsChangeJSON: Sendable, Encodable {
    public var change: DetailsChange

    public init(_ change: DetailsChange) { self.change = change }

    private enum CodingKeys: String, CodingKey {
        case name, ethnicity, education
        case politicalStatus = "political_status"
        case phone
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(change.name, forKey: .name)
        try container.encodeIfPresent(change.ethnicity, forKey: .ethnicity)
        try container.encodeIfPresent(change.education, forKey: .education)
        try container.encodeIfPresent(change.politicalStatus, forKey: .politicalStatus)
        try container.encodeIfPresent(change.phone, forKey: .phone)
    }
}
