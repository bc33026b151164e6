import DossierCore
import DossierService
import DossierStore
import Foundation
import Testing

/// A node reads its feed formats at start from its own copies (`policies/feeds/`), which `init`
/// makes, and refuses to start on a broken one, naming the file, the line and the reason.
@Suite struct FeedFormatNodeTests {
    @Test func initCopiesTheFeedFormatsAndTheNodeReadsItsOwnCopies() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("feeds-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = DataDirectory(path: root.path, backend: SQLiteBackend())
        try await Dossier.initialize(directory)
        for feed in FeedKind.allCases {
            #expect(FileManager.default.fileExists(atPath: directory.policiesPath + "/feeds/\(feed.rawValue).yaml"))
        }

        // The office adapts its payroll export: the node reads the new header.
        let payroll = directory.policiesPath + "/feeds/payroll.yaml"
        let text = try String(contentsOfFile: payroll, encoding: .utf8)
        try text.replacingOccurrences(of: "gross: 应发合计", with: "gross: 应发工资")
            .write(toFile: payroll, atomically: false, encoding: .utf8)
        let node = try await Dossier.open(directory, as: "admin")
        let format = try #require(node.policies.feeds[.payroll]).at(CivilDate(year: 2026, month: 12, day: 3)!)
        #expect(format.headers[.gross] == "应发工资")

        // A broken copy stops the node, with the file, the line and the reason.
        try text.replacingOccurrences(of: "month: YYYY-MM", with: "month: MM/YYYY")
            .write(toFile: payroll, atomically: false, encoding: .utf8)
        let error = await #expect(throws: ServiceError.self) { _ = try await Dossier.open(directory, as: "admin") }
        #expect(error?.kind == .setup)
        #expect(error?.message.contains(payroll) == true, "\(String(describing: error))")
        #expect(error?.message.contains("line ") == true, "\(String(describing: error))")
        #expect(error?.message.contains("month is written 'MM/YYYY'") == true, "\(String(describing: error))")
    }
}
