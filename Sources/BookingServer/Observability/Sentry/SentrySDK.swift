/// The sender's name and version, in the envelope header and the event (`sdk`) and in `X-Sentry-Auth`'s `sentry_client`.
public struct SentrySDK: Encodable, Sendable, Equatable {
    public var name: String
    public var version: String

    /// `illajwala-api` at `version`.
    public init(name: String = "illajwala-api", version: String) {
        self.name = name
        self.version = version
    }

    /// `NAME/VERSION`, the `sentry_client` of `X-Sentry-Auth`.
    public var client: String { "\(name)/\(version)" }
}
