public import DossierService
public import Hummingbird
public import Logging
import Metrics
import NIOCore
import NIOPosix

/// Builds the HTTP application over an open node. `dossier serve` runs it; the tests call it
/// too (and `buildRouter` alone, without a socket). `verifications`, when given, are the
/// package-check slots to use (tests hold some to see the limit).
public func buildApplication(
    node: Dossier,
    settings: ServerSettings,
    logger: Logger,
    verifications: VerificationSlots? = nil
) async throws -> some ApplicationProtocol {
    try await buildApplication(
        node: node,
        settings: settings,
        logger: logger,
        verifications: verifications,
        metrics: nil
    )
}

func buildApplication(
    node: Dossier,
    settings: ServerSettings,
    logger: Logger,
    verifications: VerificationSlots?,
    metrics: MetricsRegistry?
) async throws -> some ApplicationProtocol {
    await Application(
        router: try buildRouter(node: node, settings: settings, verifications: verifications, metrics: metrics),
        configuration: .init(
            address: .hostname(settings.host, port: settings.port),
            serverName: "Dossier"
        ),
        logger: logger
    )
}

/// Serves until SIGTERM or SIGINT, then finishes the requests in flight and returns.
/// Anything in the process that reports through swift-metrics lands in the same registry as
/// Dossier's own series, at /metrics.
public func runServer(node: Dossier, settings: ServerSettings, logger: Logger) async throws {
    let metrics = MetricsRegistry()
    MetricsSystem.bootstrap(metrics.factory)
    let application = try await buildApplication(
        node: node,
        settings: settings,
        logger: logger,
        verifications: nil,
        metrics: metrics
    )
    try await withThrowingTaskGroup(of: Void.self) { group in
        // The day's signed audit checkpoint, made while the server runs; stopped with it.
        group.addTask { await DailyCheckpoint(node: node, logger: logger).run() }
        try await application.runService()
        group.cancelAll()
    }
}

/// Makes request handlers run on the event-loop threads that read and write the sockets
/// (SwiftNIO's takeover of Swift's global executor) instead of being handed to Swift's own
/// thread pool and back: on two cores that hand-off cost more than a person look-up's database
/// read. Requests that write (`OffTheEventLoopsMiddleware`) and slow work (`SlowWork`: bcrypt,
/// packing, verifying packages and the audit chain) still leave the event loops, so a write
/// waiting for the database lock holds up no socket.
///
/// SwiftNIO's conditions: call it once, from the main thread, before any task runs — first
/// thing in a server process's `main`. Returns false when it could not be installed; handlers
/// then run on Swift's pool, which works, only slower.
public func runRequestHandlersOnEventLoops() -> Bool {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}

/// The routes and middleware. Every request becomes calls on `node` acting as the signed-in
/// user, so authorization, scoping and audit are exactly those of the CLI.
/// `routes`, when given, receives every API route registered.
public func buildRouter(
    node: Dossier,
    settings: ServerSettings,
    routes: RouteList = RouteList(),
    verifications: VerificationSlots? = nil
) async throws -> Router<DossierRequestContext> {
    try await buildRouter(node: node, settings: settings, routes: routes, verifications: verifications, metrics: nil)
}

func buildRouter(
    node: Dossier,
    settings: ServerSettings,
    routes: RouteList = RouteList(),
    verifications: VerificationSlots?,
    metrics: MetricsRegistry?
) async throws -> Router<DossierRequestContext> {
    let pages = try Pages(language: settings.language)
    let registry = metrics ?? MetricsRegistry()
    let sessions = SessionStore(idleTimeout: settings.sessionIdleTimeout, maximumAge: settings.sessionMaximumAge)
    let signIn = SignIn(
        node: node,
        sessions: sessions,
        throttle: LoginThrottle(policy: settings.loginPolicy),
        settings: settings
    )

    let router = Router(context: DossierRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: MetricsMiddleware(registry: registry))
    router.add(middleware: OffTheEventLoopsMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: AuthenticationMiddleware(node: node, sessions: sessions))

    HealthController(registry: registry, node: node, access: settings.metricsAccess).addRoutes(to: router)
    let api = APIGroup(group: router.group("api/v1"), prefix: "/api/v1/", list: routes)
    OpenAPIController(ladder: node.rankLadder()).addRoutes(to: api)
    SessionController(signIn: signIn).addRoutes(to: api)
    EstablishmentController().addRoutes(to: api)
    PeopleController().addRoutes(to: api)
    ActionController().addRoutes(to: api)
    await AuditController().addRoutes(to: api)
    await UserController(settings: settings).addRoutes(to: api)
    // Verifying a package and importing one check it the same way: one limit for both.
    let checks = verifications ?? VerificationSlots(limit: settings.maximumConcurrentVerifications)
    DocumentController(verifications: checks).addRoutes(to: api)
    ExchangeController(verifications: checks).addRoutes(to: api)
    ReconciliationController().addRoutes(to: api)
    MeritController().addRoutes(to: api)
    ReportController().addRoutes(to: api)
    CheckController().addRoutes(to: api)
    PagesController(pages: pages, signIn: signIn).addRoutes(to: router)
    return router
}
