// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "GridMesh",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "patrold", targets: ["patrold"]),
        .executable(name: "meetingd", targets: ["meetingd"]),
        .executable(name: "reentryd", targets: ["reentryd"]),
        .executable(name: "vettingd", targets: ["vettingd"]),
        .executable(name: "authd", targets: ["authd"]),
        .executable(name: "webhook-receiver", targets: ["webhook-receiver"]),
        .executable(name: "gridctl", targets: ["gridctl"]),
        .executable(name: "gridmesh-scenario", targets: ["gridmesh-scenario"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // C enters through these three targets only.
        .systemLibrary(
            name: "CLibPQ", path: "Shared/CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]),
        .systemLibrary(
            name: "CCurl", path: "Shared/CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(
            name: "CArgon2", path: "Shared/CArgon2", pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]),

        // Domain value types, no I/O.
        .target(name: "GridCore", path: "Shared/GridCore"),
        // PostgreSQL over libpq: pool, typed queries, transactions, LISTEN, migrations.
        .target(
            name: "Postgres", dependencies: ["CLibPQ", "GridCore", .product(name: "Logging", package: "swift-log")],
            path: "Shared/Postgres"),
        // Outbox, subscriptions, claims with leases, handlers.
        .target(
            name: "EventBus",
            dependencies: [
                "Postgres", "GridCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/EventBus"),
        // The hash-chained audit log.
        .target(
            name: "Audit",
            dependencies: ["Postgres", "GridCore", "EventBus", .product(name: "Crypto", package: "swift-crypto")],
            path: "Shared/Audit"),
        // Standard Webhooks: signatures, inbound verification.
        .target(
            name: "Webhooks",
            dependencies: [
                "Postgres", "GridCore", "EventBus", "HTTPClient", "PersonalData", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/Webhooks"),
        // Personal data: sealing (AES-GCM), national ID numbers and their keyed lookup HMAC.
        .target(name: "PersonalData", dependencies: ["GridCore", .product(name: "Crypto", package: "swift-crypto")], path: "Shared/PersonalData"),
        // HTTP client over libcurl, on threads of its own.
        .target(name: "HTTPClient", dependencies: ["CCurl", "GridCore"], path: "Shared/HTTPClient"),
        // Config, logging, metrics, health, auth, problem+json, OpenAPI, systemd notify, shutdown.
        .target(
            name: "Daemon",
            dependencies: [
                "Postgres", "EventBus", "GridCore", "Webhooks", "HTTPClient", "Audit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Shared/Daemon"),

        // Daemons: a library with the domain, routes and SQL; a thin executable.
        .target(name: "Geography", dependencies: ["Postgres", "GridCore", "EventBus"], path: "Services/Geography"),
        .target(
            name: "Patrol", dependencies: ["Daemon", "EventBus", "Postgres", "GridCore", "Geography", "Audit", "Webhooks", "PersonalData"],
            path: "Services/Patrol"),
        .executableTarget(name: "patrold", dependencies: ["Patrol", "Daemon"], path: "Services/patrold"),
        .target(
            name: "Meeting", dependencies: ["Daemon", "EventBus", "Postgres", "GridCore", "Geography", "HTTPClient"],
            path: "Services/Meeting"),
        .executableTarget(name: "meetingd", dependencies: ["Meeting", "Daemon"], path: "Services/meetingd"),
        .target(
            name: "Reentry",
            dependencies: [
                "Daemon", "EventBus", "Postgres", "GridCore", "Geography", "Audit", "HTTPClient", "PersonalData",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Reentry"),
        .executableTarget(name: "reentryd", dependencies: ["Reentry", "Daemon"], path: "Services/reentryd"),
        .target(
            name: "Vetting",
            dependencies: ["Daemon", "EventBus", "Postgres", "GridCore", "Geography", "Audit", "HTTPClient", "PersonalData"],
            path: "Services/Vetting"),
        .executableTarget(name: "vettingd", dependencies: ["Vetting", "Daemon"], path: "Services/vettingd"),
        .target(
            name: "Auth",
            dependencies: [
                "Daemon", "EventBus", "Postgres", "GridCore", "Audit", "Webhooks", "CArgon2",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            path: "Services/Auth"),
        .executableTarget(name: "authd", dependencies: ["Auth", "Daemon"], path: "Services/authd"),
        .target(
            name: "GridCtl",
            dependencies: [
                "Patrol", "Meeting", "Reentry", "Vetting", "Auth", "PersonalData", "Geography", "EventBus", "Postgres", "Daemon", "Audit", "Webhooks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/GridCtl"),
        .executableTarget(name: "gridctl", dependencies: ["GridCtl"], path: "Services/gridctl"),
        // A week in Shuiguohu street played through the mesh's public APIs: the scenario test and the demo.
        .target(name: "Scenario", dependencies: ["GridCore", "HTTPClient", "Daemon", "Webhooks"], path: "Services/Scenario"),
        .executableTarget(
            name: "gridmesh-scenario",
            dependencies: ["Scenario", "GridCore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Services/gridmesh-scenario"),
        // A webhook receiver for demos and tests: verifies, dedupes, records, fails on request.
        .executableTarget(
            name: "webhook-receiver", dependencies: ["Daemon", "Webhooks", "GridCore", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Services/receiver"),

        // A stand-alone bus consumer and benchmark driver for multi-process tests and scripts/bench.
        .executableTarget(
            name: "busprobe",
            dependencies: [
                "EventBus", "Postgres", "Daemon", "HTTPClient", "Webhooks", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/busprobe"),

        .testTarget(
            name: "GridMeshTests",
            dependencies: [
                "GridCore", "Postgres", "EventBus", "Daemon", "HTTPClient", "Patrol", "Meeting", "Reentry", "Vetting", "Auth", "PersonalData", "GridCtl",
                "Audit",
                "Webhooks", "Scenario", "Geography", .product(name: "JWTKit", package: "jwt-kit"),
            ],
            path: "Tests/GridMeshTests", exclude: []),
    ],
    swiftLanguageModes: [.v6]
)
