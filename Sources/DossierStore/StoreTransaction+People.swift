import DossierCore
import DossierCrypto
public import DossierStorage
import Foundation
internal import GRDB

extension StoreTransaction {
    /// A writer of new person files for this transaction (one person or a million).
    public func personFiling() throws -> any PersonFiling {
        try SQLitePersonFiling(db, sealer: try PersonSealer(keys: store.keys))
    }
}

/// Files new people inside one SQLite write transaction, through one prepared statement.
final class SQLitePersonFiling: PersonFiling {
    private let database: Database
    private let sealer: PersonSealer
    private var statement: RawStatement?
    /// Person ids above this were filed in this transaction.
    private let baseline: Int64

    init(_ database: Database, sealer: PersonSealer) throws {
        self.database = database
        self.sealer = sealer
        self.baseline = try Int64.fetchOne(database, sql: "SELECT coalesce(max(id), 0) FROM person") ?? 0
    }

    func seal(_ person: NewPerson) throws -> SealedPerson {
        try sealer.seal(person)
    }

    func holder(ofIndex index: [UInt8]) throws -> PersonFilingHolder? {
        guard
            let existing = try Int64.fetchOne(
                database.cachedStatement(sql: "SELECT id FROM person WHERE id_number_index = ?"),
                arguments: [Data(index)]
            )
        else { return nil }
        return existing > baseline ? .filedInThisTransaction : .onFile
    }

    func file(_ person: NewPerson, sealed: SealedPerson) throws -> Int64? {
        if statement == nil {
            statement = try RawStatement(
                database,
                sql: """
                    INSERT INTO person(id_number_sealed, id_number_index, name, sex, birth_date, ethnicity, education,
                                       political_status, phone_sealed)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            )
        }
        statement!.reset()
        statement!.bind(sealed.idNumber)
        statement!.bind(sealed.index)
        statement!.bind(person.name)
        statement!.bind(person.sex.code)
        statement!.bind(person.birthDate.description)
        statement!.bind(person.ethnicity.code)
        statement!.bind(person.education.code)
        statement!.bind(person.politicalStatus.code)
        statement!.bind(sealed.phone)
        do {
            try statement!.run()
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            return nil
        }
        return database.lastInsertedRowID
    }
}
