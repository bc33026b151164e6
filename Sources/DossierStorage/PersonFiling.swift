public import DossierCore
public import DossierCrypto

/// Files new people inside one write transaction: keeps the identity number unique and writes
/// the row (through one prepared statement, in SQLite). It decides nothing about hiring; the
/// service does.
///
/// Lives only as long as its transaction; not shareable.
public protocol PersonFiling: AnyObject {
    /// Seals a person's numbers (done ahead, on other threads, by a bulk import).
    func seal(_ person: NewPerson) throws -> SealedPerson
    /// Who holds the identity number with this blind index, if anyone.
    func holder(ofIndex index: [UInt8]) throws -> PersonFilingHolder?
    /// Files the person; returns their file number, or nil when the identity number is taken.
    func file(_ person: NewPerson, sealed: SealedPerson) throws -> Int64?
}

/// Who already holds an identity number, by its blind index: a file from before this
/// transaction, or one filed in it.
public enum PersonFilingHolder: Sendable, Hashable {
    case onFile
    case filedInThisTransaction
}

/// A person's identity and phone numbers sealed, and the blind index computed, ahead of the
/// insert — on another thread during a bulk import, so the writer only writes.
public struct SealedPerson: Sendable {
    /// The identity number, sealed with the field key.
    package let idNumber: [UInt8]
    /// The keyed blind index of the identity number (for duplicates).
    public let index: [UInt8]
    /// The phone number, sealed, if the person has one.
    package let phone: [UInt8]?
}

/// An identity number sealed, with its keyed blind index (for a feed row).
public struct SealedIdentity: Sendable {
    /// The identity number, sealed with the field key.
    package let sealed: [UInt8]
    /// The keyed blind index, the same as a person's file holds for the same number.
    public let index: [UInt8]
}

/// Seals person records with a node's field key. Not shareable: make one per thread.
public final class PersonSealer {
    private let cipher: FieldCipher

    public init(keys: FieldKeys) throws {
        cipher = try FieldCipher(keys: keys)
    }

    /// The blind index alone, for a row that will not be filed but must still be checked for
    /// duplicates.
    public func index(_ idNumber: ResidentID) throws -> [UInt8] {
        try cipher.blindIndex(Array(idNumber.value.utf8), context: PersonColumns.idNumber)
    }

    /// Seals an identity number and computes its blind index, exactly as for a person's file, so a
    /// feed row and the person it names share the index (a feed row is found by the person's).
    public func seal(_ idNumber: ResidentID) throws -> SealedIdentity {
        let idBytes = Array(idNumber.value.utf8)
        return SealedIdentity(
            sealed: try cipher.seal(idBytes, context: PersonColumns.idNumber),
            index: try cipher.blindIndex(idBytes, context: PersonColumns.idNumber)
        )
    }

    /// Seals the identity and phone numbers and computes the blind index.
    public func seal(_ person: NewPerson) throws -> SealedPerson {
        let idBytes = Array(person.idNumber.value.utf8)
        return SealedPerson(
            idNumber: try cipher.seal(idBytes, context: PersonColumns.idNumber),
            index: try cipher.blindIndex(idBytes, context: PersonColumns.idNumber),
            phone: try person.phone.map { try cipher.seal(Array($0.utf8), context: PersonColumns.phone) }
        )
    }
}

/// Column labels bound into sealed values and blind indexes (changing one makes every stored
/// value unreadable).
package enum PersonColumns {
    package static let idNumber: StaticString = "person.id_number"
    package static let phone: StaticString = "person.phone"
}
