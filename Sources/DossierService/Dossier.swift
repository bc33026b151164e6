public import DossierCore
import DossierCrypto
import DossierPolicy
import DossierPolicyFiles
public import DossierStorage
import Foundation
public import Logging

/// The use cases of one Dossier node, acting as one user. Every call authorises the user,
/// validates the input, and runs as one transaction with its audit entry; the CLI and the HTTP
/// front both go through here, so the rules are the same whichever door a request came through.
public final class Dossier: Sendable {
    let store: any Storage
    /// The user every call acts as.
    public let actor: User
    let logger: Logger
    /// Every policy of this node (its `policies/` copy, else the shipped files), each asked
    /// what was in force on a date.
    public let policies: PolicySet
    /// The status machine, all its versions (the fold asks it at each action's date).
    public var statusMachine: StatusMachine { policies.statusMachine }
    /// The rank bands and their enforcement in force today.
    public var rankQuotas: RankQuotaPolicy { policies.rankQuotas.at(today) }
    /// What document intake accepts.
    public var documentPolicy: DocumentPolicy { policies.documents }
    /// The node's document files; nil for a store without a data directory.
    let blobs: BlobStore?
    /// The node's data directory (keys, policies, blobs); nil for an in-memory store.
    let dataDirectory: DataDirectory?
    /// Who acts, with their read scope, when it was resolved with the sign-in (HTTP requests);
    /// nil: looked up when needed.
    let principal: Principal?
    /// How the acting user was shown to be who they are, recorded in every audit entry this node
    /// writes (`proven_by`); nil for code that links Dossier and opens a node itself (tests,
    /// tools), which holds the data directory anyway.
    public let provenBy: IdentityProof?
    /// Where "today" comes from: every rule that needs today asks this, never the system.
    public let clock: DayClock
    /// The statistical tables, read the first time they are asked for and kept for the node's
    /// life (a copy acting as another user shares them).
    let reports: ReportCatalogCache

    /// Today by the node's clock.
    public var today: CivilDate { clock.today() }

    init(
        store: any Storage,
        actor: User,
        logger: Logger,
        policies: PolicySet,
        blobs: BlobStore?,
        dataDirectory: DataDirectory? = nil,
        principal: Principal? = nil,
        provenBy: IdentityProof? = nil,
        clock: DayClock = .system,
        reports: ReportCatalogCache? = nil
    ) {
        self.provenBy = provenBy
        self.reports = reports ?? ReportCatalogCache(directory: dataDirectory, ladder: policies.rankLadder)
        self.principal = principal
        self.clock = clock
        self.store = store
        self.actor = actor
        self.logger = logger
        self.policies = policies
        self.blobs = blobs
        self.dataDirectory = dataDirectory
    }

    /// Reads every policy of the node, once: `DIR/policies/NAME` where the node has its own
    /// copy, else the file shipped with Dossier. A file that does not load stops Dossier, with
    /// the file and the reason.
    public static func loadPolicies(_ directory: DataDirectory?) throws -> PolicySet {
        do {
            return try PolicySource(folder: directory?.policiesPath).policySet()
        } catch {
            throw ServiceError(.setup, error.description, zh: "本节点的政策文件无法使用。")
        }
    }

    /// The policies shipped with Dossier (tests, and nodes without their own copies).
    public static let shippedPolicies: PolicySet = {
        guard let policies = try? loadPolicies(nil) else { fatalError("the shipped policy files do not load") }
        return policies
    }()

    /// Opens the node in `directory` acting as the user named `actorName`, taken on trust: for
    /// code that links Dossier (it holds the data directory). The command line proves who acts
    /// with `open(_:claiming:with:)`.
    public static func open(
        _ directory: DataDirectory,
        as actorName: String,
        logger: Logger? = nil,
        clock: DayClock = .system
    ) async throws -> Dossier {
        try await open(directory, logger: logger, clock: clock) { _ in (actorName, nil) }
    }

    /// Opens the node in `directory` acting as the user `credential` proves: the node's
    /// administrator needs nothing but the data directory, anyone else their API token or their
    /// password (`IdentityProof` says which, in every audit entry).
    public static func open(
        _ directory: DataDirectory,
        claiming name: String?,
        with credential: Credential,
        logger: Logger? = nil,
        clock: DayClock = .system
    ) async throws -> Dossier {
        try await open(directory, logger: logger, clock: clock) { store in
            try await proveIdentity(claiming: name, with: credential, in: store)
        }
    }

    /// Opens the node and acts as the user `who` names, with how they were proven.
    private static func open(
        _ directory: DataDirectory,
        logger: Logger?,
        clock: DayClock,
        who: (any Storage) async throws -> (name: String, proof: IdentityProof?)
    ) async throws -> Dossier {
        guard directory.exists else {
            throw ServiceError(
                .setup,
                "There is no Dossier database in \(directory.path); run 'dossier init' (or 'dossier demo') first.",
                zh: "\(directory.path) 中没有 Dossier 数据库；请先运行“dossier init”（或“dossier demo”）。"
            )
        }
        // What a process killed mid-work left behind goes before anything else is done.
        directory.removeStaleFiles()
        let keys = try mapErrorsSync { try FieldKeys.read(fromPath: directory.fieldKeyPath) }
        let store = try mapErrorsSync { try directory.backend.open(in: directory.path, keys: keys, create: false) }
        let actor = try await who(store)
        return try await acting(
            on: store,
            as: actor.name,
            logger: logger,
            policies: try loadPolicies(directory),
            blobs: BlobStore(root: directory.blobsPath),
            dataDirectory: directory,
            provenBy: actor.proof,
            clock: clock
        )
    }

    /// Wraps an open store (tests use an in-memory one) acting as `actorName`.
    public static func acting(
        on store: any Storage,
        as actorName: String,
        logger: Logger? = nil,
        policies: PolicySet? = nil,
        statusMachine: StatusMachine? = nil,
        rankQuotas: RankQuotaPolicy? = nil,
        documentPolicy: DocumentPolicy? = nil,
        blobs: BlobStore? = nil,
        dataDirectory: DataDirectory? = nil,
        provenBy: IdentityProof? = nil,
        clock: DayClock = .system
    ) async throws -> Dossier {
        guard let user = try await mapErrors({ try await store.user(actorName) }) else {
            throw ServiceError(
                .forbidden,
                "There is no user named '\(actorName)'; ask an administrator to add you.",
                zh: "没有名为“\(actorName)”的用户；请管理员为您添加。"
            )
        }
        guard !user.disabled else {
            throw ServiceError(
                .forbidden,
                "User '\(actorName)' is switched off; ask an administrator.",
                zh: "用户“\(actorName)”已停用；请联系管理员。"
            )
        }
        let policies = Self.policies(
            policies,
            statusMachine: statusMachine,
            rankQuotas: rankQuotas,
            documents: documentPolicy
        )
        // Every rank of the node's ladder can be stored (a read when none is new).
        try await mapErrors { try await store.registerRanks(policies.rankLadder.versions.flatMap(\.value.steps)) }
        return Dossier(
            store: store,
            actor: user,
            logger: logger ?? Self.quietLogger,
            policies: policies,
            blobs: blobs,
            dataDirectory: dataDirectory,
            provenBy: provenBy,
            clock: clock
        )
    }

    /// `base` (else the shipped policies) with any single policy given in its place; a rank
    /// quota policy given alone is in force from the first day.
    private static func policies(
        _ base: PolicySet?,
        statusMachine: StatusMachine?,
        rankQuotas: RankQuotaPolicy?,
        documents: DocumentPolicy?
    ) -> PolicySet {
        var policies = base ?? shippedPolicies
        if let statusMachine { policies.statusMachine = statusMachine }
        if let rankQuotas { policies.rankQuotas = Dated(rankQuotas, from: CivilDate(year: 1900, month: 1, day: 1)!) }
        if let documents { policies.documents = documents }
        return policies
    }

    /// How long reads and writes have waited for the database since the node opened (for
    /// monitoring; no personal data).
    public var databaseWaits: StorageWaits { store.waits }

    /// The same node acting as another user (the HTTP front makes one per request, sharing the
    /// store and the policies loaded at start).
    public func acting(as user: User) -> Dossier {
        copy(actor: user, principal: nil, provenBy: nil, clock: clock)
    }

    /// The same node acting as a signed-in principal, whose read scope is already known.
    public func acting(as principal: Principal) -> Dossier {
        copy(actor: principal.user, principal: principal, provenBy: principal.provenBy, clock: clock)
    }

    /// The same node, acting as the same user, on another clock (a node run "on" a fixed date).
    public func on(_ clock: DayClock) -> Dossier {
        copy(actor: actor, principal: principal, provenBy: provenBy, clock: clock)
    }

    /// The same node logging to `logger` (an HTTP request's own, with its request id).
    public func logging(to logger: Logger) -> Dossier {
        copy(actor: actor, principal: principal, provenBy: provenBy, clock: clock, logger: logger)
    }

    /// This node's store and policies with another actor, principal, clock or logger.
    private func copy(
        actor: User,
        principal: Principal?,
        provenBy: IdentityProof?,
        clock: DayClock,
        logger: Logger? = nil
    ) -> Dossier {
        Dossier(
            store: store,
            actor: actor,
            logger: logger ?? self.logger,
            policies: policies,
            blobs: blobs,
            dataDirectory: dataDirectory,
            principal: principal,
            provenBy: provenBy,
            clock: clock,
            reports: reports
        )
    }

    /// Warnings and errors only, for callers that bring no logger of their own (tests, tools).
    static var quietLogger: Logger {
        var logger = Logger(label: "dossier")
        logger.logLevel = .warning
        return logger
    }

    /// Creates a new node: the directory, its key file (mode 0600) and database, and the `admin`
    /// user. Refuses to touch an existing node.
    @discardableResult
    public static func initialize(_ directory: DataDirectory, agency: Agency? = nil) async throws -> any Storage {
        let fileManager = FileManager.default
        if directory.exists || fileManager.fileExists(atPath: directory.fieldKeyPath) {
            throw ServiceError(
                .setup,
                "\(directory.path) already holds a Dossier node; nothing was changed.",
                zh: "\(directory.path) 中已有 Dossier 节点；未作任何更改。"
            )
        }
        do {
            try fileManager.createDirectory(
                atPath: directory.keysPath,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ServiceError(
                .setup,
                "Cannot create the data directory \(directory.path).",
                zh: "无法创建数据目录 \(directory.path)。"
            )
        }
        // The node's own copy of the policy files, which its administrator may adapt. Written
        // straight into the new directory: Foundation's atomic write on Linux leaves an empty
        // TemporaryDirectory.* folder in /tmp behind for every file.
        do {
            try fileManager.createDirectory(
                atPath: directory.policiesPath + "/feeds",
                withIntermediateDirectories: true
            )
            for name in PolicyFiles.names {
                guard let text = PolicyFiles.shippedText(name) else { continue }
                try text.write(toFile: directory.policiesPath + "/" + name, atomically: false, encoding: .utf8)
            }
        } catch {
            throw ServiceError(
                .setup,
                "Cannot write the policy files into \(directory.policiesPath).",
                zh: "无法将政策文件写入 \(directory.policiesPath)。"
            )
        }
        do {
            try fileManager.createDirectory(
                atPath: directory.blobsPath + "/tmp",
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw ServiceError(
                .setup,
                "Cannot create the document store \(directory.blobsPath).",
                zh: "无法创建材料库 \(directory.blobsPath)。"
            )
        }
        let keys = FieldKeys.generate()
        try mapErrorsSync { try keys.write(toPath: directory.fieldKeyPath) }
        let store = try mapErrorsSync { try directory.backend.open(in: directory.path, keys: keys, create: true) }
        try await mapErrors {
            try await addFirstUser(User(name: "admin", role: .admin, displayName: "Administrator"), to: store)
        }
        if let agency {
            let admin = try await acting(on: store, as: "admin", dataDirectory: directory)
            try await admin.setAgency(agency)
        }
        return store
    }

    /// Throws unless the acting user's role grants `permission`.
    func require(_ permission: Permission) throws {
        guard permission.isGranted(to: actor.role) else {
            throw ServiceError(
                .forbidden,
                "User '\(actor.name)' (\(actor.role.rawValue)) may not \(permission.phrase).",
                zh: "用户“\(actor.name)”（\(actor.role.rawValue)）无权\(permission.chinesePhrase)。"
            )
        }
    }

    /// Whether the acting user may see full identity numbers.
    public var mayRevealIdentity: Bool { Permission.revealIdentity.isGranted(to: actor.role) }

    /// What the storage's own consistency check found wrong with its files (empty: nothing).
    public func storageProblems() async throws -> [String] {
        try await mapErrors { try await store.storageProblems() }
    }
}

/// Turns lower-layer errors into `ServiceError`s with the same plain message (storage calls,
/// which are asynchronous, and anything else that may fail in a lower layer).
func mapErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        throw serviceError(error)
    }
}

/// `mapErrors` for work that does not wait (keys, certificates, files).
func mapErrorsSync<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw serviceError(error)
    }
}

/// The `ServiceError` a lower layer's error stands for, in the same plain words.
private func serviceError(_ error: any Error) -> ServiceError {
    switch error {
    case let error as ServiceError:
        return error
    case let error as RuleRefusal:
        return ServiceError(
            error.isNotFound ? .notFound : .refused,
            error.description,
            zh: error.chineseDescription
        )
    case let error as StoreError:
        return ServiceError(
            error.isNotFound ? .notFound : .refused,
            error.description,
            zh: error.chineseDescription
        )
    case let error as CryptoError:
        return ServiceError(.setup, error.description, zh: error.chineseDescription)
    case let error as IdentifierError:
        return ServiceError(.invalid, error.description, zh: error.chineseDescription)
    default:
        // SQLite and other unexpected failures: a fixed sentence; what they said is the cause,
        // for the log and the command line only.
        return ServiceError(
            .setup,
            "The database could not complete the request.",
            zh: "数据库未能完成请求。",
            cause: String(describing: error)
        )
    }
}

/// A signed-in user with the organisations they may read in, resolved together in one read
/// when a request arrives (the scope then holds for the whole request).
public struct Principal: Sendable, Hashable {
    public let user: User
    /// nil: the whole node.
    let readable: Set<Int64>?
    /// Raised whenever the user's access changes (switched off, password, role): a page session
    /// started under another epoch is over.
    public let epoch: Int64
    /// How the request showed who it comes from (a page session or an API token).
    public let provenBy: IdentityProof

    init(_ found: (user: User, readable: Set<Int64>?, epoch: Int64), provenBy: IdentityProof) {
        user = found.user
        readable = found.readable
        epoch = found.epoch
        self.provenBy = provenBy
    }
}
