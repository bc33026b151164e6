import Logging
import Synchronization
import Testing

@testable import DossierHTTP
@testable import DossierService

/// The server's daily checkpoint on a node without a signing key: one fixed line in the log,
/// nothing written, and the server goes on.
@Suite struct DailyCheckpointTests {
    @Test func withoutAKeyTheDailyTaskLogsAFixedLineAndWritesNothing() async throws {
        let fixture = try await HTTPFixture()
        let records = RequestLogTests.Records()
        let logger = Logger(label: "daily-checkpoint-test") { _ in RequestLogTests.Handler(records: records) }
        let before = try await fixture.audit()
        await DailyCheckpoint(node: fixture.admin, logger: logger).makeIfDue()
        let lines = records.lines.withLock { $0.map(\.message) }
        #expect(lines == ["No audit checkpoint signed: this node has no signing key (run 'dossier keys generate')."])
        #expect(try await fixture.audit(since: before).isEmpty)
        #expect(try await fixture.admin.auditCheckpoints().isEmpty)
    }
}
