import BookingCore
import Hummingbird

/// An error the API reports to its caller, with the status and code of API.md "Error codes".
/// Every error a handler throws is turned into the error envelope in one place
/// (``ErrorEnvelopeMiddleware``); anything that is not an `APIError` becomes `500 INTERNAL_ERROR`.
public struct APIError: Error, Sendable, Equatable {
    public let status: HTTPResponse.Status
    /// Machine-readable code, e.g. `SLOT_UNAVAILABLE`.
    public let code: String
    /// Human-readable message; never contains internals or other users' data.
    public let message: String
    /// Field → problem (for validation errors) or other structured context.
    public let details: [String: String]?

    public init(status: HTTPResponse.Status, code: String, message: String, details: [String: String]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    /// 400: a bad field; `details` names it.
    public static func validation(field: String, problem: String) -> APIError {
        APIError(status: .badRequest, code: "VALIDATION_ERROR", message: "\(field) \(problem)", details: [field: problem])
    }

    /// 400 from a domain ``ValidationError``.
    public static func validation(_ error: ValidationError) -> APIError {
        validation(field: error.field, problem: error.problem)
    }

    /// 401: missing, expired or tampered credentials.
    public static func unauthorized(_ message: String = "authentication required") -> APIError {
        APIError(status: .unauthorized, code: "UNAUTHORIZED", message: message)
    }

    /// 403: authenticated, but the role may not do this.
    public static func forbidden(_ message: String = "your role may not do this") -> APIError {
        APIError(status: .forbidden, code: "FORBIDDEN", message: message)
    }

    /// 404: no such resource in the caller's tenant and visibility (API.md: foreign ids answer exactly this).
    public static func notFound(_ resource: String) -> APIError {
        APIError(status: .notFound, code: "NOT_FOUND", message: "\(resource) not found")
    }

    /// 409 CONFLICT.
    public static func conflict(_ message: String) -> APIError {
        APIError(status: .conflict, code: "CONFLICT", message: message)
    }

    /// 409: the requested start is not a free slot of that doctor at that clinic.
    public static let slotUnavailable = APIError(
        status: .conflict, code: "SLOT_UNAVAILABLE", message: "the requested slot is not available")

    /// 409: the status change is not in the lifecycle (or not for this role).
    public static func invalidTransition(from: String, to: String) -> APIError {
        APIError(
            status: .conflict, code: "INVALID_TRANSITION", message: "cannot move from \(from) to \(to)",
            details: ["from": from, "to": to])
    }

    /// 409: the patient already has an open entry for this doctor.
    public static let alreadyWaitlisted = APIError(
        status: .conflict, code: "ALREADY_WAITLISTED", message: "you are already on this doctor's waitlist")

    /// 409: the doctor's queue is at the policy's `maxQueueSize`.
    public static let waitlistFull = APIError(
        status: .conflict, code: "WAITLIST_FULL", message: "this doctor's waitlist is full")

    /// 413: body over the limit.
    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "request body exceeds \(limit) bytes")
    }

    /// 415: a body that is not JSON.
    public static let unsupportedMediaType = APIError(
        status: .unsupportedMediaType, code: "UNSUPPORTED_MEDIA_TYPE", message: "request bodies must be application/json")

    /// 405: the path exists but not with this method.
    public static let methodNotAllowed = APIError(
        status: .methodNotAllowed, code: "METHOD_NOT_ALLOWED", message: "method not allowed on this path")

    /// 500: unexpected; details are only in the log, keyed by request id.
    public static let internalError = APIError(
        status: .internalServerError, code: "INTERNAL_ERROR", message: "an unexpected error occurred")

    /// The request body stopped arriving (the client disconnected or stalled past the idle timeout); the client has
    /// usually gone, so this mostly names the case in logs and metrics (this repository's addition to API.md).
    public static let requestIncomplete = APIError(
        status: .requestTimeout, code: "REQUEST_TIMEOUT", message: "the request body did not arrive completely")

    /// 503: the database is unreachable or the service is shutting down.
    public static let serviceUnavailable = APIError(
        status: .serviceUnavailable, code: "SERVICE_UNAVAILABLE", message: "the service is temporarily unavailable")
}

extension APIError {
    /// 429 RATE_LIMIT_EXCEEDED (API.md "Error codes"); `details` names the rule and the seconds to wait.
    public static func rateLimited(rule: String, retryAfter seconds: Int) -> APIError {
        APIError(
            status: .tooManyRequests, code: "RATE_LIMIT_EXCEEDED",
            message: "too many requests; retry after \(seconds) seconds",
            details: ["rule": rule, "retryAfter": String(seconds)])
    }
}

extension APIError {
    /// 503 PAYMENT_GATEWAY_UNAVAILABLE: the payment gateway did not answer in time, could not be reached or failed
    /// (5xx). Nothing was stored; the appointment stays as it was and the same request may be retried.
    public static let paymentGatewayUnavailable = APIError(
        status: .serviceUnavailable, code: "PAYMENT_GATEWAY_UNAVAILABLE",
        message: "the payment gateway is not answering; nothing was charged or stored, try again shortly")

    /// 502 PAYMENT_GATEWAY_REJECTED: the payment gateway refused the request (a 4xx); `details` carries its error
    /// code and description. Nothing was stored.
    public static func paymentGatewayRejected(code: String, description: String) -> APIError {
        APIError(
            status: .badGateway, code: "PAYMENT_GATEWAY_REJECTED", message: "the payment gateway refused the request (\(code))",
            details: ["gatewayCode": code, "gatewayDescription": String(description.prefix(200))])
    }

    /// The status and code of API.md "Error codes" for a domain refusal — the one place the domain's errors become
    /// HTTP.
    public init(_ error: BookingError) {
        switch error {
        case .notAuthenticated(let message): self = .unauthorized(message)
        case .forbidden(let message): self = .forbidden(message)
        case .notFound(let resource, let message, let details):
            self.init(status: .notFound, code: "NOT_FOUND", message: message ?? "\(resource) not found", details: details)
        case .conflict(let message): self = .conflict(message)
        case .slotUnavailable: self = .slotUnavailable
        case .invalidTransition(let from, let to, let message, let details):
            self.init(
                status: .conflict, code: "INVALID_TRANSITION", message: message ?? "cannot move from \(from) to \(to)",
                details: details.merging(["from": from, "to": to]) { $1 })
        case .alreadyWaitlisted: self = .alreadyWaitlisted
        case .waitlistFull: self = .waitlistFull
        }
    }

    /// The API error a gateway failure amounts to.
    static func from(_ error: PaymentGatewayError) -> APIError {
        switch error {
        case .unavailable: return .paymentGatewayUnavailable
        case .rejected(_, let code, let description): return .paymentGatewayRejected(code: code, description: description)
        }
    }
}
