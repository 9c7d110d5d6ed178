import Foundation

/// A PostgreSQL cluster in a temporary folder, started for this process on a free loopback port and
/// stopped (and deleted) at process exit.
///
/// The recipe: `initdb --auth=trust --no-sync` as the `postgres` user when running
/// as root (initdb refuses root), `pg_ctl -w start` with `fsync=off`, socket folder inside the cluster folder,
/// `pg_ctl -m immediate stop` at exit. The cluster lives in memory (`/dev/shm`) when that has at least 1 GiB
/// free: `CREATE DATABASE … TEMPLATE` copies files, and on this project's CI disks that copy takes 150–400 ms
/// against 15–40 ms on tmpfs (measured with psql `\timing`, see docs/testing.md).
struct LocalPostgresCluster: Sendable {
    let directory: URL
    let port: Int
    let binaries: URL

    /// The folder holding `initdb` and `pg_ctl`, or `nil` when PostgreSQL's server binaries are not installed.
    static func locateBinaries() -> URL? {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            let bin = root.appendingPathComponent(version).appendingPathComponent("bin")
            if FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path) { return bin }
        }
        return nil
    }

    /// Creates and starts a cluster.
    /// - Throws: ``SharedPostgresServerError`` with the tool's output when a step fails.
    static func start(binaries: URL) throws -> LocalPostgresCluster {
        sweepOrphans(binaries: binaries)
        let directory = baseFolder().appendingPathComponent("illajwala-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try String(getpid()).write(to: directory.appendingPathComponent(ownerFile), atomically: true, encoding: .utf8)
        let asRoot = getuid() == 0
        if asRoot { try run("/bin/chown", ["postgres:postgres", directory.path]) }
        let data = directory.appendingPathComponent("data").path
        try command(binaries, "initdb", ["-D", data, "--auth=trust", "--no-sync", "-U", "postgres", "-E", "UTF8"], asRoot: asRoot)
        let cluster = LocalPostgresCluster(directory: directory, port: try freeLoopbackPort(), binaries: binaries)
        try cluster.startServer()
        return cluster
    }

    /// Starts the server of the cluster (again) on its port: `pg_ctl -w start`.
    /// - Throws: ``SharedPostgresServerError`` with the tool's output.
    func startServer() throws {
        let options =
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off -c listen_addresses=127.0.0.1 -p \(port) -k \(directory.path) -c max_connections=400"
        try Self.command(
            binaries, "pg_ctl",
            [
                "-D", directory.appendingPathComponent("data").path, "-o", options, "-l", directory.appendingPathComponent("server.log").path, "-w", "-t", "30",
                "start",
            ],
            asRoot: getuid() == 0)
    }

    /// Sends `signal` to the server and every process it started (its backends): SIGSTOP freezes the database
    /// — connections stay open and nothing answers, unlike a stop — and SIGCONT thaws it.
    func signalServer(_ signal: Int32) throws {
        let pidFile = directory.appendingPathComponent("data/postmaster.pid")
        guard let text = try? String(contentsOf: pidFile, encoding: .utf8),
            let postmaster = text.split(separator: "\n").first.flatMap({ pid_t($0.trimmingCharacters(in: .whitespaces)) })
        else { throw SharedPostgresServerError(message: "the server is not running (no postmaster.pid)") }
        var targets = [postmaster]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry),
                let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("PPid:") }),
                pid_t(line.dropFirst("PPid:".count).trimmingCharacters(in: .whitespaces)) == postmaster
            else { continue }
            targets.append(pid)
        }
        for pid in targets { kill(pid, signal) }
    }

    /// Stops the server, keeping the cluster's data: `pg_ctl -m fast -w stop` (open sessions are terminated, as in
    /// a database failover or restart).
    /// - Throws: ``SharedPostgresServerError`` with the tool's output.
    func stopServer() throws {
        try Self.command(binaries, "pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "fast", "-w", "stop"], asRoot: getuid() == 0)
    }

    /// `/dev/shm` when it is a writable folder with at least 1 GiB free (a container's default 64 MiB is too
    /// small for a cluster and its test databases), else the temporary folder.
    static func baseFolder() -> URL {
        var stats = statvfs()
        let memory = "/dev/shm"
        if access(memory, W_OK) == 0, statvfs(memory, &stats) == 0,
            UInt64(stats.f_bavail) * UInt64(stats.f_frsize) >= 1 << 30
        {
            return URL(fileURLWithPath: memory, isDirectory: true)
        }
        return FileManager.default.temporaryDirectory
    }

    /// Name of the file holding the process id of the test process that owns a cluster.
    static let ownerFile = "owner.pid"

    /// Stops and deletes clusters whose owning test process is gone (it crashed or was killed, so its exit
    /// clean-up never ran), in both places clusters are made. Clusters of live processes are left alone.
    static func sweepOrphans(binaries: URL) {
        let asRoot = getuid() == 0
        for base in Set([baseFolder(), FileManager.default.temporaryDirectory].map(\.path)) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
            for name in names where name.hasPrefix("illajwala-pg-") {
                let folder = URL(fileURLWithPath: base).appendingPathComponent(name)
                guard let text = try? String(contentsOf: folder.appendingPathComponent(ownerFile), encoding: .utf8),
                    let owner = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), !ProcessLiveness.isAlive(owner)
                else { continue }
                try? command(binaries, "pg_ctl", ["-D", folder.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"], asRoot: asRoot)
                try? FileManager.default.removeItem(at: folder)
            }
        }
    }

    /// Stops the server at once and deletes its folder.
    func stop() {
        let asRoot = getuid() == 0
        try? Self.command(binaries, "pg_ctl", ["-D", directory.appendingPathComponent("data").path, "-m", "immediate", "-w", "stop"], asRoot: asRoot)
        try? FileManager.default.removeItem(at: directory)
    }

    private static func command(_ binaries: URL, _ tool: String, _ arguments: [String], asRoot: Bool) throws {
        let path = binaries.appendingPathComponent(tool).path
        if asRoot {
            try run("/usr/sbin/runuser", ["-u", "postgres", "--", path] + arguments)
        } else {
            try run(path, arguments)
        }
    }

    /// Runs a tool with `posix_spawn` and waits for it with `waitpid`, output to a file.
    ///
    /// Foundation's `Process` is not used here: it watches the child through a descriptor that the server
    /// `pg_ctl start` leaves running inherits, so `waitUntilExit()` would never return.
    private static func run(_ executable: String, _ arguments: [String]) throws {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("illajwala-pg-tool-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process may leak into the child: `pg_ctl start` leaves the server running, and a
        // socket it inherited (a test's HTTP connection) would stay open in it after this process closes its copy.
        Self.closeInheritedDescriptors(&actions)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw SharedPostgresServerError(message: "cannot start \(executable): error \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw SharedPostgresServerError(
                message: "\(URL(fileURLWithPath: executable).lastPathComponent) \(arguments.first ?? "") failed (status \(status)): \(text)")
        }
    }

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+), looked up at run time because the Glibc module does
    /// not import it.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
        .map { unsafeBitCast($0, to: AddCloseFrom.self) }

    /// Makes the child close every descriptor above 2 (glibc 2.34+, which every supported image has; on an older
    /// C library the child inherits them, as before).
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        _ = addCloseFrom?(&actions, 3)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on right now.
    private static func freeLoopbackPort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw SharedPostgresServerError(message: "cannot create a socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw SharedPostgresServerError(message: "cannot bind a loopback port") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
