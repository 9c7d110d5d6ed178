import APITransport
import Foundation
import Synchronization
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow grammar: actors, setup/teardown, retry, timeouts, schema, duration, diffs, curl — running")
struct FlowGrammarRunningTests {
    let base = URL(string: "http://api.example.test")!

    func flow(_ text: String) throws -> Flow { try FlowText.parse(text, path: "Flows/t.yaml") }

    /// A JWT-shaped token whose payload carries `exp` (seconds since 1970); the signature is not checked by the runner.
    static func token(expiresIn seconds: TimeInterval, id: String) -> String {
        func base64URL(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        let exp = Int(Date().timeIntervalSince1970 + seconds)
        return base64URL(#"{"alg":"HS256","typ":"JWT"}"#) + "." + base64URL(#"{"exp":\#(exp),"jti":"\#(id)"}"#) + ".sig"
    }

    @Test("an actor logs in once per flow, its token is attached, and renewed by refresh shortly before it expires")
    func actorSessions() async throws {
        let counter = Counter()
        let client = CannedHTTPClient { request throws(APITransportError) in
            switch request.url.path {
            case "/api/auth/login":
                let number = counter.next()
                // The first token is about to expire (within the 10 s margin), so the next use refreshes it.
                let access = Self.token(expiresIn: number == 1 ? 5 : 900, id: "login\(number)")
                return CannedHTTPClient.json(200, #"{"data":{"accessToken":"\#(access)","refreshToken":"r\#(number)"}}"#)
            case "/api/auth/refresh":
                let access = Self.token(expiresIn: 900, id: "refreshed")
                return CannedHTTPClient.json(200, #"{"data":{"accessToken":"\#(access)","refreshToken":"r-new"}}"#)
            default:
                let authorization = request.headers.first { $0.name == "Authorization" }?.value ?? "none"
                return CannedHTTPClient.json(200, #"{"auth":"\#(authorization)"}"#)
            }
        }
        let actor = ActorSpec(
            name: "admin", email: try Template("{{ adminEmail }}"), password: try Template("s3cret-pass"), role: try Template("admin"),
            location: SourceLocation(file: "targets.yaml", line: 1, column: 1))
        let runner = FlowRunner(baseURL: base, targetVars: ["adminEmail": "a@b.test"], targetActors: [actor], makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: f
                steps:
                  - {name: one, as: admin, request: {url: /one}}
                  - {name: two, as: admin, request: {url: /two}}
                  - {name: anonymous, request: {url: /three}, expect: {json: {$.auth: none}}}
                """))
        #expect(result.status == .passed, "\(result.failure?.details ?? "")")
        #expect(result.steps.map(\.name) == ["log in as admin", "one", "refresh the session of admin", "two", "anonymous"])
        let requests = await client.log.requests
        #expect(requests.map(\.url.path) == ["/api/auth/login", "/one", "/api/auth/refresh", "/two", "/three"])
        let login = try JSONValue(parsing: requests[0].body ?? Data())
        #expect(login == .object(["email": "a@b.test", "password": "s3cret-pass", "role": "admin"]))
        #expect(
            requests[3].headers.contains { $0.name == "Authorization" && $0.value == "Bearer " + Self.token(expiresIn: 900, id: "refreshed") }
                || requests[3].headers.contains { $0.name == "Authorization" && $0.value.contains("Bearer ") })
        // Passwords and tokens never reach the record.
        let recorded = "\(result.steps)"
        #expect(!recorded.contains("s3cret-pass"))
        #expect(!recorded.contains("r-new"))
        #expect(result.steps[0].request?.bodyExcerpt?.contains(#""password":"***""#) == true)
    }

    @Test("step variables are evaluated once: a generated value is the same in the actor's login and in the request")
    func stepVarsOnce() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            request.url.path == "/api/auth/login"
                ? CannedHTTPClient.json(200, #"{"data":{"accessToken":"\#(Self.token(expiresIn: 900, id: "a"))","refreshToken":"refresh-123456"}}"#)
                : CannedHTTPClient.json(200, "{}")
        }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                actors:
                  patient: {email: "{{ who }}", password: pw-123456789}
                steps:
                  - {name: s, as: patient, vars: {who: "{{ fake.email }}"}, request: {url: "/x/{{ who }}"}}
                """))
        #expect(result.status == .passed)
        let requests = await client.log.requests
        let login = try JSONValue(parsing: requests[0].body ?? Data())
        guard case .object(let members) = login, case .string(let email)? = members["email"] else {
            Issue.record("no email in the login body")
            return
        }
        #expect(requests[1].url.lastPathComponent == email)
    }

    @Test("an actor's token goes to the target's origin only: an absolute URL on another host, port or scheme gets none")
    func actorTokenStaysWithTarget() async throws {
        let token = Self.token(expiresIn: 900, id: "a")
        let client = CannedHTTPClient { request throws(APITransportError) in
            request.url.path == "/api/auth/login"
                ? CannedHTTPClient.json(200, #"{"data":{"accessToken":"\#(token)","refreshToken":"refresh-123456"}}"#)
                : CannedHTTPClient.json(200, "{}")
        }
        let origin = "\(base.scheme!)://\(base.host!)\(base.port.map { ":\($0)" } ?? "")"
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                actors:
                  patient: {email: p@b.test, password: pw-123456789}
                steps:
                  - {name: own, as: patient, request: {url: /x}}
                  - {name: same origin, as: patient, request: {url: "\(origin)/y"}}
                  - {name: other host, as: patient, request: {url: "http://elsewhere.example.test/z"}}
                  - {name: other port, as: patient, request: {url: "\(base.scheme!)://\(base.host!):1/z"}}
                  - {name: other scheme, as: patient, request: {url: "https://\(base.host!)/z"}}
                """))
        #expect(result.status == .passed, "\(result.failure?.details ?? "")")
        let sent = await client.log.requests.filter { $0.url.path != "/api/auth/login" }
        let authorized = sent.map { request in request.headers.contains { $0.name == "Authorization" && $0.value == "Bearer " + token } }
        #expect(authorized == [true, true, false, false, false])
        #expect(StepExecution.sameOrigin(URL(string: "HTTP://Example.test:80/a")!, URL(string: "http://example.test")!))
        #expect(!StepExecution.sameOrigin(URL(string: "https://example.test/a")!, URL(string: "http://example.test")!))
    }

    @Test("an actor whose login is refused fails the step with the login response; unknown actors are named")
    func actorLoginFails() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in
            CannedHTTPClient.json(401, #"{"success":false,"error":{"code":"UNAUTHORIZED"}}"#)
        }
        let actor = ActorSpec(
            name: "doctor", email: try Template("d@b.test"), password: try Template("wrong"), location: SourceLocation(file: "t", line: 1, column: 1))
        let runner = FlowRunner(baseURL: base, targetActors: [actor], makeClient: { client })
        let result = await runner.run(try flow("name: f\nsteps:\n  - {name: s, as: doctor, request: {url: /x}}\n"))
        #expect(result.status == .errored)
        #expect(result.failure?.kind == .actorLoginFailed)
        #expect(result.failure?.summary.contains("log in as doctor: expected 200") == true)
        let unknown = await runner.run(try flow("name: f\nsteps:\n  - {name: s, as: nurse, request: {url: /x}}\n"))
        #expect(unknown.failure?.summary.contains("unknown actor 'nurse' (defined: doctor)") == true)
    }

    @Test("a failed setup skips the steps; teardown always runs and sees earlier captures")
    func setupAndTeardown() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(request.url.path == "/fail" ? 500 : 200, #"{"id":"abc"}"#)
        }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: f
                setup:
                  - {name: create, request: {url: /create}, capture: {id: $.id}}
                  - {name: broken, request: {url: /fail}, expect: {status: 200}}
                steps:
                  - {name: main, request: {url: /main}}
                teardown:
                  - {name: delete, request: {method: DELETE, url: "/items/{{ id }}"}}
                """))
        #expect(result.status == .failed)
        #expect(result.steps.map(\.status) == [.passed, .failed, .skipped, .passed])
        #expect(result.steps.map(\.phase) == [.setup, .setup, .main, .teardown])
        #expect(await client.log.requests.map(\.url.path) == ["/create", "/fail", "/items/abc"])
    }

    @Test("a teardown failure fails an otherwise passing flow")
    func teardownFailure() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in CannedHTTPClient.json(request.method == "DELETE" ? 404 : 200, "{}") }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                "name: f\nsteps:\n  - {name: a, request: {url: /a}}\nteardown:\n  - {name: d, request: {method: DELETE, url: /a}, expect: {status: 204}}\n"))
        #expect(result.status == .failed)
        #expect(result.failure?.step == "d")
    }

    @Test("retry polls until the condition holds, then checks expect on that response")
    func retryUntil() async throws {
        let counter = Counter()
        let client = CannedHTTPClient { _ throws(APITransportError) in
            CannedHTTPClient.json(200, counter.next() < 3 ? #"{"status":"pending"}"# : #"{"status":"done"}"#)
        }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                steps:
                  - name: poll
                    retry: {until: {json: {$.status: done}}, attempts: 5, interval: 1ms}
                    request: {url: /job}
                    expect: {json: {$.status: done}}
                """))
        #expect(result.status == .passed)
        #expect(result.steps[0].attempts == 3)

        let never = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, #"{"status":"pending"}"#) }
        let exhausted = await FlowRunner(baseURL: base, makeClient: { never }).run(
            try flow(
                "name: f\nsteps:\n  - name: poll\n    retry: {until: {json: {$.status: done}}, attempts: 2, interval: 1ms}\n    request: {url: /job}\n"))
        #expect(exhausted.status == .failed)
        #expect(exhausted.steps[0].attempts == 2)
        #expect(exhausted.failure?.summary.contains("retry until $.status (2 attempts) expected \"done\", actual \"pending\"") == true)
    }

    @Test("the step timeout bounds each request; the flow timeout stops the flow but not its teardown")
    func timeouts() async throws {
        let client = SlowClient()
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                timeout: 150ms
                steps:
                  - {name: slow, timeout: 5s, request: {url: /slow}}
                  - {name: later, request: {url: /later}}
                teardown:
                  - {name: clean, request: {url: /clean}}
                """))
        #expect(result.status == .errored)
        #expect(result.steps.map(\.status) == [.errored, .skipped, .passed])
        #expect(result.failure?.summary.contains("the flow timeout was reached") == true)
        let timeouts = await client.timeouts.values
        #expect(timeouts.count == 2)
        #expect(timeouts[0] <= .milliseconds(150))
        #expect(timeouts[1] == FlowRunner.defaultStepTimeout)
    }

    @Test("schema and duration expectations; a failed object comparison shows a JSON diff and a curl line")
    func schemaDurationDiff() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("s.json", #"{"type":"object","required":["id","fee"],"properties":{"fee":{"type":"integer","minimum":0}}}"#)
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, #"{"id":"x","fee":-5,"data":{"a":1,"b":[1,2]}}"#) }
        var parser = FlowFileParser(source: FlowSource(path: directory.path + "/f.yaml", suiteName: "f.yaml"), readFile: TextFile.referencedFileReader)
        let parsed = try parser.parse(
            """
            name: f
            steps:
              - name: check
                request: {method: POST, url: /x, json: {password: hunter2, note: "it's"}}
                expect:
                  duration: {lt: 5s}
                  schema: s.json
                  json: {$.data: {a: 2, b: [1, 2, 3]}}
            """)
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(parsed)
        #expect(result.status == .failed)
        let assertions = result.steps[0].assertions
        #expect(assertions.first { $0.subject == "duration" }?.passed == true)
        #expect(assertions.first { $0.subject == "schema s.json" }?.actual.contains("/fee: -5 < 0") == true)
        let details = result.failure?.details ?? ""
        #expect(details.contains("~ $['a']: expected 2, actual 1"))
        #expect(details.contains("- $['b'][2]: 3 (missing)"))
        #expect(
            details.contains(
                #"reproduce: curl -sS -i -X POST 'http://api.example.test/x' -H 'Content-Type: application/json' -H 'User-Agent: \#(RequestBuilder.userAgent)' --data-raw '{"note":"it'\''s","password":"***"}'"#
            ))
        #expect(!details.contains("hunter2"))
    }

    @Test("cookie captures read Set-Cookie by name")
    func cookieCapture() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            CannedHTTPClient.json(200, "{}", headers: [("set-cookie", "other=1; Path=/"), ("set-cookie", "refreshToken=abc.def; Path=/api/auth; HttpOnly")])
        }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                steps:
                  - {name: a, request: {url: /a}, capture: {cookie: {cookie: refreshToken}}}
                  - {name: b, request: {url: "/b/{{ cookie }}"}}
                  - {name: c, request: {url: /c}, capture: {missing: {cookie: nope}}}
                """))
        #expect(await client.log.requests.map(\.url.path).prefix(2) == ["/a", "/b/abc.def"])
        #expect(result.failure?.summary.contains("the response sets no 'nope' cookie") == true)
    }

    @Test("tokens a response hands out are masked wherever they appear: assertion values, diffs, later URLs and headers, curl lines")
    func tokensMaskedEverywhere() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            request.url.path == "/register"
                ? CannedHTTPClient.json(201, #"{"data":{"accessToken":"eyJhbGciOi.payload.sig","refreshToken":"opaque-refresh-123","user":{"id":"u1"}}}"#)
                : CannedHTTPClient.json(200, "{}")
        }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                steps:
                  - name: register
                    request: {method: POST, url: /register}
                    capture: {tok: $.data.accessToken, rt: $.data.refreshToken}
                  - name: reuse
                    request: {url: /next, query: {t: "{{ tok }}"}, headers: {X-Debug: "{{ rt }}"}}
                  - name: compare
                    request: {method: POST, url: /register}
                    expect: {json: {$.data: {equals: {user: {}}}}}
                """))
        #expect(result.status == .failed)
        let everything = "\(result)"
        #expect(!everything.contains("eyJhbGciOi.payload.sig"))
        #expect(!everything.contains("opaque-refresh-123"))
        #expect(result.steps[1].request?.url.contains("t=***") == true)
        #expect(result.failure?.details.contains(#"+ $['accessToken']: "***" (unexpected)"#) == true)
    }

    @Test("a teardown step that needs a value never captured is skipped, not a second failure")
    func teardownWithoutCapture() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(500, "{}") }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                """
                name: f
                steps:
                  - {name: create, request: {url: /create}, expect: {status: 201}, capture: {id: $.id}}
                teardown:
                  - {name: delete, request: {method: DELETE, url: "/items/{{ id }}"}}
                """))
        #expect(result.status == .failed)
        #expect(result.steps.last?.status == .skipped)
        #expect(result.steps.last?.message == "skipped: needs 'id', which no earlier step captured")
        #expect(result.failure?.details.contains("teardown also failed") == false)
    }

    @Test("a sub-second step timeout waits that long, not zero (libcurl counts whole seconds)")
    func subSecondTimeout() async throws {
        let server = try await SlowLoopbackServer.start(delay: .milliseconds(300))
        defer { server.stop() }
        let runner = FlowRunner(baseURL: server.baseURL)
        let fast = await runner.run(try flow("name: f\nsteps:\n  - {name: s, timeout: 900ms, request: {url: /slow}, expect: {status: 200}}\n"))
        #expect(fast.status == .passed, "\(fast.failure?.details ?? "")")
        let slow = await runner.run(try flow("name: f\nsteps:\n  - {name: s, timeout: 100ms, request: {url: /slow}}\n"))
        #expect(slow.status == .errored)
        #expect(slow.steps[0].duration >= .milliseconds(90))
        #expect(slow.failure?.summary.contains("transport error (timeout)") == true)
    }

    @Test("timeouts of 1-3 ms racing real responses, and a run cancelled mid-request, always return (no URLSession deadlock)")
    func tinyTimeoutsNeverHang() async throws {
        let server = try await SlowLoopbackServer.start(delay: .milliseconds(2))
        defer { server.stop() }
        let runner = FlowRunner(baseURL: server.baseURL)
        let flow = try flow(
            "name: f\nsteps:\n  - {name: a, timeout: 1ms, request: {url: /a}}\n  - {name: b, timeout: 3ms, request: {url: /b}}\n")
        // Each round must end well before the deadline; a deadlocked request would keep it waiting forever.
        let finished = await Self.within(.seconds(60)) {
            for _ in 0..<40 {
                _ = await runner.run(flow)
                let interrupted = Task { await runner.run(flow) }
                try? await Task.sleep(for: .milliseconds(1))
                interrupted.cancel()
                _ = await interrupted.value
            }
        }
        #expect(finished, "40 rounds of 1-3 ms timeouts and cancellations did not finish within 60 s")
    }

    /// Whether `work` finished within `limit` (it is left running otherwise).
    static func within(_ limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        await withCheckedContinuation { continuation in
            let once = Mutex(false)
            let resume: @Sendable (Bool) -> Void = { value in
                if once.withLock({ done in
                    defer { done = true }
                    return !done
                }) {
                    continuation.resume(returning: value)
                }
            }
            Task {
                await work()
                resume(true)
            }
            Task {
                try? await Task.sleep(for: limit)
                resume(false)
            }
        }
    }

    @Test("a flow marked skip: is not run and is reported as skipped with its reason")
    func skipReason() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                "name: f\nskip: waits for the CSRF check\nsteps:\n  - {name: a, request: {url: /a}}\n"))
        #expect(result.status == .skipped)
        #expect(result.failure?.summary == "waits for the CSRF check")
        #expect(await client.log.requests.isEmpty)
    }

    @Test("--retries reruns a failed flow; passing on a retry is flaky, not passed; cancellation skips flows not started")
    func retriesAndFlaky() async throws {
        let counter = Counter()
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(counter.next() == 1 ? 500 : 200, "{}") }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let flaky = try flow("name: f\nsteps:\n  - {name: a, request: {url: /a}, expect: {status: 200}}\n")
        let results = await FlowScheduler(jobs: 1, failFast: false, retries: 2).run([flaky], with: runner) { _ in }
        #expect(results[0].status == .passed)
        #expect(results[0].isFlaky)
        #expect(results[0].previousAttempts.count == 1)

        let task = Task {
            await FlowScheduler(jobs: 1, failFast: false).run([flaky, flaky], with: runner) { _ in }
        }
        task.cancel()
        let cancelled = await task.value
        #expect(cancelled.allSatisfy { $0.status == .skipped })
        #expect(cancelled.allSatisfy { $0.failure?.summary.contains("interrupted") == true })
    }
}

/// A thread-safe counter for canned responses that change over calls.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    /// The next number, starting at 1.
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// Answers `/slow` only after its timeout passes (as a real transport would: a timeout error), anything else at once;
/// records the timeout each request was given.
struct SlowClient: FlowHTTPClient {
    actor Timeouts {
        var values: [Duration] = []
        func add(_ value: Duration) { values.append(value) }
    }
    let timeouts = Timeouts()

    func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
        await timeouts.add(timeout)
        if request.url.path == "/slow" {
            try? await Task.sleep(for: timeout + .milliseconds(20))
            throw APITransportError(kind: .timeout, message: "timed out", url: request.url)
        }
        return CannedHTTPClient.json(200, "{}")
    }
}
