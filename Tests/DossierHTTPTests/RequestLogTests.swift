import DossierCore
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import DossierHTTP
@testable import DossierService

/// Every request is logged once, with its route pattern, status, duration and user, and no
/// personal number, even when the request carried one.
@Suite struct RequestLogTests {
    /// Keeps every log record, to read back.
    final class Records: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct Handler: LogHandler {
        let records: Records
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var all = metadata
            for (key, value) in event.metadata ?? [:] { all[key] = value }
            records.lines.withLock { $0.append(("\(event.message)", all)) }
        }
    }

    @Test func eachRequestIsLoggedOnceWithItsRouteStatusAndUserAndNoIdentityNumber() async throws {
        let fixture = try await HTTPFixture()
        let records = Records()
        let logger = Logger(label: "test") { _ in Handler(records: records) }
        let app = try await buildApplication(node: fixture.admin, settings: fixture.settings, logger: logger)
        let token = try #require(fixture.tokens["admin"])
        let idNumber = try #require(fixture.idNumbers[fixture.peopleA[0]]).value
        try await app.test(.router) { client in
            let found = try await client.execute(
                uri: "/api/v1/people/search",
                method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: json(["id_number": idNumber]))
            )
            #expect(found.status == .ok)
            _ = try await client.execute(uri: "/api/v1/people/1", method: .get)
        }
        let lines = records.lines.withLock { $0 }.filter { $0.message == "request" }
        #expect(lines.count == 2)
        #expect(lines.first?.metadata["http.route"] == "/api/v1/people/search")
        #expect(lines.first?.metadata["http.method"] == "POST")
        #expect(lines.first?.metadata["http.status"] == "200")
        #expect(lines.first?.metadata["principal"] == "admin")
        #expect(lines.first?.metadata["duration_ms"] != nil)
        #expect(lines.last?.metadata["http.status"] == "401")
        #expect(lines.last?.metadata["principal"] == "-")
        let everything = records.lines.withLock { $0 }.map { "\($0.message) \($0.metadata)" }.joined()
        #expect(!everything.contains(idNumber))
    }
}
