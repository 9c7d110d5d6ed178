import Foundation
import Synchronization

/// A TCP connection to a loopback HTTP server over which a test writes request bytes piece by piece and reads the
/// raw answer — a slow client, which URLSession cannot be. For what only a socket shows: a request still in
/// flight while the server shuts down, a body that stalls until the server's idle timeout closes the connection.
///
/// ```swift
/// let connection = try RawHTTPConnection(port: port)
/// try connection.write("POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 60\r\n\r\n{\"email\":")
/// // … later
/// try connection.write(rest)
/// let answer = try await connection.readResponse(timeout: .seconds(10))   // "HTTP/1.1 401 …"
/// ```
public final class RawHTTPConnection: Sendable {
    private let socket: Mutex<Int32?>

    /// Connects to `127.0.0.1:port`.
    /// - Throws: ``RawHTTPConnectionError`` when the connection is refused (nothing listens) or fails.
    public init(port: Int) throws {
        let descriptor = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPConnectionError(message: "cannot create a socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let code = errno
            Foundation.close(descriptor)
            throw RawHTTPConnectionError(message: code == ECONNREFUSED ? "connection refused" : "cannot connect: errno \(code)", refused: code == ECONNREFUSED)
        }
        socket = Mutex(descriptor)
    }

    deinit { close() }

    /// Sends `text` (UTF-8) at once.
    /// - Throws: ``RawHTTPConnectionError`` when the connection is closed or the write fails.
    public func write(_ text: String) throws {
        try socket.withLock { descriptor in
            guard let descriptor else { throw RawHTTPConnectionError(message: "the connection is closed") }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let sent = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { throw RawHTTPConnectionError(message: "write failed: errno \(errno)") }
                bytes = bytes.dropFirst(sent)
            }
        }
    }

    /// Reads until one whole response has arrived (its head and `Content-Length` bytes of body) or the server
    /// closes the connection, and returns the text read (empty when the server closed without answering).
    /// - Parameter timeout: how long to wait for it (whole seconds, at least 1).
    /// - Throws: ``RawHTTPConnectionError`` when nothing complete arrived in time.
    public func readResponse(timeout: Duration) async throws -> String {
        guard let descriptor = socket.withLock({ $0 }) else { throw RawHTTPConnectionError(message: "the connection is closed") }
        let seconds = max(1, Int(timeout.components.seconds))
        // A thread of its own: a blocked Dispatch worker is one fewer for Swift concurrency's pool (on Linux the
        // global executor runs on Dispatch), which an in-process server needs to accept the very connection read here.
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try Self.read(descriptor, seconds: seconds) })
            }.start()
        }
    }

    /// Blocking read with a receive timeout (on a thread of its own).
    private static func read(_ descriptor: Int32, seconds: Int) throws -> String {
        var limit = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return String(decoding: received, as: UTF8.self) }
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { continue }
                if errno == ECONNRESET { return String(decoding: received, as: UTF8.self) }
                throw RawHTTPConnectionError(message: "read failed: errno \(errno)")
            }
            received += buffer[..<count]
            if isComplete(received) { return String(decoding: received, as: UTF8.self) }
        }
        throw RawHTTPConnectionError(
            message: "no complete response within \(seconds) s (received \(received.count) bytes: \(String(decoding: received.prefix(200), as: UTF8.self)))")
    }

    /// Whether `bytes` hold a response head and all of its `Content-Length` body.
    private static func isComplete(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
        let head = text[..<headEnd.lowerBound].lowercased()
        let length =
            head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        return text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length
    }

    /// Closes the connection (again: nothing).
    public func close() {
        socket.withLock { descriptor in
            if let open = descriptor { Foundation.close(open) }
            descriptor = nil
        }
    }
}

/// A raw connection failed.
public struct RawHTTPConnectionError: Error, Sendable, CustomStringConvertible {
    public var message: String
    /// Whether nothing listened on the port.
    public var refused = false
    public var description: String { message }
}
