import Dispatch
import DossierArchive
import DossierService
import Foundation
import Hummingbird

/// Slow work (bcrypt, packing, verifying, hashing uploads) runs here, off the threads that
/// serve requests, so one long request does not hold up the others.
enum SlowWork {
    private static let executor = SlowWorkExecutor()

    /// Runs `body` on the slow-work threads: it and every nonisolated async call it makes (the
    /// service's use cases) run there, not on the event loop that received the request.
    static func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) { try await body() }
    }

    /// Packs a person's archive package (off the request threads) and answers with the file, as
    /// a download; the pages and the API both use it.
    static func archiveDownload(
        _ dossier: Dossier,
        personID: Int64,
        context: some RequestContext
    ) async throws -> Response {
        let path = try await run { try await dossier.packArchive(personID: personID).path }
        let name = (path as NSString).lastPathComponent
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-tar", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: try await FileIO().loadFile(path: path, context: context)
        )
    }
}

/// The threads of slow work, as a task executor (a concurrent dispatch queue).
private final class SlowWorkExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "dossier.slow-work", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
