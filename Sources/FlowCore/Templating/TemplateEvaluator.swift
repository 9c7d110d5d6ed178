import Crypto
import Foundation

/// Evaluates ``TemplateExpression``s against a scope, the generators and the built-in functions.
struct TemplateEvaluator {
    let scope: TemplateScope

    func evaluate(_ expression: TemplateExpression) throws(TemplateError) -> JSONValue {
        switch expression {
        case .string(let value): return .string(value)
        case .number(let value): return .number(value)
        case .path(let root, let components): return try resolve(root: root, components: components)
        case .call(let function, let arguments):
            var values: [JSONValue] = []
            for argument in arguments { values.append(try evaluate(argument)) }
            return try call(function, values)
        }
    }

    private func resolve(root: String, components: [TemplateExpression.PathComponent]) throws(TemplateError) -> JSONValue {
        var value: JSONValue
        var remaining = components[...]
        if let bound = scope.lookup(root) {
            value = bound
        } else if let generated = FakeData.generate(root: root, components: components) {
            return generated
        } else if root == "fake" {
            let rest = components.map { component -> String in
                switch component {
                case .member(let name): return "." + name
                case .index(let index): return "[\(index)]"
                }
            }.joined()
            throw TemplateError.unknownGenerator("fake" + rest)
        } else {
            throw TemplateError.undefinedVariable(root)
        }
        var path = root
        while let component = remaining.popFirst() {
            switch (component, value) {
            case (.member(let name), .object(let members)):
                path += ".\(name)"
                guard let member = members[name] else { throw TemplateError.missingMember(path: path) }
                value = member
            case (.index(let index), .array(let elements)):
                path += "[\(index)]"
                let resolved = index < 0 ? elements.count + index : index
                guard resolved >= 0, resolved < elements.count else { throw TemplateError.missingMember(path: path) }
                value = elements[resolved]
            case (.member(let name), _):
                throw TemplateError.missingMember(path: path + ".\(name)")
            case (.index(let index), _):
                throw TemplateError.missingMember(path: path + "[\(index)]")
            }
        }
        return value
    }

    private func call(_ function: TemplateFunction, _ arguments: [JSONValue]) throws(TemplateError) -> JSONValue {
        switch function {
        case .uuid:
            return .string(UUID().uuidString.lowercased())
        case .now:
            return .string(RelativeDate.rfc3339(Date()))
        case .json:
            return .string(arguments[0].compactJSON)
        case .urlencode:
            return .string(PercentEncoding.component(arguments[0].interpolationText))
        case .hmacSHA256:
            let key = SymmetricKey(data: Data(arguments[0].interpolationText.utf8))
            let mac = HMAC<SHA256>.authenticationCode(for: Data(arguments[1].interpolationText.utf8), using: key)
            return .string(
                Data(mac).map { byte in
                    let hex = String(byte, radix: 16)
                    return byte < 16 ? "0" + hex : hex
                }.joined())
        case .date:
            guard case .string(let offsetText) = arguments[0] else {
                throw TemplateError.invalidArgument(function: "date", message: "offset must be a string like \"+1d\"")
            }
            var zoneName = "UTC"
            if arguments.count == 2 {
                guard case .string(let name) = arguments[1] else {
                    throw TemplateError.invalidArgument(function: "date", message: "time zone must be a string like \"Asia/Kolkata\"")
                }
                zoneName = name
            }
            guard let zone = TimeZone(identifier: zoneName) else {
                throw TemplateError.invalidArgument(function: "date", message: "unknown time zone '\(zoneName)'")
            }
            let offset: RelativeDate.Offset
            do {
                offset = try RelativeDate.Offset(parsing: offsetText, allowedUnits: ["d", "w"])
            } catch {
                throw TemplateError.invalidArgument(function: "date", message: error.message)
            }
            return .string(RelativeDate.calendarDate(offset: offset, from: Date(), in: zone))
        case .datetime:
            guard case .string(let offsetText) = arguments[0] else {
                throw TemplateError.invalidArgument(function: "datetime", message: "offset must be a string like \"+2h\"")
            }
            do {
                let offset = try RelativeDate.Offset(parsing: offsetText, allowedUnits: ["s", "m", "h", "d"])
                return .string(RelativeDate.rfc3339(Date().addingTimeInterval(offset.seconds)))
            } catch {
                throw TemplateError.invalidArgument(function: "datetime", message: error.message)
            }
        }
    }
}
