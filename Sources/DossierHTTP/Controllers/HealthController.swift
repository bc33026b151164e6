import DossierService
import Hummingbird

/// `/healthz` (is the process answering) and `/metrics` (Prometheus text).
struct HealthController {
    let registry: MetricsRegistry
    let node: Dossier
    let access: MetricsAccess

    func addRoutes(to router: Router<DossierRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
            )
        }
        router.get("metrics") { _, context -> Response in
            guard mayRead(context) else {
                throw Problem(
                    .forbidden,
                    "The metrics are read on this machine, or with an API token when so configured."
                )
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: registry.render(
                            database: node.databaseWaits,
                            lastPassedCheck: try await node.lastPassedCheck()
                        )
                    )
                )
            )
        }
    }

    /// Whether this request may read the metrics under the configured access.
    private func mayRead(_ context: DossierRequestContext) -> Bool {
        switch access {
        case .open: return true
        case .signedIn: return context.principal != nil || Self.isLoopback(context.clientAddress)
        case .loopback: return Self.isLoopback(context.clientAddress)
        }
    }

    /// Whether an address is this machine's own (IPv4 127.0.0.0/8, IPv6 ::1, or IPv4 loopback
    /// mapped into IPv6). An unknown address is not.
    static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return false }
        return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
