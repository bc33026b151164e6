import DossierStore
import Foundation
import Synchronization

/// Request counts and latencies per route, written in the Prometheus text format at /metrics.
/// Routes are the router's patterns (`/api/v1/people/{id}`), never the concrete paths, so
/// no identifier ends up in a metric.
final class MetricsRegistry: Sendable {
    /// Upper bounds of the latency buckets, in seconds.
    static let buckets: [Double] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    private struct Key: Hashable, Comparable {
        var method: String
        var route: String
        var status: Int

        static func < (a: Key, b: Key) -> Bool {
            (a.route, a.method, a.status) < (b.route, b.method, b.status)
        }
    }

    private struct Series {
        var count = 0
        var sum = 0.0
        var buckets = [Int](repeating: 0, count: MetricsRegistry.buckets.count)
    }

    private struct State {
        var series: [Key: Series] = [:]
        var inFlight = 0
    }

    private let state = Mutex(State())

    func started() { state.withLock { $0.inFlight += 1 } }

    func finished(method: String, route: String, status: Int, seconds: Double) {
        state.withLock { state in
            state.inFlight -= 1
            var series = state.series[Key(method: method, route: route, status: status), default: Series()]
            series.count += 1
            series.sum += seconds
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { series.buckets[index] += 1 }
            state.series[Key(method: method, route: route, status: status)] = series
        }
    }

    /// The Prometheus text exposition, with the database's waits.
    func render(database: PoolStatistics.Snapshot) -> String {
        let snapshot = state.withLock { $0 }
        var lines = [
            "# HELP dossier_http_requests_total Requests answered, by method, route and status.",
            "# TYPE dossier_http_requests_total counter",
        ]
        let keys = snapshot.series.keys.sorted()
        for key in keys {
            lines.append("dossier_http_requests_total{\(labels(key))} \(snapshot.series[key]!.count)")
        }
        lines += [
            "# HELP dossier_http_request_duration_seconds Time to answer, by method, route and status.",
            "# TYPE dossier_http_request_duration_seconds histogram",
        ]
        for key in keys {
            let series = snapshot.series[key]!
            for (index, bound) in Self.buckets.enumerated() {
                lines.append(
                    "dossier_http_request_duration_seconds_bucket{\(labels(key)),le=\"\(bound)\"} \(series.buckets[index])"
                )
            }
            lines.append("dossier_http_request_duration_seconds_bucket{\(labels(key)),le=\"+Inf\"} \(series.count)")
            lines.append("dossier_http_request_duration_seconds_sum{\(labels(key))} \(series.sum)")
            lines.append("dossier_http_request_duration_seconds_count{\(labels(key))} \(series.count)")
        }
        lines += [
            "# HELP dossier_http_requests_in_flight Requests being answered now.",
            "# TYPE dossier_http_requests_in_flight gauge",
            "dossier_http_requests_in_flight \(snapshot.inFlight)",
            "# HELP dossier_db_reads_total Reads of the database.",
            "# TYPE dossier_db_reads_total counter",
            "dossier_db_reads_total \(database.reads)",
            "# HELP dossier_db_read_wait_seconds_total Time reads waited for a pooled connection and their snapshot.",
            "# TYPE dossier_db_read_wait_seconds_total counter",
            "dossier_db_read_wait_seconds_total \(database.readWaitSeconds)",
            "# HELP dossier_db_read_wait_seconds_max The longest single read wait.",
            "# TYPE dossier_db_read_wait_seconds_max gauge",
            "dossier_db_read_wait_seconds_max \(database.longestReadWait)",
            "# HELP dossier_db_writes_total Write transactions.",
            "# TYPE dossier_db_writes_total counter",
            "dossier_db_writes_total \(database.writes)",
            "# HELP dossier_db_write_wait_seconds_total Time writes waited for the writer (other writers, other processes).",
            "# TYPE dossier_db_write_wait_seconds_total counter",
            "dossier_db_write_wait_seconds_total \(database.writeWaitSeconds)",
            "# HELP dossier_db_write_wait_seconds_max The longest single write wait.",
            "# TYPE dossier_db_write_wait_seconds_max gauge",
            "dossier_db_write_wait_seconds_max \(database.longestWriteWait)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private func labels(_ key: Key) -> String {
        "method=\"\(key.method)\",route=\"\(escape(key.route))\",status=\"\(key.status)\""
    }

    private func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
