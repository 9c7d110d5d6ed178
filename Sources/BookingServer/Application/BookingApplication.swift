import BookingCore
import Foundation
import Hummingbird
import Logging
import NIOCore

/// Builds the booking service's HTTP application: router, middleware chain and routes.
public enum BookingApplication {
    /// The router with every route of this build (API.md "Endpoints").
    ///
    /// Middleware order, outermost first: metrics → security headers → CORS → request id → request log →
    /// body size limit → rate limits → error envelope → authentication.
    public static func router(services: BookingServices, startedAt: Date = Date()) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: MetricsMiddleware(metrics: services.metrics))
        router.add(middleware: SecurityHeadersMiddleware(production: services.configuration.environment == .production))
        router.add(middleware: CORSMiddleware(allowedOrigins: services.configuration.corsAllowedOrigins))
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: BodySizeLimitMiddleware(limit: services.configuration.maxBodyBytes))
        router.add(middleware: RateLimitMiddleware(
            policy: services.configuration.rateLimits, store: services.rateLimitStore,
            clients: ClientAddressResolver(trustedProxies: services.configuration.trustedProxies), metrics: services.metrics))
        router.add(middleware: ErrorEnvelopeMiddleware())
        router.add(middleware: AuthenticationMiddleware(tokens: services.tokens))
        let configuration = services.configuration
        HealthRoutes(database: services.database, startedAt: startedAt).register(on: router)
        MetricsRoutes(metrics: services.metrics, database: services.database).register(on: router)
        AuthRoutes(
            accounts: services.accounts, secureCookies: configuration.environment == .production,
            refreshLifetime: configuration.refreshTokenTTL,
            csrf: CSRFProtection(secret: configuration.jwtSecret, trustedOrigins: configuration.corsAllowedOrigins),
            metrics: services.metrics
        ).register(on: router)
        PatientRoutes(accounts: services.accounts).register(on: router)
        ClinicRoutes(clinics: services.clinics).register(on: router)
        DoctorRoutes(doctors: services.doctors).register(on: router)
        AdminRoutes(doctors: services.doctors).register(on: router)
        AppointmentRoutes(appointments: services.appointments, metrics: services.metrics).register(on: router)
        WaitlistRoutes(waitlists: services.waitlists, metrics: services.metrics).register(on: router)
        WaitlistManagementRoutes(waitlists: services.waitlists).register(on: router)
        AnalyticsRoutes(analytics: services.analytics).register(on: router)
        PaymentRoutes(payments: services.payments, metrics: services.metrics, sandbox: configuration.payments.gateway == .sandbox).register(on: router)
        return router
    }

    /// The application listening on `host:port` (port 0 picks a free one; `onServerRunning` learns which).
    public static func make(
        services: BookingServices, host: String, port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(services: services),
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: onServerRunning,
            logger: logger)
    }
}
