import DossierArchive
import NIOCore
import Synchronization

/// How many package checks (`POST /api/v1/archive/verify`) may run on this node at once. A
/// check reads the whole package, decompressing and hashing every byte twice (SHA-256 and SM3),
/// and keeps a core busy: by default one per core (`ServerSettings`, `serve --max-package-checks`)
/// is all that leaves room for everyone else. Taking a slot never blocks a thread. A request
/// beyond that is refused at once — 503 with `Retry-After`, before its upload is stored — rather
/// than queued: a queue would keep uploads on disk and connections open for as long as the
/// checks before them take, which is unbounded.
public final class VerificationSlots: Sendable {
    /// At most this many at once.
    public let limit: Int
    private let inUse = Mutex(0)

    public init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot; false when all are taken (nothing to release then).
    public func tryAcquire() -> Bool {
        inUse.withLock {
            guard $0 < limit else { return false }
            $0 += 1
            return true
        }
    }

    /// Gives back a slot taken by `tryAcquire`.
    public func release() {
        inUse.withLock { $0 -= 1 }
    }
}

/// Sets a cancellation flag when the client goes away: its connection closes, or its side of it
/// ends (Hummingbird allows half-closed connections, so a client that closes its socket shows
/// as end of input, not as a closed channel). Hummingbird 2 does not cancel a handler's task
/// when its client disconnects, so slow work that should stop with its client watches the
/// connection itself. It sits first in the connection's pipeline for the duration of one
/// request. (A client that half-closes on purpose after sending its request, which HTTP
/// clients do not do, would see its check stopped too.)
final class ClientDisconnectWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private static let name = "dossier.client-disconnect-watch"
    private let flag: CancellationFlag

    private init(_ flag: CancellationFlag) {
        self.flag = flag
    }

    func channelInactive(context: ChannelHandlerContext) {
        flag.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { flag.cancel() }
        context.fireUserInboundEventTriggered(event)
    }

    /// Runs `body` while `channel` is watched; `flag` is set when its client goes away, or when
    /// the task running `body` is cancelled.
    static func watching<T: Sendable>(
        _ channel: any Channel,
        _ flag: CancellationFlag,
        _ body: () async throws -> T
    ) async throws -> T {
        // Best effort: a connection that is already gone cannot take the handler, and then the
        // flag is set at once.
        let watched: Bool
        do {
            try await channel.eventLoop.submit {
                try channel.pipeline.syncOperations.addHandler(
                    ClientDisconnectWatch(flag),
                    name: Self.name,
                    position: .first
                )
            }.get()
            watched = true
        } catch {
            watched = false
        }
        if !watched { flag.cancel() }
        defer {
            if watched {
                channel.eventLoop.execute {
                    _ = try? channel.pipeline.syncOperations.removeHandler(name: Self.name)
                }
            }
        }
        return try await withTaskCancellationHandler(operation: body, onCancel: { flag.cancel() })
    }
}
