import DossierCore

/// A person as the API and the command line's `--format json` write them: every key present,
/// absent values as null, so readers can rely on the contract's keys. The identity and phone
/// numbers are as the view holds them (masked unless revealed).
public struct PersonJSON: Sendable, Encodable {
    public var view: PersonView

    public init(_ view: PersonView) { self.view = view }

    private enum CodingKeys: String, CodingKey {
        case id, name
        case idNumber = "id_number"
        case sex
        case birthDate = "birth_date"
        case ethnicity, education
        case politicalStatus = "political_status"
        case phone, org
        case orgName = "org_name"
        case category, rank, post, status, since
    }

    /// Coded values as their text (`encodeText`): a person look-up is the API's hot path, and a
    /// plain string costs the encoder less than a nested value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(view.id, forKey: .id)
        try container.encode(view.name, forKey: .name)
        try container.encode(view.idNumber, forKey: .idNumber)
        try container.encodeText(view.sex, forKey: .sex)
        try container.encodeText(view.birthDate, forKey: .birthDate)
        try container.encodeText(view.ethnicity, forKey: .ethnicity)
        try container.encodeText(view.education, forKey: .education)
        try container.encodeText(view.politicalStatus, forKey: .politicalStatus)
        try container.encodeText(view.phone, forKey: .phone)
        try container.encodeText(view.org, forKey: .org)
        try container.encodeText(view.orgName, forKey: .orgName)
        try container.encodeText(view.category, forKey: .category)
        try container.encodeText(view.rank, forKey: .rank)
        try container.encodeText(view.post, forKey: .post)
        try container.encodeText(view.status, forKey: .status)
        try container.encodeText(view.since, forKey: .since)
    }
}
