import Foundation

/// Evaluates JSONPath segments over a JSON document (RFC 9535 §2.3–2.6).
///
/// Input nodes are processed in order and each selector's results are appended in order, so results are in
/// document order: array elements in array order, object members in sorted key order (RFC 9535 leaves their
/// order open), and a descendant segment visits a node before its descendants (§2.5.2.2).
struct JSONPathEvaluator {
    /// The document, for `$` inside filters.
    let root: JSONValue
    /// Whether nodes carry their Normalized Paths; off for `select(in:)` and for queries inside filters.
    let tracksPaths: Bool
    private let regexes: IRegexp.Cache

    init(root: JSONValue, tracksPaths: Bool) {
        self.init(root: root, tracksPaths: tracksPaths, regexes: IRegexp.Cache())
    }

    private init(root: JSONValue, tracksPaths: Bool, regexes: IRegexp.Cache) {
        self.root = root
        self.tracksPaths = tracksPaths
        self.regexes = regexes
    }

    /// The nodes `segments` select starting at `value` (the start node's path is `$`).
    func evaluate(_ segments: [JSONPathSegment], from value: JSONValue) -> [JSONPathNode] {
        var current = [JSONPathNode(value: value, path: JSONPathNormalizedPath())]
        for segment in segments {
            var next: [JSONPathNode] = []
            for node in current {
                switch segment {
                case .child(let selectors):
                    for selector in selectors { select(selector, in: node, into: &next) }
                case .descendant(let selectors):
                    selectDescendants(selectors, of: node, into: &next)
                }
            }
            current = next
        }
        return current
    }

    /// RFC 9535 §2.5.2.2: the selectors applied to the node, then to each of its descendants, depth first.
    private func selectDescendants(
        _ selectors: [JSONPathSelector], of node: JSONPathNode, into output: inout [JSONPathNode]
    ) {
        for selector in selectors { select(selector, in: node, into: &output) }
        for child in children(of: node) { selectDescendants(selectors, of: child, into: &output) }
    }

    private func child(
        _ value: JSONValue, of parent: JSONPathNode, at element: JSONPathNormalizedPath.Element
    )
        -> JSONPathNode
    {
        JSONPathNode(value: value, path: tracksPaths ? parent.path.appending(element) : parent.path)
    }

    private func children(of node: JSONPathNode) -> [JSONPathNode] {
        switch node.value {
        case .array(let elements):
            return elements.enumerated().map { child($0.element, of: node, at: .index($0.offset)) }
        case .object(let members):
            return members.keys.sorted().map { child(members[$0]!, of: node, at: .name($0)) }
        default:
            return []
        }
    }

    private func select(_ selector: JSONPathSelector, in node: JSONPathNode, into output: inout [JSONPathNode]) {
        switch selector {
        case .name(let name):
            if case .object(let members) = node.value, let value = members[name] {
                output.append(child(value, of: node, at: .name(name)))
            }
        case .wildcard:
            output += children(of: node)
        case .index(let index):
            guard case .array(let elements) = node.value else { return }
            let resolved = index < 0 ? elements.count + index : index
            if resolved >= 0, resolved < elements.count {
                output.append(child(elements[resolved], of: node, at: .index(resolved)))
            }
        case .slice(let start, let end, let step):
            guard case .array(let elements) = node.value else { return }
            for position in Self.sliceIndexes(count: elements.count, start: start, end: end, step: step) {
                output.append(child(elements[position], of: node, at: .index(position)))
            }
        case .filter(let filter):
            for child in children(of: node) where test(filter, current: child.value) { output.append(child) }
        }
    }

    /// RFC 9535 §2.3.4.2.2: the indexes a slice selects in an array of `count` elements, in selection order.
    static func sliceIndexes(count: Int, start: Int?, end: Int?, step: Int?) -> [Int] {
        let step = step ?? 1
        guard step != 0 else { return [] }
        func normalize(_ value: Int) -> Int { value >= 0 ? value : count + value }
        var result: [Int] = []
        if step > 0 {
            let lower = min(max(normalize(start ?? 0), 0), count)
            let upper = min(max(normalize(end ?? count), 0), count)
            var position = lower
            while position < upper {
                result.append(position)
                position += step
            }
        } else {
            let upper = min(max(start.map(normalize) ?? count - 1, -1), count - 1)
            let lower = min(max(end.map(normalize) ?? -count - 1, -1), count - 1)
            var position = upper
            while lower < position {
                result.append(position)
                position += step
            }
        }
        return result
    }

    // MARK: Filters (RFC 9535 §2.3.5.2)

    /// A function's result (RFC 9535 §2.4.1); `.value(nil)` is "Nothing".
    private enum FunctionResult {
        case value(JSONValue?)
        case logical(Bool)
        case nodes([JSONValue])
    }

    private func test(_ filter: JSONPathFilter, current: JSONValue) -> Bool {
        switch filter {
        case .or(let operands): return operands.contains { test($0, current: current) }
        case .and(let operands): return operands.allSatisfy { test($0, current: current) }
        case .not(let inner): return !test(inner, current: current)
        case .exists(let query): return !nodes(of: query, current: current).isEmpty
        case .function(let call):
            switch evaluate(call, current: current) {
            case .logical(let value): return value
            case .nodes(let nodes): return !nodes.isEmpty
            case .value: return false
            }
        case .comparison(let left, let op, let right):
            return compare(value(of: left, current: current), op, value(of: right, current: current))
        }
    }

    private func nodes(of query: JSONPathEmbeddedQuery, current: JSONValue) -> [JSONValue] {
        JSONPathEvaluator(root: root, tracksPaths: false, regexes: regexes)
            .evaluate(query.segments, from: query.isRelative ? current : root).map(\.value)
    }

    /// The value of a singular query: its one node's value, or "Nothing" (`nil`).
    private func singleValue(of query: JSONPathEmbeddedQuery, current: JSONValue) -> JSONValue? {
        let nodes = nodes(of: query, current: current)
        return nodes.count == 1 ? nodes[0] : nil
    }

    private func value(of comparable: JSONPathComparable, current: JSONValue) -> JSONValue? {
        switch comparable {
        case .literal(let value): return value
        case .query(let query): return singleValue(of: query, current: current)
        case .function(let call):
            if case .value(let value) = evaluate(call, current: current) { return value }
            return nil
        }
    }

    /// An argument for a `ValueType` parameter.
    private func valueArgument(_ argument: JSONPathFunctionArgument, current: JSONValue) -> JSONValue? {
        switch argument {
        case .literal(let value): return value
        case .query(let query): return singleValue(of: query, current: current)
        case .function(let call):
            if case .value(let value) = evaluate(call, current: current) { return value }
            return nil
        case .logical: return nil
        }
    }

    /// An argument for a `NodesType` parameter.
    private func nodesArgument(_ argument: JSONPathFunctionArgument, current: JSONValue) -> [JSONValue] {
        switch argument {
        case .query(let query): return nodes(of: query, current: current)
        case .function(let call):
            if case .nodes(let nodes) = evaluate(call, current: current) { return nodes }
            return []
        case .literal, .logical: return []
        }
    }

    /// RFC 9535 §2.4.4–2.4.8.
    private func evaluate(_ call: JSONPathFunctionCall, current: JSONValue) -> FunctionResult {
        switch call.name {
        case .length:
            switch valueArgument(call.arguments[0], current: current) {
            case .string(let text)?: return .value(.number(text.unicodeScalars.count))
            case .array(let elements)?: return .value(.number(elements.count))
            case .object(let members)?: return .value(.number(members.count))
            default: return .value(nil)
            }
        case .count:
            return .value(.number(nodesArgument(call.arguments[0], current: current).count))
        case .value:
            let nodes = nodesArgument(call.arguments[0], current: current)
            return .value(nodes.count == 1 ? nodes[0] : nil)
        case .match, .search:
            guard case .string(let text)? = valueArgument(call.arguments[0], current: current),
                case .string(let pattern)? = valueArgument(call.arguments[1], current: current),
                let regex = regexes.regex(for: pattern, wholeString: call.name == .match)
            else { return .logical(false) }
            return .logical(regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil)
        }
    }

    /// RFC 9535 §2.3.5.2.2; `nil` is "Nothing", equal only to itself.
    private func compare(_ left: JSONValue?, _ op: JSONPathComparisonOperator, _ right: JSONValue?) -> Bool {
        switch op {
        case .equal: return left == right
        case .notEqual: return left != right
        case .less: return less(left, right)
        case .lessOrEqual: return less(left, right) || left == right
        case .greater: return less(right, left)
        case .greaterOrEqual: return less(right, left) || left == right
        }
    }

    /// Numbers by value, strings by Unicode scalar values; any other pair is not ordered.
    private func less(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        switch (left, right) {
        case (.number(let a)?, .number(let b)?): return a < b
        case (.string(let a)?, .string(let b)?): return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        default: return false
        }
    }
}
