import BookingServer
import Testing

/// `SENTRY_DSN` and `SENTRY_ENVIRONMENT` (docs/environment-variables.md): the DSN's parts, each malformed DSN's message,
/// production's refusal of plain http to another machine, and Sentry's environment-name rules.
@Suite("Sentry configuration: DSN parsing and the SENTRY_* variables")
struct SentryDSNTests {
    @Test("a DSN's key, host, port, path prefix and project give the envelope endpoint")
    func parsesGoodDSNs() throws {
        let plain = try SentryDSN("https://abc123@o447951.ingest.sentry.io/5612345")
        #expect(plain.scheme == "https" && plain.publicKey == "abc123" && plain.host == "o447951.ingest.sentry.io")
        #expect(plain.port == nil && plain.pathPrefix == "" && plain.projectID == "5612345")
        #expect(plain.envelopeURL == "https://o447951.ingest.sentry.io/api/5612345/envelope/")
        #expect(plain.description == "https://abc123@o447951.ingest.sentry.io/5612345")

        let selfHosted = try SentryDSN("  https://key@sentry.internal.example:9443/tools/sentry/7  ")
        #expect(selfHosted.port == 9443 && selfHosted.pathPrefix == "/tools/sentry" && selfHosted.projectID == "7")
        #expect(selfHosted.envelopeURL == "https://sentry.internal.example:9443/tools/sentry/api/7/envelope/")
        #expect(selfHosted.description == "https://key@sentry.internal.example:9443/tools/sentry/7")

        let loopback = try SentryDSN("http://key@127.0.0.1:9000/1")
        #expect(loopback.isLoopback && loopback.envelopeURL == "http://127.0.0.1:9000/api/1/envelope/")
        #expect(try SentryDSN("https://key@sentry.example/1/").projectID == "1", "a trailing slash is tolerated")
    }

    @Test(
        "each malformed DSN is refused with a message saying what is wrong",
        arguments: [
            ("sentry.example/1", SentryDSN.ParseError.notAURL, "expected https://PUBLIC_KEY@HOST[:PORT][/PATH]/PROJECT_ID"),
            ("not a dsn", .notAURL, "expected https://PUBLIC_KEY@HOST"),
            ("ftp://key@sentry.example/1", .unsupportedScheme("ftp"), "the scheme ftp is not https or http"),
            ("https://sentry.example/1", .missingPublicKey, "no public key before '@'"),
            ("https://key:secret@sentry.example/1", .secretKeyPresent, "remove the secret key"),
            ("https://key@sentry.example", .missingProjectID, "no project id"),
            ("https://key@sentry.example/", .missingProjectID, "no project id"),
            ("https://key@sentry.example/project-one", .projectIDNotNumeric("project-one"), "the project id project-one is not a whole number"),
            ("https://key@sentry.example/1?x=1", .queryOrFragment, "no query string or fragment"),
            ("https://key@sentry.example/1#f", .queryOrFragment, "no query string or fragment"),
        ])
    func refusesBadDSNs(text: String, expected: SentryDSN.ParseError, message: String) {
        #expect(throws: expected) { try SentryDSN(text) }
        #expect(expected.description.contains(message), "\(expected)")
    }

    @Test("a bad SENTRY_DSN stops start-up naming the variable, with the key masked")
    func configurationErrorNamesTheVariable() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ServerConfiguration(environment: ["SENTRY_DSN": "https://secretishkey@sentry.example/project"])
        }
        #expect(error.variable == "SENTRY_DSN")
        #expect(error.description.contains("https://***@sentry.example/project"), "\(error)")
        #expect(!error.description.contains("secretishkey"), "\(error)")
        #expect(error.description.contains("not a whole number"), "\(error)")
    }

    @Test(
        "a malformed value never shows its key",
        arguments: [
            ("0123456789abcdefkey@o1.ingest.sentry.io/42", "***@o1.ingest.sentry.io/42"),
            ("https:/0123456789abcdefkey@o1.ingest.sentry.io/42", "https:/***@o1.ingest.sentry.io/42"),
            ("https://0123456789abcdefkey-no-at-sign/42", "https://***/42"),
            ("0123456789abcdefkey", "***"),
        ])
    func redactsMalformedValues(text: String, shown: String) throws {
        #expect(SentryDSN.redacted(text) == shown)
        let error = try #require(throws: ConfigurationError.self) { try ServerConfiguration(environment: ["SENTRY_DSN": text]) }
        #expect(!error.description.contains("0123456789abcdefkey"), "\(error)")
    }

    @Test("production refuses plain http to another machine, accepts it to loopback and https anywhere")
    func productionRefusesPlainHTTP() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_DSN": "http://key@sentry.example/1"], environment: .production))
        }
        #expect(error.variable == "SENTRY_DSN" && error.problem.contains("https in production"), "\(error)")
        let loopback = try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_DSN": "http://key@127.0.0.1:9000/1"], environment: .production))
        #expect(loopback.sentryDSN?.isLoopback == true)
        let secure = try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_DSN": "https://key@sentry.example/1"], environment: .production))
        #expect(secure.sentryDSN?.host == "sentry.example" && secure.environment == "production")
        let development = try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_DSN": "http://key@sentry.example/1"], environment: .development))
        #expect(development.sentryDSN != nil, "outside production plain http is a developer's choice")
    }

    @Test("unset: no Sentry and the environment follows ILLAJWALA_ENV; SENTRY_ENVIRONMENT follows Sentry's naming rules")
    func environmentNames() throws {
        let unset = try ServerConfiguration(environment: ["ILLAJWALA_ENV": "test"]).errorTracking
        #expect(unset.sentryDSN == nil && unset.environment == "test")
        let named = try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_ENVIRONMENT": "staging-eu"], environment: .production))
        #expect(named.environment == "staging-eu")
        for bad in ["None", "a/b", "two words", String(repeating: "x", count: 65)] {
            let error = try #require(throws: ConfigurationError.self, "\(bad)") {
                try ErrorTrackingSettings(ConfigurationVariables(["SENTRY_ENVIRONMENT": bad], environment: .test))
            }
            #expect(error.variable == "SENTRY_ENVIRONMENT")
        }
    }
}
