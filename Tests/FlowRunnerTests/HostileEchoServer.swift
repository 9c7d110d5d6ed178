import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP server that plays what real servers send a flow runner, for the runner's hostile-input tests:
///
/// - `GET|POST … /echo/<anything>`: the request echoed back as JSON — method, raw path, raw query, headers and the
///   body text — as `{"method", "target", "headers": [[name, value]…], "body"}`; with `ascii=1` in the query every
///   non-ASCII character is written `\uXXXX` (as many JSON encoders do), otherwise as UTF-8.
/// - `GET /big?bytes=N&kind=json|text`: a body of about N bytes (a JSON array of appointment-like records, or text).
/// - `GET /deep?levels=N`: an array nested N levels deep.
/// - `GET /hostile`: a text body with terminal escape sequences, NUL, BEL, backspace and C1 controls.
/// - `GET /numbers`: `{"id":12345678901234567891,"small":9007199254740993,"price":1.10,"exp":1E2,"neg":-0}`.
/// - `GET /health/ready`: `200 {}`.
final class HostileEchoServer: @unchecked Sendable {
    let baseURL: URL
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel

    private init(baseURL: URL, group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.baseURL = baseURL
        self.group = group
        self.channel = channel
    }

    static func start() async throws -> HostileEchoServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap { channel.pipeline.addHandler(Responder()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        return HostileEchoServer(baseURL: URL(string: "http://127.0.0.1:\(port)")!, group: group, channel: channel)
    }

    func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// The body `/big` serves for `bytes` and `kind` (tests compare hashes and sizes with it).
    static func bigBody(bytes: Int, kind: String) -> Data {
        if kind == "text" { return Data(String(repeating: "lorem ipsum dolor sit amet ", count: bytes / 27 + 1).utf8.prefix(bytes)) }
        var text = "["
        var index = 0
        while text.utf8.count < bytes {
            if index > 0 { text += "," }
            text +=
                #"{"id":"apt-\#(index)","doctorId":"doc-\#(index % 97)","patient":"Patient \#(index)","status":"confirmed","fee":\#(500 + index % 700),"scheduledAt":"2026-12-07T04:30:00Z","notes":"Follow-up in two weeks; bring earlier reports"}"#
            index += 1
        }
        return Data((text + "]").utf8)
    }

    private final class Responder: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        private var head: HTTPRequestHead?
        private var body = Data()

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = Data()
            case .body(var buffer):
                body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
            case .end:
                guard let head else { return }
                let (status, contentType, payload) = answer(head)
                var headers = HTTPHeaders()
                headers.add(name: "Content-Type", value: contentType)
                headers.add(name: "Content-Length", value: "\(payload.count)")
                context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
                var buffer = context.channel.allocator.buffer(capacity: payload.count)
                buffer.writeBytes(payload)
                context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
                context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
            }
        }

        private func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, Data) {
            let (path, query) = head.uri.split(separator: "?", maxSplits: 1).map(String.init).splitPair()
            let parameters = Dictionary(
                (query ?? "").split(separator: "&").map { pair -> (String, String) in
                    let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                }, uniquingKeysWith: { first, _ in first })
            switch path {
            case "/health/ready", "/health/live":
                return (.ok, "application/json", Data("{}".utf8))
            case "/big":
                let bytes = Int(parameters["bytes"] ?? "") ?? 1_000_000
                let kind = parameters["kind"] ?? "json"
                return (.ok, kind == "text" ? "text/plain" : "application/json", HostileEchoServer.bigBody(bytes: bytes, kind: kind))
            case "/deep":
                let levels = Int(parameters["levels"] ?? "") ?? 100_000
                return (.ok, "application/json", Data((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8))
            case "/hostile":
                let text = "status \u{1B}[2J\u{1B}[H\u{1B}[31mRED\u{1B}[0m bell\u{07} nul\u{00} back\u{08}space csi\u{9B}31m done\r overwritten"
                return (.ok, "text/plain", Data(text.utf8))
            case "/numbers":
                return (.ok, "application/json", Data(#"{"id":12345678901234567891,"small":9007199254740993,"price":1.10,"exp":1E2,"neg":-0}"#.utf8))
            default:
                guard path.hasPrefix("/echo") else { return (.notFound, "application/json", Data(#"{"error":"not found"}"#.utf8)) }
                let ascii = parameters["ascii"] == "1"
                var json = "{\"method\":" + Self.quote(head.method.rawValue, ascii: ascii)
                json += ",\"target\":" + Self.quote(head.uri, ascii: ascii)
                json +=
                    ",\"headers\":["
                    + head.headers.map { "[" + Self.quote($0.name, ascii: ascii) + "," + Self.quote($0.value, ascii: ascii) + "]" }
                    .joined(separator: ",") + "]"
                json += ",\"body\":" + Self.quote(String(decoding: body, as: UTF8.self), ascii: ascii) + "}"
                return (.ok, "application/json", Data(json.utf8))
            }
        }

        /// A JSON string; with `ascii`, every non-ASCII scalar as `\uXXXX` (surrogate pairs beyond U+FFFF).
        static func quote(_ text: String, ascii: Bool) -> String {
            var output = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                default:
                    if scalar.value < 0x20 || (ascii && scalar.value > 0x7E) {
                        for unit in String(scalar).utf16 { output += String(format: "\\u%04x", unit) }
                    } else {
                        output.unicodeScalars.append(scalar)
                    }
                }
            }
            return output + "\""
        }
    }
}

extension Array where Element == String {
    /// The first element and the second, if any.
    fileprivate func splitPair() -> (String, String?) { (self.first ?? "", self.count > 1 ? self[1] : nil) }
}
