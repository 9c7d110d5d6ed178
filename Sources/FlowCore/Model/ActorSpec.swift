/// A named identity that steps run as (`as: patient`): the runner logs it in on first use in a flow with
/// `POST /api/auth/login` (API.md "Auth"), attaches `Authorization: Bearer <access token>` to its steps and
/// refreshes the token with `POST /api/auth/refresh` before it expires (or once after a 401).
///
/// Declared under `actors:` in a target of `targets.yaml` (shared by every flow) or in a flow (its own, e.g. a
/// patient the flow registers; a flow's actor replaces a target's actor of the same name). The credentials are
/// templates, evaluated when the actor is first used, so they may name target variables, flow variables and
/// earlier captures.
public struct ActorSpec: Sendable {
    /// Name used by `as:`.
    public var name: String
    /// Login email.
    public var email: Template
    /// Login password (a secret: masked in every output).
    public var password: Template
    /// Login role (`patient`, `doctor`, `admin`); `patient` when not given.
    public var role: Template?
    /// Tenant sent as `X-Tenant-Id` on login (API.md "Conventions"); the service's default tenant when not given.
    public var tenant: Template?
    /// Where the actor is declared.
    public var location: SourceLocation

    /// Creates an actor; see the properties.
    public init(name: String, email: Template, password: Template, role: Template? = nil, tenant: Template? = nil, location: SourceLocation) {
        self.name = name
        self.email = email
        self.password = password
        self.role = role
        self.tenant = tenant
        self.location = location
    }
}
