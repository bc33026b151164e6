package import DossierCore

/// Why the storage refused or failed a request, in words a personnel officer can act on.
///
/// A struct around a private code, so new reasons can be added without breaking callers. The
/// messages never contain an identity or phone number.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    package enum Code: Hashable, Sendable {
        case unknownOrganization(CreditCode)
        case duplicateOrganization(CreditCode)
        case unknownUser(String)
        case duplicateUser(String)
        case unknownPerson(Int64)
        case duplicateIdentityNumber
        case wrongKey
        case notInitialised(String)
        case auditChainBroken(Int64)
        case invalid(String)
    }

    package let code: Code

    package init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .unknownOrganization(let code):
            return "No organisation with credit code \(code) is on file."
        case .duplicateOrganization(let code):
            return "An organisation with credit code \(code) is already on file."
        case .unknownUser(let name):
            return "There is no user named '\(name)'."
        case .duplicateUser(let name):
            return "A user named '\(name)' already exists."
        case .unknownPerson(let id):
            return "No person with file number \(id) is on file."
        case .duplicateIdentityNumber:
            return "A person with this identity number is already on file."
        case .wrongKey:
            return "The key file does not belong to this database; use the key file created with it."
        case .notInitialised(let path):
            return "There is no Dossier database at \(path); run 'dossier init' first."
        case .auditChainBroken(let seq):
            return "The audit log does not verify at entry \(seq)."
        case .invalid(let message):
            return message
        }
    }

    /// True when the thing asked for (organisation, user, person) is not on file.
    public var isNotFound: Bool {
        switch code {
        case .unknownOrganization, .unknownUser, .unknownPerson, .notInitialised: return true
        default: return false
        }
    }

    /// True when the identity number is already on file.
    public var isDuplicateIdentityNumber: Bool { code == .duplicateIdentityNumber }

    /// The sequence number of the first audit entry that does not verify, if that is the problem.
    public var brokenAuditEntry: Int64? {
        if case .auditChainBroken(let seq) = code { return seq }
        return nil
    }
}
