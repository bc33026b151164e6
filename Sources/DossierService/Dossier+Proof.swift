import DossierCore
import DossierStorage
import HummingbirdBcrypt

/// How the acting user was shown to be who they are. Every audit entry records it as
/// `proven_by`, so an inspector can tell an approval made with the approver's own password from
/// one made by whoever held the data directory.
public enum IdentityProof: String, Sendable, Hashable {
    /// The node's administrator at the command line: whoever holds the data directory (its key
    /// file and database) holds the node, so nothing more is asked.
    case dataDirectory = "data-directory"
    /// One of the user's API tokens (`DOSSIER_TOKEN` on the command line, a Bearer header over
    /// HTTP).
    case token
    /// The user's password, typed at a terminal.
    case password
    /// A page session, begun by signing in with the password.
    case session
}

/// What someone at the command line offers to show who they are.
public enum Credential: Sendable {
    /// Nothing: only the node's administrator may act so.
    case none
    /// An API token's secret.
    case token(String)
    /// A password typed at a terminal.
    case password(String)
}

extension Dossier {
    /// The one user who may act at the command line with nothing but the data directory: the
    /// administrator `dossier init` creates.
    public static let nodeAdministrator = "admin"

    /// Who `credential` shows is acting, refusing a claim it does not prove. Acting as another
    /// user without their token or password would let one person approve their own drafts under
    /// a second name, which would empty maker-checker of its meaning.
    static func proveIdentity(
        claiming claimed: String?,
        with credential: Credential,
        in store: any Storage
    ) async throws -> (name: String, proof: IdentityProof?) {
        switch credential {
        case .none:
            let name = claimed ?? nodeAdministrator
            guard name == nodeAdministrator else {
                throw ServiceError(
                    .forbidden,
                    "Acting as '\(name)' needs proof that you are \(name): one of their API tokens or their password.",
                    zh: "以“\(name)”身份操作，须证明您就是 \(name)：提供其 API 令牌之一或其密码。"
                )
            }
            return (name, .dataDirectory)
        case .token(let secret):
            guard let owner = try await tokenOwner(secret, in: store)?.user else {
                throw ServiceError(
                    .forbidden,
                    "The API token given is not valid (revoked, or mistyped).",
                    zh: "所给的 API 令牌无效（已吊销或输入有误）。"
                )
            }
            if let claimed, claimed != owner.name {
                throw ServiceError(
                    .forbidden,
                    "The API token given is not one of '\(claimed)''s tokens.",
                    zh: "所给的 API 令牌不属于“\(claimed)”。"
                )
            }
            return (owner.name, .token)
        case .password(let password):
            guard let claimed else {
                throw ServiceError(.invalid, "Say whose password it is: --as NAME.", zh: "请说明是谁的密码：--as NAME。")
            }
            let found = try await mapErrors { try await store.credential(of: claimed) }
            guard let hash = found?.passwordHash, Bcrypt.verify(password, hash: hash) else {
                if found?.passwordHash == nil { _ = Bcrypt.verify(password, hash: decoyHash) }
                // Recorded as a failed sign-in would be.
                try await recordSignIn(.failure, user: claimed, client: "command line", in: store)
                throw ServiceError(
                    .forbidden,
                    "The password for '\(claimed)' is wrong; nothing was done.",
                    zh: "“\(claimed)”的密码错误；未作任何操作。"
                )
            }
            return (claimed, .password)
        }
    }

}

/// Who writes an audit entry: the acting user, and how they were proven. Every entry a use case
/// writes goes through here, so none can leave out `proven_by`.
struct AuditAuthor: Sendable {
    let name: String
    /// nil: not known (code that links Dossier and opens a node itself).
    let provenBy: IdentityProof?

    /// Appends the entry of the change `tx` makes.
    func append(
        to tx: any StorageTransaction,
        action: String,
        subject: String,
        details: [String: String] = [:]
    ) throws {
        var details = details
        if let provenBy { details["proven_by"] = provenBy.rawValue }
        try tx.appendAudit(actor: name, action: action, subject: subject, details: details)
    }
}

extension Dossier {
    /// The acting user as the author of audit entries.
    var author: AuditAuthor { AuditAuthor(name: actor.name, provenBy: provenBy) }

    /// Appends the audit entry of the change `tx` makes, by the acting user.
    func audit(_ tx: any StorageTransaction, action: String, subject: String, details: [String: String] = [:]) throws {
        try author.append(to: tx, action: action, subject: subject, details: details)
    }
}
