import DossierArchive
public import DossierCore
import DossierCrypto
import DossierStorage
import Foundation

/// The text a signed audit checkpoint signs: five lines, each ended by a newline, in UTF-8.
/// Small and fixed so that an inspector can cut it out of `dossier audit checkpoint --export`
/// and check the signature with `openssl` alone (Archives/README.md).
///
/// ```
/// dossier-audit-checkpoint v1
/// node: 12390000D00000001X   (the agency's credit code; "-" when none is set)
/// seq: 41
/// hash: 64 hex digits
/// at: 2026-12-04T15:41:36.123Z
/// ```
enum CheckpointText {
    static let header = "dossier-audit-checkpoint v1"

    static func make(node: String, seq: Int64, hash: String, at: String) -> String {
        "\(header)\nnode: \(node)\nseq: \(seq)\nhash: \(hash)\nat: \(at)\n"
    }

    /// The entry number and hash a signed text names; nil when it is not a text of this form.
    static func parse(_ text: String) -> (seq: Int64, hash: String)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count == 6, lines[0] == header, lines[5].isEmpty,
            lines[1].hasPrefix("node: "), lines[4].hasPrefix("at: "),
            lines[2].hasPrefix("seq: "), let seq = Int64(lines[2].dropFirst(5)),
            lines[3].hasPrefix("hash: ")
        else { return nil }
        return (seq, String(lines[3].dropFirst(6)))
    }
}

extension Dossier {
    /// Whether the node has a signing key to sign packages and checkpoints with.
    public var hasSigningKey: Bool {
        signingKeyPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
    }

    /// Signs the audit chain's head (the last entry's number and hash, the time and the node)
    /// with the node's signing key and keeps the checkpoint (administrators).
    ///
    /// The checkpoint vouches for the entry that was the head *before* it: the `audit.checkpoint`
    /// entry recording it is appended after, in the same transaction, and names what was signed;
    /// the next checkpoint covers it in turn. A signature is made over a state that exists, and
    /// the record of the checkpoint is never asked to contain its own signature.
    @discardableResult
    public func makeCheckpoint() async throws -> AuditCheckpoint {
        try require(.manageUsers)
        return try await signCheckpoint(unlessMadeToday: false)!
    }

    /// Makes today's checkpoint (by the node's clock) unless one was made today; nil then.
    /// The server calls this at start and every day after.
    @discardableResult
    public func makeDailyCheckpoint() async throws -> AuditCheckpoint? {
        try require(.manageUsers)
        return try await signCheckpoint(unlessMadeToday: true)
    }

    private func signCheckpoint(unlessMadeToday: Bool) async throws -> AuditCheckpoint? {
        guard let path = signingKeyPath, FileManager.default.fileExists(atPath: path) else {
            throw ServiceError(
                .refused,
                "This node has no signing key, so it cannot sign an audit checkpoint; run 'dossier keys generate' first.",
                zh: "本节点没有签名密钥，无法签署审计检查点；请先运行“dossier keys generate”。"
            )
        }
        let key = try loadKey(path)
        let keyID = try mapErrorsSync { try key.keyID() }
        let day = today
        return try await mapErrors {
            try await store.write { tx -> AuditCheckpoint? in
                try tx.requireUser(actor.name)
                if unlessMadeToday, try tx.checkpointMade(on: day) { return nil }
                guard let head = try tx.auditHead() else {
                    throw RuleRefusal.refused(
                        "The audit log is empty: there is nothing to sign yet.",
                        zh: "审计日志为空：尚无可签署的内容。"
                    )
                }
                let text = CheckpointText.make(
                    node: try tx.nodeAgency()?.code.value ?? "-",
                    seq: head.seq,
                    hash: head.hash,
                    at: tx.recordedAt
                )
                var checkpoint = AuditCheckpoint(
                    seq: head.seq,
                    hash: head.hash,
                    signedAt: tx.recordedAt,
                    madeOn: day,
                    keyID: keyID,
                    algorithm: ArchivePackage.label(key.algorithm),
                    signedText: text,
                    signature: try key.sign(Array(text.utf8)),
                    madeBy: actor.name
                )
                checkpoint.number = try tx.insertAuditCheckpoint(checkpoint)
                try audit(
                    tx,
                    action: "audit.checkpoint",
                    subject: "checkpoint:\(checkpoint.number)",
                    details: ["seq": String(head.seq), "hash": head.hash, "key": keyID]
                )
                return checkpoint
            }
        }
    }

    /// Every signed audit checkpoint, oldest first, for an inspector.
    public func auditCheckpoints() async throws -> [AuditCheckpoint] {
        try require(.readAudit)
        return try await mapErrors { try await store.auditCheckpoints() }
    }

    /// Checks every stored checkpoint: its signed text names the entry and hash stored with it,
    /// its signature verifies with one of the node's keys (active or kept, by key id), and the
    /// chain still has that hash at that entry. Returns the verification with the count of sound
    /// checkpoints and the first that does not hold.
    func checkCheckpoints(_ verification: AuditVerification) async throws -> AuditVerification {
        var result = verification
        let checkpoints = try await mapErrors { try await store.auditCheckpoints() }
        guard !checkpoints.isEmpty else { return result }
        var keys: [String: SigningKey] = [:]
        for path in ownKeyFiles() {
            guard let key = try? loadKey(path), let keyID = try? key.keyID() else { continue }
            keys[keyID] = key
        }
        for checkpoint in checkpoints {
            let entry = try await mapErrors { try await store.auditEntry(seq: checkpoint.seq) }
            if let problem = Self.checkpointProblem(checkpoint, key: keys[checkpoint.keyID], entry: entry) {
                result.brokenCheckpoint = checkpoint.number
                result.checkpointProblem = problem
                return result
            }
            result.checkpointsChecked += 1
        }
        return result
    }

    /// What is wrong with a checkpoint, in a sentence naming it; nil when it holds.
    static func checkpointProblem(_ checkpoint: AuditCheckpoint, key: SigningKey?, entry: AuditEntry?) -> String? {
        let name = "Checkpoint \(checkpoint.number) (signed \(checkpoint.signedAt))"
        guard let signed = CheckpointText.parse(checkpoint.signedText), signed.seq == checkpoint.seq,
            signed.hash == checkpoint.hash
        else {
            return "\(name) does not sign the entry and hash stored with it: the checkpoint was altered."
        }
        guard let key else {
            return
                "\(name) was signed with key \(checkpoint.keyID), which this node does not hold: put that key file back in the keys folder."
        }
        guard key.verify(checkpoint.signature, over: Array(checkpoint.signedText.utf8)) else {
            return "\(name)'s signature does not verify with key \(checkpoint.keyID): the checkpoint was altered."
        }
        guard let entry else {
            return
                "\(name) vouches for audit entry \(checkpoint.seq), which the log no longer holds: entries were removed after it was signed."
        }
        guard entry.hash == checkpoint.hash else {
            return
                "\(name) vouches that audit entry \(checkpoint.seq) had hash \(checkpoint.hash.prefix(16))…, but the log now holds another hash there: the audit log was rewritten after the checkpoint was signed."
        }
        return nil
    }
}
