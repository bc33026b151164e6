import DossierService
public import Hummingbird

/// `/healthz` (is the process answering) and `/metrics` (Prometheus text).
struct HealthController {
    let registry: MetricsRegistry
    let node: Dossier

    func addRoutes(to router: Router<DossierRequestContext>) {
        router.get("healthz") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "ok\n"))
            )
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: registry.render(database: node.databaseStatistics)))
            )
        }
    }
}
