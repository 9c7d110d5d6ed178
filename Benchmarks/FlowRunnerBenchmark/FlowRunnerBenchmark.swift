import APITransport
import FlowCore
import FlowRuntime
import Foundation

/// Measures the flow runner's own work per step — building the request from templates, checking expectations,
/// capturing, recording and masking — with an in-memory HTTP client, so no network or server time is included.
/// `scripts/benchmark-flow-runner.sh` runs it next to the loopback measurements (runner vs curl vs wrk).
///
/// Usage: flow-runner-benchmark [STEPS] (default 200); prints µs per step (median of 7 runs) and exits 1 when
/// the runner's own work exceeds 1 ms per step.
@main
struct FlowRunnerBenchmark {
    /// Answers every request at once with a small JSON body like `GET /health/live`'s.
    struct InstantClient: FlowHTTPClient {
        let body = Data(#"{"success":true,"data":{"status":"pass","checks":{"uptime":{"status":"pass"}}}}"#.utf8)
        func perform(_ request: APIRequest, timeout: Duration) async throws(APITransportError) -> APIResponse {
            APIResponse(status: 200, headers: [("content-type", "application/json"), ("x-request-id", "r-1")], body: body, duration: .zero)
        }
    }

    static func main() async throws {
        let steps = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 200
        var yaml = "name: \(steps) steps\nvars: {path: /health/live}\nsteps:\n"
        for index in 1...steps {
            yaml += """
                  - name: get \(index)
                    request: {url: "{{ path }}", headers: {X-Step: "\(index)"}}
                    expect: {status: 200, json: {$.data.status: pass}, headers: {content-type: {contains: json}}}
                    capture: {requestId: {header: X-Request-Id}}

                """
        }
        var parser = FlowFileParser(source: FlowSource(path: "benchmark.yaml", suiteName: "benchmark.yaml"))
        let flow = try parser.parse(yaml)
        let runner = FlowRunner(baseURL: URL(string: "http://127.0.0.1:9")!, makeClient: { InstantClient() })
        var perStep: [Double] = []
        for _ in 0..<7 {
            let start = ContinuousClock.now
            let result = await runner.run(flow)
            let elapsed = start.duration(to: .now)
            guard result.status == .passed else {
                print("benchmark flow did not pass: \(result.failure?.summary ?? "")")
                exit(2)
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            perStep.append(seconds * 1e6 / Double(steps))
        }
        let median = perStep.sorted()[perStep.count / 2]
        print(String(format: "runner's own work (in-memory client, %d steps, median of 7): %.1f µs per step", steps, median))
        if median > 1000 {
            print("target missed: more than 1 ms per step")
            exit(1)
        }
    }
}
