import DossierService
import Prometheus
import Synchronization

/// Request counts and latencies per route, and the database's waits, kept in a Prometheus
/// registry (swift-prometheus) and written in its text format at /metrics. Routes are the
/// router's patterns (`/api/v1/people/{id}`), never the concrete paths, so no identifier ends up
/// in a metric. `factory` gives swift-metrics users the same registry.
final class MetricsRegistry: Sendable {
    /// Upper bounds of the latency buckets.
    static let buckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5),
    ]

    let registry = PrometheusCollectorRegistry()
    private let inFlight: Gauge
    private let database: DatabaseSeries
    /// The pool statistics already added to the database counters (they are read at each scrape).
    private let reported = Mutex(DatabaseStatistics())

    init() {
        inFlight = registry.makeGauge(
            name: "dossier_http_requests_in_flight",
            help: "Requests being answered now."
        )
        database = DatabaseSeries(registry)
    }

    /// For libraries that report through swift-metrics (`MetricsSystem.bootstrap`): the same registry.
    var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.buckets
        return factory
    }

    func started() { inFlight.increment() }

    func finished(method: String, route: String, status: Int, duration: Duration) {
        inFlight.decrement()
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(
            name: "dossier_http_requests_total",
            labels: labels,
            help: "Requests answered, by method, route and status."
        ).increment()
        registry.makeDurationHistogram(
            name: "dossier_http_request_duration_seconds",
            labels: labels,
            buckets: Self.buckets,
            help: "Time to answer, by method, route and status."
        ).record(duration)
    }

    /// The Prometheus text exposition, with the database's waits up to now.
    func render(database statistics: DatabaseStatistics) -> String {
        reported.withLock { reported in
            database.add(statistics, since: reported)
            reported = statistics
        }
        return registry.emitToString()
    }
}

/// The database's reads, writes and waits, as counters and gauges.
private struct DatabaseSeries: Sendable {
    let reads: Counter
    let readWait: Counter
    let longestReadWait: Gauge
    let writes: Counter
    let writeWait: Counter
    let longestWriteWait: Gauge

    init(_ registry: PrometheusCollectorRegistry) {
        reads = registry.makeCounter(name: "dossier_db_reads_total", help: "Reads of the database.")
        readWait = registry.makeCounter(
            name: "dossier_db_read_wait_seconds_total",
            help: "Time reads waited for a pooled connection and their snapshot."
        )
        longestReadWait = registry.makeGauge(
            name: "dossier_db_read_wait_seconds_max",
            help: "The longest single read wait."
        )
        writes = registry.makeCounter(name: "dossier_db_writes_total", help: "Write transactions.")
        writeWait = registry.makeCounter(
            name: "dossier_db_write_wait_seconds_total",
            help: "Time writes waited for the writer (other writers, other processes)."
        )
        longestWriteWait = registry.makeGauge(
            name: "dossier_db_write_wait_seconds_max",
            help: "The longest single write wait."
        )
    }

    /// Adds what happened between two readings of the pool statistics.
    func add(_ now: DatabaseStatistics, since before: DatabaseStatistics) {
        reads.increment(by: Int64(now.reads - before.reads))
        readWait.increment(by: now.readWaitSeconds - before.readWaitSeconds)
        longestReadWait.set(to: now.longestReadWait)
        writes.increment(by: Int64(now.writes - before.writes))
        writeWait.increment(by: now.writeWaitSeconds - before.writeWaitSeconds)
        longestWriteWait.set(to: now.longestWriteWait)
    }
}
