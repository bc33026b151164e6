import DossierCore
import DossierService
import Hummingbird

/// Users (administrators): `/api/v1/users`. Passwords are never sent back, only set.
struct UserController {
    let settings: ServerSettings

    struct NewUser: Decodable {
        var name: String
        var role: Role
        var displayName: String
        var password: String?
        /// The organisation the role covers (with everything under it).
        var org: String?
        /// The role covers the whole node.
        var wholeNode: Bool?

        private enum CodingKeys: String, CodingKey {
            case name, role
            case displayName = "display_name"
            case password, org
            case wholeNode = "whole_node"
        }

        /// Where the new user may act: nil when neither is given (they reach nothing until granted).
        func reach() throws -> Reach? {
            switch (org, wholeNode ?? false) {
            case (.some, true): throw Problem(.invalid, "Give org or whole_node, not both.")
            case (nil, true): return .wholeNode
            case (let org?, false):
                do { return .organization(try CreditCode(org)) } catch { throw Problem(.invalid, "org: \(error)") }
            case (nil, false): return nil
            }
        }
    }

    /// Why a user is switched off or on, for the audit log.
    struct StateChange: Decodable {
        var reason: String
    }

    struct RoleChange: Decodable {
        var role: Role
    }

    /// A grant: a role over an organisation and everything under it, or the whole node.
    struct GrantBody: Codable, ResponseEncodable {
        var role: Role
        /// The organisation's credit code; null for the whole node.
        var org: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(role, forKey: .role)
            try container.encode(org, forKey: .org)
        }

        private enum CodingKeys: String, CodingKey { case role, org }

        func code() throws -> CreditCode? {
            guard let org else { return nil }
            do { return try CreditCode(org) } catch { throw Problem(.invalid, "org: \(error)") }
        }
    }

    func addRoutes(to group: APIGroup) async {
        group.get("users") { _, context, dossier -> [UserJSON] in
            try await dossier.users().map(UserJSON.init)
        }
        group.post("users") { request, context, dossier -> EditedResponse<JSONBody<UserJSON>> in
            let new = try await request.decode(as: NewUser.self, context: context)
            let user = User(name: new.name, role: new.role, displayName: new.displayName)
            let reach = try new.reach()
            let cost = settings.passwordCost
            // Hashing is slow on purpose: off the request threads. The user, the password and the
            // grant are stored together, so a refused password adds nobody.
            try await SlowWork.run { try await dossier.addUser(user, reach: reach, password: new.password, cost: cost) }
            return EditedResponse(status: .created, response: JSONBody(UserJSON(user)))
        }
        group.get("users/{name}/grants") { _, context, dossier -> [GrantBody] in
            let name = context.parameters.get("name") ?? ""
            return try await dossier.grants(of: name).map { GrantBody(role: $0.role, org: $0.org?.value) }
        }
        group.post("users/{name}/grants") { request, context, dossier -> EditedResponse<GrantBody> in
            let grant = try await request.decode(as: GrantBody.self, context: context)
            let name = context.parameters.get("name") ?? ""
            try await dossier.grant(user: name, role: grant.role, org: try grant.code())
            return EditedResponse(status: .created, response: grant)
        }
        for (verb, disabled) in [("disable", true), ("enable", false)] {
            group.post("users/{name}/\(verb)") { request, context, dossier -> Response in
                let change = try await request.decode(as: StateChange.self, context: context)
                try await dossier.setDisabled(
                    disabled,
                    user: context.parameters.get("name") ?? "",
                    reason: change.reason
                )
                return Response(status: .noContent)
            }
        }
        group.post("users/{name}/unlock") { _, context, dossier -> Response in
            // Recorded in the database: the server lets the name in at its next attempt.
            try await dossier.unlock(user: context.parameters.get("name") ?? "")
            return Response(status: .noContent)
        }
        group.post("users/{name}/role") { request, context, dossier -> Response in
            let change = try await request.decode(as: RoleChange.self, context: context)
            try await dossier.setRole(change.role, user: context.parameters.get("name") ?? "")
            return Response(status: .noContent)
        }
        group.delete("users/{name}/password") { _, context, dossier -> Response in
            try await dossier.removePassword(user: context.parameters.get("name") ?? "")
            return Response(status: .noContent)
        }
        group.post("users/{name}/grants/revoke") { request, context, dossier -> Response in
            let grant = try await request.decode(as: GrantBody.self, context: context)
            let name = context.parameters.get("name") ?? ""
            try await dossier.revoke(user: name, role: grant.role, org: try grant.code())
            return Response(status: .noContent)
        }
    }
}
