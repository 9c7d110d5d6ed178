import BookingCore
import Foundation
import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core storage plus the request id, the authenticated identity
/// and the socket peer.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The id echoed in `X-Request-Id` and in error envelopes.
    public var requestID: String
    /// The W3C trace this request belongs to (set by ``RequestIDMiddleware``).
    public var trace: TraceContext?
    /// Facts for the request log that inner middleware adds (tenant, the error behind a 5xx).
    public let requestFacts: RequestFacts
    /// The caller, when a valid bearer token was presented.
    public var identity: Identity?
    /// Socket peer of the connection (`nil` in router-level tests).
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.trace = nil
        self.requestFacts = RequestFacts()
        self.identity = nil
        self.remoteAddress = source.channel.remoteAddress
        self.maxUploadSize = HTTPSettings.defaultMaxBodyBytes
    }

    /// Largest request body read, in bytes: 1 MiB (API.md "Error codes", 413) unless ``BodySizeLimitMiddleware``
    /// sets the configured `MAX_BODY_BYTES`.
    public var maxUploadSize: Int

    /// The caller's identity, or 401.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw APIError.unauthorized() }
        return identity
    }

    /// The caller's identity if its role is one of `roles`; 401 without a token, 403 for another role.
    public func require(_ roles: Role...) throws -> Identity {
        let identity = try requireIdentity()
        guard roles.contains(identity.role) else { throw APIError.forbidden() }
        return identity
    }
}

/// Who is calling: the verified claims of the access token.
public struct Identity: Sendable, Equatable {
    public var userID: UUID
    public var role: Role
    public var tenantID: TenantID

    public init(userID: UUID, role: Role, tenantID: TenantID) {
        self.userID = userID
        self.role = role
        self.tenantID = tenantID
    }

    /// Whether the caller may see a record of `patientID` with `doctorID` in their tenant: admins see all,
    /// doctors their own, patients their own (API.md "Appointments", "Waitlists").
    public func canSee(patientID: UUID, doctorID: UUID) -> Bool {
        switch role {
        case .admin: return true
        case .doctor: return doctorID == userID
        case .patient: return patientID == userID
        }
    }
}
