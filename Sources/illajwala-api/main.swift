import BuildInfo
import ArgumentParser
import BookingServer
import Foundation
import Logging
import NIOCore
import Synchronization

/// `illajwala-api serve | migrate up|down|status | seed` — a thin shell over BookingServer.
@main
struct IllajwalaAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "illajwala-api",
        abstract: "The Illajwala booking service.",
        version: BuildInfo.versionLine(program: "illajwala-api"),
        subcommands: [Serve.self, Migrate.self, Seed.self])
}

/// Flags shared by every subcommand; each falls back to its environment variable.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Database URL: sqlite:///absolute/path.db or sqlite::memory: (env DATABASE_URL).")
    var databaseURL: String?

    /// The server configuration from the environment with the flags applied on top.
    func configuration(host: String? = nil, port: Int? = nil) throws -> ServerConfiguration {
        var environment = ProcessInfo.processInfo.environment
        if let databaseURL { environment["DATABASE_URL"] = databaseURL }
        if let host { environment["HOST"] = host }
        if let port { environment["PORT"] = String(port) }
        do {
            return try ServerConfiguration(environment: environment)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
    }

    func logger(_ configuration: ServerConfiguration) -> Logger {
        Self.bootstrapLogging(configuration.logFormat)
        var logger = Logger(label: "illajwala-api")
        logger.logLevel = configuration.logLevel
        return logger
    }

    /// Chooses the process's log format once (swift-log allows one bootstrap per process).
    static func bootstrapLogging(_ format: ServerConfiguration.LogFormat) {
        guard format == .json else { return }
        LoggingBootstrap.once { LoggingSystem.bootstrap { label in JSONLogHandler(label: label) } }
    }

    /// Opens the configured database, runs `body` and closes the database whatever happens.
    func withDatabase<T>(_ body: (BookingDatabase, ServerConfiguration) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let database = try await BookingDatabase.open(configuration.databaseURL, logger: logger(configuration), options: configuration.databaseOptions)
        do {
            let result = try await body(database, configuration)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP API until SIGTERM/SIGINT.")

    @Option(help: "Listen address (env HOST, default 127.0.0.1).") var host: String?
    @Option(help: "Listen port (env PORT, default 8080).") var port: Int?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let configuration = try database.configuration(host: host, port: port)
        do {
            try await BookingServerRunner.serve(configuration: configuration, logger: database.logger(configuration))
        } catch let error as SchemaError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        } catch let error as DatabaseError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            FileHandle.standardError.write(
                Data("error: cannot listen on \(configuration.host):\(configuration.port): the address is already in use\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply, roll back or list schema migrations.", subcommands: [Up.self, Down.self, Status.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply pending migrations.")
        @Option(help: "Stop at this version (default: latest).") var to: Int?
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let applied = try await database.withDatabase { db, _ in try await Migrator(database: db).migrateUp(to: to) }
            print(applied.isEmpty ? "schema is up to date" : "applied migrations: " + applied.map(String.init).joined(separator: ", "))
        }
    }

    struct Down: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll back migrations above --to (default 0: all).")
        @Option(help: "Keep migrations up to this version.") var to: Int = 0
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let rolledBack = try await database.withDatabase { db, _ in try await Migrator(database: db).migrateDown(to: to) }
            print(rolledBack.isEmpty ? "nothing to roll back" : "rolled back migrations: " + rolledBack.map(String.init).joined(separator: ", "))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List migrations and whether each is applied.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let lines = try await database.withDatabase { db, _ in try await Migrator(database: db).status() }
            for line in lines {
                print("\(line.applied ? "applied" : "pending")  \(line.version)  \(line.name)")
            }
        }
    }
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load the fixtures folder (development data) into a migrated database.")
    @Option(help: "Fixtures folder.") var fixtures: String = "Fixtures"
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        do {
            let set = try FixtureSet.load(from: URL(fileURLWithPath: fixtures, isDirectory: true))
            let summary = try await database.withDatabase { db, configuration in
                try await Migrator(database: db).requireCurrentSchema()
                return try await FixtureSeeder(services: await BookingServices(database: db, configuration: configuration)).seed(set)
            }
            print(summary)
        } catch let error as SchemaError {
            FileHandle.standardError.write(Data("error: \(error.message)\n".utf8))
            throw ExitCode(1)
        } catch let error as FixtureError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// Runs the logging bootstrap at most once per process.
enum LoggingBootstrap {
    private static let done = Mutex(false)

    static func once(_ bootstrap: () -> Void) {
        let first = done.withLock { done in
            defer { done = true }
            return !done
        }
        if first { bootstrap() }
    }
}
