import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Applies the ``RateLimitPolicy`` per client (API.md "Security envelope").
///
/// - Every limited response carries `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` (seconds until
///   the window ends) and `RateLimit-Policy` (`limit;w=window`) of the IETF draft *RateLimit header fields for
///   HTTP*, and the legacy `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (Unix time in
///   seconds, as GitHub and express-rate-limit send it).
/// - Over the limit: 429 RATE_LIMIT_EXCEEDED in the error envelope with `Retry-After` in seconds (RFC 9110 §10.2.3).
/// - Login counts failed attempts (a 401 answer) per client address and per account (tenant + e-mail): the
///   attempt reserves a hit on both counters before the password is checked, and gives it back unless the
///   answer is 401 — so concurrent guesses cannot overtake the limit and a success resets no one's counter.
/// - The client is the address ``ClientAddressResolver`` decides (socket peer; `X-Forwarded-For` only from a
///   trusted proxy).
/// - A failing store (database down) lets the request through and logs the error: the limiter never takes
///   the service down with it.
public struct RateLimitMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    let policy: RateLimitPolicy
    let store: any RateLimitStore
    let clients: ClientAddressResolver
    let metrics: ServiceMetrics?
    let now: @Sendable () -> Date

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let tenantHeader = HTTPField.Name("X-Tenant-Id")!

    public init(
        policy: RateLimitPolicy, store: any RateLimitStore, clients: ClientAddressResolver, metrics: ServiceMetrics? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.policy = policy
        self.store = store
        self.clients = clients
        self.metrics = metrics
        self.now = now
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let rule = policy.rule(method: request.method.rawValue, path: request.uri.path) else {
            return try await next(request, context)
        }
        let client = clients.clientAddress(
            peer: context.remoteAddress?.ipAddress, forwardedFor: request.headers[values: Self.forwardedFor])
        var request = request
        var keys = ["\(rule.name)|client|\(client)"]
        let isLogin = policy.isLogin(method: request.method.rawValue, path: request.uri.path)
        if isLogin {
            do {
                if let account = try await accountKey(&request, context: context) { keys.append("\(rule.name)|account|\(account)") }
            } catch let error as APIError {
                // This middleware sits outside the error envelope: answer in the envelope here (413).
                return ResponseBuilder.error(error, context: context)
            }
        }
        let started = now()
        let windows: [RateLimitWindow]
        do {
            windows = try await record(keys, cost: 1, rule: rule, now: started)
        } catch {
            context.logger.warning("rate limiter unavailable; request let through", metadata: ["error": "\(error)", "rule": "\(rule.name)"])
            return try await next(request, context)
        }
        let tightest = windows.max { $0.count < $1.count }!
        if tightest.count > rule.limit {
            let retryAfter = Self.seconds(until: tightest.resetsAt, from: started)
            metrics?.rateLimitRejected(rule: rule.name)
            context.logger.notice(
                "rate limit exceeded", metadata: ["rule": "\(rule.name)", "client": "\(client)", "retry_after_s": "\(retryAfter)"])
            var response = ResponseBuilder.error(.rateLimited(rule: rule.name, retryAfter: retryAfter), context: context)
            response.headers[.retryAfter] = String(retryAfter)
            Self.addHeaders(&response.headers, rule: rule, window: tightest, now: started)
            return response
        }
        var response = try await next(request, context)
        var reported = tightest
        // A failure is a refused password: any 401 of a login; for a password change only a 401 that came with a
        // token (without one, the caller guessed nothing — it is not identified).
        let failed = response.status == .unauthorized && (isLogin || request.headers[.authorization] != nil)
        if rule.countsFailuresOnly && !failed {
            // Only failures count: give the reserved hit back (never below zero).
            if let returned = try? await record(keys, cost: -1, rule: rule, now: now()) {
                reported = returned.max { $0.count < $1.count } ?? reported
            }
        }
        Self.addHeaders(&response.headers, rule: rule, window: reported, now: started)
        return response
    }

    private func record(_ keys: [String], cost: Int, rule: RateLimitRule, now: Date) async throws -> [RateLimitWindow] {
        var windows: [RateLimitWindow] = []
        for key in keys { windows.append(try await store.record(key: key, cost: cost, window: rule.window, now: now)) }
        return windows
    }

    /// `tenant|email` of a login body, or `nil` when the body has no usable e-mail (the route then answers 400).
    /// Collects the body into the request so the route reads the same bytes.
    /// - Throws: ``APIError`` 413 when the body is over the context's limit, 408 when it stops arriving.
    private func accountKey(_ request: inout Request, context: AppRequestContext) async throws -> String? {
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            throw JSONBodyReader.bodyReadError(error, limit: context.maxUploadSize)
        }
        let data = Data(buffer.readableBytesView)
        guard !data.contains(0), !JSONNesting.exceeds(in: data), JSONDuplicateKeys.firstDuplicate(in: data) == nil,
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let email = object["email"] as? String
        else { return nil }
        let tenant = request.headers[Self.tenantHeader] ?? "default"
        return "\(tenant)|\(email.trimmingCharacters(in: .whitespaces).lowercased())"
    }

    static func seconds(until date: Date, from now: Date) -> Int {
        max(Int(date.timeIntervalSince(now).rounded(.up)), 1)
    }

    static func addHeaders(_ headers: inout HTTPFields, rule: RateLimitRule, window: RateLimitWindow, now: Date) {
        let remaining = String(max(rule.limit - window.count, 0))
        let reset = String(seconds(until: window.resetsAt, from: now))
        headers[HTTPField.Name("RateLimit-Limit")!] = String(rule.limit)
        headers[HTTPField.Name("RateLimit-Remaining")!] = remaining
        headers[HTTPField.Name("RateLimit-Reset")!] = reset
        headers[HTTPField.Name("RateLimit-Policy")!] = "\(rule.limit);w=\(rule.window)"
        headers[HTTPField.Name("X-RateLimit-Limit")!] = String(rule.limit)
        headers[HTTPField.Name("X-RateLimit-Remaining")!] = remaining
        headers[HTTPField.Name("X-RateLimit-Reset")!] = String(Int(window.resetsAt.timeIntervalSince1970.rounded(.up)))
    }
}
