import ArgumentParser
import DossierHTTP
import DossierService
import Foundation
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the web pages (/admin) and the JSON API (/api/v1) until stopped (Ctrl-C).",
        discussion: """
            Users sign in with the password set by 'dossier user password', or scripts send a token from \
            'dossier user token'. By default only this machine can connect (--host 127.0.0.1). Each request is             written to standard error as one line: method, route, status, time taken and the user (never a             personal number).
            """
    )
    @OptionGroup var global: GlobalOptions
    @Option(help: "The address to listen on (0.0.0.0 for every network).") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(help: "Mark cookies Secure: use when the pages are reached over HTTPS (e.g. behind a proxy).")
    var secureCookies = false
    @Flag(help: "Show the web pages in English instead of Simplified Chinese.") var english = false
    @Option(
        help: """
            Who may read /metrics: loopback (only from this machine, the default), signed-in (also anyone with \
            an API token, for a scraper elsewhere) or open (everyone; only behind a proxy that restricts it).
            """
    )
    var metrics = MetricsAccess.loopback.rawValue
    @Option(
        help: """
            How many uploaded packages the server checks at once (default: one per core). A check beyond that \
            is refused at once with 503 and Retry-After, before its upload is stored.
            """
    )
    var maxPackageChecks: Int?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be from 1 to 65535.") }
        if let maxPackageChecks, !(1...256).contains(maxPackageChecks) {
            throw ValidationError("--max-package-checks must be from 1 to 256.")
        }
        guard MetricsAccess(rawValue: metrics) != nil else {
            throw ValidationError("--metrics must be loopback, signed-in or open.")
        }
    }

    func run() async throws {
        let node: Dossier
        do { node = try await global.open() } catch let error as ServiceError {
            printError("dossier: \(error.message)")
            throw ExitCode.failure
        }
        if global.today == nil, let day = global.dayFromEnvironment {
            // A DOSSIER_TODAY left in the shell (after running the README tour, say) would make a
            // server record every hire on one day: say so where the operator looks.
            printError("dossier: serving as if today were \(day) (DOSSIER_TODAY); unset it to serve on the real date.")
        }
        var logger = Logger(label: "dossier.http")
        // One line per request (RequestLogMiddleware), and what is worse.
        logger.logLevel = .info
        var settings = ServerSettings(
            host: host,
            port: port,
            secureCookies: secureCookies,
            english: english,
            metricsAccess: MetricsAccess(rawValue: metrics) ?? .loopback
        )
        if let maxPackageChecks { settings.maximumConcurrentVerifications = maxPackageChecks }
        print("Dossier is serving http://\(host):\(port)/ — pages at /admin, API at /api/v1. Stop with Ctrl-C.")
        // Shown at once even when the output is a pipe or a log file (block-buffered there).
        fflush(nil)  // nil: every output stream (stdout is a C global Swift 6 will not touch)
        try await runServer(node: node, settings: settings, logger: logger)
    }
}
