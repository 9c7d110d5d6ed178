import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow engine")
struct FlowRunnerTests {
    let base = URL(string: "http://api.example.test")!

    func flow(_ text: String) throws -> Flow { try FlowText.parse(text, path: "Flows/t.yaml") }

    @Test("requests are built from templates; captures flow into later steps with their JSON types")
    func happyPath() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            switch request.url.path {
            case "/api/register": return CannedHTTPClient.json(201, #"{"data":{"id":7,"token":"tok"}}"#, headers: [("x-request-id", "req-1")])
            default: return CannedHTTPClient.json(200, #"{"data":{"status":"confirmed","items":[1,2]},"ref":"order_ab12 x"}"#)
            }
        }
        let runner = FlowRunner(baseURL: base, targetVars: ["clinic": "c-1"], makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: journey
                vars: {email: "{{ fake.email }}"}
                steps:
                  - name: register
                    request:
                      method: POST
                      url: /api/register
                      json: {email: "{{ email }}", clinic: "{{ clinic }}"}
                    expect: {status: 201}
                    capture:
                      userId: $.data.id
                      token: $.data.token
                      requestId: {header: X-Request-Id}
                  - name: book
                    vars: {note: "for {{ userId }}"}
                    request:
                      method: PUT
                      url: "/api/users/{{ userId }}"
                      query: {q: "a b&c", n: "{{ userId }}"}
                      headers: {X-Note: "{{ note }}", X-Req: "{{ requestId }}"}
                      json: {user: "{{ userId }}", label: "u{{ userId }}"}
                      auth: {bearer: "{{ token }}"}
                    expect:
                      status: {oneOf: [200, 201]}
                      headers: {Content-Type: {contains: json}}
                      json:
                        $.data.status: confirmed
                        $.data.items[*]: [1, 2]
                        $.data.missing: {exists: false}
                      body: {contains: order_}
                    capture:
                      order: {regex: "order_([a-z0-9]+)"}
                """))
        #expect(result.status == .passed)
        #expect(result.failure == nil)
        #expect(result.steps.map(\.status) == [.passed, .passed])
        let requests = await client.log.requests
        #expect(requests.count == 2)
        let email = try JSONValue(parsing: requests[0].body ?? Data())
        #expect(email.compactJSON.contains("\"clinic\":\"c-1\""))
        #expect(requests[0].header("content-type") == "application/json")
        let second = requests[1]
        #expect(second.method == "PUT")
        #expect(second.url.absoluteString == "http://api.example.test/api/users/7?q=a%20b%26c&n=7")
        #expect(second.header("authorization") == "Bearer tok")
        #expect(second.header("x-note") == "for 7")
        #expect(second.header("x-req") == "req-1")
        #expect(try JSONValue(parsing: second.body ?? Data()) == ["user": 7, "label": "u7"])
        #expect(result.steps[1].request?.headers.first { $0.name == "Authorization" }?.value == "Bearer ***")
        #expect(result.steps[1].assertions.count == 6)
        #expect(result.steps[1].assertions.allSatisfy { $0.passed })
    }

    @Test("a failed expectation fails the flow, names step, path, expected and actual, and skips later steps")
    func failure() async throws {
        let body = #"{"data":{"status":"pending"}}"# + String(repeating: " ", count: 5000)
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, body) }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: f
                steps:
                  - name: book
                    request: {url: /a}
                    expect:
                      status: 200
                      json: {$.data.status: confirmed}
                  - name: pay
                    request: {url: /b}
                  - name: confirm
                    request: {url: /c}
                """))
        #expect(result.status == .failed)
        #expect(result.steps.map(\.status) == [.failed, .skipped, .skipped])
        let failure = try #require(result.failure)
        #expect(failure.kind == .assertionFailure)
        #expect(failure.step == "book")
        #expect(failure.summary == #"step 'book': $.data.status expected "confirmed", actual "pending""#)
        #expect(failure.details.contains("step 'book' (Flows/t.yaml:3)"))
        #expect(failure.details.contains("request: GET http://api.example.test/a"))
        #expect(failure.details.contains("response: 200"))
        #expect(failure.details.contains(#"{"data":{"status":"pending"}}"#))
        #expect((result.steps[0].response?.bodyExcerpt.utf8.count ?? 0) <= 2048)
        #expect(await client.log.requests.count == 1)
    }

    @Test("a transport error is an error, not a failure")
    func transportError() async throws {
        let client = CannedHTTPClient { request throws(APITransportError) in
            throw APITransportError(kind: .unreachable, message: "connection refused", url: request.url)
        }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                "name: t\nsteps:\n  - name: ping\n    request: {url: /ping}\n  - name: next\n    request: {url: /n}\n"))
        #expect(result.status == .errored)
        #expect(result.failure?.kind == .transportError)
        #expect(result.failure?.summary.contains("unreachable") == true)
        #expect(result.steps.map(\.status) == [.errored, .skipped])
    }

    @Test("an undefined variable errors the step and names the variable")
    func undefinedVariable() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let result = await FlowRunner(baseURL: base, makeClient: { client }).run(
            try flow(
                "name: t\nsteps:\n  - name: get\n    request: {url: \"/x/{{ missingId }}\"}\n"))
        #expect(result.status == .errored)
        #expect(result.failure?.kind == .templateError)
        #expect(result.failure?.summary == "step 'get': url: undefined variable 'missingId'")
        #expect(await client.log.requests.isEmpty)
    }

    @Test("a capture that selects nothing fails the step; JSON checks on a non-JSON body fail")
    func captureAndNonJSON() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in
            APIResponse(status: 200, headers: [], body: Data("plain text".utf8), duration: .zero)
        }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let capture = await runner.run(
            try flow(
                "name: t\nsteps:\n  - name: get\n    request: {url: /x}\n    capture: {id: {header: X-Id}}\n"))
        #expect(capture.status == .failed)
        #expect(capture.failure?.summary == "step 'get': capture 'id': no 'X-Id' header in the response")
        let json = await runner.run(
            try flow(
                "name: t\nsteps:\n  - name: get\n    request: {url: /x}\n    expect: {json: {$.a: 1}}\n"))
        #expect(
            json.failure?.summary
                == "step 'get': $.a expected 1, actual (response body is not JSON: line 1, column 1: expected a value (object, array, string, number, true, false or null))"
        )
    }

    @Test("flow vars may use earlier vars and target vars; absolute URLs bypass the base")
    func varsAndAbsoluteURL() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "[]") }
        let runner = FlowRunner(baseURL: base, targetVars: ["host": "other.example.test"], makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: t
                vars: {a: "x", b: "{{ a }}y", url: "https://{{ host }}/p/{{ b }}"}
                steps:
                  - name: get
                    request: {url: "{{ url }}"}
                    expect: {json: {$: {length: 0}}}
                """))
        #expect(result.status == .passed)
        #expect(await client.log.requests.first?.url.absoluteString == "https://other.example.test/p/xy")
    }
}
