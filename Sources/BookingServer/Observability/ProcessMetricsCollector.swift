import Foundation
import Prometheus
import Synchronization

/// The standard process metrics of Prometheus client libraries, read from `/proc/self` (Linux): no package on the
/// machine's list exports them for Swift.
///
/// | metric | source |
/// |---|---|
/// | `process_cpu_seconds_total` | `/proc/self/stat` fields 14–15 (utime + stime, clock ticks) |
/// | `process_resident_memory_bytes` | `/proc/self/stat` field 24 (pages) × page size |
/// | `process_virtual_memory_bytes` | `/proc/self/stat` field 23 |
/// | `process_start_time_seconds` | `/proc/self/stat` field 22 (ticks after boot) + `btime` of `/proc/stat` |
/// | `process_open_fds`, `process_max_fds` | entries of `/proc/self/fd`; soft `RLIMIT_NOFILE` |
///
/// On a system without `/proc` the gauges stay at 0 and nothing fails.
final class ProcessMetricsCollector: Sendable {
    private let cpu: Counter
    private let resident: Gauge
    private let virtual: Gauge
    private let start: Gauge
    private let openFDs: Gauge
    private let maxFDs: Gauge
    /// CPU seconds already added to the counter (a counter only goes up: each update adds the difference).
    private let reportedCPU = Mutex(0.0)

    init(registry: PrometheusCollectorRegistry) {
        func gauge(_ name: String, _ unit: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(metricName: name, unitName: unit, helpText: help))
        }
        cpu = registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: "process_cpu", unitName: "seconds_total", helpText: "Total user and system CPU time spent in seconds.")
        )
        resident = gauge("process_resident_memory", "bytes", "Resident memory size in bytes.")
        virtual = gauge("process_virtual_memory", "bytes", "Virtual memory size in bytes.")
        start = gauge("process_start_time", "seconds", "Start time of the process since unix epoch in seconds.")
        openFDs = gauge("process_open_fds", "", "Number of open file descriptors.")
        maxFDs = gauge("process_max_fds", "", "Maximum number of open file descriptors.")
    }

    /// Reads `/proc` and sets every metric.
    func update() {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let closing = stat.lastIndex(of: ")")
        else { return }
        // Fields after the command name (which may contain spaces) start at field 3.
        let fields = stat[stat.index(after: closing)...].split(separator: " ")
        func field(_ number: Int) -> Double { Double(fields[number - 3]) ?? 0 }
        guard fields.count >= 22 else { return }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let cpuSeconds = (field(14) + field(15)) / ticks
        reportedCPU.withLock { reported in
            if cpuSeconds > reported {
                cpu.increment(by: cpuSeconds - reported)
                reported = cpuSeconds
            }
        }
        virtual.set(to: field(23))
        resident.set(to: field(24) * pageSize)
        if let procStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = procStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let bootTime = Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        {
            start.set(to: bootTime + field(22) / ticks)
        }
        if let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.set(to: Double(entries.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(to: Double(limit.rlim_cur)) }
    }
}
