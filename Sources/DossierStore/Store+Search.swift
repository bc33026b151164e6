public import DossierCore
import DossierStorage
internal import GRDB

/// Finding people on a date by what their placement and file say: one query over the placement
/// in force that day and the person, every filter bound as a parameter.
extension DossierStore {
    /// People matching `filter`, by file number after `after`, at most `limit`.
    public func searchPeople(_ filter: PeopleFilter, after: Int64, limit: Int) throws -> [PersonRecord] {
        let query = PeopleQuery(filter)
        return try read { db in
            let reader = try PersonReader(db: db, keys: keys)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT \(PersonReader.columns) FROM placement pl JOIN person p ON p.id = pl.person_id
                    WHERE \(query.conditions) AND p.id > :after ORDER BY p.id LIMIT :limit
                    """,
                arguments: query.arguments + ["after": after, "limit": limit]
            ).map { try reader.record($0, on: filter.on) }
        }
    }

    /// How many people match `filter`.
    public func countPeople(_ filter: PeopleFilter) throws -> Int {
        let query = PeopleQuery(filter)
        return try read { db in
            try Int.fetchOne(
                db,
                // Each person once, even where the data holds two placements at once.
                sql: """
                    SELECT count(DISTINCT p.id) FROM placement pl JOIN person p ON p.id = pl.person_id
                    WHERE \(query.conditions)
                    """,
                arguments: query.arguments
            ) ?? 0
        }
    }
}

/// The WHERE clause of a people search. Codes are bound one parameter each; organisation ids
/// are integers from the database, listed inline.
struct PeopleQuery {
    var conditions: String
    var arguments: StatementArguments

    init(_ filter: PeopleFilter) {
        var parts = ["pl.valid_from <= :date", "(pl.valid_until IS NULL OR pl.valid_until > :date)"]
        var arguments: StatementArguments = ["date": filter.on.description]
        var count = 0
        func list(_ codes: Set<String>) -> String {
            var names: [String] = []
            for code in codes.sorted() {
                count += 1
                names.append(":c\(count)")
                _ = arguments.append(contentsOf: ["c\(count)": code])
            }
            return "(" + names.joined(separator: ", ") + ")"
        }
        func any(_ column: String, _ codes: Set<String>) {
            guard !codes.isEmpty else { return }
            parts.append("\(column) IN \(list(codes))")
        }
        if filter.statuses.isEmpty { parts.append("pl.occupies = 1") }
        any("pl.status", filter.statuses)
        any("pl.rank", filter.ranks)
        any("pl.post", filter.posts)
        any("pl.category", filter.categories)
        if let level = filter.level {
            // A rank or post of the level, and neither of a level above (就高不就低).
            parts.append(
                "(coalesce(pl.rank, '') IN \(list(level.ranks)) OR coalesce(pl.post, '') IN \(list(level.posts)))"
            )
            parts.append("coalesce(pl.rank, '') NOT IN \(list(level.ranksAbove))")
            parts.append("coalesce(pl.post, '') NOT IN \(list(level.postsAbove))")
        }
        any("p.sex", filter.sexes)
        // Details as in force on the date asked (a change of education, say, counts from its date).
        any(DossierStore.detailInForce("education", of: "p", on: ":date"), filter.educations)
        any(DossierStore.detailInForce("ethnicity", of: "p", on: ":date"), filter.ethnicities)
        any(DossierStore.detailInForce("political_status", of: "p", on: ":date"), filter.politicalStatuses)
        if let organizations = filter.organizations {
            parts.append("pl.org_id IN \(ReportSQL.list(organizations))")
        }
        if let reach = filter.reach {
            // Where the person's file is kept now must be within reach too, as for every read
            // of a person (someone who has since moved elsewhere is no longer this user's).
            parts.append("\(DossierStore.homeOrganization(of: "p.id", today: ":today")) IN \(ReportSQL.list(reach))")
            _ = arguments.append(contentsOf: ["today": filter.today.description])
        }
        let age = ReportSQL.age(birthDate: "p.birth_date")
        if let minimum = filter.minimumAge {
            parts.append("\(age) >= :minimumAge")
            _ = arguments.append(contentsOf: ["minimumAge": minimum])
        }
        if let maximum = filter.maximumAge {
            parts.append("\(age) <= :maximumAge")
            _ = arguments.append(contentsOf: ["maximumAge": maximum])
        }
        if let part = filter.namePart, !part.isEmpty {
            parts.append("instr(\(DossierStore.detailInForce("name", of: "p", on: ":date")), :namePart) > 0")
            _ = arguments.append(contentsOf: ["namePart": part])
        }
        if let initials = filter.initials, !initials.isEmpty {
            parts.append(
                "substr(dossier_initials(\(DossierStore.detailInForce("name", of: "p", on: ":date"))), 1, length(:initials)) = :initials"
            )
            _ = arguments.append(contentsOf: ["initials": initials])
        }
        conditions = parts.joined(separator: " AND ")
        self.arguments = arguments
    }
}

/// The SQL functions the store's queries call, written in Swift where their rule lives.
enum StoreFunctions {
    /// `dossier_initials(name)`: the pinyin initials of a name (`PinyinInitials`).
    static let initials = DatabaseFunction("dossier_initials", argumentCount: 1, pure: true) { values in
        guard let name = String.fromDatabaseValue(values[0]) else { return nil }
        return PinyinInitials.of(name)
    }

    static func add(to db: Database) {
        db.add(function: initials)
    }
}
