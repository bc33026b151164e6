public import DossierCore
import DossierStorage
import Foundation
import Logging

/// A change of identity number as a reader sees it: the numbers masked unless they asked to
/// reveal them and may.
public struct IdentityNumberChangeView: Sendable, Hashable {
    public var old: String
    public var new: String
    public var reason: String
    public var changedBy: String
    public var changedAt: String
}

extension Dossier {
    /// Gives a person's file a new identity number (an administrator's correction of a number
    /// filed wrong, or one the public security office reissued), with a reason. The number is
    /// checked as at filing (check character, birth date not in the future), must not be on
    /// another file, and is sealed and re-indexed; the sex and birth date follow it. The old
    /// number stays in the file's history. One transaction with its audit entry, which names
    /// neither number.
    public func changeIdentityNumber(personID: Int64, to text: String, reason: String) async throws {
        try require(.changeIdentityNumbers)
        let reason = try FreeText.checked(reason, "The reason", zh: "原因", maxLength: 500)
        let number: ResidentID
        do {
            number = try ResidentID(text.trimmingCharacters(in: .whitespaces))
            try number.validate(notAfter: today)
        } catch {
            throw ServiceError(
                .invalid,
                "The new identity number is refused: \(error.description)",
                zh: "新的公民身份号码不予接受：\(error.chineseDescription)"
            )
        }
        try await mapErrors {
            try await store.write { tx in
                try tx.requireUser(actor.name)
                guard try tx.personExists(personID) else { throw RuleRefusal.unknownPerson(personID) }
                switch try tx.changeIdentityNumber(of: personID, to: number, reason: reason, by: actor.name) {
                case .changed:
                    break
                case .unchanged:
                    throw RuleRefusal.refused(
                        "File \(personID) already holds that identity number; nothing was changed.",
                        zh: "档案号 \(personID) 已是该公民身份号码；未作任何更改。"
                    )
                case .heldBy(let other):
                    throw RuleRefusal.refused(
                        "That identity number is on file \(other); one number belongs to one file. Nothing was changed.",
                        zh: "该公民身份号码已在档案号 \(other) 中；一个号码只属于一份档案。未作任何更改。"
                    )
                }
                try audit(
                    tx,
                    action: "person.id-number",
                    subject: "person:\(personID)",
                    details: ["reason": AuditText.masked(reason)]
                )
            }
        }
        logger.info("identity number changed", metadata: ["person.id": "\(personID)"])
    }

    /// The changes of a person's identity number, oldest first; the numbers masked unless
    /// `reveal` (a role that may see full numbers, for a person within its grants; the reveal is
    /// audited as any other).
    public func identityNumberChanges(
        personID: Int64,
        reveal: Bool = false
    ) async throws
        -> [IdentityNumberChangeView]
    {
        try require(.readPeople)
        try await requireReadable(personID: personID)
        if reveal {
            try require(.revealIdentity)
            try await requireWithinReach(personID: personID, as: actor.role)
        }
        let changes = try await mapErrors { try await store.identityNumberChanges(personID: personID) }
        if reveal, !changes.isEmpty { try await recordReveal(personIDs: [personID]) }
        return changes.map {
            IdentityNumberChangeView(
                old: reveal ? $0.old.value : $0.old.masked,
                new: reveal ? $0.new.value : $0.new.masked,
                reason: $0.reason,
                changedBy: $0.changedBy,
                changedAt: $0.changedAt
            )
        }
    }
}
