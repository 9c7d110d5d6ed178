import APITransport
import BuildInfo
import FlowCore
import Foundation

/// Turns a templated ``RequestSpec`` into a concrete ``APIRequest``.
enum RequestBuilder {
    enum BuildError: Error {
        case template(TemplateError, field: String)
        case invalidURL(String)
        /// A rendered header value holds CR, LF or NUL: the request is not sent.
        case invalidHeader(name: String, problem: String)
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
                pairs.append(PercentEncoding.component(item.name) + "=" + PercentEncoding.component(value))
            }
            urlText += (urlText.contains("?") ? "&" : "?") + pairs.joined(separator: "&")
        }
        guard let url = URL(string: urlText), url.scheme != nil else { throw .invalidURL(urlText) }
        var headers: [(name: String, value: String)] = []
        for header in spec.headers {
            let value = try render(header.value, "header '\(header.name)'")
            if let problem = HeaderSyntax.valueProblem(value) { throw .invalidHeader(name: header.name, problem: problem) }
            headers.append((header.name, value))
        }
        if let bearer = spec.bearer {
            let token = try render(bearer, "auth bearer")
            if let problem = HeaderSyntax.valueProblem(token) { throw .invalidHeader(name: "Authorization", problem: problem) }
            headers.append(("Authorization", "Bearer " + token))
        }
        if let basic = spec.basic {
            let username = try render(basic.username, "basic auth username")
            let password = try render(basic.password, "basic auth password")
            if username.contains(":") {
                throw .invalidHeader(name: "Authorization", problem: "basic auth username contains ':', which RFC 7617 §2 forbids")
            }
            headers.append(("Authorization", "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()))
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
            if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
                headers.append(("Content-Type", "text/plain; charset=utf-8"))
            }
        case .form(let fields)?:
            var pairs: [String] = []
            for field in fields {
                pairs.append(
                    PercentEncoding.formComponent(field.name) + "=" + PercentEncoding.formComponent(try render(field.value, "form field '\(field.name)'")))
            }
            body = Data(pairs.joined(separator: "&").utf8)
            if !headers.contains(where: { $0.name.caseInsensitiveCompare("content-type") == .orderedSame }) {
                headers.append(("Content-Type", "application/x-www-form-urlencoded"))
            }
        case nil:
            body = nil
        }
        if !headers.contains(where: { $0.name.caseInsensitiveCompare("user-agent") == .orderedSame }) {
            headers.append(("User-Agent", userAgent))
        }
        return APIRequest(method: spec.method.rawValue, url: url, headers: headers, body: body)
    }

    /// `User-Agent` of every request a flow does not give one: `illajwala-flows/<version>`.
    static let userAgent = "illajwala-flows/\(BuildInfo.version)"

    /// The credentials a request carries in its headers, to be masked wherever they appear: an `Authorization`
    /// value's credentials (after the scheme; for Basic also the decoded `user:password` and the password) and each
    /// `Cookie` value. Values shorter than 8 characters are left to the header masking alone, so that a short
    /// test value cannot blank out ordinary words in the reports.
    static func credentials(in headers: [(name: String, value: String)]) -> [String] {
        var found: [String] = []
        for header in headers {
            switch header.name.lowercased() {
            case "authorization", "proxy-authorization":
                let parts = header.value.split(separator: " ", maxSplits: 1).map(String.init)
                let credential = parts.count == 2 ? parts[1] : header.value
                found.append(credential)
                if parts.count == 2, parts[0].lowercased() == "basic", let data = Data(base64Encoded: credential),
                    let decoded = String(data: data, encoding: .utf8)
                {
                    found.append(decoded)
                    if let colon = decoded.firstIndex(of: ":") { found.append(String(decoded[decoded.index(after: colon)...])) }
                }
            case "cookie":
                for pair in header.value.split(separator: ";") {
                    if let equals = pair.firstIndex(of: "=") { found.append(String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces)) }
                }
            case "set-cookie":
                if let pair = header.value.split(separator: ";", maxSplits: 1).first, let equals = pair.firstIndex(of: "=") {
                    found.append(String(pair[pair.index(after: equals)...]).trimmingCharacters(in: .whitespaces))
                }
            case "x-api-key":
                found.append(header.value)
            default:
                break
            }
        }
        return found.filter { $0.count >= 8 }
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
