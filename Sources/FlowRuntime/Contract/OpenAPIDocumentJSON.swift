import FlowCore
import Foundation
import TextFileIO
import Yams

/// An OpenAPI document as one JSON value, with `$ref`s to other files inlined, so that every reference left is a
/// local JSON Pointer (`#/components/schemas/Doctor`) the schema validator resolves.
///
/// A `$ref` such as `schemas/doctor.yaml#/Doctor` or `common.yaml` is read relative to the file that holds it and
/// replaced by the referenced value (itself resolved the same way; a local `#/…` reference inside another file is
/// resolved against that file). Nesting is bounded: a cycle across files is an error, not a hang.
enum OpenAPIDocumentJSON {
    /// External files followed inside one another at most.
    static let maximumDepth = 32

    /// The document at `path`, its external references inlined.
    /// - Throws: ``OpenAPIDocumentError`` naming the file (and line for YAML syntax) when a file cannot be read or a
    ///   reference points nowhere.
    static func load(_ path: String) throws(OpenAPIDocumentError) -> JSONValue {
        var files: [String: JSONValue] = [:]
        let root = try read(path, cache: &files)
        return try inline(root, file: path, rootFile: path, depth: 0, files: &files)
    }

    private static func read(_ path: String, cache: inout [String: JSONValue]) throws(OpenAPIDocumentError) -> JSONValue {
        if let cached = cache[path] { return cached }
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw OpenAPIDocumentError(file: path, message: "cannot read the file: \(error)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw OpenAPIDocumentError(file: path, message: "YAML error: \(error)")
        }
        let value = node.map(json) ?? .null
        cache[path] = value
        return value
    }

    /// The YAML node as JSON: numbers exactly as written, YAML's null and booleans as JSON's.
    static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            switch YAMLDocumentReader.tagName(node) {
            case .null: return .null
            case .bool: return .bool(node.bool ?? false)
            case .int, .float: return YAMLDocumentReader.exactNumber(node, scalar.string).map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence): return .array(sequence.map(json))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key.scalar?.string ?? ""] = json(value) }
            return .object(members)
        case .alias: return .null
        }
    }

    private static func inline(
        _ value: JSONValue, file: String, rootFile: String, depth: Int, files: inout [String: JSONValue]
    ) throws(OpenAPIDocumentError) -> JSONValue {
        switch value {
        case .object(let members):
            if case .string(let reference)? = members["$ref"], !(reference.hasPrefix("#") && file == rootFile) {
                guard depth < maximumDepth else {
                    throw OpenAPIDocumentError(file: file, message: "'$ref' '\(reference)' nests more than \(maximumDepth) files (a cycle?)")
                }
                let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let target =
                    parts[0].isEmpty
                    ? file : URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent(String(parts[0])).standardizedFileURL.path
                let document = try read(target, cache: &files)
                let pointer = parts.count > 1 ? "#" + parts[1] : "#"
                guard let referenced = JSONPointer.resolve(pointer, in: document) else {
                    throw OpenAPIDocumentError(file: file, message: "'$ref' '\(reference)' points to nothing in \(target)")
                }
                return try inline(referenced, file: target, rootFile: rootFile, depth: depth + 1, files: &files)
            }
            var result: [String: JSONValue] = [:]
            for (key, member) in members { result[key] = try inline(member, file: file, rootFile: rootFile, depth: depth, files: &files) }
            return .object(result)
        case .array(let elements):
            var result: [JSONValue] = []
            for element in elements { result.append(try inline(element, file: file, rootFile: rootFile, depth: depth, files: &files)) }
            return .array(result)
        default:
            return value
        }
    }

}
