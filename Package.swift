// swift-tools-version:6.1
// Illajwala: the clinic booking service and the harness that proves it ready to ship.
// Layout and library choices: see docs/architecture.md.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Illajwala",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "illajwala-api", targets: ["illajwala-api"]),
        .executable(name: "illajwala-flows", targets: ["illajwala-flows"]),
        .library(name: "BookingCore", targets: ["BookingCore"]),
        .library(name: "BookingServer", targets: ["BookingServer"]),
        .library(name: "IllajwalaTesting", targets: ["IllajwalaTesting"]),
        .library(name: "IllajwalaSwiftTesting", targets: ["IllajwalaSwiftTesting"]),
        .library(name: "IllajwalaXCTest", targets: ["IllajwalaXCTest"]),
        .library(name: "FlowKit", targets: ["FlowKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // The payment gateway's HTTP client (RazorpayPaymentGateway): NIO-native, pooled, per-request deadlines.
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        // Domain: entities, value types and rules. Foundation and swift-crypto (HMAC) only; no I/O.
        .target(
            name: "BookingCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The HTTP service: routes, middleware, persistence, migrations, configuration.
        .target(
            name: "BookingServer",
            dependencies: [
                "BookingCore", "BuildInfo",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // Test-support library: databases per test, fixtures, API client, live server.
        .target(
            name: "IllajwalaTesting",
            dependencies: [
                "BookingServer", "BookingCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Swift Testing integration: the `.isolatedDatabase(…)` trait. Kept apart so executables never link Testing.
        .target(
            name: "IllajwalaSwiftTesting",
            dependencies: ["IllajwalaTesting", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        // XCTest integration: the `DatabaseTestCase` base class.
        .target(name: "IllajwalaXCTest", dependencies: ["IllajwalaTesting", "BookingServer"], swiftSettings: swiftSettings),
        // Version, commit and date of the build (for --version and the start-up log line).
        .target(name: "BuildInfo", swiftSettings: swiftSettings, plugins: ["BuildInfoPlugin"]),
        .plugin(name: "BuildInfoPlugin", capability: .buildTool()),
        // Flow files: model, parser, templating, assertions, runner, reporters.
        .target(
            name: "FlowKit",
            dependencies: [
                "IllajwalaTesting", "BuildInfo",
                "BookingServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "illajwala-api",
            dependencies: [
                "BookingServer", "BuildInfo",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "illajwala-flows",
            dependencies: [
                "FlowKit", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prints the per-test database cost (template copy vs naive): scripts/benchmark-test-databases.sh.
        .executableTarget(
            name: "test-database-benchmark", dependencies: ["IllajwalaTesting", "BookingServer"],
            path: "Benchmarks/TestDatabaseBenchmark", swiftSettings: swiftSettings),
        .executableTarget(
            name: "flow-runner-benchmark", dependencies: ["FlowKit", "IllajwalaTesting"],
            path: "Benchmarks/FlowRunnerBenchmark", swiftSettings: swiftSettings),
        .testTarget(name: "BookingCoreTests", dependencies: ["BookingCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BookingServerTests",
            dependencies: [
                "BookingServer", "IllajwalaTesting", "IllajwalaSwiftTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IllajwalaTestingTests", dependencies: ["IllajwalaTesting", "IllajwalaSwiftTesting", "IllajwalaXCTest"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FlowKitTests",
            dependencies: [
                "FlowKit",
                // A deliberately slow loopback server for client-timeout tests.
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["FlowKit", "IllajwalaTesting", .product(name: "Logging", package: "swift-log")], exclude: ["Flows"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
