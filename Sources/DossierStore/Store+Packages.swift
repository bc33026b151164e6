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

    /// Records a package as packed: its signature (kept for reproducible re-packing) and an
    /// audit entry naming the person, the package and what the signature covers.
    public func recordPackage(
        personID: Int64,
        packageID: String,
        tagManifestSHA256 digest: String,
        keyID: String,
        signature: [UInt8],
        actor: String
    ) throws {
        try transaction { db in
            try Users.require(db, actor)
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO package_signature(tag_manifest_sha256, key_id, signature, signed_at)
                    VALUES (?, ?, ?, ?)
                    """,
                arguments: [digest, keyID, Data(signature), Timestamp.now()]
            )
            try AuditLog.append(
                db,
                actor: actor,
                action: "archive.pack",
                subject: "person:\(personID)",
                details: ["package": packageID, "tag_manifest_sha256": digest, "key_id": keyID]
            )
        }
    }
}
