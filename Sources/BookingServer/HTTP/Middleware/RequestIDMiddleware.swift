import Foundation
import HTTPTypes
import Hummingbird

/// Gives every request an id (API.md "Conventions"): the caller's `X-Request-Id` when it is a sane token
/// (1–128 characters of `A-Z a-z 0-9 - _ . :`), else a new UUID; echoes it on every response. Also joins the
/// caller's W3C trace (`traceparent`, ``TraceContext``) or starts one, answers with our `traceparent`, and puts
/// `request_id` and `trace_id` on the request's logger so every line of the request carries them.
public struct RequestIDMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public static let headerName = HTTPField.Name("X-Request-Id")!
    public static let traceparent = HTTPField.Name("traceparent")!

    public init() {}

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.sanitized(request.headers[Self.headerName]) ?? UUID().uuidString.lowercased()
        context.logger[metadataKey: "request_id"] = .string(context.requestID)
        let trace = TraceContext(incoming: request.headers[Self.traceparent])
        context.trace = trace
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        var response = try await next(request, context)
        response.headers[Self.headerName] = context.requestID
        response.headers[Self.traceparent] = trace.traceparent
        return response
    }

    /// The incoming id if it is safe to echo and log, else `nil`.
    public static func sanitized(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E || byte == 0x3A
            })
        else { return nil }
        return value
    }
}
