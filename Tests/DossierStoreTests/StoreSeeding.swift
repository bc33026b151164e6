import DossierCore
import DossierStorage
import Testing

@testable import DossierStore

/// Setup data written straight through the store's own transactions: the rows, and the audit
/// entry, that the service writes for each, but none of its rules (who may act, quotas, the
/// status machine). The tests here watch the storage; the rules are tested where they live,
/// with the service.
extension DossierStore {
    /// Adds a user, with the `user.add` audit entry; `actor` nil: the user acts for themselves
    /// (as the node's first user does).
    func seedUser(_ user: User, by actor: String? = nil, passwordHash: String? = nil) throws {
        try write { tx in
            let actor = actor ?? user.name
            try tx.insertUser(user, passwordHash: passwordHash, reach: nil, grantedBy: actor)
            try tx.appendAudit(
                actor: actor,
                action: "user.add",
                subject: "user:\(user.name)",
                details: ["role": user.role.rawValue]
            )
        }
    }

    /// Registers an organisation, with the `org.add` audit entry.
    @discardableResult
    func seedOrganization(_ new: NewOrganization, by actor: String) throws -> Organization {
        try write { tx in
            let organization = try tx.insertOrganization(new)
            try tx.appendAudit(
                actor: actor,
                action: "org.add",
                subject: "org:\(new.code)",
                details: [
                    "name": new.name, "kind": new.kind.code, "level": new.level.code,
                    "parent": new.parentCode?.value ?? "",
                ]
            )
            return organization
        }
    }

    /// Records an approved number of an establishment category from a date, with the
    /// `quota.set` audit entry.
    func seedQuota(
        org: CreditCode,
        category: EstablishmentCategory,
        approved: Int,
        effectiveOn: CivilDate,
        by actor: String
    ) throws {
        try write { tx in
            try tx.insertQuota(
                org: org,
                subject: .category(category),
                approved: approved,
                effectiveOn: effectiveOn,
                by: actor
            )
            try tx.appendAudit(
                actor: actor,
                action: "quota.set",
                subject: "org:\(org)",
                details: [
                    "category": category.code, "approved": String(approved),
                    "effective_on": effectiveOn.description,
                ]
            )
        }
    }

    /// Grants `role` over an organisation and everything under it, with the `user.grant` audit
    /// entry.
    func seedGrant(user: String, role: Role, org: CreditCode, by actor: String) throws {
        try write { tx in
            _ = try tx.insertGrant(user: user, role: role, org: org, by: actor)
            try tx.appendAudit(
                actor: actor,
                action: "user.grant",
                subject: "user:\(user)",
                details: ["role": role.rawValue, "org": org.value]
            )
        }
    }

    /// Files a person with their hire: the person row, the hire action and its open placement,
    /// and the `person.add` audit entry. No quota or status check: the caller picks data that
    /// makes sense.
    func seedHire(_ person: NewPerson, by actor: String) throws -> Int64 {
        try write { tx in
            let terms = person.hire
            let org = try #require(try tx.organizationID(terms.orgCode), "seed the organisation first")
            let filing = try tx.personFiling()
            let id = try #require(try filing.file(person, sealed: try filing.seal(person)), "identity number taken")
            let hire = TimelineFold.Action(
                id: 0,
                kind: .hire,
                effectiveOn: terms.effectiveOn,
                org: org,
                category: terms.category,
                rank: terms.rank,
                post: terms.post,
                status: terms.status
            )
            var placement = TimelineFold.Interval(
                actionID: 0,
                org: org,
                category: terms.category,
                rank: terms.rank,
                post: terms.post,
                status: terms.status,
                from: terms.effectiveOn,
                until: nil
            )
            placement.actionID = try tx.insertAction(ActionRecord(hire, of: id, leadingTo: placement), by: actor)
            try tx.insertPlacement(placement, of: id)
            try tx.appendAudit(
                actor: actor,
                action: "person.add",
                subject: "person:\(id)",
                details: [
                    "org": terms.orgCode.value, "category": terms.category.code, "status": terms.status.code,
                    "effective_on": terms.effectiveOn.description,
                ]
            )
            return id
        }
    }
}

/// Tokens, issued and revoked straight through a store transaction (issuing and revoking them
/// as a use case is the service's).
extension DossierStore {
    func addToken(user: String, secretSHA256: String, label: String, actor: String) throws -> Int64 {
        try write { tx in
            let id = try tx.insertToken(user: user, secretSHA256: secretSHA256, label: label, by: actor)
            try tx.appendAudit(actor: actor, action: "user.token", subject: "user:\(user)")
            return id
        }
    }

    func revokeToken(_ id: Int64, actor: String) throws {
        try write { tx in _ = try tx.revokeToken(id, by: actor) }
    }
}
