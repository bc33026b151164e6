// swift-tools-version:6.1

import PackageDescription

let package = Package(
    name: "Dossier",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "dossier", targets: ["dossier"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // L0: system libraries, each behind a small prefixed shim.
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),

        // L1: domain values and rules (no I/O), and cryptography.
        .target(name: "DossierCore"),
        .target(name: "DossierCrypto", dependencies: ["COpenSSL"]),

        // L2: policy files (Policies/) read into domain rules.
        .target(
            name: "DossierPolicyFiles",
            path: "Policies",
            exclude: [],
            sources: ["PolicyFiles.swift"],
            resources: [
                .copy("status-machine.yaml"), .copy("rank-ladder.yaml"), .copy("rank-quotas.yaml"),
                .copy("documents.yaml"), .copy("reconciliation.yaml"), .copy("exchange.yaml"),
                .copy("feeds"), .copy("civil-service-ranks-2019.yaml"), .copy("public-institution-staff.yaml"),
                .copy("local-rules.yaml"),
            ]
        ),
        // L2: statistical table definitions (Reports/) as data, shipped like the policies.
        .target(
            name: "DossierReportFiles",
            path: "Reports",
            sources: ["ReportFiles.swift"],
            resources: [.copy("dimensions.yaml"), .copy("tables")]
        ),
        .target(
            name: "DossierPolicy",
            dependencies: [
                "DossierCore", "DossierPolicyFiles", "DossierReportFiles", .product(name: "Yams", package: "Yams"),
            ]
        ),

        // L2: archive packages (BagIt in a reproducible pax tar) through libarchive.
        .target(name: "DossierArchive", dependencies: ["CArchive", "DossierCore", "DossierCrypto"]),

        // L2: the storage protocol the service is written against, and its SQLite backend.
        .target(name: "DossierStorage", dependencies: ["DossierCore", "DossierCrypto"]),
        .target(
            name: "DossierStore",
            dependencies: [
                "DossierCore",
                "DossierCrypto",
                "DossierStorage",
                "CSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw SQLite API, for the prepared statements of bulk loads.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),

        // L3: transfer envelopes, receipts and refusals between agencies' nodes.
        .target(name: "DossierExchange", dependencies: ["DossierArchive", "DossierCore", "DossierCrypto"]),

        // L3: statistical tables built from counted facts, and written as CSV, XLSX, HTML, JSON.
        .target(name: "DossierReports", dependencies: ["DossierCore", "DossierArchive"]),

        // L4: use cases.
        .target(
            name: "DossierService",
            dependencies: [
                "DossierCore",
                "DossierPolicy",
                "DossierPolicyFiles",
                "DossierCrypto",
                "DossierStorage",
                "DossierArchive",
                "DossierExchange",
                "DossierReports",
                .product(name: "Logging", package: "swift-log"),
                // Password hashing only (a small C bcrypt; no HTTP).
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),

        // L5: the HTTP front (JSON API, admin pages), thin over DossierService.
        .target(
            name: "DossierHTTP",
            dependencies: [
                "DossierArchive",
                "DossierCore",
                "DossierCrypto",
                "DossierService",
                // The formats a table is sent in.
                "DossierReports",
                // The value types of cases and feeds the pages render (no storage is reached but
                // through the service).
                "DossierStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .copy("Resources/openapi.json"), .copy("Resources/messages.json"), .copy("Resources/templates"),
                .copy("Resources/static"),
            ]
        ),

        // L5: the command line.
        .executableTarget(
            name: "dossier",
            dependencies: [
                "DossierCore",
                "DossierCrypto",
                "DossierArchive",
                "DossierService",
                "DossierHTTP",
                // `dossier policy` reads and checks policy files without a node.
                "DossierPolicy",
                // The composition root: the command line chooses the storage backend.
                "DossierStore",
                // Writes the tables the service runs (CSV, XLSX, HTML, JSON).
                "DossierReports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Benchmark driver for archive packages and the exchange (scripts/bench-archive.sh,
        // scripts/bench-exchange.sh); not shipped.
        .executableTarget(
            name: "dossier-bench",
            dependencies: ["DossierArchive", "DossierCore", "DossierCrypto", "DossierService", "DossierStore"]
        ),

        .testTarget(name: "DossierCoreTests", dependencies: ["DossierCore", "DossierTestSupport"]),
        // Test helpers more than one test target needs (test targets cannot import each other).
        .target(
            name: "DossierTestSupport",
            dependencies: ["DossierArchive", "DossierCrypto", "DossierCore", "DossierPolicy", "DossierPolicyFiles"],
            path: "Tests/DossierTestSupport"
        ),
        .testTarget(name: "DossierCryptoTests", dependencies: ["DossierCrypto", "DossierTestSupport"]),
        .testTarget(
            name: "DossierArchiveTests",
            dependencies: ["DossierArchive", "DossierCrypto", "DossierCore", "DossierTestSupport"],
            // Workbooks written by a spreadsheet library (openpyxl), with the script that made them.
            exclude: ["Fixtures/make-fixtures.py"],
            resources: [.copy("Fixtures/openpyxl-basic.xlsx"), .copy("Fixtures/openpyxl-1904.xlsx")]
        ),
        .testTarget(
            name: "DossierExchangeTests",
            dependencies: ["DossierExchange", "DossierArchive", "DossierCrypto", "DossierCore", "DossierTestSupport"]
        ),
        .testTarget(
            name: "DossierReportsTests",
            dependencies: ["DossierReports", "DossierArchive", "DossierCore", "DossierTestSupport"]
        ),
        .testTarget(
            name: "DossierPolicyTests",
            dependencies: [
                "DossierPolicy", "DossierPolicyFiles", "DossierReportFiles", "DossierCore", "DossierTestSupport",
            ]
        ),
        .testTarget(
            name: "DossierStoreTests",
            dependencies: [
                "DossierStore", "DossierStorage", "DossierCore", "DossierCrypto", "DossierTestSupport",
                // Migration tests build a database as an earlier schema left it.
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "DossierServiceTests",
            dependencies: [
                "DossierService", "DossierStore", "DossierStorage", "DossierCore", "DossierCrypto", "DossierArchive",
                "DossierExchange", "DossierTestSupport",
            ]
        ),
        .testTarget(
            name: "DossierHTTPTests",
            dependencies: [
                "DossierHTTP", "DossierService", "DossierCore", "DossierStore", "DossierStorage", "DossierCrypto",
                "DossierTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // Runs the built `dossier` binary as a user would, including several processes at once.
        .testTarget(name: "DossierCLITests", dependencies: ["dossier", "DossierCore", "DossierTestSupport"]),
    ]
)

// One list of compiler settings for every target.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
