public import DossierCore
import DossierCrypto
import Foundation
internal import GRDB

extension StoreTransaction {
    /// A writer of new person files for this transaction (one person or a million).
    public func personFiling() throws -> PersonFiling {
        try PersonFiling(db, cipher: try FieldCipher(keys: store.keys))
    }
}

/// Files new people inside one write transaction: seals their identity and phone numbers, keeps
/// the identity number unique, and writes the row through one prepared statement. It decides
/// nothing about hiring; the service does.
///
/// Lives only as long as its transaction; not shareable.
public final class PersonFiling {
    private let database: Database
    private let cipher: FieldCipher
    private var statement: RawStatement?
    /// Person ids above this were filed in this transaction.
    private let baseline: Int64

    init(_ database: Database, cipher: FieldCipher) throws {
        self.database = database
        self.cipher = cipher
        self.baseline = try Int64.fetchOne(database, sql: "SELECT coalesce(max(id), 0) FROM person") ?? 0
    }

    /// Seals a person's numbers (done ahead, on other threads, by a bulk import).
    public func seal(_ person: NewPerson) throws -> SealedPerson {
        try PersonSealer(cipher: cipher).seal(person)
    }

    /// Who already holds an identity number, by its blind index: a file from before this
    /// transaction, or one filed in it.
    public enum Holder: Sendable, Hashable {
        case onFile
        case filedInThisTransaction
    }

    /// Who holds the identity number with this blind index, if anyone.
    public func holder(ofIndex index: [UInt8]) throws -> Holder? {
        guard
            let existing = try Int64.fetchOne(
                database.cachedStatement(sql: "SELECT id FROM person WHERE id_number_index = ?"),
                arguments: [Data(index)]
            )
        else { return nil }
        return existing > baseline ? .filedInThisTransaction : .onFile
    }

    /// Files the person; returns their file number, or nil when the identity number is taken.
    public func file(_ person: NewPerson, sealed: SealedPerson) throws -> Int64? {
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

/// A person's identity and phone numbers sealed, and the blind index computed, ahead of the
/// insert — on another thread during a bulk import, so the writer only writes.
public struct SealedPerson: Sendable {
    let idNumber: [UInt8]
    /// The keyed blind index of the identity number (for duplicates).
    public let index: [UInt8]
    let phone: [UInt8]?
}

/// Seals person records for a store. Not shareable: make one per thread.
public final class PersonSealer {
    private let cipher: FieldCipher

    public init(for store: DossierStore) throws {
        cipher = try FieldCipher(keys: store.keys)
    }

    init(cipher: FieldCipher) {
        self.cipher = cipher
    }

    /// The blind index alone, for a row that will not be filed but must still be checked for
    /// duplicates.
    public func index(_ idNumber: ResidentID) throws -> [UInt8] {
        try cipher.blindIndex(Array(idNumber.value.utf8), context: PersonColumns.idNumber)
    }

    public func seal(_ person: NewPerson) throws -> SealedPerson {
        let idBytes = Array(person.idNumber.value.utf8)
        return SealedPerson(
            idNumber: try cipher.seal(idBytes, context: PersonColumns.idNumber),
            index: try cipher.blindIndex(idBytes, context: PersonColumns.idNumber),
            phone: try person.phone.map { try cipher.seal(Array($0.utf8), context: PersonColumns.phone) }
        )
    }
}

/// Column labels bound into sealed values and blind indexes.
enum PersonColumns {
    static let idNumber: StaticString = "person.id_number"
    static let phone: StaticString = "person.phone"
}
