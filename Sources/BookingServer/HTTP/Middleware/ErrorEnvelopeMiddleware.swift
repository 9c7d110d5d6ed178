import BookingCore
import Foundation
import Hummingbird
import Logging

/// Turns every thrown error into the API's error envelope
/// `{"success": false, "error": {code, message, details?}, "requestId": …}` (API.md "Conventions").
///
/// ``APIError`` maps to its own status; Hummingbird's `HTTPError`s (unknown route, oversized body) map to
/// the matching code; database outages to 503; anything else is answered `500 INTERNAL_ERROR` without internals,
/// its error handed to the request log line (``RequestLogMiddleware``), which logs it once with the request id.
public struct ErrorEnvelopeMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    public init() {}

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error, context: context)
            if apiError.status.code >= 500 {
                // Logged once, by the request log line (RequestLogMiddleware), with the request id.
                context.requestFacts.failure = String(describing: error)
                context.requestFacts.failureType = ErrorReport.typeName(of: error)
            }
            return ResponseBuilder.error(apiError, context: context)
        }
    }

    static func apiError(for error: any Error, context: AppRequestContext) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as BookingError:
            return APIError(error)
        case let error as ValidationError:
            return APIError.validation(error)
        case let error as PaymentGatewayError:
            return APIError.from(error)
        case let error as HTTPError:
            switch error.status {
            case .notFound: return APIError.notFound("route")
            case .contentTooLarge: return APIError.payloadTooLarge(limit: context.maxUploadSize)
            case .methodNotAllowed: return APIError.methodNotAllowed
            case .unsupportedMediaType: return APIError.unsupportedMediaType
            case .badRequest: return APIError(status: .badRequest, code: "VALIDATION_ERROR", message: "malformed request")
            default:
                return error.status.code < 500
                    ? APIError(status: error.status, code: "BAD_REQUEST", message: error.status.reasonPhrase)
                    : APIError.internalError
            }
        case is CancellationError:
            // The shutdown timeout cancelled the request (API.md "Error codes": 503 while shutting down).
            return APIError.serviceUnavailable
        case let error as DatabaseError:
            if case .unavailable = error { return APIError.serviceUnavailable }
            return APIError.internalError
        default:
            return APIError.internalError
        }
    }
}
