import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow engine edge cases")
struct FlowEngineEdgeTests {
    let base = URL(string: "http://api.example.test/prefix/")!

    func flow(_ text: String) throws -> Flow { try FlowText.parse(text, path: "e.yaml") }

    @Test("a cancelled run reports the flow as skipped without sending anything")
    func cancelled() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let parsed = try flow("name: t\nsteps:\n  - name: a\n    request: {url: /a}\n")
        let result = await Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await runner.run(parsed)
        }.value
        #expect(result.status == .skipped)
        #expect(result.steps.map(\.status) == [.skipped])
        #expect(await client.log.requests.isEmpty)
        let report = RunReport(target: "t", startedAt: Date(), duration: .zero, results: [result])
        #expect(report.tally == "0 passed, 0 failed, 1 skipped")
    }

    @Test("an explicit content type wins over the JSON default; base paths and existing queries are kept")
    func requestBuilding() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(200, "{}") }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let result = await runner.run(
            try flow(
                """
                name: t
                steps:
                  - name: json
                    request:
                      method: PATCH
                      url: items?x=1
                      query: {y: "ü"}
                      headers: {content-type: application/merge-patch+json}
                      json: {a: "{{ 1 }}"}
                """))
        #expect(result.status == .passed)
        let requests = await client.log.requests
        #expect(requests.first?.url.absoluteString == "http://api.example.test/prefix/items?x=1&y=%C3%BC")
        #expect(requests.first?.headers.filter { $0.name.lowercased() == "content-type" }.map(\.value) == ["application/merge-patch+json"])
        #expect(requests.first?.body.map { String(decoding: $0, as: UTF8.self) } == #"{"a":1}"#)
    }

    @Test("a raw body is sent verbatim, as text/plain unless the flow names a type")
    func rawBody() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in CannedHTTPClient.json(204, "") }
        let runner = FlowRunner(baseURL: base, targetVars: ["n": 5], makeClient: { client })
        let result = await runner.run(
            try flow(
                "name: t\nsteps:\n  - name: raw\n    request: {method: POST, url: /raw, body: \"n={{ n }}&m=2\"}\n    expect: {status: 204, body: \"\"}\n"))
        #expect(result.status == .passed)
        #expect(await client.log.requests.first?.body.map { String(decoding: $0, as: UTF8.self) } == "n=5&m=2")
        #expect(await client.log.requests.first?.header("content-type") == "text/plain; charset=utf-8")
    }

    @Test("several JSONPath nodes compare as an array; no nodes fail unless exists is false")
    func nodeLists() async throws {
        let client = CannedHTTPClient { _ throws(APITransportError) in
            CannedHTTPClient.json(200, #"{"items":[{"id":1},{"id":2}]}"#)
        }
        let runner = FlowRunner(baseURL: base, makeClient: { client })
        let passing = await runner.run(
            try flow(
                """
                name: t
                steps:
                  - name: list
                    request: {url: /items}
                    expect:
                      json:
                        $.items[*].id: [1, 2]
                        $.items[?@.id > 1].id: 2
                        $.items[*]: {length: 2}
                        $.nothing: {exists: false}
                """))
        #expect(passing.status == .passed)
        let failing = await runner.run(
            try flow(
                "name: t\nsteps:\n  - name: list\n    request: {url: /items}\n    expect: {json: {$.nothing: {type: null}}}\n"))
        #expect(failing.failure?.summary == "step 'list': $.nothing expected type null, actual (no match)")
    }
}
