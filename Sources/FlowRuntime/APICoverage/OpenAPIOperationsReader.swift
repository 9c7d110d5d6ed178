import FlowCore
import Foundation
import TextFileIO
import Yams

/// Reads the operations of an OpenAPI 3.x document (YAML or JSON): every method of every path item under `paths`,
/// with its `operationId` and the keys of its `responses`.
///
/// Only what API coverage needs is read; the rest of the document is not validated (use `openapi-spec-validator`).
/// Path items given as `$ref` are not supported (the reader reports them), `webhooks` are not operations.
public enum OpenAPIOperationsReader {
    /// The methods a path item may hold, as OpenAPI names them.
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Reads the document at `path`.
    /// - Returns: the operations in document order (paths in order, methods in the order of ``methods``).
    /// - Throws: ``OpenAPIDocumentError`` when the file cannot be read or the document is malformed.
    public static func read(fileAt path: String) throws(OpenAPIDocumentError) -> [APIOperation] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw OpenAPIDocumentError(file: path, message: "cannot read the file: \(error.localizedDescription)")
        }
        let text: String
        do {
            text = try TextFile.decode(data, path: path)
        } catch {
            throw OpenAPIDocumentError(file: path, message: "not UTF-8 text")
        }
        return try parse(text, file: path)
    }

    /// Reads the operations of an OpenAPI document given as text.
    /// - Parameter file: the path used in errors.
    /// - Throws: ``OpenAPIDocumentError`` for YAML syntax errors, a document that is not a mapping, a missing or
    ///   malformed `paths`, a path not starting with `/`, an operation or `responses` that is not a mapping.
    public static func parse(_ text: String, file: String) throws(OpenAPIDocumentError) -> [APIOperation] {
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw OpenAPIDocumentError(file: file, message: "the document is empty")
            }
            root = node
        } catch let error as OpenAPIDocumentError {
            throw error
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        } catch {
            throw OpenAPIDocumentError(file: file, message: "YAML error: \(error)")
        }
        guard let document = root.mapping else {
            throw OpenAPIDocumentError(file: file, line: line(of: root), message: "an OpenAPI document must be a mapping")
        }
        guard document["openapi"] != nil || document["swagger"] != nil else {
            throw OpenAPIDocumentError(file: file, line: line(of: root), message: "not an OpenAPI document (no 'openapi' version)")
        }
        guard let pathsNode = document["paths"] else {
            throw OpenAPIDocumentError(file: file, line: line(of: root), message: "the document has no 'paths'")
        }
        guard let paths = pathsNode.mapping else {
            throw OpenAPIDocumentError(file: file, line: line(of: pathsNode), message: "'paths' must be a mapping of path templates to path items")
        }
        var operations: [APIOperation] = []
        for (key, item) in paths {
            guard let template = key.scalar?.string, template.hasPrefix("/") else {
                throw OpenAPIDocumentError(file: file, line: line(of: key), message: "a path under 'paths' must start with '/'")
            }
            guard let pathItem = item.mapping else {
                throw OpenAPIDocumentError(file: file, line: line(of: item), message: "path '\(template)' must be a mapping of methods to operations")
            }
            if pathItem["$ref"] != nil {
                throw OpenAPIDocumentError(file: file, line: line(of: item), message: "path '\(template)' is a $ref; referenced path items are not supported")
            }
            for method in methods {
                guard let operationNode = pathItem[method] else { continue }
                guard let operation = operationNode.mapping else {
                    throw OpenAPIDocumentError(
                        file: file, line: line(of: operationNode), message: "operation \(method.uppercased()) \(template) must be a mapping")
                }
                var codes: [String] = []
                if let responsesNode = operation["responses"] {
                    guard let responses = responsesNode.mapping else {
                        throw OpenAPIDocumentError(
                            file: file, line: line(of: responsesNode),
                            message: "'responses' of \(method.uppercased()) \(template) must be a mapping of status codes")
                    }
                    codes = responses.keys.compactMap { $0.scalar?.string }
                }
                operations.append(
                    APIOperation(method: method, pathTemplate: template, operationId: operation["operationId"]?.scalar?.string, declaredStatusCodes: codes))
            }
        }
        return operations
    }

    private static func line(of node: Node) -> Int? { node.mark?.line }

    private static func syntaxError(_ error: YamlError, file: String) -> OpenAPIDocumentError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return OpenAPIDocumentError(file: file, line: mark.line, message: "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return OpenAPIDocumentError(
                file: file, line: context.mark.line, message: "duplicate key(s) \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return OpenAPIDocumentError(file: file, message: "YAML error: \(error)")
        }
    }
}
