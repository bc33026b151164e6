public import DossierCore
import Synchronization

/// How long reads and writes waited before their work began: for a read, taking a connection
/// from the pool and starting its snapshot; for a write, the single writer connection and the
/// IMMEDIATE transaction (other processes' writes included). Exposed by the HTTP front's
/// /metrics; counting costs two clock readings and a lock per call.
public final class PoolStatistics: Sendable {
    private let totals = Mutex(StorageWaits())

    public var snapshot: StorageWaits { totals.withLock { $0 } }

    func read(waited: Duration) {
        let seconds = waited.seconds
        totals.withLock {
            $0.reads += 1
            $0.readWaitSeconds += seconds
            $0.longestReadWait = max($0.longestReadWait, seconds)
        }
    }

    func write(waited: Duration) {
        let seconds = waited.seconds
        totals.withLock {
            $0.writes += 1
            $0.writeWaitSeconds += seconds
            $0.longestWriteWait = max($0.longestWriteWait, seconds)
        }
    }
}
