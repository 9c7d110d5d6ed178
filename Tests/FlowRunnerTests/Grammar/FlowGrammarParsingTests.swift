import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("Flow grammar: matrix, include, setup/teardown, retry, timeouts, new expectations — parsing")
struct FlowGrammarParsingTests {
    func parse(_ text: String, path: String = "Flows/t.yaml") throws(FlowLoadError) -> Flow { try FlowText.parse(text, path: path) }

    func problems(_ text: String, path: String = "Flows/t.yaml") -> [String] {
        do {
            _ = try parse(text, path: path)
            return []
        } catch {
            return error.diagnostics.map(\.description)
        }
    }

    @Test("matrix of lists expands to every combination, named after its values and bound as flow variables")
    func matrixOfLists() throws {
        let flow = try parse(
            """
            name: book
            matrix: {mode: [in-person, video], paid: [true, false]}
            steps:
              - {name: s, request: {url: "/x/{{ mode }}"}}
            """)
        let cases = flow.expandingMatrix()
        #expect(
            cases.map(\.name) == [
                "book [mode=in-person, paid=true]", "book [mode=in-person, paid=false]",
                "book [mode=video, paid=true]", "book [mode=video, paid=false]",
            ])
        #expect(cases[2].vars.prefix(2).map(\.name) == ["mode", "paid"])
        #expect(cases[2].matrix == [.init(name: "mode", value: "video"), .init(name: "paid", value: "true")])
    }

    @Test("matrix as a list of cases runs exactly those cases")
    func matrixOfCases() throws {
        let flow = try parse(
            """
            name: fee
            matrix:
              - {mode: video, fee: 0}
              - {mode: phone, fee: 500}
            steps:
              - {name: s, request: {url: /x}}
            """)
        #expect(flow.expandingMatrix().map(\.name) == ["fee [mode=video, fee=0]", "fee [mode=phone, fee=500]"])
    }

    @Test("a bad matrix is reported at its line")
    func badMatrix() {
        #expect(
            problems("name: f\nmatrix: {mode: []}\nsteps:\n  - {name: s, request: {url: /x}}\n")
                == ["Flows/t.yaml:2:16: matrix variable 'mode' must be a non-empty list of values"])
        #expect(problems("name: f\nmatrix: video\nsteps:\n  - {name: s, request: {url: /x}}\n").first?.contains("'matrix' must be a mapping") == true)
    }

    @Test("include expands a step file in place with parameters as step variables, defaults filled in")
    func include() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write(
            "Flows/_includes/login.yaml",
            """
            params: {email: null, role: patient}
            steps:
              - name: log in
                request: {method: POST, url: /login, json: {email: "{{ email }}", role: "{{ role }}"}}
                capture: {token: $.token}
            """)
        let path = try directory.write(
            "Flows/f.yaml",
            """
            name: f
            steps:
              - include: _includes/login.yaml
                with: {email: a@b.test}
              - {name: after, request: {url: "/x/{{ token }}"}}
            """)
        var parser = FlowFileParser(source: FlowSource(path: path, suiteName: "f.yaml"), readFile: TextFile.referencedFileReader)
        let flow = try parser.parse(String(contentsOfFile: path, encoding: .utf8))
        #expect(flow.steps.map(\.name) == ["log in", "after"])
        #expect(flow.steps[0].vars.map(\.name) == ["email", "role"])
        #expect(flow.steps[0].includedFrom?.line == 3)
        #expect(FlowLinter(targetVariables: []).lint([flow]).isEmpty)
    }

    @Test("include problems: missing parameter, unknown parameter with a suggestion, missing file, cycle")
    func includeProblems() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/_includes/step.yaml", "params: [email]\nsteps:\n  - {name: s, request: {url: /x}}\n")
        try directory.write("Flows/_includes/loop.yaml", "steps:\n  - include: loop.yaml\n")
        let path = try directory.write(
            "Flows/f.yaml",
            """
            name: f
            steps:
              - include: _includes/step.yaml
                with: {emial: x}
              - include: _includes/none.yaml
              - include: _includes/loop.yaml
            """)
        var parser = FlowFileParser(source: FlowSource(path: path, suiteName: "f.yaml"), readFile: TextFile.referencedFileReader)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let messages: [String]
        do {
            _ = try parser.parse(text)
            messages = []
        } catch {
            messages = error.diagnostics.map(\.message)
        }
        #expect(messages.contains { $0.contains("'emial' is not a parameter") && $0.contains("did you mean 'email'?") })
        #expect(messages.contains { $0.contains("missing parameter 'email'") })
        #expect(messages.contains { $0.contains("cannot read included file") })
        #expect(messages.contains { $0.contains("include cycle") })
    }

    @Test("setup, teardown, actors, timeouts and retry are read; allSteps runs setup, steps, teardown")
    func phases() throws {
        let flow = try parse(
            """
            name: f
            timeout: 30s
            actors:
              patient: {email: "{{ email }}", password: pw, role: patient}
            setup:
              - {name: prepare, request: {url: /a}}
            steps:
              - name: poll
                as: patient
                timeout: 1500ms
                retry: {until: {status: 200}, attempts: 4, interval: 50ms}
                request: {url: /b}
            teardown:
              - {name: clean, request: {method: DELETE, url: /c}}
            """)
        #expect(flow.timeout == .seconds(30))
        #expect(flow.actors.map(\.name) == ["patient"])
        #expect(flow.allSteps.map(\.name) == ["prepare", "poll", "clean"])
        #expect(flow.steps[0].actor == "patient")
        #expect(flow.steps[0].timeout == .milliseconds(1500))
        #expect(flow.steps[0].retry?.attempts == 4)
        #expect(flow.steps[0].retry?.interval == .milliseconds(50))
    }

    @Test("durations need a unit; retry attempts are bounded; 'as' with a bearer token is ambiguous")
    func badValues() {
        let text = """
            name: f
            timeout: 30
            steps:
              - name: s
                as: admin
                retry: {until: {status: 200}, attempts: 0, interval: soon}
                request: {url: /x, auth: {bearer: t}}
                expect: {duration: {lt: 500, below: 2s}}
            """
        let found = problems(text)
        #expect(found.contains("Flows/t.yaml:2:10: flow 'timeout' must be a duration with a unit such as 500ms, 2s or 1m (at most 1 day), found a number"))
        #expect(found.contains { $0.contains("'attempts' of retry") })
        #expect(found.contains { $0.contains("'interval' of retry") && $0.contains("the string 'soon'") })
        #expect(found.contains { $0.contains("has both 'as' and 'auth'") })
        #expect(found.contains { $0.contains("'lt' of 'duration' must be a duration") })
        #expect(found.contains { $0.contains("unknown key 'below' in 'duration'") })
    }

    @Test("unknown keys and predicate typos come with a suggestion")
    func suggestions() {
        let found = problems(
            """
            name: f
            steps:
              - name: s
                request: {url: /x}
                expcet: {status: 200}
              - name: t
                request: {url: /x}
                expect:
                  json: {$.a: {equalz: 1}}
            """)
        #expect(found.contains { $0.hasPrefix("Flows/t.yaml:5:5: unknown key 'expcet' in step 1; did you mean 'expect'?") })
        #expect(found.contains { $0.hasPrefix("Flows/t.yaml:9:20: unknown predicate 'equalz'") && $0.contains("did you mean 'equals'?") })
    }

    @Test("schema files are loaded relative to the flow; a missing file or an unsupported keyword is a parse error")
    func schemaFiles() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try directory.write("Flows/schemas/ok.json", #"{"type": "object", "required": ["id"]}"#)
        try directory.write("Flows/schemas/odd.json", #"{"type": "object", "unevaluatedProperties": false}"#)
        let text = """
            name: f
            steps:
              - {name: a, request: {url: /x}, expect: {schema: schemas/ok.json}}
              - {name: b, request: {url: /x}, expect: {schema: schemas/odd.json}}
              - {name: c, request: {url: /x}, expect: {schema: schemas/none.json}}
            """
        let found = problems(text, path: directory.path + "/Flows/f.yaml")
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("unsupported JSON Schema keyword 'unevaluatedProperties' at #/unevaluatedProperties") })
        #expect(found.contains { $0.contains("cannot read JSON Schema file") })
    }

    @Test("captures read cookies; 'not' negates a matcher")
    func cookieAndNot() throws {
        let flow = try parse(
            """
            name: f
            steps:
              - name: s
                request: {url: /x}
                expect: {json: {$.status: {not: {oneOf: [cancelled, no-show]}}}}
                capture: {session: {cookie: refreshToken}}
            """)
        guard case .cookie("refreshToken") = flow.steps[0].captures[0].source else {
            Issue.record("expected a cookie capture")
            return
        }
        #expect(
            flow.steps[0].expect.json[0].matcher
                == .predicates([.not(.predicates([.oneOf([.string(try Template("cancelled")), .string(try Template("no-show"))])]))]))
    }

    @Test("the linter follows captures through setup into steps and teardown, and checks actors")
    func lintPhasesAndActors() throws {
        let flow = try parse(
            """
            name: f
            setup:
              - {name: a, request: {url: /a}, capture: {id: $.id}}
            steps:
              - {name: b, as: admn, request: {url: "/b/{{ id }}"}}
            teardown:
              - {name: c, as: doctor, request: {url: "/c/{{ id }}/{{ nope }}"}}
            """)
        let found = FlowLinter(targetVariables: [], targetActors: ["admin", "doctor"]).lint([flow]).map(\.message)
        #expect(
            found == [
                "step 'b' runs as undefined actor 'admn'; did you mean 'admin'? (actors: admin, doctor)",
                "step 'c' uses undefined variable 'nope'",
            ])
    }
}
