public import DossierStorage
import Foundation

/// The files of one Dossier node: the database (its backend names its files), `keys/field.key`,
/// `policies/` and `blobs/`. The key file never goes into the database or into backups of it.
public struct DataDirectory: Sendable {
    public let path: String
    /// The storage backend whose database lives here.
    public let backend: any StorageBackend

    public init(path: String, backend: any StorageBackend) {
        self.path = path
        self.backend = backend
    }

    /// `--data` if given, else `$DOSSIER_DATA`, else `./data`.
    public static func resolve(_ explicit: String?, backend: any StorageBackend) -> DataDirectory {
        if let explicit, !explicit.isEmpty { return DataDirectory(path: explicit, backend: backend) }
        if let env = ProcessInfo.processInfo.environment["DOSSIER_DATA"], !env.isEmpty {
            return DataDirectory(path: env, backend: backend)
        }
        return DataDirectory(path: "data", backend: backend)
    }

    public var keysPath: String { path + "/keys" }
    public var fieldKeyPath: String { keysPath + "/field.key" }
    public var policiesPath: String { path + "/policies" }
    /// The node's own statistical tables (`NAME.yaml`), beside the shipped ones.
    public var reportsPath: String { path + "/reports" }
    public var blobsPath: String { path + "/blobs" }

    /// Whether a node's database is here.
    public var exists: Bool { backend.exists(in: path) }
}
