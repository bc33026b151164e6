public import DossierCore
import DossierStorage
internal import GRDB

extension StoreTransaction {
    /// Registers an organisation under its parent (if any); refused when its credit code is
    /// already on file or its parent is not.
    public func insertOrganization(_ new: NewOrganization) throws -> Organization {
        if try Organizations.id(db, new.code) != nil { throw StoreError(.duplicateOrganization(new.code)) }
        var parentID: Int64?
        if let parent = new.parentCode {
            guard let id = try Organizations.id(db, parent) else { throw StoreError(.unknownOrganization(parent)) }
            parentID = id
        }
        try db.execute(
            sql: "INSERT INTO organization(code, name, kind, level, parent_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [new.code.value, new.name, new.kind.code, new.level.code, parentID, recordedAt]
        )
        return Organization(
            id: db.lastInsertedRowID,
            code: new.code,
            name: new.name,
            kind: new.kind,
            level: new.level,
            parentCode: new.parentCode
        )
    }
}

extension DossierStore {
    /// Every organisation, parents before children where names tie, ordered by id.
    public func organizations() throws -> [Organization] {
        try read { db in try Organizations.all(db) }
    }

    /// The organisation with this credit code, if on file.
    public func organization(_ code: CreditCode) throws -> Organization? {
        try read { db in try Organizations.all(db, where: "o.code = ?", [code.value]).first }
    }
}

enum Organizations {
    static func id(_ db: Database, _ code: CreditCode) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM organization WHERE code = ?", arguments: [code.value])
    }

    static func all(
        _ db: Database,
        where filter: String = "1",
        _ arguments: StatementArguments = []
    ) throws
        -> [Organization]
    {
        // Cached: one statement per call site (the filter is fixed text, its values are bound).
        try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT o.id, o.code, o.name, o.kind, o.level, p.code AS parent_code
                    FROM organization o LEFT JOIN organization p ON p.id = o.parent_id
                    WHERE \(filter) ORDER BY o.id
                    """
            ),
            arguments: arguments
        ).map(organization)
    }

    static func organization(_ row: Row) throws -> Organization {
        let parent: String? = row["parent_code"]
        return Organization(
            id: row["id"],
            code: try CreditCode(row["code"] as String),
            name: row["name"],
            kind: try Decode.coded(OrgKind.self, row["kind"]),
            level: try Decode.coded(OrgLevel.self, row["level"]),
            parentCode: try parent.map { try CreditCode($0) }
        )
    }
}

/// Turns stored codes back into domain values; a stored value that no longer parses means the
/// file was edited behind Dossier's back, which is reported rather than trapped.
enum Decode {
    static func coded<T: CodedValue>(_ type: T.Type, _ code: String) throws -> T {
        guard let value = T(codeOrName: code) else {
            throw StoreError(.invalid("The database holds an unknown \(T.tableName) code '\(code)'."))
        }
        return value
    }

    static func codedOptional<T: CodedValue>(_ type: T.Type, _ code: String?) throws -> T? {
        guard let code else { return nil }
        return try coded(type, code)
    }

    /// A stored rank code as it is: the rank ladder, not the database, says what it names.
    static func rank(_ code: String?) -> Rank? { code.map(Rank.init(code:)) }

    static func actionKind(_ code: String) throws -> ActionKind {
        guard let kind = ActionKind(rawValue: code) else {
            throw StoreError(.invalid("The database holds an unknown personnel action '\(code)'."))
        }
        return kind
    }

    static func stated(_ text: String) throws -> StatedFields {
        guard let fields = StatedFields(text: text) else {
            throw StoreError(.invalid("The database holds an unknown stated field in '\(text)'."))
        }
        return fields
    }

    static func date(_ text: String) throws -> CivilDate {
        guard let date = CivilDate(iso: text) else {
            throw StoreError(.invalid("The database holds an impossible date '\(text)'."))
        }
        return date
    }
}
