import BookingCore
import Foundation
import ServiceLifecycle

/// The service layer wired to one database and configuration. Routes, the fixture seeder and the
/// test-support library all go through these, so test data is created by the same code paths as API calls.
public struct BookingServices: Sendable {
    public let database: BookingDatabase
    public let configuration: ServerConfiguration
    public let tokens: TokenService
    public let accounts: AccountService
    public let clinics: ClinicService
    public let doctors: DoctorService
    public let payments: PaymentService
    public let appointments: AppointmentService
    public let waitlists: WaitlistService
    public let analytics: AnalyticsService
    /// Counters of the rate limiter (``ServerConfiguration/rateLimitStore``).
    public let rateLimitStore: any RateLimitStore
    /// Prometheus metrics of this service instance (`GET /metrics`).
    public let metrics: ServiceMetrics
    /// Recent answers of the read-heavy routes (``ReadResponseCache``).
    public let readCache: ReadResponseCache
    /// Where requests answered with a 5xx are reported (default: the log, ``LogErrorReporter``; with `SENTRY_DSN` the
    /// log and Sentry, ``CombinedErrorReporter`` of the log reporter and ``sentry``; see ``ErrorReporter``).
    public var errorReporter: any ErrorReporter = LogErrorReporter()
    /// The Sentry adapter when `SENTRY_DSN` is set (it is also in ``errorReporter``); its sender is one of
    /// ``backgroundServices``.
    public let sentry: SentryErrorReporter?

    /// Services that must run beside the HTTP server for its whole life, in its service group (the Sentry sender,
    /// which flushes its queue after the server has stopped); empty without them.
    public var backgroundServices: [any Service] { sentry.map { [$0] } ?? [] }

    public init(database: BookingDatabase, configuration: ServerConfiguration) async {
        self.database = database
        self.configuration = configuration
        let tokens = await TokenService(
            current: TokenService.SigningKey(id: configuration.auth.jwtKeyID, secret: configuration.auth.jwtSecret),
            previous: configuration.auth.jwtPreviousKeys, previousValidUntil: configuration.auth.jwtPreviousKeysValidUntil,
            issuer: configuration.auth.jwtIssuer, audience: configuration.auth.jwtAudience, lifetime: configuration.auth.accessTokenTTL)
        self.tokens = tokens
        let accounts = AccountService(
            database: database, passwords: PasswordHasher(cost: configuration.auth.bcryptCost), tokens: tokens,
            refreshLifetime: configuration.auth.refreshTokenTTL)
        self.accounts = accounts
        self.clinics = ClinicService(database: database)
        self.doctors = DoctorService(database: database, accounts: accounts)
        let metrics = ServiceMetrics()
        self.metrics = metrics
        let payments = PaymentService(
            database: database, settings: configuration.payments,
            gateway: MeteredPaymentGateway(configuration.payments.makeGateway(), metrics: metrics))
        self.payments = payments
        let appointments = AppointmentService(database: database, payments: payments)
        self.appointments = appointments
        self.waitlists = WaitlistService(database: database, appointments: appointments)
        self.analytics = AnalyticsService(database: database)
        database.attach(metrics)
        if let dsn = configuration.errorTracking.sentryDSN {
            let sentry = SentryErrorReporter(dsn: dsn, environment: configuration.errorTracking.environment, metrics: metrics)
            self.sentry = sentry
            self.errorReporter = CombinedErrorReporter([LogErrorReporter(), sentry])
        } else {
            self.sentry = nil
        }
        self.readCache = ReadResponseCache(
            timeToLive: configuration.readCache.timeToLive, maximumBytes: configuration.readCache.maximumBytes,
            changes: database.changes, metrics: metrics)
        switch configuration.rateLimiting.store {
        case .memory: self.rateLimitStore = InMemoryRateLimitStore()
        case .database: self.rateLimitStore = DatabaseRateLimitStore(database: database)
        }
    }
}
