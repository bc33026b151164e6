import DossierCore
import DossierStorage
internal import GRDB

/// How each quota is stored: its approved numbers over time and its occupancy intervals.
extension QuotaSlot {
    /// Approved numbers in date order (for equal dates, the later entry last).
    func quotas(_ db: Database) throws -> [(CivilDate, Int)] {
        let sql: String
        let arguments: StatementArguments
        switch self {
        case .category(let org, let category):
            sql = "SELECT effective_on, approved FROM establishment_quota WHERE org_id = ? AND category = ?"
            arguments = [org, category.code]
        case .post(let org, let post):
            sql = "SELECT effective_on, approved FROM leadership_quota WHERE org_id = ? AND post = ?"
            arguments = [org, post.code]
        case .rankBand(let org, let code, _):
            sql = "SELECT effective_on, approved FROM rank_quota WHERE org_id = ? AND band = ?"
            arguments = [org, code]
        }
        return try Row.fetchAll(db, sql: sql + " ORDER BY effective_on, id", arguments: arguments).map {
            (try Decode.date($0[0]), $0[1] as Int)
        }
    }

    /// The occupied intervals of the slot, leaving out one person's when asked.
    func occupancy(_ db: Database, excludingPerson person: Int64? = nil) throws -> [Span] {
        var sql = "SELECT valid_from, valid_until FROM placement WHERE org_id = ? AND occupies = 1"
        var arguments: StatementArguments = [org]
        switch self {
        case .category(_, let category):
            sql += " AND category = ?"
            arguments += [category.code]
        case .post(_, let post):
            sql += " AND post = ?"
            arguments += [post.code]
        case .rankBand(_, _, let ranks):
            sql += " AND rank IN (\(ranks.map { _ in "?" }.joined(separator: ",")))"
            arguments += StatementArguments(ranks)
        }
        if let person {
            sql += " AND person_id <> ?"
            arguments += [person]
        }
        var spans: [Span] = []
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            let until: String? = row[1]
            spans.append((from: try Decode.date(row[0]), until: try until.map(Decode.date)))
        }
        return spans
    }
}
