import DossierCore
import DossierStorage
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

    /// Reads the placement columns (`Placements.columns`) that start at `first`; nil when they
    /// are null (a left join that found no placement, or no organisation for it: the schema
    /// does not tie a placement's organisation by a foreign key).
    init?(_ row: some ColumnReader, from first: Int = 0) {
        guard let personID = row.int64(first), let actionID = row.int64(first + 1),
            let orgID = row.int64(first + 2), let orgCode = row.text(first + 3), let orgName = row.text(first + 4),
            let category = row.text(first + 5), let status = row.text(first + 8),
            let validFrom = row.text(first + 9)
        else { return nil }
        self.personID = personID
        self.actionID = actionID
        self.orgID = orgID
        self.orgCode = orgCode
        self.orgName = orgName
        self.category = category
        rank = row.text(first + 6)
        post = row.text(first + 7)
        self.status = status
        self.validFrom = validFrom
        validUntil = row.text(first + 10)
    }

    func placement() throws -> Placement {
        Placement(
            orgCode: try CreditCode(orgCode),
            orgName: orgName,
            category: try Decode.coded(EstablishmentCategory.self, category),
            rank: Decode.rank(rank),
            post: try Decode.codedOptional(LeadershipPost.self, post),
            status: try Decode.coded(PersonStatus.self, status),
            since: try Decode.date(validFrom)
        )
    }
}

/// The derived placement intervals, maintained in the same transaction as the actions.
enum Placements {
    /// The columns `PlacementRow` reads, in its order, from placement `pl` and organisation `o`
    /// (rows are read by position: GRDB's look-up by name lower-cases every column name).
    static let columns = """
        pl.person_id, pl.action_id, pl.org_id, o.code, o.name, pl.category, pl.rank, pl.post, pl.status,
        pl.valid_from, pl.valid_until
        """

    private static let select = """
        SELECT \(columns) FROM placement pl JOIN organization o ON o.id = pl.org_id
        """

    /// The open (latest) placement of a person.
    static func current(_ db: Database, personID: Int64) throws -> PlacementRow? {
        try Row.fetchOne(
            db.cachedStatement(sql: "\(select) WHERE pl.person_id = ? AND pl.valid_until IS NULL"),
            arguments: [personID]
        ).flatMap { PlacementRow($0) }
    }

    /// The placement in force on `date`.
    static func on(_ db: Database, personID: Int64, date: CivilDate) throws -> PlacementRow? {
        // A cached statement: this runs for every person shown, and preparing it again each time
        // (GRDB's authorizer walks every statement it compiles) cost more than running it.
        try Row.fetchOne(
            db.cachedStatement(
                sql: """
                    \(select) WHERE pl.person_id = ? AND pl.valid_from <= ? AND (pl.valid_until IS NULL OR pl.valid_until > ?)
                    ORDER BY pl.valid_from DESC, pl.action_id DESC LIMIT 1
                    """
            ),
            arguments: [personID, date.description, date.description]
        ).flatMap { PlacementRow($0) }
    }
}
