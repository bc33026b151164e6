import Dispatch
import DossierArchive
import DossierService
import Foundation
import Hummingbird

/// Slow work (bcrypt, packing, verifying, hashing uploads) runs here, off the threads that
/// serve requests, so one long request does not hold up the others.
enum SlowWork {
    private static let queue = DispatchQueue(label: "dossier.slow-work", attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Packs a person's archive package (off the request threads) and answers with the file, as
    /// a download; the pages and the API both use it.
    static func archiveDownload(
        _ dossier: Dossier,
        personID: Int64,
        context: some RequestContext
    ) async throws -> Response {
        let path = try await run { try dossier.packArchive(personID: personID).path }
        let name = (path as NSString).lastPathComponent
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-tar", .contentDisposition: "attachment; filename=\"\(name)\""],
            body: try await FileIO().loadFile(path: path, context: context)
        )
    }
}
