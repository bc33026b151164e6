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
    /// Archive and transfer packages written by the node (`PACKAGE-ID.tar`).
    public var packagesPath: String { path + "/packages" }

    /// Removes what a process killed in the middle of its work left behind: a document file
    /// being received (`blobs/tmp/incoming-PID-…`) and a package or backup being written
    /// (`NAME.partial-PID` in `packages/` and in the data directory itself), where process PID
    /// is no longer running. Such files are never part of the node: a file enters the store, and
    /// a package or backup its place, only by a rename once whole. Returns how many it removed.
    @discardableResult
    public func removeStaleFiles() -> Int {
        var removed = BlobStore(root: blobsPath).removeStaleTemporaries()
        for folder in [path, packagesPath, keysPath] {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            for name in names {
                guard let marker = name.range(of: ".partial-", options: .backwards),
                    let pid = Int32(name[marker.upperBound...]), !BlobStore.isRunning(pid)
                else { continue }
                if (try? FileManager.default.removeItem(atPath: folder + "/" + name)) != nil { removed += 1 }
            }
        }
        return removed
    }
}
