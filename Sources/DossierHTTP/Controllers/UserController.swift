import DossierCore
import DossierService
public import Hummingbird

/// Users (administrators): `/api/v1/users`. Passwords are never sent back, only set.
struct UserController {
    let node: Dossier
    let settings: ServerSettings

    struct NewUser: Decodable {
        var name: String
        var role: Role
        var displayName: String
        var password: String?

        private enum CodingKeys: String, CodingKey {
            case name, role
            case displayName = "display_name"
            case password
        }
    }

    struct UserResponse: ResponseEncodable {
        var name: String
        var role: Role
        var displayName: String

        private enum CodingKeys: String, CodingKey {
            case name, role
            case displayName = "display_name"
        }

        init(_ user: User) {
            name = user.name
            role = user.role
            displayName = user.displayName
        }
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

    func addRoutes(to group: APIGroup) {
        group.get("users") { _, context -> [UserResponse] in
            try node.acting(for: context).users().map(UserResponse.init)
        }
        group.post("users") { request, context -> Response in
            let new = try await request.decode(as: NewUser.self, context: context)
            let dossier = try node.acting(for: context)
            let user = User(name: new.name, role: new.role, displayName: new.displayName)
            let cost = settings.passwordCost
            // Hashing is slow on purpose: off the request threads. The user and the password are
            // stored together, so a refused password adds nobody.
            try await SlowWork.run { try dossier.addUser(user, password: new.password, cost: cost) }
            var response = try UserResponse(user).response(from: request, context: context)
            response.status = .created
            return response
        }
        group.get("users/{name}/grants") { _, context -> [GrantBody] in
            let name = context.parameters.get("name") ?? ""
            return try node.acting(for: context).grants(of: name).map { GrantBody(role: $0.role, org: $0.org?.value) }
        }
        group.post("users/{name}/grants") { request, context -> Response in
            let grant = try await request.decode(as: GrantBody.self, context: context)
            let name = context.parameters.get("name") ?? ""
            try node.acting(for: context).grant(user: name, role: grant.role, org: try grant.code())
            var response = try grant.response(from: request, context: context)
            response.status = .created
            return response
        }
        group.post("users/{name}/grants/revoke") { request, context -> Response in
            let grant = try await request.decode(as: GrantBody.self, context: context)
            let name = context.parameters.get("name") ?? ""
            try node.acting(for: context).revoke(user: name, role: grant.role, org: try grant.code())
            return Response(status: .noContent)
        }
    }
}
