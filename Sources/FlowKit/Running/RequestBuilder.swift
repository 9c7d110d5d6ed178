import Foundation
import IllajwalaTesting

/// Turns a templated ``RequestSpec`` into a concrete ``APIRequest``.
enum RequestBuilder {
    enum BuildError: Error {
        case template(TemplateError, field: String)
        case invalidURL(String)
    }

    static func build(_ spec: RequestSpec, baseURL: URL, scope: TemplateScope) throws(BuildError) -> APIRequest {
        func render(_ template: Template, _ field: String) throws(BuildError) -> String {
            do { return try template.render(in: scope) } catch { throw .template(error, field: field) }
        }
        var urlText = try render(spec.url, "url")
        if !(urlText.hasPrefix("http://") || urlText.hasPrefix("https://")) {
            var base = baseURL.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            urlText = base + (urlText.hasPrefix("/") ? urlText : "/" + urlText)
        }
        if !spec.query.isEmpty {
            var pairs: [String] = []
            for item in spec.query {
                let value = try render(item.value, "query '\(item.name)'")
                pairs.append(encode(item.name) + "=" + encode(value))
            }
            urlText += (urlText.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
        }
        guard let url = URL(string: urlText), url.scheme != nil else { throw .invalidURL(urlText) }
        var headers: [(name: String, value: String)] = []
        for header in spec.headers {
            headers.append((header.name, try render(header.value, "header '\(header.name)'")))
        }
        if let bearer = spec.bearer {
            let token = try render(bearer, "auth bearer")
            headers.append(("Authorization", "Bearer " + token))
        }
        var body: Data?
        switch spec.body {
        case .json(let value)?:
            do { body = try value.evaluate(in: scope).compactJSONData } catch { throw .template(error, field: "json body") }
            if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
                headers.append(("Content-Type", "application/json"))
            }
        case .raw(let template)?:
            body = Data(try render(template, "body").utf8)
        case nil:
            body = nil
        }
        return APIRequest(method: spec.method.rawValue, url: url, headers: headers, body: body)
    }

    /// Percent-encodes a query component: only unreserved characters (RFC 3986 §2.3) stay literal.
    static func encode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Header names whose values are replaced by `***` in reports.
    static let secretHeaders: Set<String> = ["authorization", "cookie", "set-cookie", "x-api-key", "proxy-authorization"]

    static func masked(_ headers: [(name: String, value: String)]) -> [HeaderField] {
        headers.map { header in
            guard secretHeaders.contains(header.name.lowercased()) else { return HeaderField(name: header.name, value: header.value) }
            let scheme = header.value.split(separator: " ", maxSplits: 1).first.map(String.init)
            let masked = header.name.lowercased() == "authorization" && scheme != nil && header.value.contains(" ") ? "\(scheme ?? "") ***" : "***"
            return HeaderField(name: header.name, value: masked)
        }
    }
}
