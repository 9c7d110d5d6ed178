import ArgumentParser
import BookingServer
import BuildInfo
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
    @Option(
        help: ArgumentHelp(
            "Database URL: postgres://user[:password]@host[:port]/database[?sslmode=require] (production), sqlite:///absolute/path.db or sqlite::memory: (env DATABASE_URL).",
            valueName: "url"))
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
            // One line naming the variable, status 64 (EX_USAGE); the command's usage text would only bury it.
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(64)
        }
    }

    func logger(_ configuration: ServerConfiguration) -> Logger {
        Self.bootstrapLogging(configuration.logging.format)
        var logger = Logger(label: "illajwala-api")
        logger.logLevel = configuration.logging.level
        return logger
    }

    /// Chooses the process's log format once (swift-log allows one bootstrap per process).
    static func bootstrapLogging(_ format: LoggingSettings.Format) {
        guard format == .json else { return }
        LoggingBootstrap.once { LoggingSystem.bootstrap { label in JSONLogHandler(label: label) } }
    }

    /// Opens the configured database, runs `body` and closes the database whatever happens.
    func withDatabase<T>(_ body: (BookingDatabase, ServerConfiguration) async throws -> T) async throws -> T {
        let configuration = try configuration()
        let database = try await BookingDatabase.open(configuration.database.url, logger: logger(configuration), options: configuration.database.options)
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
    static let configuration = CommandConfiguration(
        abstract: "Serve the HTTP API until SIGTERM/SIGINT.",
        discussion: """
            Every other setting is an environment variable (ILLAJWALA_ENV, JWT_SECRET, PAYMENT_GATEWAY, PAYMENT_KEY_ID, \
            PAYMENT_KEY_SECRET, PAYMENT_WEBHOOK_SECRET, TRUSTED_PROXIES, CORS_ALLOWED_ORIGINS, RATE_LIMIT_*, LOG_FORMAT …): \
            see docs/environment-variables.md. A missing or bad value stops start-up with one line naming it (exit 64). \
            ILLAJWALA_ENV=production needs PostgreSQL, JWT_SECRET and PAYMENT_GATEWAY=razorpay with its keys.
            """)

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
                Data("error: cannot listen on \(configuration.http.host):\(configuration.http.port): the address is already in use\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply, roll back or list schema migrations.", subcommands: [Up.self, Down.self, Status.self, Plan.self, SQL.self])

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the migrations `migrate up` would apply: VERSION KIND NAME per line (kind expand or contract); nothing when up to date.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            for migration in try await database.withDatabase({ db, _ in try await Migrator(database: db).pending() }) {
                print("\(migration.version) \(migration.kind.rawValue) \(migration.name)")
            }
        }
    }

    struct SQL: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sql",
            abstract: "Print the `up` SQL of the pending migrations (--pending, needs the database) or of all of them (--all), for linters such as squawk.")
        @Flag(help: "Every migration this build knows (no database needed).") var all = false
        @Flag(help: "Only the pending ones.") var pending = false
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard all != pending else { throw ValidationError("give --all or --pending") }
        }

        func run() async throws {
            let migrations = all ? Migrator.all : try await database.withDatabase { db, _ in try await Migrator(database: db).pending() }
            // As the migrator runs them on PostgreSQL: each migration in a transaction that starts with these settings.
            for migration in migrations {
                print("-- \(migration.version) \(migration.name) (\(migration.kind.rawValue))")
                for setting in Migrator.postgresSessionSettings { print(setting + ";") }
                for statement in migration.up { print(statement.trimmingCharacters(in: .whitespacesAndNewlines) + ";") }
            }
        }
    }

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
        static let configuration = CommandConfiguration(
            abstract: "Roll back the migrations above --to N (destroys their tables and columns).",
            discussion: """
                Prints what will be dropped and asks to confirm; --yes confirms without asking (required without a terminal). \
                In production it also needs --backup REF naming the backup taken first (scripts/backup.sh), or --no-backup. \
                --to 0 drops the whole schema and must be given explicitly.
                """)
        @Option(help: ArgumentHelp("Keep migrations up to this version (required; 0 drops everything).", valueName: "N")) var to: Int
        @Flag(help: "Confirm without asking.") var yes = false
        @Option(help: ArgumentHelp("The backup taken before this rollback (production).", valueName: "ref")) var backup: String?
        @Flag(name: .customLong("no-backup"), help: "Roll back in production without a backup.") var noBackup = false
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let configuration = try database.configuration()
            if configuration.environment == .production, backup == nil, !noBackup {
                FileHandle.standardError.write(
                    Data("error: migrate down in production needs --backup REF (the backup taken first, scripts/backup.sh) or --no-backup\n".utf8))
                throw ExitCode(64)
            }
            let rolledBack = try await database.withDatabase { db, _ in
                let migrator = Migrator(database: db)
                let plan = try await migrator.rollbackPlan(to: to)
                guard !plan.isEmpty else { return [Int]() }
                print("rolling back to version \(to) undoes:")
                for migration in plan {
                    print("  \(migration.version) \(migration.name):")
                    for statement in migration.down { print("    \(statement.split(separator: "\n").joined(separator: " "))") }
                }
                if let backup { print("backup taken first: \(backup)") }
                if !yes {
                    guard isatty(STDIN_FILENO) == 1 else {
                        FileHandle.standardError.write(Data("error: not confirmed: run again with --yes (standard input is not a terminal)\n".utf8))
                        throw ExitCode(64)
                    }
                    print("type the target version (\(to)) to confirm: ", terminator: "")
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == String(to) else {
                        FileHandle.standardError.write(Data("error: not confirmed; nothing was changed\n".utf8))
                        throw ExitCode(1)
                    }
                }
                return try await migrator.migrateDown(to: to)
            }
            print(rolledBack.isEmpty ? "nothing to roll back" : "rolled back migrations: " + rolledBack.map(String.init).joined(separator: ", "))
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List migrations and whether each is applied.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let lines = try await database.withDatabase { db, _ in try await Migrator(database: db).status() }
            for line in lines {
                let kind = Migrator.all.first { $0.version == line.version }?.kind.rawValue ?? "?"
                print("\(line.applied ? "applied" : "pending")  \(line.version)  \(kind)  \(line.name)")
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
