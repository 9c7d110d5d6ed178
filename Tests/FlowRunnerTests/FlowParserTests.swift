import APITransport
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow file parser")
struct FlowParserTests {
    func parse(_ text: String) throws -> Flow {
        var parser = FlowFileParser(source: FlowSource(path: "flows/f.yaml", suiteName: "f.yaml"), readFile: TextFile.referencedFileReader)
        return try parser.parse(text)
    }

    func diagnostics(_ text: String) -> [String] {
        do {
            _ = try parse(text)
            return []
        } catch let error as FlowLoadError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["unexpected \(error)"]
        }
    }

    @Test("a complete flow parses into the model")
    func validFlow() throws {
        let flow = try parse(
            """
            name: Patient books
            tags: [patient, smoke]
            vars:
              email: "{{ fake.email }}"
              greeting: "hi {{ email }}"
              count: 3
            steps:
              - name: register
                vars: {local: 1}
                request:
                  method: post
                  url: /api/auth/register
                  query: {page: 2, q: "a b"}
                  headers: {X-Trace: abc}
                  json: {email: "{{ email }}", age: 30, tags: [a, 1, true, null]}
                  auth: {bearer: "{{ token }}"}
                expect:
                  status: 201
                  headers: {content-type: {contains: application/json}}
                  json:
                    $.success: true
                    $.data.user.email: "{{ email }}"
                    "$.data.items[*]": {length: {gte: 1}}
                    $.data.obj: {a: 1}
                  body: {matches: "ok"}
                capture:
                  token: $.data.accessToken
                  requestId: {header: X-Request-Id}
                  order: {regex: "order_([a-z0-9]+)"}
              - name: fetch
                request: {url: "/api/me", body: "raw {{ token }}"}
            """)
        #expect(flow.name == "Patient books")
        #expect(flow.tags == ["patient", "smoke"])
        #expect(flow.vars.map(\.name) == ["email", "greeting", "count"])
        #expect(flow.vars[2].value == .number(3))
        #expect(flow.steps.count == 2)
        let step = flow.steps[0]
        #expect(step.location.line == 8)
        #expect(step.request.method == .POST)
        #expect(step.request.query.map(\.name) == ["page", "q"])
        #expect(step.request.query[0].value.source == "2")
        #expect(step.request.bearer?.source == "{{ token }}")
        guard case .json(.object(let members))? = step.request.body else {
            Issue.record("expected a json body")
            return
        }
        #expect(members.map(\.key) == ["email", "age", "tags"])
        #expect(members[1].value == .number(30))
        #expect(members[2].value == .array([.string(Template(literal: "a")), .number(1), .bool(true), .null]))
        #expect(step.expect.status == .literal(.number(201)))
        #expect(step.expect.headers.first?.name == "content-type")
        #expect(step.expect.json.map(\.path.source) == ["$.success", "$.data.user.email", "$.data.items[*]", "$.data.obj"])
        #expect(step.expect.json[2].matcher == .predicates([.length(.predicates([.compare(.gte, .number(1))]))]))
        #expect(step.expect.json[3].matcher == .literal(.object([.init(key: "a", value: .number(1))])))
        #expect(step.captures.map(\.name) == ["token", "requestId", "order"])
        guard case .raw(let raw)? = flow.steps[1].request.body else {
            Issue.record("expected a raw body")
            return
        }
        #expect(raw.source == "raw {{ token }}")
        #expect(flow.steps[1].request.method == .GET)
    }

    @Test("YAML syntax errors carry the line")
    func syntaxError() {
        let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: /x\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("flows/f.yaml:5:") == true)
        #expect(messages.first?.contains("YAML syntax error") == true)
    }

    @Test("unknown keys name the key and the allowed ones")
    func unknownKey() {
        let messages = diagnostics(
            """
            name: x
            steps:
              - name: a
                request: {url: /x}
                expct: {status: 200}
            """)
        #expect(
            messages == [
                "flows/f.yaml:5:5: unknown key 'expct' in step 1; did you mean 'expect'? (allowed: name, as, vars, request, expect, capture, retry, timeout)"
            ])
    }

    @Test("missing name, steps and url")
    func missingKeys() {
        #expect(
            diagnostics("tags: [a]\n") == [
                "flows/f.yaml:1:1: flow is missing required key 'name'", "flows/f.yaml:1:1: flow is missing required key 'steps'",
            ])
        let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {method: GET}\n")
        #expect(messages == ["flows/f.yaml:4:14: request of step 'a' is missing required key 'url'"])
    }

    @Test("wrong types")
    func wrongTypes() {
        #expect(diagnostics("name: x\nsteps: nope\n") == ["flows/f.yaml:2:8: 'steps' must be a list of steps, found the string 'nope'"])
        #expect(
            diagnostics("name: [x]\nsteps: []\n") == [
                "flows/f.yaml:1:7: flow 'name' must be a non-empty string, found a list", "flows/f.yaml:2:8: 'steps' must not be empty",
            ])
        let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: /x}\n    expect: {headers: [a]}\n")
        #expect(messages == ["flows/f.yaml:5:23: expected headers of step 'a' must be a mapping, found a list"])
    }

    @Test("a matcher mixing predicate keywords with other keys is rejected")
    func mixedMatcher() {
        let messages = diagnostics(
            """
            name: x
            steps:
              - name: a
                request: {url: /x}
                expect:
                  json:
                    $.data: {exists: true, id: 3}
            """)
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("flows/f.yaml:7:17: matcher for $.data mixes predicate keywords ('exists') with other keys ('id')") == true)
    }

    @Test("bad predicate values")
    func badPredicates() {
        let messages = diagnostics(
            """
            name: x
            steps:
              - name: a
                request: {url: /x}
                expect:
                  status: {oneOf: 200}
                  body: {matches: "(unclosed"}
                  json:
                    $.a: {type: float}
                    $.b: {exists: maybe}
            """)
        #expect(messages.map { $0.prefix(16) } == ["flows/f.yaml:6:2", "flows/f.yaml:7:2", "flows/f.yaml:9:2", "flows/f.yaml:10:"])
    }

    @Test("json and body together are rejected")
    func jsonAndBody() {
        let messages = diagnostics(
            """
            name: x
            steps:
              - name: a
                request:
                  url: /x
                  json: {a: 1}
                  body: "raw"
            """)
        #expect(messages == ["flows/f.yaml:7:7: request of step 'a' has both 'json' (line 6) and 'body'; give only one"])
    }

    @Test("unknown HTTP methods are rejected")
    func badMethod() {
        let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {method: FETCH, url: /x}\n")
        #expect(messages == ["flows/f.yaml:4:23: unknown HTTP method 'FETCH' (allowed: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS)"])
    }

    @Test("template syntax errors")
    func badTemplate() {
        let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: \"/x/{{ id\"}\n")
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("flows/f.yaml:4:20: invalid template in url") == true)
        #expect(messages.first?.contains("without a closing") == true)
    }

    @Test("bad JSONPath in expect and capture")
    func badJSONPath() {
        let messages = diagnostics(
            """
            name: x
            steps:
              - name: a
                request: {url: /x}
                expect:
                  json:
                    $.data[: 1
                capture:
                  id: data.id
                  other: {json: "$..["}
            """)
        #expect(messages.count == 3)
        #expect(messages[0].hasPrefix("flows/f.yaml:7:"))
        #expect(messages[0].contains("invalid JSONPath '$.data['"))
        #expect(messages[1].hasPrefix("flows/f.yaml:9:11:"))
        #expect(messages[2].hasPrefix("flows/f.yaml:10:"))
    }

    @Test("many problems in one file are all reported")
    func multipleErrors() {
        let messages = diagnostics(
            """
            name: x
            colour: blue
            steps:
              - name: a
                request: {url: /x, verb: GET}
              - request: {url: /y}
            """)
        #expect(
            messages == [
                "flows/f.yaml:2:1: unknown key 'colour' in flow (allowed: name, tags, skip, matrix, vars, actors, timeout, setup, steps, teardown)",
                "flows/f.yaml:5:24: unknown key 'verb' in request of step 'a' (allowed: method, url, query, headers, json, body, form, auth, undocumented)",
                "flows/f.yaml:6:5: step 2 is missing required key 'name'",
            ])
    }

    @Test("duplicate keys and empty files")
    func duplicatesAndEmpty() {
        #expect(diagnostics("") == ["flows/f.yaml:1:1: file is empty"])
        let messages = diagnostics("name: x\nname: y\nsteps: []\n")
        #expect(messages.first?.contains("duplicate key 'name'") == true)
    }
}

@Suite("Flow file parser: captures, vars and auth")
struct FlowParserMoreTests {
    func diagnostics(_ text: String) -> [String] {
        var parser = FlowFileParser(source: FlowSource(path: "g.yaml", suiteName: "g.yaml"), readFile: TextFile.referencedFileReader)
        do {
            _ = try parser.parse(text)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("capture sources, variable names and auth keys are checked")
    func problems() {
        let messages = diagnostics(
            """
            name: x
            vars: {"bad-name": 1}
            steps:
              - name: a
                request: {url: /x, auth: {basic: u}}
                capture:
                  both: {json: $.a, header: X-A}
                  "9lives": $.b
                  re: {regex: "("}
            """)
        #expect(
            messages == [
                "g.yaml:2:8: variable name 'bad-name' must start with a letter or '_' and contain only letters, digits and '_'",
                "g.yaml:5:38: basic auth of step 'a' must be a mapping, found the string 'u'",
                "g.yaml:7:13: capture 'both' needs exactly one of 'json', 'header', 'cookie' or 'regex'",
                "g.yaml:8:7: capture name '9lives' must start with a letter or '_' and contain only letters, digits and '_'",
                "g.yaml:9:19: invalid regular expression in capture 're': '('",
            ])
    }

    @Test("an expected status that is not an HTTP status code is a flow-file error")
    func badStatus() {
        for bad in ["two hundred", "99", "600", "20o"] {
            let messages = diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: /x}\n    expect: {status: \(bad)}\n")
            #expect(messages.count == 1, "\(bad): \(messages)")
            #expect(messages.first?.hasPrefix("g.yaml:5:") == true, "\(bad): \(messages)")
            #expect(messages.first?.contains("must be an HTTP status code from 100 to 599") == true, "\(bad): \(messages)")
        }
        #expect(diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: /x}\n    expect: {status: 204}\n").isEmpty)
        #expect(diagnostics("name: x\nsteps:\n  - name: a\n    request: {url: /x}\n    expect: {status: {oneOf: [200, 201]}}\n").isEmpty)
        #expect(diagnostics("name: x\nvars: {s: 200}\nsteps:\n  - name: a\n    request: {url: /x}\n    expect: {status: \"{{ s }}\"}\n").isEmpty)
    }
}
