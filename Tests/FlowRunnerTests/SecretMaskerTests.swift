import APITransport
import Foundation
import Testing
import TextFileIO

@testable import CoverageGate
@testable import FlowCommands
@testable import FlowCore
@testable import FlowRuntime

@Suite("SecretMasker and RecordedText")
struct SecretMaskerTests {
    static let secret = "p@ss word\"/é😀"

    @Test(
        "every spelling of a secret is masked",
        arguments: [
            "p@ss word\"/é😀",  // verbatim
            "p%40ss%20word%22%2F%C3%A9%F0%9F%98%80",  // percent-encoded, upper-case hex
            "p%40ss+word%22%2f%c3%a9%f0%9f%98%80",  // form spelling, lower-case hex
            "p@ss%20word\"/%C3%A9😀",  // partly encoded
            "p@ss word\\\"\\/\\u00e9\\ud83d\\ude00",  // JSON-escaped, \\u lower-case
            "p@ss word\\\"/\\u00E9\\uD83D\\uDE00",  // JSON-escaped, \\u upper-case
            "p@ss word\\\\\\\"/é😀",  // escaped twice (JSON text inside a JSON string)
            "p@ss word\\\\\\\"/\\\\u00e9\\\\ud83d\\\\ude00",  // escaped twice by an ASCII-only encoder
            "p@ss word\\\\\\\\\\\\\\\"/é😀",  // escaped three times (json() inside a body echoed as a string)
            "p@ss word\"/Ã©ð\u{9F}\u{98}\u{80}",  // UTF-8 read as Latin-1 (a server that decodes headers as ISO-8859-1)
            "p@ss word\\\"/\\u00c3\\u00a9\\u00f0\\u009f\\u0098\\u0080",  // … and JSON-escaped
        ])
    func spellings(_ form: String) {
        let masker = SecretMasker(secrets: [Self.secret])
        #expect(masker.mask("before \(form) after") == "before *** after")
    }

    @Test("Base64 at every alignment inside a longer encoded text, standard and URL-safe")
    func base64() {
        let masker = SecretMasker(secrets: [Self.secret])
        for prefix in ["", "a", "ab", "qa:"] {
            let encoded = Data((prefix + Self.secret + "tail").utf8).base64EncodedString()
            let masked = masker.mask("Basic \(encoded)")
            #expect(masked.contains("***"), "prefix \(prefix.debugDescription): \(masked)")
            let urlSafe = encoded.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            #expect(masker.mask(urlSafe).contains("***"))
        }
    }

    @Test("ordinary text is left alone, and a masker with no secrets changes nothing")
    func noFalseMasks() {
        let masker = SecretMasker(secrets: [Self.secret])
        let text = #"{"email":"a@b.c","note":"p@ss word is not it","path":"%2F"}"#
        #expect(masker.mask(text) == text)
        #expect(SecretMasker(secrets: []).mask(Self.secret) == Self.secret)
    }

    @Test("a bounded value keeps 2 KiB, names its size and SHA-256, and never cuts a secret in half")
    func bounded() {
        let filler = String(repeating: "x", count: RecordedText.limit - 10)
        let text = filler + Self.secret + String(repeating: "y", count: 5000)
        let masker = SecretMasker(secrets: [Self.secret])
        let recorded = RecordedText.bound(text, masker: masker)
        #expect(recorded.utf8.count <= RecordedText.limit)
        #expect(!recorded.contains("p@ss"))
        #expect(recorded.contains("(\(text.utf8.count) bytes in all, SHA-256 "))
        #expect(RecordedText.bound("short", masker: masker) == "short")
        let json: JSONValue = ["accessToken": "abc", "list": .array(Array(repeating: "z", count: 2000))]
        let shown = RecordedText.bound(json, maskingSensitiveMembers: true)
        #expect(shown.hasPrefix(#"{"accessToken":"***","list":["z""#))
    }
}
