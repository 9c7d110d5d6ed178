import Foundation

/// Finds a key that appears twice in one JSON object, by scanning the bytes once.
///
/// JSON parsers disagree about duplicates (Foundation's `JSONSerialization` keeps the last, a streaming reader may
/// act on the first), so a body like `{"email":"victim","email":"decoy"}` can mean one thing to a security check and
/// another to the handler — the rate limiter would count the decoy while the route logs in the victim. RFC 8259
/// §4 says names SHOULD be unique; the API refuses bodies where they are not (400 VALIDATION_ERROR). Keys are
/// compared after unescaping (`"e\u006dail"` is `"email"`).
public enum JSONDuplicateKeys {
    /// The first duplicated key as a dotted path (`preferredWindow.start`), or `nil`. Malformed JSON is not judged
    /// here (the parser reports it).
    public static func firstDuplicate(in data: Data) -> String? {
        // One frame per open container: its keys so far (objects only) and the key that opened it.
        struct Frame {
            var keys: Set<String>?
            var name: String
        }
        var stack: [Frame] = []
        var index = data.startIndex
        var expectingKey = false
        var lastKey = ""
        while index < data.endIndex {
            let byte = data[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(Frame(keys: [], name: lastKey))
                lastKey = ""
                expectingKey = true
            case UInt8(ascii: "["):
                stack.append(Frame(keys: nil, name: lastKey))
                lastKey = ""
                expectingKey = false
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                lastKey = ""
                expectingKey = false
            case UInt8(ascii: ","):
                expectingKey = stack.last?.keys != nil
            case UInt8(ascii: "\""):
                guard let end = endOfString(in: data, from: index) else { return nil }
                if expectingKey, stack.last?.keys != nil {
                    let raw = data[index...end]
                    guard let key = try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed]) as? String
                    else { return nil }
                    let path = (stack.map(\.name).filter { !$0.isEmpty } + [key]).joined(separator: ".")
                    if stack[stack.count - 1].keys!.insert(key).inserted == false { return path }
                    lastKey = key
                    expectingKey = false
                }
                index = end
            default:
                break
            }
            index += 1
        }
        return nil
    }

    /// Index of the closing quote of the string starting at `start`, or `nil` when it never closes.
    private static func endOfString(in data: Data, from start: Data.Index) -> Data.Index? {
        var index = start + 1
        while index < data.endIndex {
            switch data[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index
            default: index += 1
            }
        }
        return nil
    }
}
