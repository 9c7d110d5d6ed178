import APITransport
import FlowCore
import Foundation

/// A `curl` command line that repeats a request, for failure messages: a person pastes it into a shell to see
/// the response for themselves. Secrets are masked (`Authorization`/`Cookie` values, sensitive JSON members —
/// see ``SensitiveFields``), so the line must be completed by hand where it shows `***`.
public enum CurlCommand {
    /// The command for `request`: `curl -sS -i -X METHOD 'URL' -H 'Name: value' … --data-raw 'BODY'`, every
    /// argument single-quoted for POSIX shells.
    /// The URL and body are bounded (``RecordedText``) and every secret `masker` knows is hidden.
    public static func render(_ request: APIRequest, masker: SecretMasker = SecretMasker(secrets: [])) -> String {
        var parts = ["curl", "-sS", "-i"]
        if request.method == "HEAD" {
            parts = ["curl", "-sS", "-I"]
        } else if request.method != "GET" || request.body != nil {
            parts += ["-X", request.method]
        }
        parts.append(quote(RecordedText.bound(request.url.absoluteString, masker: masker)))
        for header in RequestBuilder.masked(request.headers) {
            parts += ["-H", quote(RecordedText.bound("\(header.name): \(header.value)", masker: masker))]
        }
        if let body = request.body {
            parts += ["--data-raw", quote(RecordedText.body(body, masker: masker))]
        }
        return parts.joined(separator: " ")
    }

    /// POSIX single quoting: `'it'\''s'`.
    static func quote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
