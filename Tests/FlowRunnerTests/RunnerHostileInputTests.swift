import APITransport
import Crypto
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

/// The runner against what real servers and real staging credentials produce, through the real binary and every
/// report it writes: secrets in every encoding, exact numbers, bounded reports, hostile bytes, deep JSON. Each class is
/// tested with several inputs; the inputs that used to leak or pass wrongly are kept here as the runner's corpus.
@Suite("illajwala-flows against hostile servers and credentials", .serialized, .enabled(if: RunnerBinary.isBuilt, RunnerBinary.notBuilt))
struct RunnerHostileInputTests {
    /// Secrets with a space, `"`, `\`, `/`, `+`, `%`, `&`, `=`, non-ASCII letters and an emoji, each sent one way.
    static let secrets: [String: String] = [
        "SECRET_ONE": "p@ss word\"\\/+%&=é😀-one",  // JSON body (a credential member and an ordinary one)
        "SECRET_TWO": "Zürich key+/=%41&x y-two",  // query string
        "SECRET_FOUR": "hdr \"val\" \\ / + % & = four",  // a header (ASCII: header values are bytes)
        "SECRET_FIVE": "bäsic pässwörd 😀/+ five",  // HTTP Basic password
        "SECRET_SIX": "path seg/ment?#é six",  // a path segment
        "SECRET_SEVEN": "förm & field = 100% seven",  // a form body
    ]
    /// Written in targets.yaml as `{secret: …}` (not from the environment), sent in a JSON body and a header.
    static let fileSecret = "räksmörgås \"quoted\" \\back/slash"

    static let targets = """
        targets:
          hostile:
            baseURL: "${ECHO_BASE_URL}"
            vars:
              one: "${SECRET_ONE}"
              two: "${SECRET_TWO}"
              four: "${SECRET_FOUR}"
              five: "${SECRET_FIVE}"
              six: "${SECRET_SIX}"
              seven: "${SECRET_SEVEN}"
              three: {secret: "räksmörgås \\"quoted\\" \\\\back/slash"}
              plain: not-a-secret
        """

    /// Flows that send each secret one way to the echo server and then fail an assertion on the echo, so that
    /// every report holds the request, the echoed response, the failure text, a diff and a curl line.
    static let flows: [String: String] = [
        "query.yaml": """
        name: query
        steps:
          - name: token in the query
            request: {url: /echo/q, query: {token: "{{ two }}", also: "{{ one }}"}}
            expect: {json: {$.target: "never"}}
        """,
        "query-ascii.yaml": """
        name: query ascii
        steps:
          - name: token in the query, echoed with \\u escapes
            request: {url: /echo/q, query: {token: "{{ two }}", ascii: "1"}}
            expect: {json: {$.target: {equals: "never"}}}
        """,
        "path.yaml": """
        name: path
        steps:
          - name: a path segment
            request: {url: "/echo/p/{{ urlencode(six) }}/x"}
            expect: {status: 299}
        """,
        "json.yaml": """
        name: json
        steps:
          - name: a JSON body
            request:
              method: POST
              url: /echo/j
              json: {password: "{{ one }}", note: "{{ one }}", list: ["{{ three }}", {deep: "{{ one }}"}]}
            expect:
              json:
                $.body: "never"
                $: {equals: {method: POST, body: "{{ plain }}"}}
        """,
        "json-ascii.yaml": """
        name: json ascii
        steps:
          - name: a JSON body echoed with \\u escapes
            request:
              method: POST
              url: /echo/j
              query: {ascii: "1"}
              json: {note: "{{ one }}", other: "{{ three }}"}
            expect: {body: {contains: "never"}}
        """,
        "form.yaml": """
        name: form
        steps:
          - name: a form body
            request:
              method: POST
              url: /echo/f
              form: {field: "{{ seven }}", second: "{{ two }}"}
            expect: {json: {$.body: {matches: "^never$"}}}
        """,
        "header.yaml": """
        name: header
        steps:
          - name: a header
            request: {url: /echo/h, headers: {X-Custom: "{{ four }}", X-Other: "{{ three }}"}}
            expect: {json: {$.headers: [["never"]]}}
        """,
        "basic.yaml": """
        name: basic
        steps:
          - name: basic credentials
            request: {url: /echo/b, auth: {basic: {username: qa, password: "{{ five }}"}}}
            expect: {status: 418}
        """,
    ]

    /// Every spelling of `secret` that must never appear in anything the runner prints or writes.
    static func forms(of secret: String) -> Set<String> {
        var forms: Set<String> = [secret]
        func percent(_ text: String, upper: Bool) -> String {
            var output = ""
            for byte in text.utf8 {
                let scalar = Unicode.Scalar(byte)
                if byte < 0x80, CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~").contains(scalar) {
                    output.unicodeScalars.append(scalar)
                } else {
                    output += String(format: upper ? "%%%02X" : "%%%02x", byte)
                }
            }
            return output
        }
        for upper in [true, false] {
            let encoded = percent(secret, upper: upper)
            forms.insert(encoded)
            forms.insert(encoded.replacingOccurrences(of: upper ? "%20" : "%20", with: "+"))
        }
        var jsonForms: Set<String> = []
        let compact = String(JSONValue.string(secret).compactJSON.dropFirst().dropLast())
        jsonForms.insert(compact)
        jsonForms.insert(compact.replacingOccurrences(of: "/", with: "\\/"))
        for upper in [true, false] {
            var ascii = ""
            for scalar in secret.unicodeScalars {
                if scalar.value > 0x7E {
                    for unit in String(scalar).utf16 { ascii += String(format: upper ? "\\u%04X" : "\\u%04x", unit) }
                } else if scalar == "\"" || scalar == "\\" {
                    ascii += "\\" + String(scalar)
                } else {
                    ascii.unicodeScalars.append(scalar)
                }
            }
            jsonForms.insert(ascii)
        }
        forms.formUnion(jsonForms)
        // Escaped twice: a JSON text inside a JSON string.
        forms.insert(String(JSONValue.string(compact).compactJSON.dropFirst().dropLast()))
        forms.insert(Data(secret.utf8).base64EncodedString())
        forms.insert(Data("qa:\(secret)".utf8).base64EncodedString())
        // As the HTML and XML reports escape them.
        for form in forms {
            forms.insert(HTMLText.escape(form))
            forms.insert(XMLText.escapeText(form))
            forms.insert(XMLText.escapeAttribute(form))
        }
        return forms
    }

    @Test("no secret leaves the process in any encoding: console at every verbosity, every report, curl lines, diffs")
    func secretsInEveryEncoding() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("Flows/targets.yaml", Self.targets)
        for (name, text) in Self.flows { try work.write("Flows/\(name)", text) }
        var environment = Self.secrets
        environment["ECHO_BASE_URL"] = server.baseURL.absoluteString
        var outputs: [String: String] = [:]
        for verbosity in ["--verbose", "--quiet", ""] {
            let arguments = ["run", "Flows", "--target", "hostile", "--report-dir", "out", "--openapi", "none.yaml"] + (verbosity.isEmpty ? [] : [verbosity])
            let outcome = try RunnerBinary.run(arguments, in: work.url, environment: environment)
            #expect(outcome.status == 1, "\(outcome.standardError)")
            #expect(outcome.standardOutput.contains("0 passed, \(Self.flows.count) failed, 0 skipped"), "\(outcome.standardOutput)")
            outputs["stdout \(verbosity)"] = outcome.standardOutput
            outputs["stderr \(verbosity)"] = outcome.standardError
        }
        let reports = RunnerBinary.reports(in: work.url.appendingPathComponent("out"))
        #expect(Set(reports.keys).isSuperset(of: ["junit.xml", "summary.md", "flows.json", "report.html"]))
        // The requests did carry the secrets (the echo shows them, masked): the test is not vacuous.
        let flowsJSON = reports["flows.json"] ?? ""
        #expect(flowsJSON.contains("***"))
        #expect(flowsJSON.contains("Basic ***"))
        #expect((outputs["stdout --verbose"] ?? "").contains("X-Custom: ***"))
        let everything = outputs.merging(reports) { first, _ in first }
        let allSecrets = Array(Self.secrets.values) + [Self.fileSecret]
        for secret in allSecrets {
            for form in Self.forms(of: secret) where form.count >= 6 {
                for (name, text) in everything {
                    #expect(!text.contains(form), "\(name) holds the secret \(secret.debugDescription) as \(form.debugDescription)")
                }
            }
        }

        // Control: the same values as ordinary variables do show up, in encoded forms — so the search above can fail.
        var plainTargets = "targets:\n  hostile:\n    baseURL: \(server.baseURL.absoluteString)\n    vars:\n"
        for (name, variable) in [
            ("SECRET_ONE", "one"), ("SECRET_TWO", "two"), ("SECRET_FOUR", "four"), ("SECRET_FIVE", "five"), ("SECRET_SIX", "six"), ("SECRET_SEVEN", "seven"),
        ] {
            plainTargets += "      \(variable): \(JSONValue.string(Self.secrets[name] ?? "").compactJSON)\n"
        }
        plainTargets += "      three: \(JSONValue.string(Self.fileSecret).compactJSON)\n      plain: not-a-secret\n"
        try work.write("Flows/targets.yaml", plainTargets)
        let control = try RunnerBinary.run(
            ["run", "Flows", "--target", "hostile", "--report-dir", "control", "--openapi", "none.yaml", "-v"], in: work.url)
        let controlTexts = RunnerBinary.reports(in: work.url.appendingPathComponent("control")).values + [control.standardOutput]
        // (The Basic password is left out: an Authorization credential is a secret whatever the target says.)
        for secret in allSecrets where secret != Self.secrets["SECRET_FIVE"] {
            let found = Self.forms(of: secret).filter { form in form != secret && controlTexts.contains { $0.contains(form) } }
            #expect(!found.isEmpty, "no encoded form of \(secret.debugDescription) in the unmasked control run")
        }
    }

    @Test("numbers keep their exact text from the wire to the wire and to the reports, and compare exactly")
    func exactNumbers() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("Flows/targets.yaml", "targets:\n  echo:\n    baseURL: \"${ECHO_BASE_URL}\"\n    vars: {limit: 12345678901234567890123}\n")
        try work.write(
            "Flows/a-pass.yaml",
            """
            name: exact numbers pass
            steps:
              - name: read long ids
                request: {url: /numbers}
                expect:
                  json:
                    $.id: 12345678901234567891
                    $.small: 9007199254740993
                    $.price: 1.1
                    $.exp: 100
                    $.neg: 0
                    $['id']: {gt: 12345678901234567890, lt: 12345678901234567892}
                capture: {id: $.id, small: $.small, price: $.price}
              - name: send them back in JSON, a query and a header
                request:
                  method: POST
                  url: /echo/n
                  query: {id: "{{ id }}"}
                  headers: {X-Id: "{{ id }}"}
                  json: {id: "{{ id }}", small: "{{ small }}", price: "{{ price }}", limit: "{{ limit }}", var: "{{ given }}", text: "id {{ id }}"}
                expect:
                  json:
                    $.target: "/echo/n?id=12345678901234567891"
                    $.headers[?@[0] == 'X-Id'][1]: "12345678901234567891"
                    $.body: '{"id":12345678901234567891,"limit":12345678901234567890123,"price":1.10,"small":9007199254740993,"text":"id 12345678901234567891","var":98765432109876543210}'
            """)
        try work.write(
            "Flows/b-fail.yaml",
            """
            name: a near miss fails
            steps:
              - name: one less is not equal
                request: {url: /numbers}
                expect: {json: {$.id: 12345678901234567890}}
            """)
        let outcome = try RunnerBinary.run(
            ["run", "Flows", "--target", "echo", "--report-dir", "out", "--openapi", "none.yaml", "--var", "given:=98765432109876543210", "-v"],
            in: work.url, environment: ["ECHO_BASE_URL": server.baseURL.absoluteString])
        #expect(outcome.status == 1)
        #expect(outcome.standardOutput.contains("1 passed, 1 failed, 0 skipped"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("$.id expected 12345678901234567890, actual 12345678901234567891"), "\(outcome.standardOutput)")
        let reports = RunnerBinary.reports(in: work.url.appendingPathComponent("out"))
        for name in ["junit.xml", "summary.md", "flows.json", "report.html"] {
            #expect(reports[name]?.contains("12345678901234567891") == true, "\(name)")
            #expect(reports[name]?.contains("12345678901234567000") != true, "\(name) shows a rounded number")
        }
        #expect(reports["flows.json"]?.contains(#"\"price\":1.10"#) == true)
    }

    @Test("what is recorded is bounded: a 5 MB body in every report is a 2 KiB excerpt with its size and SHA-256")
    func boundedReports() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let bytes = 5_000_000
        try work.write(
            "Flows/big.yaml",
            """
            name: a large body
            steps:
              - name: a failing body assertion
                request: {url: /big, query: {bytes: "\(bytes)"}}
                expect: {body: {contains: "never there"}, json: {"$[0].id": "apt-0", $: {length: {lt: 3}}}}
              - name: a failing JSON comparison of two large values
                request: {url: /big, query: {bytes: "\(bytes)"}}
                expect: {json: {$: {equals: [1, 2]}}}
            """)
        try work.write(
            "Flows/text.yaml",
            """
            name: a large text body
            steps:
              - name: equals on text
                request: {url: /big, query: {bytes: "\(bytes)", kind: text}}
                expect: {body: "short"}
            """)
        let outcome = try RunnerBinary.run(
            ["run", "Flows", "--target", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml", "-v"], in: work.url)
        #expect(outcome.status == 1)
        let digest = SHA256.hash(data: HostileEchoServer.bigBody(bytes: bytes, kind: "json")).map { String(format: "%02x", $0) }.joined()
        #expect(outcome.standardOutput.contains("(\(HostileEchoServer.bigBody(bytes: bytes, kind: "json").count) bytes in all, SHA-256 \(digest))"))
        #expect(outcome.standardOutput.utf8.count < 100_000, "console: \(outcome.standardOutput.utf8.count) bytes")
        for (name, text) in RunnerBinary.reports(in: work.url.appendingPathComponent("out")) {
            #expect(text.utf8.count < 1_000_000, "\(name): \(text.utf8.count) bytes")
        }
    }

    @Test("JSON nested past the limit is 'nested deeper than N levels', never a crash; 100 000 levels included")
    func deepJSON() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        for levels in [JSONParser.maximumDepth, JSONParser.maximumDepth + 1, 100_000] {
            try work.write(
                "Flows/deep-\(levels).yaml",
                "name: deep \(levels)\nsteps:\n  - name: read\n    request: {url: /deep, query: {levels: \"\(levels)\"}}\n    expect: {json: {\"$[0]\": {exists: true}}}\n"
            )
        }
        let outcome = try RunnerBinary.run(
            ["run", "Flows", "--target", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml"], in: work.url)
        #expect(outcome.status == 1, "\(outcome.standardError)")
        #expect(outcome.standardOutput.contains("1 passed, 2 failed, 0 skipped"), "\(outcome.standardOutput)")
        #expect(outcome.standardOutput.contains("nested deeper than \(JSONParser.maximumDepth) levels"))
    }

    @Test("a hostile server's escape sequences, NUL and C1 controls never reach the terminal or summary.md raw")
    func controlCharacters() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write(
            "Flows/hostile.yaml",
            "name: hostile bytes\nsteps:\n  - name: read\n    request: {url: /hostile}\n    expect: {body: {contains: never}, headers: {x-none: {exists: true}}}\n"
        )
        for verbosity in ["-v", "-q"] {
            let outcome = try RunnerBinary.run(
                ["run", "Flows", "--target", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml", verbosity], in: work.url)
            #expect(outcome.status == 1)
            for (name, text) in [
                ("stdout", outcome.standardOutput), ("summary.md", RunnerBinary.reports(in: work.url.appendingPathComponent("out"))["summary.md"] ?? ""),
            ] {
                let controls = text.unicodeScalars.filter { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) }
                #expect(controls.isEmpty, "\(name) holds raw control characters \(controls.map { String($0.value, radix: 16) })")
                #expect(text.contains("\\u{1B}[2J"), "\(name) shows the escape sequence escaped")
            }
        }
    }

    @Test("a run that never finishes leaves no earlier green report; an errored flow is ERROR and counted")
    func resultsNeverLie() async throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("Flows/a.yaml", "name: unreachable\nsteps:\n  - {name: call, request: {url: \"http://127.0.0.1:9/x\"}}\n")
        try work.write(
            "out/junit.xml", #"<testsuites tests="1" failures="0" errors="0"><testsuite name="old" tests="1"><testcase name="green"/></testsuite></testsuites>"#
        )
        try work.write("out/summary.md", "# all green from yesterday\n")
        try work.write("out/flows.json", "{}")
        // A target that is not ready: nothing runs, and the folder says so.
        let notReady = try RunnerBinary.run(["run", "Flows", "--target", "http://127.0.0.1:9", "--report-dir", "out"], in: work.url)
        #expect(notReady.status == 3)
        var reports = RunnerBinary.reports(in: work.url.appendingPathComponent("out"))
        #expect(reports["junit.xml"]?.contains("errors=\"1\"") == true)
        #expect(reports["summary.md"]?.contains("no flow ran") == true)
        #expect(reports["flows.json"] == nil)

        // A transport error: ERROR on the console, counted as errored in the summary, failed in the tally.
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let errored = try RunnerBinary.run(
            ["run", "Flows", "--target", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml"], in: work.url)
        #expect(errored.status == 1)
        #expect(errored.standardOutput.contains("ERROR  unreachable"), "\(errored.standardOutput)")
        #expect(errored.standardOutput.hasSuffix("0 passed, 1 failed, 0 skipped\n"))
        reports = RunnerBinary.reports(in: work.url.appendingPathComponent("out"))
        #expect(reports["summary.md"]?.contains("1 of them errored") == true)

        // Killed mid-run (SIGKILL: no handler runs): the reports say the run did not finish.
        try work.write(
            "Flows/a.yaml",
            "name: slow\nsteps:\n  - {name: poll, request: {url: /health/ready}, retry: {until: {status: 599}, attempts: 600, interval: 100ms}}\n")
        let process = Process()
        process.executableURL = RunnerBinary.url
        process.arguments = ["run", "Flows", "--target", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml"]
        process.currentDirectoryURL = work.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try await Task.sleep(for: .seconds(2))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        reports = RunnerBinary.reports(in: work.url.appendingPathComponent("out"))
        #expect(reports["junit.xml"]?.contains("did not finish") == true)
        #expect(reports["junit.xml"]?.contains("errors=\"1\"") == true)
        #expect(reports["flows.json"] == nil)
    }

    @Test("a named target takes --base-url; a bare URL says in one line which variables and actors are missing and who has them")
    func baseURLAndBareTargets() async throws {
        let server = try await HostileEchoServer.start()
        defer { server.stop() }
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write(
            "Flows/targets.yaml",
            "targets:\n  staging-like:\n    baseURL: http://127.0.0.1:9\n    vars: {who: qa}\n    actors: {admin: {email: a@b.c, password: p}}\n")
        try work.write(
            "Flows/a.yaml", "name: uses a variable\nsteps:\n  - {name: s, request: {url: \"/echo/{{ who }}\"}, expect: {json: {$.target: /echo/qa}}}\n")
        try work.write("Flows/b.yaml", "name: uses an actor\nsteps:\n  - {name: s, as: admin, request: {url: /health/ready}}\n")
        let bare = try RunnerBinary.run(["run", "Flows", "-t", server.baseURL.absoluteString, "--report-dir", "out"], in: work.url)
        #expect(bare.status == 2)
        let lines = bare.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(bare.standardError)")
        #expect(bare.standardError.contains("target variables who and actors admin"))
        #expect(bare.standardError.contains("--target staging-like --base-url \(server.baseURL.absoluteString)"))

        let named = try RunnerBinary.run(
            ["run", "Flows/a.yaml", "-t", "staging-like", "--base-url", server.baseURL.absoluteString, "--report-dir", "out", "--openapi", "none.yaml"],
            in: work.url)
        #expect(named.status == 0, "\(named.standardOutput)\(named.standardError)")
        let fromEnvironment = try RunnerBinary.run(
            ["run", "Flows/a.yaml", "-t", "staging-like", "--report-dir", "out", "--openapi", "none.yaml", "-q"], in: work.url,
            environment: ["ILLAJWALA_FLOWS_BASE_URL": server.baseURL.absoluteString])
        #expect(fromEnvironment.status == 0, "\(fromEnvironment.standardError)")
        let embedded = try RunnerBinary.run(["run", "Flows/a.yaml", "--base-url", server.baseURL.absoluteString, "--report-dir", "out"], in: work.url)
        #expect(embedded.status == 2)
        #expect(embedded.standardError.contains("is embedded"))
    }

    @Test("validate reports every problem of a file in one pass; header names and values are checked with FILE:LINE:COL")
    func validateOnePass() throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        try work.write("Flows/targets.yaml", "targets:\n  t:\n    baseURL: http://127.0.0.1:9\n")
        try work.write(
            "Flows/a.yaml",
            """
            name: several problems
            colour: blue
            steps:
              - name: s
                as: ghost
                request:
                  url: /x
                  headers:
                    "Bad Header": x
                    X-Split: "a\\r\\nInjected: yes"
                    X-Nul: "a\\u0000b"
            """)
        let outcome = try RunnerBinary.run(["validate", "Flows", "-t", "t"], in: work.url)
        #expect(outcome.status == 2)
        let text = outcome.standardError
        #expect(text.contains("Flows/a.yaml:2:1: unknown key 'colour'"), "\(text)")
        #expect(text.contains("runs as undefined actor 'ghost'"), "\(text)")
        #expect(text.contains("Flows/a.yaml:9:") && text.contains("is not an HTTP token"), "\(text)")
        #expect(text.contains("Flows/a.yaml:10:") && text.contains("a carriage return (CR)"), "\(text)")
        #expect(text.contains("Flows/a.yaml:11:") && text.contains("NUL"), "\(text)")
    }

    @Test("every file the runner reads may start with a byte-order mark, and lines and columns stay right")
    func byteOrderMarks() throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let bom = "\u{FEFF}"
        try work.write("Flows/targets.yaml", bom + "targets:\n  t:\n    baseURL: http://127.0.0.1:9\n    vars: {v: 1}\n")
        try work.write("Flows/_includes/step.yaml", bom + "params: [p]\nsteps:\n  - {name: included, request: {url: \"/{{ p }}\"}}\n")
        try work.write("Flows/schema.json", bom + #"{"type": "object"}"#)
        try work.write(
            "Flows/a.yaml",
            bom
                + "name: bom\nsteps:\n  - include: _includes/step.yaml\n    with: {p: x}\n  - name: s\n    request: {url: /x}\n    expect: {schema: schema.json}\n"
        )
        let valid = try RunnerBinary.run(["validate", "Flows", "-t", "t"], in: work.url)
        #expect(valid.status == 0, "\(valid.standardError)")
        try work.write("Flows/b.yaml", bom + "name: bom errors\nsteps:\n  - name: s\n    colour: x\n    request: {url: /x}\n")
        let invalid = try RunnerBinary.run(["validate", "Flows", "-t", "t"], in: work.url)
        #expect(invalid.standardError.contains("Flows/b.yaml:4:5: unknown key 'colour'"), "\(invalid.standardError)")
        try work.write("thresholds.yaml", bom + "total: 10\n")
        let thresholds = try CoverageThresholdsParser.parse(TextFile.read(work.url.appendingPathComponent("thresholds.yaml").path), file: "thresholds.yaml")
        #expect(thresholds.total == 10)
    }

    @Test("--version, short flags and list --json")
    func commandLine() throws {
        let work = try TemporaryDirectory()
        defer { work.remove() }
        let version = try RunnerBinary.run(["--version"], in: work.url)
        #expect(version.status == 0)
        #expect(version.standardOutput.hasPrefix("illajwala-flows "))
        #expect(version.standardOutput.contains("(commit "))
        try work.write("Flows/a.yaml", "name: listed\ntags: [t1]\nsteps:\n  - {name: s, request: {url: /x}}\n")
        let list = try RunnerBinary.run(["list", "Flows", "--json"], in: work.url)
        #expect(list.status == 0)
        let document = try JSONValue(parsing: list.standardOutput)
        #expect(document == ["flows": [["file": "a.yaml", "name": "listed", "tags": ["t1"], "steps": 1]], "flowCount": 1, "stepCount": 1])
    }
}
