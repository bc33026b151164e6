import DossierService
import Foundation
import Hummingbird

/// Files sent as a request's body (documents, packages, feeds): streamed to the node's disk, never
/// held in memory whole, and bounded.
enum Upload {
    /// Streams the request body to a new temporary file on the node's disk, refusing (and
    /// removing what was written) once it passes `limit` bytes. Returns the file's path.
    static func receive(_ request: Request, into dossier: Dossier, limit: Int64) async throws -> String {
        if let declared = request.headers[.contentLength].flatMap(Int64.init), declared > limit {
            throw Problem(.payloadTooLarge, "The file is larger than the \(limit) bytes allowed.")
        }
        let path = dossier.temporaryFilePath()
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw Problem(.unavailable, "The server cannot store uploads now.") }
        var written: Int64 = 0
        do {
            defer { try? handle.close() }
            for try await buffer in request.body {
                written += Int64(buffer.readableBytes)
                guard written <= limit else {
                    throw Problem(.payloadTooLarge, "The file is larger than the \(limit) bytes allowed.")
                }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
            guard written > 0 else { throw Problem(.badRequest, "The request carries no file.") }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }
}
