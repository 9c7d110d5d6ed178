import Foundation
import Hummingbird

/// Builds the API's JSON responses (API.md "Conventions").
public enum ResponseBuilder {
    /// Pagination metadata of list responses.
    public struct PageMeta: Encodable, Sendable {
        public var page: Int
        public var pageSize: Int
        public var total: Int
        public var totalPages: Int

        public init(page: Int, pageSize: Int, total: Int) {
            self.page = page
            self.pageSize = pageSize
            self.total = total
            self.totalPages = total == 0 ? 0 : (total + pageSize - 1) / pageSize
        }
    }

    private struct Success<Payload: Encodable>: Encodable {
        let success = true
        let data: Payload
        let meta: PageMeta?
    }

    private struct Failure: Encodable {
        struct Body: Encodable {
            let code: String
            let message: String
            let details: [String: String]?
        }
        let success = false
        let error: Body
        let requestId: String
    }

    /// `{"success": true, "data": …, "meta": …?}` with `status`.
    public static func success<Payload: Encodable>(
        _ data: Payload, status: HTTPResponse.Status = .ok, meta: PageMeta? = nil
    ) throws -> Response {
        json(try JSONCoding.encoder().encode(Success(data: data, meta: meta)), status: status)
    }

    /// The bytes of `{"success": true, "data": …, "meta": …?}`, for answers kept in ``ReadResponseCache``.
    public static func successBody<Payload: Encodable>(_ data: Payload, meta: PageMeta? = nil) throws -> ByteBuffer {
        ByteBuffer(bytes: try JSONCoding.encoder().encode(Success(data: data, meta: meta)))
    }

    /// The answer of a read that ``ReadResponseCache`` may keep: `200 OK` with the body cached under `key`, or
    /// `compute()`'s, which is then kept.
    /// - Throws: whatever `compute` throws.
    static func cached(
        _ cache: ReadResponseCache, key: String, compute: () async throws -> ReadResponseCache.Answer
    ) async throws -> Response {
        json(try await cache.body(for: key, compute: compute), status: .ok)
    }

    /// The error envelope for `error`.
    public static func error(_ error: APIError, requestID: String) -> Response {
        let body = Failure(
            error: .init(code: error.code, message: error.message, details: error.details), requestId: requestID)
        let data = (try? JSONCoding.encoder().encode(body)) ?? Data(#"{"success":false}"#.utf8)
        return json(data, status: error.status)
    }

    /// The error envelope for `error` answering the request of `context`, whose request log line then names the
    /// error code (`code`), so "what failed" is in the log without the body.
    static func error(_ error: APIError, context: AppRequestContext) -> Response {
        context.requestFacts.errorCode = error.code
        return self.error(error, requestID: context.requestID)
    }

    /// `204 No Content`.
    public static func noContent() -> Response { Response(status: .noContent) }

    /// A JSON response from already-encoded bytes.
    public static func json(_ data: Data, status: HTTPResponse.Status, contentType: String = "application/json; charset=utf-8") -> Response {
        json(ByteBuffer(bytes: data), status: status, contentType: contentType)
    }

    /// A JSON response from an already-encoded buffer.
    public static func json(
        _ buffer: ByteBuffer, status: HTTPResponse.Status, contentType: String = "application/json; charset=utf-8"
    ) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: buffer))
    }
}
