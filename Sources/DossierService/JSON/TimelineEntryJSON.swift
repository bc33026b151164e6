public import DossierCore

/// One entry of a person's timeline as the API, the command line and an archive package's
/// `data/record.json` write it. Absent values are left out (the archive format has always
/// written them so; a change here changes every package's bytes).
public struct TimelineEntryJSON: Sendable, Encodable {
    public var entry: TimelineEntry

    public init(_ entry: TimelineEntry) { self.entry = entry }

    private enum CodingKeys: String, CodingKey {
        case actionID = "action_id"
        case kind
        case effectiveOn = "effective_on"
        case orgCode = "org"
        case category
        case rank
        case post
        case status
        case recordedBy = "recorded_by"
        case recordedAt = "recorded_at"
        case targetActionID = "target_action_id"
        case amendedBy = "amended_by"
        case amendment
        case details
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entry.actionID, forKey: .actionID)
        try container.encode(entry.kind, forKey: .kind)
        try container.encode(entry.effectiveOn, forKey: .effectiveOn)
        try container.encode(entry.orgCode, forKey: .orgCode)
        try container.encode(entry.category, forKey: .category)
        try container.encodeIfPresent(entry.rank, forKey: .rank)
        try container.encodeIfPresent(entry.post, forKey: .post)
        try container.encode(entry.status, forKey: .status)
        try container.encode(entry.recordedBy, forKey: .recordedBy)
        try container.encode(entry.recordedAt, forKey: .recordedAt)
        try container.encodeIfPresent(entry.targetActionID, forKey: .targetActionID)
        try container.encodeIfPresent(entry.amendedBy, forKey: .amendedBy)
        try container.encodeIfPresent(entry.amendment, forKey: .amendment)
        try container.encodeIfPresent(entry.details.map(DetailsChangeJSON.init), forKey: .details)
    }
}
