import Hummingbird

/// Caps request bodies (API.md "Error codes": 413 PAYLOAD_TOO_LARGE, 1 MiB by default; `MAX_BODY_BYTES`).
///
/// A declared `Content-Length` over the limit is refused before a byte of the body is read; a chunked or
/// understated body is cut off while it is read, because every body is collected with
/// `collect(upTo: context.maxUploadSize)` — never buffered whole first.
public struct BodySizeLimitMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    /// Largest accepted body in bytes.
    public let limit: Int

    public init(limit: Int) { self.limit = limit }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maxUploadSize = limit
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            return ResponseBuilder.error(.payloadTooLarge(limit: limit), context: context)
        }
        return try await next(request, context)
    }
}
