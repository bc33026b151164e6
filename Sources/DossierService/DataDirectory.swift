import Foundation

/// The files of one Dossier node: `dossier.sqlite` (with its WAL), `keys/field.key` and, later,
/// `blobs/` and `packages/`. The key file never goes into the database or into backups of it.
public struct DataDirectory: Sendable, Hashable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// `--data` if given, else `$DOSSIER_DATA`, else `./data`.
    public static func resolve(_ explicit: String?) -> DataDirectory {
        if let explicit, !explicit.isEmpty { return DataDirectory(path: explicit) }
        if let env = ProcessInfo.processInfo.environment["DOSSIER_DATA"], !env.isEmpty {
            return DataDirectory(path: env)
        }
        return DataDirectory(path: "data")
    }

    public var databasePath: String { path + "/dossier.sqlite" }
    public var keysPath: String { path + "/keys" }
    public var fieldKeyPath: String { keysPath + "/field.key" }
    public var policiesPath: String { path + "/policies" }
    public var blobsPath: String { path + "/blobs" }

    var exists: Bool { FileManager.default.fileExists(atPath: databasePath) }
}
