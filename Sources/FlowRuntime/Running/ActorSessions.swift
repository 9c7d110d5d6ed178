import APITransport
import FlowCore
import Foundation

/// The logged-in actors of one flow run (`as:`): each actor logs in on first use with `POST /api/auth/login`
/// and keeps its session for the rest of the flow; an access token that expires within
/// ``refreshMargin`` seconds (its JWT `exp` claim) is renewed first with `POST /api/auth/refresh`
/// (API.md "Auth"; refresh token in the body), falling back to a fresh login if the refresh is refused.
///
/// Owned by one flow run and used by one step at a time, so it is a value type mutated in place.
struct ActorSessions: Sendable {
    /// A session of one actor.
    struct Session: Sendable {
        var accessToken: String
        var refreshToken: String
        var expiry: Date?
    }

    /// What getting a token produced: the token (or why there is none) and the requests it took, as step records.
    struct Outcome: Sendable {
        var token: String?
        var records: [StepRecord]
        var problem: String?
        /// Credentials handled while obtaining the token (shared sessions hand them to the run for masking).
        var secrets: [String] = []
    }

    /// Seconds before `exp` at which a token is renewed before use.
    static let refreshMargin: TimeInterval = 10

    let definitions: [String: ActorSpec]
    let baseURL: URL
    private(set) var client: any FlowHTTPClient
    /// Sessions shared with other runs (a load test), or `nil` for this run's own (a functional run).
    let shared: SharedActorSessions?
    private var sessions: [String: Session] = [:]
    /// Passwords and tokens handled so far: masked in the flow's result.
    private(set) var secrets: [String] = []

    /// - Parameter actors: target actors first, then the flow's (a flow actor replaces a target actor of its name).
    init(actors: [ActorSpec], baseURL: URL, client: any FlowHTTPClient, shared: SharedActorSessions? = nil) {
        var definitions: [String: ActorSpec] = [:]
        for actor in actors { definitions[actor.name] = actor }
        self.definitions = definitions
        self.baseURL = baseURL
        self.client = client
        self.shared = shared
    }

    /// The access token for `name`, logging in or refreshing first when needed.
    /// - Parameters:
    ///   - scope: where the actor's credential templates are evaluated.
    ///   - timeout: longest wait for each login or refresh response, in seconds.
    ///   - masker: the secrets known so far, masked in the records of the login and refresh requests.
    mutating func accessToken(for name: String, scope: TemplateScope, timeout: Duration, masker: SecretMasker) async -> Outcome {
        guard let actor = definitions[name] else {
            let known = definitions.keys.sorted()
            return Outcome(token: nil, records: [], problem: "unknown actor '\(name)' (defined: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
        }
        if let shared {
            return await sharedAccessToken(for: actor, in: shared, scope: scope, timeout: timeout, masker: masker)
        }
        if let session = sessions[name] {
            if Self.isFresh(session) { return Outcome(token: session.accessToken, records: [], problem: nil) }
            var outcome = await exchange(
                name: name, label: "refresh the session of \(name)", path: "/api/auth/refresh",
                body: .object(["refreshToken": .string(session.refreshToken)]), tenant: nil, timeout: timeout, masker: masker)
            if outcome.token != nil { return outcome }
            sessions[name] = nil
            let login = await logIn(actor, scope: scope, timeout: timeout, masker: masker)
            outcome.records += login.records
            outcome.token = login.token
            outcome.problem = login.problem
            return outcome
        }
        return await logIn(actor, scope: scope, timeout: timeout, masker: masker)
    }

    /// The token of `actor` from the sessions shared with other runs, logging in or refreshing once for all.
    private mutating func sharedAccessToken(
        for actor: ActorSpec, in shared: SharedActorSessions, scope: TemplateScope, timeout: Duration, masker: SecretMasker
    ) async -> Outcome {
        let key: SharedActorSessions.Key
        let password: String
        do {
            key = SharedActorSessions.Key(
                actor: actor.name, email: try actor.email.render(in: scope), role: try actor.role?.render(in: scope) ?? "patient",
                tenant: try actor.tenant?.render(in: scope))
            password = try actor.password.render(in: scope)
        } catch {
            return Outcome(token: nil, records: [], problem: "actor '\(actor.name)' (\(actor.location)): \(error)")
        }
        secrets.append(password)
        let (baseURL, client) = (self.baseURL, self.client)
        let outcome = await shared.obtain(key, isFresh: Self.isFresh) { existing in
            var own = ActorSessions(actors: [actor], baseURL: baseURL, client: client)
            if let existing { own.sessions[actor.name] = existing }
            var outcome = await own.accessToken(for: actor.name, scope: scope, timeout: timeout, masker: masker)
            outcome.secrets = own.secrets
            return (own.sessions[actor.name], outcome)
        }
        secrets += outcome.secrets
        if let token = outcome.token { secrets.append(token) }
        return outcome
    }

    /// The same sessions sending through `client` (each load iteration has its own client for its own timings).
    func sharingClient(_ client: any FlowHTTPClient) -> ActorSessions {
        var copy = self
        copy.client = client
        return copy
    }

    /// Whether `session` needs no refresh before use (its token does not expire within ``refreshMargin``).
    static func isFresh(_ session: Session) -> Bool {
        guard let expiry = session.expiry else { return true }
        return expiry.timeIntervalSinceNow >= refreshMargin
    }

    private mutating func logIn(_ actor: ActorSpec, scope: TemplateScope, timeout: Duration, masker: SecretMasker) async -> Outcome {
        let email: String, password: String, role: String, tenant: String?
        do {
            email = try actor.email.render(in: scope)
            password = try actor.password.render(in: scope)
            role = try actor.role?.render(in: scope) ?? "patient"
            tenant = try actor.tenant?.render(in: scope)
        } catch {
            return Outcome(token: nil, records: [], problem: "actor '\(actor.name)' (\(actor.location)): \(error)")
        }
        secrets.append(password)
        return await exchange(
            name: actor.name, label: "log in as \(actor.name)", path: "/api/auth/login",
            body: .object(["email": .string(email), "password": .string(password), "role": .string(role)]),
            tenant: tenant, timeout: timeout, masker: masker.adding([password]))
    }

    /// Sends a login or refresh request and stores the session it returns.
    private mutating func exchange(
        name: String, label: String, path: String, body: JSONValue, tenant: String?, timeout: Duration, masker: SecretMasker
    ) async -> Outcome {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        guard let url = URL(string: base + path) else {
            return Outcome(token: nil, records: [], problem: "invalid base URL '\(base)'")
        }
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("User-Agent", RequestBuilder.userAgent)]
        if let tenant { headers.append(("X-Tenant-Id", tenant)) }
        let request = APIRequest(method: "POST", url: url, headers: headers, body: body.compactJSONData)
        let started = ContinuousClock.now
        var record = StepRecord(name: label, status: .passed, duration: .zero)
        record.actor = name
        record.request = RecordedRequest(request, masker: masker)
        record.curl = CurlCommand.render(request, masker: masker)
        func finish(_ problem: String?, token: String?) -> Outcome {
            record.duration = started.duration(to: .now)
            if let problem {
                record.status = .failed
                record.message = problem
            }
            return Outcome(token: token, records: [record], problem: problem.map { "\(label): \($0)" })
        }
        let response: APIResponse
        do {
            response = try await client.perform(request, timeout: timeout)
        } catch {
            record.status = .errored
            return finish("transport error (\(error.kind.rawValue)): \(RecordedText.bound(error.message, masker: masker))", token: nil)
        }
        let payload = try? JSONValue(parsing: response.body)
        var masker = masker.adding(payload.map(SensitiveFields.secretValues) ?? [])
        masker = masker.adding(RequestBuilder.credentials(in: response.headers))
        record.response = RecordedResponse(response, parsed: payload, masker: masker)
        guard response.status == 200, let payload,
            case .object(let root) = payload, case .object(let data)? = root["data"],
            case .string(let access)? = data["accessToken"], case .string(let refresh)? = data["refreshToken"]
        else {
            return finish("expected 200 with data.accessToken and data.refreshToken, got \(response.status)", token: nil)
        }
        secrets += [access, refresh]
        sessions[name] = Session(accessToken: access, refreshToken: refresh, expiry: AccessTokenExpiry.of(access))
        return finish(nil, token: access)
    }
}
