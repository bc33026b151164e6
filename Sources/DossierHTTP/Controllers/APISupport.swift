import DossierCore
import DossierService
import Hummingbird

/// A page of a list: the items, the cursor for the next page (null on the last page), and how
/// many items the whole list holds (`total`). Cursors are opaque to clients: pass back what was
/// given. The total is counted for the first page only (no cursor), where a client asks "how
/// many are there"; on later pages it is null, so paging through a long list does not count it
/// again and again. A list the node does not count (decided drafts) has no total either.
struct Page<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    var items: [Item]
    var nextCursor: String?
    var total: Int?

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
        case total
    }

    /// A page whose total is counted by `count` when it is the first page (`cursor` 0); a
    /// first page that is also the last is its own count. Without `count`, no total.
    init(items: [Item], nextCursor: String?, cursor: Int64, count: (() async throws -> Int)?) async throws {
        self.items = items
        self.nextCursor = nextCursor
        if cursor != 0 || count == nil {
            total = nil
        } else if nextCursor == nil {
            total = items.count
        } else {
            total = try await count?()
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
        try container.encode(total, forKey: .total)
    }
}

/// A value sent as JSON as it is: one of the service's JSON shapes (`PersonJSON`, `DraftJSON`, …),
/// the same the command line's `--format json` writes.
struct JSONBody<Value: Encodable & Sendable>: ResponseEncodable, Sendable {
    var value: Value

    init(_ value: Value) { self.value = value }

    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}

/// Reading request parameters, each refusal a 400 problem naming the parameter.
enum Parameter {
    static let defaultLimit = 50
    static let maximumLimit = 500

    /// The date in `name`, or `today` (the node's) when the request names none.
    static func date(_ request: Request, _ name: String = "as_of", or today: CivilDate) throws -> CivilDate {
        guard let text = request.uri.queryParameters.get(name) else { return today }
        guard let date = CivilDate(iso: text) else {
            throw Problem(.badRequest, "'\(name)' must be a date written YYYY-MM-DD.", messageKey: "badDate")
        }
        return date
    }

    static func org(_ request: Request, _ name: String = "org") throws -> CreditCode? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        do { return try CreditCode(text) } catch {
            var problem = Problem(.badRequest, "'\(name)' must be an organisation's credit code: \(error.description)")
            problem.chineseDetail = "所填机构应为统一社会信用代码：\(error.chineseDescription)"
            throw problem
        }
    }

    static func limit(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("limit") else { return defaultLimit }
        guard let limit = Int(text), (1...maximumLimit).contains(limit) else {
            throw Problem(.badRequest, "'limit' must be a whole number from 1 to \(maximumLimit).")
        }
        return limit
    }

    /// How many items of a list to skip (lists ordered by something other than a number).
    static func offset(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("offset") else { return 0 }
        guard let offset = Int(text), offset >= 0 else {
            throw Problem(.badRequest, "'offset' must be a whole number, 0 or more.")
        }
        return offset
    }

    /// The cursor of a list ordered by a number: the last number of the previous page.
    static func cursor(_ request: Request) throws -> Int64 {
        guard let text = request.uri.queryParameters.get("cursor") else { return 0 }
        guard let after = Int64(text), after >= 0 else {
            throw Problem(.badRequest, "'cursor' is not one this server gave out.", messageKey: "badCursor")
        }
        return after
    }

    static func flag(_ request: Request, _ name: String) throws -> Bool {
        switch request.uri.queryParameters.get(name) {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw Problem(.badRequest, "'\(name)' must be true or false.")
        }
    }

    static func id(_ context: DossierRequestContext, _ name: String = "id") throws -> Int64 {
        guard let text = context.parameters.get(name), let id = Int64(text), id > 0 else {
            throw Problem(.notFound, "There is nothing at this address.", messageKey: "notFound")
        }
        return id
    }

    /// The next cursor: the last item's number when the page is full.
    static func next(_ ids: [Int64], limit: Int) -> String? {
        ids.count == limit ? ids.last.map(String.init) : nil
    }
}
