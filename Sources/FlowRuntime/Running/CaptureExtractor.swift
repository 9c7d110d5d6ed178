import APITransport
import FlowCore
import Foundation

/// Extracts capture values from a response.
enum CaptureExtractor {
    struct Problem: Error {
        var message: String
    }

    static func extract(_ capture: Capture, from response: APIResponse, body: ResponseJSON) -> Result<JSONValue, Problem> {
        switch capture.source {
        case .json(let path):
            guard case .parsed(let body) = body else { return .failure(Problem(message: "cannot apply \(path.source): \(body.problem)")) }
            let nodes = path.select(in: body)
            switch nodes.count {
            case 0: return .failure(Problem(message: "\(path.source) selected nothing"))
            case 1: return .success(nodes[0])
            default: return .success(.array(nodes))
            }
        case .header(let name):
            guard let value = response.header(name) else { return .failure(Problem(message: "no '\(name)' header in the response")) }
            return .success(.string(value))
        case .cookie(let name):
            for field in response.headers where field.name.lowercased() == "set-cookie" {
                guard let pair = field.value.split(separator: ";", maxSplits: 1).first,
                    let equals = pair.firstIndex(of: "=")
                else { continue }
                if pair[..<equals].trimmingCharacters(in: .whitespaces) == name {
                    return .success(.string(pair[pair.index(after: equals)...].trimmingCharacters(in: .whitespaces)))
                }
            }
            return .failure(Problem(message: "the response sets no '\(name)' cookie"))
        case .regex(let pattern):
            guard let regex = try? NSRegularExpression(pattern: pattern) else {
                return .failure(Problem(message: "invalid regular expression '\(pattern)'"))
            }
            let text = response.text
            guard let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else {
                return .failure(Problem(message: "/\(pattern)/ did not match the response body"))
            }
            let group = match.numberOfRanges > 1 ? 1 : 0
            guard let range = Range(match.range(at: group), in: text) else {
                return .failure(Problem(message: "/\(pattern)/ group \(group) did not participate in the match"))
            }
            return .success(.string(String(text[range])))
        }
    }
}
