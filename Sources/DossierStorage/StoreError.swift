package import DossierCore

/// Why the storage refused or failed a request, in words a personnel officer can act on.
///
/// A struct around a private code, so new reasons can be added without breaking callers. Each
/// reason reads in English (`description`) and in Simplified Chinese (`chineseDescription`, for the
/// admin pages). The messages never contain an identity or phone number.
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
        /// A refusal in the words given; `zh` is the same in Chinese where a user's request caused it
        /// (nil: the database holds something it cannot read, an internal failure).
        case invalid(String, zh: String? = nil)
    }

    package let code: Code

    package init(_ code: Code) { self.code = code }

    public var description: String { sentences.english }

    /// The same sentence in Simplified Chinese, for the admin pages.
    public var chineseDescription: String { sentences.chinese }

    /// Both sentences of each error, side by side, so the two languages say the same thing.
    private var sentences: (english: String, chinese: String) {
        switch code {
        case .unknownOrganization(let code):
            return ("No organisation with credit code \(code) is on file.", "统一社会信用代码为 \(code) 的机构不在档。")
        case .duplicateOrganization(let code):
            return ("An organisation with credit code \(code) is already on file.", "统一社会信用代码为 \(code) 的机构已在档。")
        case .unknownUser(let name):
            return ("There is no user named '\(name)'.", "没有名为“\(name)”的用户。")
        case .duplicateUser(let name):
            return ("A user named '\(name)' already exists.", "名为“\(name)”的用户已经存在。")
        case .unknownPerson(let id):
            return ("No person with file number \(id) is on file.", "档案号为 \(id) 的人员不在档。")
        case .duplicateIdentityNumber:
            return ("A person with this identity number is already on file.", "该公民身份号码的人员已在档。")
        case .wrongKey:
            return (
                "The key file does not belong to this database; use the key file created with it.",
                "密钥文件与本数据库不匹配；请使用创建数据库时生成的密钥文件。"
            )
        case .notInitialised(let path):
            return (
                "There is no Dossier database at \(path); run 'dossier init' first.",
                "\(path) 处没有 Dossier 数据库；请先运行“dossier init”。"
            )
        case .auditChainBroken(let seq):
            return ("The audit log does not verify at entry \(seq).", "审计日志在第 \(seq) 条处未通过校验。")
        case .invalid(let message, let chinese):
            return (message, chinese ?? "数据库中有无法读取的记录，未能完成请求。")
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
