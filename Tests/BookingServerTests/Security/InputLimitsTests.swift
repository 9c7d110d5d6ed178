import APITransport
import BookingServer
import Foundation
import IllajwalaTesting
import Testing

/// Sends a request URLSession will not send as written (a chunked body, a lying Content-Length) over a raw loopback
/// connection and returns the answer's status code.
func rawStatus(port: Int, head: String, bodyChunks: [String] = []) async throws -> Int? {
    let connection = try RawHTTPConnection(port: port)
    defer { connection.close() }
    try connection.write(head)
    // The server may answer and close before the whole body is sent: a failed write is not an error here.
    for chunk in bodyChunks { try? connection.write(chunk) }
    let answer = try await connection.readResponse(timeout: .seconds(10))
    return Int(answer.dropFirst("HTTP/1.1 ".count).prefix(3))
}

@Suite("Input limits: body size (configurable, enforced while reading), key hygiene, NUL characters")
struct InputLimitsTests {
    @Test("MAX_BODY_BYTES: exactly the limit is read, one byte more is 413; a declared Content-Length over it is refused unread")
    func bodySizeBoundary() async throws {
        try await LiveServer.withServer(scenario: .standard, environment: ["MAX_BODY_BYTES": "2048"]) { server in
            let client = APIClient(baseURL: server.baseURL)
            func login(padding: Int) async throws -> APIResponse {
                // {"email":"…","password":"…","role":"patient","x":"<padding>"} — exactly `size` bytes.
                let prefix = #"{"email":"nobody@example.test","password":"Wrong-pass-1","role":"patient","x":""#
                let body = prefix + String(repeating: "a", count: padding) + #""}"#
                return try await client.send("POST", "/api/auth/login", rawBody: Data(body.utf8), contentType: "application/json")
            }
            let prefixLength = #"{"email":"nobody@example.test","password":"Wrong-pass-1","role":"patient","x":""#.utf8.count + 2
            let atLimit = try await login(padding: 2048 - prefixLength)
            #expect(atLimit.status == 400, "read and judged: the unknown field x")
            #expect(atLimit.apiError?.error.details?["x"] != nil)
            let over = try await login(padding: 2049 - prefixLength)
            #expect(over.status == 413)
            #expect(over.apiError?.error.code == "PAYLOAD_TOO_LARGE")

            let port = server.baseURL.port!
            let head = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"
            #expect(try await rawStatus(port: port, head: head) == 413, "100 MB declared, nothing sent")
            // A chunked body has no length up front: it is cut off while being read.
            let chunked = "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            let chunk = "400\r\n" + String(repeating: " ", count: 1024) + "\r\n"
            let chunkedStatus = try await rawStatus(port: port, head: chunked, bodyChunks: Array(repeating: chunk, count: 4))
            #expect(chunkedStatus == 413)
        }
    }

    @Test("the default limit is 1 MiB", arguments: [1 << 20, (1 << 20) + 1])
    func defaultLimit(_ size: Int) async throws {
        try await LiveServer.withServer { server in
            let body = Data(#"{"x":""#.utf8) + Data(repeating: 0x61, count: size - 8) + Data(#""}"#.utf8)
            #expect(body.count == size)
            let response = try await APIClient(baseURL: server.baseURL).send("POST", "/api/auth/login", rawBody: body, contentType: "application/json")
            #expect(response.status == (size > 1 << 20 ? 413 : 400))
        }
    }

    @Test("keys with $ or '.', prototype names, NUL characters and 10 001-character strings are 400 naming the field")
    func keysAndStrings() async throws {
        try await LiveServer.withServer(scenario: .standard) { server in
            let client = APIClient(baseURL: server.baseURL)
            let cases: [(String, String)] = [
                (#"{"email":{"$gt":""},"password":"x","role":"patient"}"#, "email.$gt"),
                (#"{"email":"a@b.test","password":"x","role":"patient","profile.admin":true}"#, "profile.admin"),
                (#"{"email":"a@b.test","password":"x","role":"patient","__proto__":{"admin":true}}"#, "__proto__"),
                (#"{"email":"a@b.test","password":"x","role":"patient","x":{"constructor":{"prototype":{}}}}"#, "x.constructor"),
                (#"{"email":"a\u0000@b.test","password":"x","role":"patient"}"#, "email"),
                (#"{"email":"a@b.test","password":""# + String(repeating: "p", count: 10_001) + #"","role":"patient"}"#, "password"),
                (#"{"email":"a@b.test","password":""# + String(repeating: "p", count: 129) + #"","role":"patient"}"#, "password"),
                (#"{"email":""# + String(repeating: "e", count: 248) + #"@b.test","password":"x","role":"patient"}"#, "email"),
            ]
            for (body, field) in cases {
                let response = try await client.send("POST", "/api/auth/login", rawBody: Data(body.utf8), contentType: "application/json")
                #expect(response.status == 400, "\(field)")
                #expect(response.apiError?.error.details?[field] != nil, "\(field): \(String(describing: response.apiError?.error.details))")
            }
            for contentType in ["application/jsonx", "application/json; charset=utf-16", "text/json", "application/json-patch+json"] {
                let response = try await client.send(
                    "POST", "/api/auth/login", rawBody: Data(#"{"email":"a@b.test","password":"x","role":"patient"}"#.utf8), contentType: contentType)
                #expect(response.status == 415, "\(contentType)")
            }
            let utf8 = try await client.send(
                "POST", "/api/auth/login", rawBody: Data(#"{"email":"a@b.test","password":"Wrong-pass-1","role":"patient"}"#.utf8),
                contentType: "Application/JSON; charset=\"UTF-8\"")
            #expect(utf8.status == 401, "a UTF-8 charset parameter is fine")
            let nestedDuplicate = try await client.send(
                "POST", "/api/auth/login",
                rawBody: Data(#"{"email":"a@b.test","password":"x","role":"patient","x":{"a":1,"b":[{"c":1,"c":2}]}}"#.utf8), contentType: "application/json")
            #expect(nestedDuplicate.apiError?.error.details?["x.b.c"] == "appears more than once")
            let nulKey = try await client.send(
                "POST", "/api/auth/login", rawBody: Data(#"{"email":"a@b.test","password":"x","role":"patient","x":{"a\u0000b":1}}"#.utf8),
                contentType: "application/json")
            #expect(nulKey.status == 400)
            // No uploads: a multipart form (or any non-JSON body) is refused by media type before it is read.
            let multipart = try await client.send(
                "POST", "/api/auth/register",
                rawBody: Data("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"\r\n\r\n%PDF\r\n--b--\r\n".utf8),
                contentType: "multipart/form-data; boundary=b")
            #expect(multipart.status == 415)
            #expect(multipart.apiError?.error.code == "UNSUPPORTED_MEDIA_TYPE")
            let nulQuery = try await client.authenticated(
                email: FixtureCredentials.patientEmail, password: FixtureCredentials.patientPassword, role: "patient"
            ).send("GET", "/api/doctors?search=a%00b")
            #expect(nulQuery.status == 400)
            #expect(nulQuery.apiError?.error.details?["search"] != nil)
        }
    }
}
