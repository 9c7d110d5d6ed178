// swift-tools-version:6.1
// Illajwala: the clinic booking service and the harness that proves it ready to ship.
// Layout and library choices: see docs/architecture.md.
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
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
        .library(name: "FlowCore", targets: ["FlowCore"]),
        .library(name: "FlowRuntime", targets: ["FlowRuntime"]),
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
        // Load mode's latency histograms (HdrHistogram's algorithm: exact high percentiles at constant memory).
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
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
        // The HTTP client the test-support library and the flow runner share: requests, responses, the URLSession
        // transport (no redirects, no shared cookies) and a cookie jar. Foundation only; no booking code.
        .target(name: "APITransport", swiftSettings: swiftSettings),
        // Test-support library: databases per test, fixtures, API client, live server, the Razorpay double.
        .target(
            name: "IllajwalaTesting",
            dependencies: [
                "BookingServer", "BookingCore", "APITransport",
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
        // The flow runner, split along the path data takes (parser → runner → reports; docs/architecture.md).
        // Core, no I/O: the flow model, YAML parsing with positions, templating, JSON values and numbers, RFC 9535
        // JSONPath, matchers and assertions, JSON Schema validation, the linter.
        .target(
            name: "FlowCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Reading text files (UTF-8, BOM, clear errors) and writing report files whole (atomic replace).
        .target(name: "TextFileIO", dependencies: ["FlowCore"], swiftSettings: swiftSettings),
        // The runner: loading flows, targets, scheduling, step execution over APITransport, reports, API coverage.
        .target(
            name: "FlowRuntime",
            dependencies: [
                "FlowCore", "APITransport", "TextFileIO", "BuildInfo",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The code-coverage gate: llvm-cov export data summed per module, thresholds, coverage.json/.md.
        .target(
            name: "CoverageGate",
            dependencies: ["FlowCore", "TextFileIO", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // Load mode: the flows as a load test — scenarios, open and closed models, HDR latency per operation, flow
        // and step, thresholds that gate, load reports; AsyncHTTPClient as the generator's transport.
        .target(
            name: "LoadTesting",
            dependencies: [
                "FlowCore", "FlowRuntime", "APITransport", "TextFileIO",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        // The command-line layer: run, load, list, validate, jsonpath — what the executable's subcommands call.
        .target(
            name: "FlowCommands",
            dependencies: [
                "FlowRuntime", "CoverageGate", "LoadTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The embedded `local` target: the booking service booted in-process (LiveServer) and, on request, the
        // Razorpay double beside it — the adapter the executable plugs into the runner.
        .target(
            name: "LocalTarget",
            dependencies: [
                "FlowCore", "FlowRuntime", "IllajwalaTesting", "BookingServer",
                .product(name: "Logging", package: "swift-log"),
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
                "FlowCommands", "LocalTarget", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Prints the per-test database cost (template copy vs naive): scripts/benchmark-test-databases.sh.
        .executableTarget(
            name: "test-database-benchmark", dependencies: ["IllajwalaTesting", "BookingServer"],
            path: "Benchmarks/TestDatabaseBenchmark", swiftSettings: swiftSettings),
        .executableTarget(
            name: "flow-runner-benchmark", dependencies: ["FlowCore", "FlowRuntime", "APITransport"],
            path: "Benchmarks/FlowRunnerBenchmark", swiftSettings: swiftSettings),
        .testTarget(name: "BookingCoreTests", dependencies: ["BookingCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "BookingServerTests",
            dependencies: [
                "APITransport", "BookingServer", "IllajwalaTesting", "IllajwalaSwiftTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IllajwalaTestingTests", dependencies: ["APITransport", "IllajwalaTesting", "IllajwalaSwiftTesting", "IllajwalaXCTest"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FlowRunnerTests",
            dependencies: [
                "FlowCore", "FlowRuntime", "CoverageGate", "FlowCommands", "APITransport", "TextFileIO", "LoadTesting",
                // A deliberately slow loopback server for client-timeout tests.
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources")], swiftSettings: swiftSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "APITransport", "FlowCommands", "FlowCore", "FlowRuntime", "LocalTarget", "IllajwalaTesting", .product(name: "Logging", package: "swift-log"),
            ], exclude: ["Flows"], swiftSettings: swiftSettings),
    ],
    swiftLanguageModes: [.v6]
)
