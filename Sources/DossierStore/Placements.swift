import DossierCore
internal import GRDB

/// A stored placement interval.
struct PlacementRow {
    var personID: Int64
    /// The action that opened this placement (with the person, it identifies the row).
    var actionID: Int64
    var orgID: Int64
    var orgCode: String
    var orgName: String
    var category: String
    var rank: String?
    var post: String?
    var status: String
    var validFrom: String
    var validUntil: String?

    init(_ row: Row) {
        personID = row["person_id"]
        actionID = row["action_id"]
        orgID = row["org_id"]
        orgCode = row["org_code"]
        orgName = row["org_name"]
        category = row["category"]
        rank = row["rank"]
        post = row["post"]
        status = row["status"]
        validFrom = row["valid_from"]
        validUntil = row["valid_until"]
    }

    func placement() throws -> Placement {
        Placement(
            orgCode: try CreditCode(orgCode),
            orgName: orgName,
            category: try Decode.coded(EstablishmentCategory.self, category),
            rank: try Decode.codedOptional(Rank.self, rank),
            post: try Decode.codedOptional(LeadershipPost.self, post),
            status: try Decode.coded(PersonStatus.self, status),
            since: try Decode.date(validFrom)
        )
    }
}

/// The derived placement intervals, maintained in the same transaction as the actions.
enum Placements {
    private static let select = """
        SELECT p.*, o.code AS org_code, o.name AS org_name
        FROM placement p JOIN organization o ON o.id = p.org_id
        """

    /// The open (latest) placement of a person.
    static func current(_ db: Database, personID: Int64) throws -> PlacementRow? {
        try Row.fetchOne(
            db.cachedStatement(sql: "\(select) WHERE p.person_id = ? AND p.valid_until IS NULL"),
            arguments: [personID]
        ).map(PlacementRow.init)
    }

    /// The placement in force on `date`.
    static func on(_ db: Database, personID: Int64, date: CivilDate) throws -> PlacementRow? {
        // A cached statement: this runs for every person shown, and preparing it again each time
        // (GRDB's authorizer walks every statement it compiles) cost more than running it.
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    \(select) WHERE p.person_id = ? AND p.valid_from <= ? AND (p.valid_until IS NULL OR p.valid_until > ?)
                    ORDER BY p.valid_from DESC, p.action_id DESC LIMIT 1
                    """
            ),
            arguments: [personID, date.description, date.description]
        ).map(PlacementRow.init)
    }
}
