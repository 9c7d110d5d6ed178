import AsyncHTTPClient
import BuildInfo
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// Sends every 5xx to Sentry as an error event (docs/observability.md, "Error tracking"), without ever slowing or
/// failing a request:
///
/// - ``report(_:logger:)`` runs on the request's task and only takes a lock: it asks the ``SentryRepeatGrouper``
///   whether the fingerprint was sent within the last minute (then the repeat is counted `suppressed` and goes no
///   further) and puts the report in a queue of ``Options/queueCapacity`` (when full, the report is counted `dropped`).
/// - ``run()`` — a `Service` of the application's service group — takes reports from the queue one at a time, builds
///   the ``SentryEvent`` (scrubbing its text there, off the request's task) and posts its ``SentryEnvelope`` to the
///   DSN's envelope endpoint with AsyncHTTPClient within ``Options/requestTimeout``. A 2xx is `sent`; a 429 is
///   `rate_limited` and, with `X-Sentry-Rate-Limits` or `Retry-After`, stops sending until the limit passes (the
///   reports taken meanwhile are counted `rate_limited` and dropped, ``SentryRateLimit``); anything else is `failed`
///   and not retried (the log line of the 5xx is still there).
/// - On graceful shutdown (after the HTTP server has finished its requests, as the group stops services in reverse
///   order), the queue is closed and what is in it is sent for at most ``Options/shutdownFlushTimeout``; whatever is
///   left then is counted `dropped`.
///
/// Every outcome is counted in `error_reports_total{outcome}` (``ServiceMetrics/errorReport(_:)``).
///
/// Requests carry `Content-Type: application/x-sentry-envelope` and `X-Sentry-Auth: Sentry sentry_version=7,
/// sentry_client=illajwala-api/VERSION, sentry_key=PUBLIC_KEY` (Sentry's SDK development guide, "Overview" →
/// "Authentication"). Run ``run()`` once per reporter.
public final class SentryErrorReporter: ErrorReporter, Service {
    /// Limits of the queue and the sender.
    public struct Options: Sendable {
        /// Reports waiting to be sent at most; more are dropped and counted.
        public var queueCapacity: Int
        /// Deadline of one envelope's POST (connect, send, answer).
        public var requestTimeout: Duration
        /// How long a shutdown may spend sending what is still queued.
        public var shutdownFlushTimeout: Duration
        /// How long after an event its fingerprint's repeats are counted instead of sent (``SentryRepeatGrouper``).
        public var groupingWindow: Duration

        /// 100 queued reports, 5 s per request, 2 s to flush at shutdown, one event per fingerprint per minute.
        public init(
            queueCapacity: Int = 100, requestTimeout: Duration = .seconds(5), shutdownFlushTimeout: Duration = .seconds(2),
            groupingWindow: Duration = .seconds(60)
        ) {
            self.queueCapacity = queueCapacity
            self.requestTimeout = requestTimeout
            self.shutdownFlushTimeout = shutdownFlushTimeout
            self.groupingWindow = groupingWindow
        }
    }

    /// The Sentry project the events go to.
    public let dsn: SentryDSN
    /// Every event's `environment`.
    public let environment: String
    /// Every event's `release`, `illajwala-api@VERSION` by default.
    public let release: String
    /// Every event's `server_name`.
    public let serverName: String?
    public let options: Options
    let sdk: SentrySDK
    let metrics: ServiceMetrics
    let client: HTTPClient
    let logger: Logger

    /// One report on its way, with the repeats of its fingerprint suppressed before it.
    struct Queued: Sendable {
        var report: ErrorReport
        var suppressedRepeats: Int
    }

    private let queue: AsyncStream<Queued>
    private let continuation: AsyncStream<Queued>.Continuation
    private let grouper: Mutex<SentryRepeatGrouper>
    /// Reports in the queue, so that those a shutdown leaves behind are counted.
    private let queued = Mutex(0)

    /// A reporter for `dsn`; nothing is sent until ``run()`` runs.
    /// - Parameters:
    ///   - environment: `SENTRY_ENVIRONMENT`, else `ILLAJWALA_ENV`.
    ///   - release: the events' release (default `illajwala-api@` and the build's version).
    ///   - serverName: the events' `server_name` (default this host's name).
    ///   - metrics: where outcomes are counted.
    ///   - client: the HTTP client (default AsyncHTTPClient's shared one).
    ///   - logger: where changes of state are logged (Sentry unreachable, rate limited, back).
    public init(
        dsn: SentryDSN, environment: String, release: String = "illajwala-api@\(BuildInfo.version)",
        serverName: String? = ProcessInfo.processInfo.hostName, metrics: ServiceMetrics, options: Options = Options(),
        client: HTTPClient = .shared, logger: Logger = Logger(label: "illajwala-api.sentry")
    ) {
        self.dsn = dsn
        self.environment = environment
        self.release = release
        self.serverName = serverName.flatMap { $0.isEmpty ? nil : $0 }
        self.options = options
        self.sdk = SentrySDK(version: BuildInfo.version)
        self.metrics = metrics
        self.client = client
        self.logger = logger
        (queue, continuation) = AsyncStream.makeStream(of: Queued.self, bufferingPolicy: .bufferingOldest(max(options.queueCapacity, 1)))
        grouper = Mutex(SentryRepeatGrouper(window: options.groupingWindow))
    }

    /// `X-Sentry-Auth`'s value.
    public var authorizationHeader: String {
        "Sentry sentry_version=7, sentry_client=\(sdk.client), sentry_key=\(dsn.publicKey)"
    }

    /// Queues `report` unless it repeats a fingerprint sent within the grouping window; never waits, never throws.
    public func report(_ report: ErrorReport, logger: Logger) {
        let decision = grouper.withLock { $0.admit(SentryEvent.fingerprint(of: report), now: .now) }
        guard case .send(let suppressedRepeats) = decision else {
            metrics.errorReport(.suppressed)
            return
        }
        queued.withLock { $0 += 1 }
        switch continuation.yield(Queued(report: report, suppressedRepeats: suppressedRepeats)) {
        case .enqueued:
            break
        case .dropped, .terminated:
            queued.withLock { $0 -= 1 }
            metrics.errorReport(.dropped)
        @unknown default:
            queued.withLock { $0 -= 1 }
            metrics.errorReport(.dropped)
        }
    }

    /// Sends queued reports until a graceful shutdown, then flushes the queue for at most
    /// ``Options/shutdownFlushTimeout``; on cancellation stops at once. Reports left unsent are counted `dropped`.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.sendQueued() }
            group.addTask {
                // Throws when the group is cancelled instead of shut down: then nothing is flushed.
                do { try await gracefulShutdown() } catch { return }
                self.continuation.finish()
                try? await Task.sleep(for: self.options.shutdownFlushTimeout)
            }
            // Whichever ends first: the queue is empty and closed, or the flush time ran out, or cancellation.
            await group.next()
            group.cancelAll()
        }
        continuation.finish()
        let left = queued.withLock { count in
            defer { count = 0 }
            return count
        }
        for _ in 0..<left { metrics.errorReport(.dropped) }
        if left > 0 { self.logger.warning("error reports left unsent at shutdown", metadata: ["dropped": "\(left)"]) }
    }

    /// Takes reports from the queue and sends them, honouring Sentry's rate limits, until the queue ends.
    private func sendQueued() async {
        var rateLimit = SentryRateLimit()
        var failing = false
        for await item in queue {
            queued.withLock { $0 -= 1 }
            if rateLimit.isLimited(at: .now) {
                metrics.errorReport(.rateLimited)
                continue
            }
            let (outcome, problem) = await send(item, rateLimit: &rateLimit)
            metrics.errorReport(outcome)
            switch outcome {
            case .sent where failing:
                failing = false
                logger.notice("error tracker reachable again", metadata: ["sentry_host": "\(dsn.authority)"])
            case .failed where !failing:
                failing = true
                logger.warning(
                    "error tracker unreachable; 5xx stay in the log, counted in error_reports_total{outcome=\"failed\"}",
                    metadata: ["sentry_host": "\(dsn.authority)", "problem": "\(problem ?? "")"])
            case .rateLimited:
                let seconds = rateLimit.disabledUntil.map { ($0 - .now).seconds } ?? 0
                logger.notice(
                    "error tracker rate limit: not sending errors for a while", metadata: ["retry_after_seconds": "\(Int(seconds.rounded(.up)))"])
            default:
                break
            }
        }
    }

    /// Posts one envelope; returns its outcome and, for a failure, what went wrong (for the log).
    private func send(_ item: Queued, rateLimit: inout SentryRateLimit) async -> (ServiceMetrics.ErrorReportOutcome, String?) {
        let event = SentryEvent(
            report: item.report, suppressedRepeats: item.suppressedRepeats, release: release, environment: environment, serverName: serverName,
            sdk: sdk)
        let body: Data
        do {
            body = try SentryEnvelope.encode(event, dsn: dsn)
        } catch {
            return (.failed, "the envelope could not be encoded: \(error)")
        }
        var request = HTTPClientRequest(url: dsn.envelopeURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: SentryEnvelope.contentType)
        request.headers.add(name: "X-Sentry-Auth", value: authorizationHeader)
        request.headers.add(name: "User-Agent", value: sdk.client)
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: TimeAmount(options.requestTimeout))
            // Read (and discard) the answer, so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            rateLimit.update(
                status: status, retryAfter: response.headers.first(name: "Retry-After"),
                sentryRateLimits: response.headers.first(name: "X-Sentry-Rate-Limits"), now: .now)
            switch status {
            case 200..<300: return (.sent, nil)
            case 429: return (.rateLimited, nil)
            default: return (.failed, "answered \(status)")
            }
        } catch {
            // Cancelled: the shutdown's flush time ran out with this envelope on its way — left behind, not failed.
            if Task.isCancelled { return (.dropped, nil) }
            return (.failed, "\(error)")
        }
    }
}
