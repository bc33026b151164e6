import NIOPosix

/// Threads of their own for handling the requests that may wait on the database — writes, which
/// wait for its write lock while another process holds it (`OffTheEventLoopsMiddleware`).
///
/// A bounded pool apart from the event loops and from `SlowWork`: writers waiting there hold up
/// no socket and no password check or packing; when every thread is waiting, further writes wait
/// their turn in its queue.
final class RequestWorkers: TaskExecutor {
    static let shared = RequestWorkers(threads: 16)

    private let pool: NIOThreadPool

    private init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        pool.submit { _ in job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
