import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A loopback stand-in for Sentry's envelope endpoint that checks what it receives against Sentry's documented
/// protocol (SDK development guide: "Envelopes", "Overview" → "Authentication") and records it:
///
/// - the path is `/api/<project id>/envelope/` for the configured project;
/// - `Content-Type: application/x-sentry-envelope`;
/// - `X-Sentry-Auth: Sentry sentry_version=7, sentry_client=illajwala-api/…, sentry_key=<the key>`;
/// - the body is an envelope: a header line (JSON object with a 32-hex `event_id`, the `dsn`, `sent_at`, `sdk`),
///   then items, each an item-header line with `type` and `length` and exactly `length` bytes of payload followed by a
///   newline (or the end); an `event` item's payload is a JSON object whose `event_id` is the header's;
/// - no e-mail address anywhere in the body, and none of the test's ``forbidden`` strings.
///
/// A request that breaks a rule is answered 400 (as Sentry's relay would) and its problems recorded (``problems``).
/// Answers can be scripted (``Behaviour``): accept (200 `{"id": …}`), rate limit (429 with headers), or hang.
final class SentryDouble: Sendable {
    /// How the double answers.
    enum Behaviour: Sendable {
        case accept
        /// 429 with these `Retry-After` and `X-Sentry-Rate-Limits` values (`nil`: header absent).
        case rateLimit(retryAfter: String?, sentryRateLimits: String?)
        /// Answer nothing for this long (longer than any sender's deadline).
        case hang(Duration)
    }

    /// One request as received.
    struct Received: Sendable {
        var path: String
        var contentType: String?
        var auth: [String: String]
        var body: Data
        var problems: [String]
    }

    let publicKey: String
    let projectID: String
    let baseURL: String
    private let state: Mutex<State>
    private let task: Task<Void, any Error>

    private struct State {
        var received: [Received] = []
        var behaviours: [Behaviour] = []
        var defaultBehaviour: Behaviour = .accept
        var forbidden: [String] = []
    }

    /// The DSN to give the service: `http://KEY@127.0.0.1:PORT/PROJECT`.
    var dsn: String { "http://\(publicKey)@\(baseURL.dropFirst("http://".count))/\(projectID)" }

    private init(publicKey: String, projectID: String, baseURL: String, task: Task<Void, any Error>) {
        self.publicKey = publicKey
        self.projectID = projectID
        self.baseURL = baseURL
        self.state = Mutex(State())
        self.task = task
    }

    /// Starts the double on a free loopback port.
    static func start(publicKey: String = "illajwalapublickey0123456789abcd", projectID: String = "42") async throws -> SentryDouble {
        let shared = SharedState()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("**") { request, _ -> Response in
            let body = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let received = Self.check(
                path: request.uri.path, contentType: request.headers[.contentType], auth: request.headers[HTTPField.Name("X-Sentry-Auth")!], body: body,
                publicKey: publicKey, projectID: projectID, forbidden: shared.double?.forbidden ?? [])
            guard let double = shared.double else { return Response(status: .serviceUnavailable) }
            let behaviour = double.record(received)
            if !received.problems.isEmpty { return Response(status: .badRequest) }
            switch behaviour {
            case .accept:
                let id = (try? Self.parse(body).header["event_id"] as? String) ?? ""
                return Response(
                    status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"id":"\#(id)"}"#)))
            case .rateLimit(let retryAfter, let limits):
                var headers = HTTPFields()
                if let retryAfter { headers[HTTPField.Name("Retry-After")!] = retryAfter }
                if let limits { headers[HTTPField.Name("X-Sentry-Rate-Limits")!] = limits }
                return Response(status: .tooManyRequests, headers: headers)
            case .hang(let duration):
                try await Task.sleep(for: duration)
                return Response(status: .ok)
            }
        }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "sentry-double"))
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw SentryDoubleError(message: "the Sentry double did not start")
        }
        let double = SentryDouble(
            publicKey: publicKey, projectID: projectID, baseURL: "http://127.0.0.1:\(port)", task: task)
        shared.double = double
        return double
    }

    /// Stops the listener at once (a hanging answer is abandoned).
    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Every request received so far, oldest first.
    var received: [Received] { state.withLock { $0.received } }
    /// The problems of every request, each prefixed with the request's number.
    var problems: [String] {
        state.withLock { state in state.received.enumerated().flatMap { index, request in request.problems.map { "#\(index + 1): \($0)" } } }
    }
    /// Strings that must never arrive (personal data the test put into an error).
    var forbidden: [String] {
        get { state.withLock { $0.forbidden } }
        set { state.withLock { $0.forbidden = newValue } }
    }

    /// The next requests get these answers in order, then ``setDefault(_:)``'s.
    func script(_ behaviours: [Behaviour]) { state.withLock { $0.behaviours += behaviours } }
    /// The answer once the script is used up (default ``Behaviour/accept``).
    func setDefault(_ behaviour: Behaviour) { state.withLock { $0.defaultBehaviour = behaviour } }

    /// The event payloads received, parsed.
    func events() throws -> [[String: Any]] {
        try received.map { try Self.parse($0.body) }.flatMap { envelope in
            try envelope.items.filter { ($0.header["type"] as? String) == "event" }.map { item in
                guard let event = try JSONSerialization.jsonObject(with: item.payload) as? [String: Any] else {
                    throw SentryDoubleError(message: "an event payload is not a JSON object")
                }
                return event
            }
        }
    }

    /// Waits (polling, at most `limit`) until `count` requests have arrived; returns whether they did.
    func waitForRequests(_ count: Int, within limit: Duration = .seconds(20)) async -> Bool {
        let start = ContinuousClock.now
        while received.count < count {
            if ContinuousClock.now - start > limit { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private func record(_ received: Received) -> Behaviour {
        state.withLock { state in
            state.received.append(received)
            return state.behaviours.isEmpty ? state.defaultBehaviour : state.behaviours.removeFirst()
        }
    }

    // MARK: The protocol's rules

    /// An envelope read back: its header and its items (header and payload bytes).
    struct Envelope {
        var header: [String: Any]
        var items: [(header: [String: Any], payload: Data)]
    }

    /// Reads an envelope as Sentry's "Envelopes" page defines it: a header line, then for each item a header line and
    /// `length` bytes of payload followed by `\n` (or the end of the body).
    /// - Throws: ``SentryDoubleError`` saying what is malformed.
    static func parse(_ body: Data) throws -> Envelope {
        let bytes = [UInt8](body)
        var offset = 0
        func line() throws -> [UInt8] {
            guard offset < bytes.count else { throw SentryDoubleError(message: "unexpected end of envelope at byte \(offset)") }
            let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            defer { offset = min(end + 1, bytes.count + 1) }
            return Array(bytes[offset..<end])
        }
        func object(_ line: [UInt8], _ what: String) throws -> [String: Any] {
            guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
                throw SentryDoubleError(message: "\(what) is not a JSON object on one line")
            }
            return object
        }
        let header = try object(try line(), "the envelope header")
        var items: [(header: [String: Any], payload: Data)] = []
        while offset < bytes.count {
            let itemHeader = try object(try line(), "item header \(items.count + 1)")
            guard itemHeader["type"] is String else { throw SentryDoubleError(message: "item header \(items.count + 1) has no type") }
            guard let length = itemHeader["length"] as? Int, length >= 0 else {
                throw SentryDoubleError(message: "item header \(items.count + 1) has no length (the service always sends one)")
            }
            guard offset + length <= bytes.count else {
                throw SentryDoubleError(message: "item \(items.count + 1) declares \(length) bytes, \(bytes.count - offset) remain")
            }
            let payload = Data(bytes[offset..<offset + length])
            offset += length
            if offset < bytes.count {
                guard bytes[offset] == UInt8(ascii: "\n") else {
                    throw SentryDoubleError(message: "item \(items.count + 1)'s payload is not followed by a newline at its length")
                }
                offset += 1
            }
            items.append((itemHeader, payload))
        }
        return Envelope(header: header, items: items)
    }

    /// `X-Sentry-Auth`'s fields: `Sentry k=v, k=v` → `[k: v]`; `nil` when it does not start with `Sentry `.
    static func authFields(_ header: String?) -> [String: String]? {
        guard let header, header.hasPrefix("Sentry ") else { return nil }
        var fields: [String: String] = [:]
        for pair in header.dropFirst("Sentry ".count).split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { fields[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return fields
    }

    static func check(
        path: String, contentType: String?, auth: String?, body: Data, publicKey: String, projectID: String, forbidden: [String]
    ) -> Received {
        var problems: [String] = []
        if path != "/api/\(projectID)/envelope/" { problems.append("path \(path) is not /api/\(projectID)/envelope/") }
        if contentType != "application/x-sentry-envelope" { problems.append("Content-Type \(contentType ?? "none")") }
        let fields = authFields(auth) ?? [:]
        if auth == nil || authFields(auth) == nil { problems.append("X-Sentry-Auth missing or not 'Sentry …': \(auth ?? "none")") }
        if fields["sentry_version"] != "7" { problems.append("sentry_version \(fields["sentry_version"] ?? "none")") }
        if fields["sentry_key"] != publicKey { problems.append("sentry_key \(fields["sentry_key"] ?? "none")") }
        if !(fields["sentry_client"] ?? "").hasPrefix("illajwala-api/") { problems.append("sentry_client \(fields["sentry_client"] ?? "none")") }
        do {
            let envelope = try parse(body)
            let eventID = envelope.header["event_id"] as? String ?? ""
            if eventID.count != 32 || !eventID.allSatisfy(\.isHexDigit) { problems.append("envelope event_id \(eventID)") }
            if envelope.header["dsn"] == nil { problems.append("envelope header without dsn") }
            if envelope.header["sent_at"] == nil { problems.append("envelope header without sent_at") }
            if envelope.header["sdk"] == nil { problems.append("envelope header without sdk") }
            if envelope.items.isEmpty { problems.append("envelope without items") }
            for item in envelope.items where (item.header["type"] as? String) == "event" {
                let event = (try? JSONSerialization.jsonObject(with: item.payload)) as? [String: Any]
                if event == nil { problems.append("event payload is not a JSON object") }
                if (event?["event_id"] as? String) != eventID { problems.append("event_id differs from the envelope's") }
            }
        } catch {
            problems.append("malformed envelope: \(error)")
        }
        let text = String(decoding: body, as: UTF8.self)
        if let email = text.firstMatch(of: /[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}/) {
            problems.append("an e-mail address in the body: \(email.0)")
        }
        for word in forbidden where text.contains(word) { problems.append("forbidden text in the body: \(word)") }
        return Received(path: path, contentType: contentType, auth: fields, body: body, problems: problems)
    }

    /// Lets the route handler, built before the double exists, reach it.
    private final class SharedState: Sendable {
        private let value = Mutex<SentryDouble?>(nil)
        var double: SentryDouble? {
            get { value.withLock { $0 } }
            set { value.withLock { $0 = newValue } }
        }
    }
}

struct SentryDoubleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
