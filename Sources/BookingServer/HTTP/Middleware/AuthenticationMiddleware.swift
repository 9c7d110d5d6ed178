import Hummingbird

/// Reads `Authorization: Bearer <token>`, verifies it and puts the ``Identity`` on the context.
/// A request without the header passes through unauthenticated (routes that need a caller say so);
/// a present but invalid token is answered 401 at once.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let tokens: TokenService

    public init(tokens: TokenService) { self.tokens = tokens }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("expected Authorization: Bearer <token>")
        }
        var context = context
        let identity = try await tokens.verify(String(parts[1]))
        context.identity = identity
        context.logger[metadataKey: "tenant"] = .string(identity.tenantID.rawValue)
        context.requestFacts.tenant = identity.tenantID.rawValue
        return try await next(request, context)
    }
}
