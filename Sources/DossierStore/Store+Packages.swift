import DossierStorage
import Foundation
internal import GRDB

extension DossierStore {
    /// The signature stored for a tag manifest and key, if any.
    public func packageSignature(tagManifestSHA256 digest: String, keyID: String) throws -> [UInt8]? {
        try read { db in
            let data = try Data.fetchOne(
                db,
                sql: "SELECT signature FROM package_signature WHERE tag_manifest_sha256 = ? AND key_id = ?",
                arguments: [digest, keyID]
            )
            return data.map { Array($0) }
        }
    }
}

extension StoreTransaction {
    /// Keeps a package's signature over its tag manifest, for reproducible re-packing (the
    /// same manifest and key keep their first signature).
    public func insertPackageSignature(tagManifestSHA256 digest: String, keyID: String, signature: [UInt8]) throws {
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO package_signature(tag_manifest_sha256, key_id, signature, signed_at)
                VALUES (?, ?, ?, ?)
                """,
            arguments: [digest, keyID, Data(signature), recordedAt]
        )
    }
}
