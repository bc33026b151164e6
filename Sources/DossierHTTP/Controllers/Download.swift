import Foundation
import Hummingbird

/// Files made for one request (a transfer package, a receipt, a refusal) and sent back as a
/// download: streamed from the node's disk, never held in memory whole, and removed once sent.
enum Download {
    /// Answers with the file at `path` as an attachment named `name`, streamed; the file is
    /// removed when the body has been written, or has failed to be (the client went away).
    static func temporaryFile(
        _ path: String,
        name: String,
        contentType: String = "application/x-tar",
        context: some RequestContext
    ) async throws -> Response {
        let file: ResponseBody
        do { file = try await FileIO().loadFile(path: path, context: context) } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        let body = ResponseBody(contentLength: file.contentLength) { writer in
            defer { try? FileManager.default.removeItem(atPath: path) }
            try await file.write(writer)
        }
        return Response(
            status: .ok,
            headers: [.contentType: contentType, .contentDisposition: "attachment; filename=\"\(name)\""],
            body: body
        )
    }
}
