import Foundation

/// Evaluates JSONPath segments over JSON values (RFC 9535 §2.3–2.5 semantics).
struct JSONPathEvaluator {
    let root: JSONValue

    func evaluate(_ segments: [JSONPathSegment], from nodes: [JSONValue]) -> [JSONValue] {
        var current = nodes
        for segment in segments {
            var next: [JSONValue] = []
            for node in current {
                switch segment {
                case .child(let selectors):
                    for selector in selectors { select(selector, in: node, into: &next) }
                case .descendant(let selectors):
                    for descendant in descendantsAndSelf(of: node) {
                        for selector in selectors { select(selector, in: descendant, into: &next) }
                    }
                }
            }
            current = next
        }
        return current
    }

    private func children(of node: JSONValue) -> [JSONValue] {
        switch node {
        case .array(let elements): return elements
        case .object(let members): return members.keys.sorted().compactMap { members[$0] }
        default: return []
        }
    }

    private func descendantsAndSelf(of node: JSONValue) -> [JSONValue] {
        var result = [node]
        for child in children(of: node) { result += descendantsAndSelf(of: child) }
        return result
    }

    private func select(_ selector: JSONPathSelector, in node: JSONValue, into output: inout [JSONValue]) {
        switch selector {
        case .name(let name):
            if case .object(let members) = node, let value = members[name] { output.append(value) }
        case .wildcard:
            output += children(of: node)
        case .index(let index):
            guard case .array(let elements) = node else { return }
            let resolved = index < 0 ? elements.count + index : index
            if resolved >= 0, resolved < elements.count { output.append(elements[resolved]) }
        case .slice(let start, let end, let step):
            guard case .array(let elements) = node else { return }
            for position in Self.sliceIndexes(count: elements.count, start: start, end: end, step: step) {
                output.append(elements[position])
            }
        case .filter(let filter):
            for child in children(of: node) where test(filter, current: child) { output.append(child) }
        }
    }

    /// RFC 9535 §2.3.4.2.2 slice bounds.
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

    // MARK: Filters

    /// The result of evaluating a comparable: a single value, "nothing", or a node list (for `count`/`value`).
    private enum Operand {
        case value(JSONValue)
        case nothing
        case nodes([JSONValue])
        case logical(Bool)

        var singleValue: JSONValue? {
            switch self {
            case .value(let value): return value
            case .nodes(let nodes): return nodes.count == 1 ? nodes[0] : nil
            case .nothing, .logical: return nil
            }
        }
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
            case .value: return true
            case .nothing: return false
            }
        case .comparison(let left, let op, let right):
            return compare(
                operand(left, current: current).singleValue, op, operand(right, current: current).singleValue)
        }
    }

    private func nodes(of query: JSONPathEmbeddedQuery, current: JSONValue) -> [JSONValue] {
        evaluate(query.segments, from: [query.isRelative ? current : root])
    }

    private func operand(_ comparable: JSONPathComparable, current: JSONValue) -> Operand {
        switch comparable {
        case .literal(let value): return .value(value)
        case .query(let query): return .nodes(nodes(of: query, current: current))
        case .function(let call): return evaluate(call, current: current)
        }
    }

    private func evaluate(_ call: JSONPathFunctionCall, current: JSONValue) -> Operand {
        let arguments = call.arguments.map { operand($0, current: current) }
        switch call.name {
        case .length:
            switch arguments[0].singleValue {
            case .string(let text): return .value(.number(Double(text.unicodeScalars.count)))
            case .array(let elements): return .value(.number(Double(elements.count)))
            case .object(let members): return .value(.number(Double(members.count)))
            default: return .nothing
            }
        case .count:
            if case .nodes(let nodes) = arguments[0] { return .value(.number(Double(nodes.count))) }
            return .nothing
        case .value:
            if let value = arguments[0].singleValue { return .value(value) }
            return .nothing
        case .match, .search:
            guard case .string(let text)? = arguments[0].singleValue,
                case .string(let pattern)? = arguments[1].singleValue
            else { return .logical(false) }
            let anchored = call.name == .match ? "^(?:\(pattern))$" : pattern
            guard let regex = try? NSRegularExpression(pattern: anchored) else { return .logical(false) }
            let range = NSRange(text.startIndex..., in: text)
            return .logical(regex.firstMatch(in: text, range: range) != nil)
        }
    }

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

    private func less(_ left: JSONValue?, _ right: JSONValue?) -> Bool {
        switch (left, right) {
        case (.number(let a)?, .number(let b)?): return a < b
        case (.string(let a)?, .string(let b)?): return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
        default: return false
        }
    }
}
