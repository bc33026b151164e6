import DossierCore
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
    /// When the node last passed `dossier check` (seconds since 1970), read at each scrape.
    private let lastPassedCheck: Gauge
    private let database: DatabaseSeries
    /// The pool statistics already added to the database counters (they are read at each scrape).
    private let reported = Mutex(StorageWaits())
    /// Each route's series, found once: asking the registry builds the label list and searches
    /// its own table under its lock on every request.
    private let routes = Mutex<[RouteKey: RouteSeries]>([:])

    init() {
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_http_requests_in_flight",
                unitName: "",
                helpText: "Requests being answered now."
            )
        )
        database = DatabaseSeries(registry)
        lastPassedCheck = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_last_passed_check_timestamp",
                unitName: "seconds",
                helpText: "When the node last passed its consistency check (dossier check), 0 if never."
            )
        )
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
        let key = RouteKey(method: Self.knownMethods.contains(method) ? method : "other", route: route, status: status)
        let series = routes.withLock { $0[key] } ?? makeSeries(key)
        series.requests.increment()
        series.duration.record(duration)
    }

    /// The methods counted by name; any other a client sends counts as "other", so nobody can
    /// grow the registry by inventing methods.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    private func makeSeries(_ key: RouteKey) -> RouteSeries {
        let labels = [("method", key.method), ("route", key.route), ("status", String(key.status))]
        let series = RouteSeries(
            requests: registry.makeCounter(
                descriptor: MetricNameDescriptor(
                    metricName: "dossier_http_requests",
                    unitName: "total",
                    helpText: "Requests answered, by method, route and status."
                ),
                labels: labels
            ),
            duration: registry.makeDurationHistogram(
                descriptor: MetricNameDescriptor(
                    metricName: "dossier_http_request_duration",
                    unitName: "seconds",
                    helpText: "Time to answer, by method, route and status."
                ),
                labels: labels,
                buckets: Self.buckets
            )
        )
        routes.withLock { $0[key] = series }
        return series
    }

    /// The Prometheus text exposition, with the database's waits up to now and the time of the
    /// last passed check (an ISO 8601 time as the node records it).
    func render(database statistics: StorageWaits, lastPassedCheck checked: String?) -> String {
        lastPassedCheck.set(checked.flatMap(AuditText.epochSeconds).map(Double.init) ?? 0)
        reported.withLock { reported in
            database.add(statistics, since: reported)
            reported = statistics
        }
        return registry.emitToString()
    }
}

/// A method, route pattern and status: one request series.
private struct RouteKey: Hashable, Sendable {
    let method: String
    let route: String
    let status: Int
}

/// The counter and latency histogram of one route series.
private struct RouteSeries: Sendable {
    let requests: Counter
    let duration: DurationHistogram
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
        reads = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_reads",
                unitName: "total",
                helpText: "Reads of the database."
            )
        )
        readWait = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_read_wait_seconds",
                unitName: "total",
                helpText: "Time reads waited for a pooled connection and their snapshot."
            )
        )
        longestReadWait = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_read_wait_seconds",
                unitName: "max",
                helpText: "The longest single read wait."
            )
        )
        writes = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_writes",
                unitName: "total",
                helpText: "Write transactions."
            )
        )
        writeWait = registry.makeCounter(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_write_wait_seconds",
                unitName: "total",
                helpText: "Time writes waited for the writer (other writers, other processes)."
            )
        )
        longestWriteWait = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                metricName: "dossier_db_write_wait_seconds",
                unitName: "max",
                helpText: "The longest single write wait."
            )
        )
    }

    /// Adds what happened between two readings of the pool statistics.
    func add(_ now: StorageWaits, since before: StorageWaits) {
        reads.increment(by: Int64(now.reads - before.reads))
        readWait.increment(by: now.readWaitSeconds - before.readWaitSeconds)
        longestReadWait.set(to: now.longestReadWait)
        writes.increment(by: Int64(now.writes - before.writes))
        writeWait.increment(by: now.writeWaitSeconds - before.writeWaitSeconds)
        longestWriteWait.set(to: now.longestWriteWait)
    }
}
