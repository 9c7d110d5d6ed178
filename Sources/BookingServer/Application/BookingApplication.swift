import BookingCore
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// Builds the booking service's HTTP application: router, middleware chain and routes.
public enum BookingApplication {
    /// The router with every route of this build (API.md "Endpoints").
    ///
    /// Middleware order, outermost first: metrics → security headers → CORS → request id → request log →
    /// body size limit → rate limits → error envelope → authentication.
    /// - Parameter readiness: the instance's life phase for `/health/ready` (default: already serving, for
    ///   router-level tests that run no server).
    public static func router(
        services: BookingServices, readiness: ServiceReadiness = ServiceReadiness(.serving), startedAt: Date = Date()
    ) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestMetricsMiddleware(metrics: services.metrics))
        router.add(middleware: SecurityHeadersMiddleware(production: services.configuration.environment == .production))
        router.add(middleware: CrossOriginMiddleware(allowedOrigins: services.configuration.http.corsAllowedOrigins))
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestLogMiddleware(reporter: services.errorReporter))
        router.add(middleware: BodySizeLimitMiddleware(limit: services.configuration.http.maxBodyBytes))
        router.add(
            middleware: RateLimitMiddleware(
                policy: services.configuration.rateLimiting.policy, store: services.rateLimitStore,
                clients: ClientAddressResolver(trustedProxies: services.configuration.http.trustedProxies), metrics: services.metrics))
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(middleware: AuthenticationMiddleware(tokens: services.tokens))
        let configuration = services.configuration
        HealthRoutes(database: services.database, readiness: readiness, startedAt: startedAt).register(on: router)
        MetricsRoutes(metrics: services.metrics, database: services.database).register(on: router)
        AuthRoutes(
            accounts: services.accounts, secureCookies: configuration.environment == .production,
            refreshLifetime: configuration.auth.refreshTokenTTL,
            csrf: CSRFProtection(secret: configuration.auth.jwtSecret, trustedOrigins: configuration.http.corsAllowedOrigins),
            metrics: services.metrics
        ).register(on: router)
        PatientRoutes(accounts: services.accounts).register(on: router)
        ClinicRoutes(clinics: services.clinics, cache: services.readCache).register(on: router)
        DoctorRoutes(doctors: services.doctors, cache: services.readCache).register(on: router)
        AdminRoutes(doctors: services.doctors).register(on: router)
        AppointmentRoutes(appointments: services.appointments, metrics: services.metrics, cache: services.readCache).register(on: router)
        WaitlistRoutes(waitlists: services.waitlists, metrics: services.metrics).register(on: router)
        WaitlistManagementRoutes(waitlists: services.waitlists).register(on: router)
        AnalyticsRoutes(analytics: services.analytics).register(on: router)
        PaymentRoutes(
            payments: services.payments, metrics: services.metrics,
            sandbox: configuration.payments.gateway == .sandbox && configuration.environment != .production
        ).register(on: router)
        return router
    }

    /// The application listening on `host:port` (port 0 picks a free one; `onServerRunning` learns which).
    ///
    /// `readiness` turns ``ServiceReadiness/Phase/serving`` once the listener is bound. A connection that sends
    /// nothing for ``ServerConfiguration/httpIdleTimeout`` is closed, so a client that stalls mid-body cannot hold
    /// a connection (and a graceful shutdown) forever.
    public static func make(
        services: BookingServices, host: String, port: Int, logger: Logger, readiness: ServiceReadiness = ServiceReadiness(),
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services, readiness: readiness),
            server: .http1(configuration: .init(idleTimeout: TimeAmount(services.configuration.http.idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                readiness.advance(to: .serving)
                await onServerRunning(channel)
            },
            logger: logger)
    }

    /// The service group that runs `app` with a graceful shutdown (API.md "Operations"): on one of
    /// `gracefulShutdownSignals` (or `triggerGracefulShutdown()`), `readiness` turns
    /// ``ServiceReadiness/Phase/draining`` (`/health/ready` 503) for ``ServerConfiguration/shutdownDrainDelay``
    /// while requests are still served; then the listener closes and in-flight requests finish, for at most
    /// ``ServerConfiguration/shutdownTimeout`` before they are cancelled. `run()` returns when all is done.
    /// - Parameter forceExitAfterTimeout: exit the process (status 1) 5 s after the shutdown timeout if requests that
    ///   ignore cancellation (a database that stopped answering) are still running — for `illajwala-api serve` only.
    /// - Parameter background: services that run beside the server for its whole life (``RefundReconciler``, the Sentry
    ///   sender of ``BookingServices/backgroundServices``); listed first, they are stopped after the server.
    public static func serviceGroup(
        app: some ApplicationProtocol, readiness: ServiceReadiness, configuration: ServerConfiguration,
        gracefulShutdownSignals: [UnixSignal], forceExitAfterTimeout: Bool = false, background: [any Service] = [], logger: Logger
    ) -> ServiceGroup {
        let drain = ShutdownDrain(
            readiness: readiness, delay: configuration.shutdown.drainDelay,
            forceExitAfter: forceExitAfterTimeout ? configuration.shutdown.timeout + .seconds(5) : nil, logger: logger)
        var group = ServiceGroupConfiguration(
            // Shut down in reverse order: the drain (readiness 503, delay) ends before the server stops accepting.
            services: background.map { .init(service: $0) } + [.init(service: app), .init(service: drain)],
            gracefulShutdownSignals: gracefulShutdownSignals, logger: logger)
        group.maximumGracefulShutdownDuration = configuration.shutdown.drainDelay + configuration.shutdown.timeout
        return ServiceGroup(configuration: group)
    }
}
