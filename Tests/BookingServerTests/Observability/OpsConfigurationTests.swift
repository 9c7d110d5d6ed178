import BookingServer
import Foundation
import IllajwalaTesting
import Testing

@Suite("ops/: alert rules and the dashboard name only metrics the service exposes; runbooks exist")
struct OpsConfigurationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Metric names (without `_bucket`/`_sum`/`_count`) in a fresh service's exposition.
    static func exposedNames() -> Set<String> {
        let text = ServiceMetrics().exposition()
        return Set(
            text.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("# TYPE ") else { return nil }
                return line.split(separator: " ")[2].description
            })
    }

    @Test("every metric in ops/prometheus/alerts.yml is exposed (up is Prometheus's own)")
    func alertMetrics() throws {
        let rules = try String(contentsOf: Self.root.appendingPathComponent("ops/prometheus/alerts.yml"), encoding: .utf8)
        var exposed = Self.exposedNames()
        // Series that exist only after the first request; their families are registered on demand.
        exposed.formUnion(["http_requests_total", "http_request_duration_seconds", "db_query_duration_seconds", "payment_gateway_request_duration_seconds"])
        let expressions = rules.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }.joined(separator: "\n")
        let used = Set(expressions.matches(of: /\b([a-z_]+(?:_total|_seconds|_bytes|_up|_fds)|database_up|up)(?:_bucket)?\{/).map { String($0.1) })
        #expect(used.count >= 8, "\(used)")
        for name in used where name != "up" {
            #expect(exposed.contains(name), "\(name) is used by an alert but not exposed")
        }
    }

    @Test("ops/grafana/illajwala.json is a well-formed dashboard whose every query names exposed metrics")
    func dashboard() throws {
        let data = try Data(contentsOf: Self.root.appendingPathComponent("ops/grafana/illajwala.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(dashboard["uid"] as? String == "illajwala-api")
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 10)
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(Set(ids).count == panels.count, "panel ids are unique")
        var exposed = Self.exposedNames()
        exposed.formUnion(["http_requests_total", "http_request_duration_seconds", "db_query_duration_seconds", "payment_gateway_request_duration_seconds"])
        let functions: Set<String> = [
            "sum", "rate", "by", "histogram_quantile", "le", "route", "status", "instance", "rule", "outcome", "reason", "kind", "state", "operation",
        ]
        var used: Set<String> = []
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]], "\(panel["title"] ?? "")")
            #expect(!targets.isEmpty)
            for target in targets {
                let expression = try #require(target["expr"] as? String)
                for match in expression.matches(of: /([a-z_]+)\{/) { used.insert(String(match.1)) }
                for match in expression.matches(of: /\b([a-z_]+_(?:total|seconds|bytes|fds|up|flight|bucket))\b/) { used.insert(String(match.1)) }
            }
        }
        let metrics = used.subtracting(functions).map { $0.replacing(/_bucket$/, with: "") }
        #expect(metrics.count >= 15, "\(metrics.sorted())")
        for name in metrics {
            #expect(exposed.contains(name), "\(name) is on the dashboard but not exposed")
        }
        // Every business and HTTP metric the service exposes is on the dashboard (nothing silently missing).
        for name in exposed where !name.hasPrefix("process_virtual") {
            #expect(metrics.contains(name), "\(name) is exposed but not on the dashboard")
        }
    }

    @Test("every runbook_url points to a section of docs/runbooks.md")
    func runbooks() throws {
        let rules = try String(contentsOf: Self.root.appendingPathComponent("ops/prometheus/alerts.yml"), encoding: .utf8)
        let runbooks = try String(contentsOf: Self.root.appendingPathComponent("docs/runbooks.md"), encoding: .utf8)
        let anchors = Set(
            runbooks.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { heading in
                heading.dropFirst(3).lowercased().replacing(/[^a-z0-9 -]/, with: "").replacing(" ", with: "-")
            })
        let links = rules.matches(of: /runbook_url: docs\/runbooks\.md#([a-z0-9-]+)/).map { String($0.1) }
        #expect(links.count == 9)
        for link in links { #expect(anchors.contains(link), "#\(link) is a heading of docs/runbooks.md") }
    }
}
