import BookingCore
import Hummingbird

/// Lets a request through to a route group only when the caller's access token carries one of ``roles``: 401
/// UNAUTHORIZED without a (valid) token, 403 FORBIDDEN for another role (API.md "Roles"). Added to a group whose
/// every route shares the rule, so no handler repeats it; handlers with a rule of their own keep
/// `AppRequestContext.require(_:)`.
public struct RoleRequirementMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext

    /// The roles allowed through.
    public let roles: Set<Role>

    /// - Parameter roles: the roles allowed through.
    public init(_ roles: Role...) {
        self.roles = Set(roles)
    }

    public func handle(
        _ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response
    ) async throws -> Response {
        let identity = try context.requireIdentity()
        guard roles.contains(identity.role) else { throw APIError.forbidden() }
        return try await next(request, context)
    }
}
