import FlowCore
import Yams

/// Parses a coverage thresholds file:
/// ```yaml
/// # minimum line coverage in percent, per module of Sources/ and for the total
/// total: 80
/// modules:
///   BookingCore: 90
///   FlowRuntime: 80
/// exclude:          # reported, not gated, not counted in the total
///   - illajwala-api
/// ```
/// Every key is optional. Thresholds are numbers from 0 to 100 (integers or decimals, no `%` sign).
public enum CoverageThresholdsParser {
    /// Parses thresholds YAML text.
    /// - Parameter file: the path used in diagnostics.
    /// - Returns: the thresholds.
    /// - Throws: ``FlowLoadError`` listing every problem as `FILE:LINE:COL: message` (syntax errors, unknown keys,
    ///   values that are not numbers, numbers outside 0–100, a module both excluded and given a threshold), in file order.
    public static func parse(_ text: String, file: String) throws(FlowLoadError) -> CoverageThresholds {
        var reader = YAMLDocumentReader(file: file)
        var thresholds = CoverageThresholds()
        if let root = reader.compose(text),
            let entries = reader.entries(root, of: "thresholds file", allowed: ["total", "modules", "exclude"])
        {
            if let total = entries["total"] {
                thresholds.total = percent(total.value, of: "'total'", reader: &reader)
            }
            if let modules = entries["modules"]?.value, !isNull(modules), let pairs = reader.pairs(modules, of: "'modules'") {
                for pair in pairs {
                    if let value = percent(pair.value, of: "threshold of module '\(pair.key)'", reader: &reader) {
                        thresholds.modules[pair.key] = value
                    }
                }
            }
            if let exclude = entries["exclude"]?.value, !isNull(exclude) {
                if case .sequence(let sequence) = exclude {
                    for element in sequence {
                        guard let name = reader.string(element, of: "a module name in 'exclude'") else { continue }
                        if thresholds.modules[name] != nil {
                            reader.report(element, "module '\(name)' is excluded and also has a threshold under 'modules'; keep one")
                        }
                        thresholds.excluded.insert(name)
                    }
                } else {
                    reader.report(exclude, "'exclude' must be a list of module names, found \(YAMLDocumentReader.kindName(exclude))")
                }
            }
        }
        guard reader.diagnostics.isEmpty else {
            // In file order: unknown keys are found before the values of the known ones.
            let ordered = reader.diagnostics.enumerated().sorted { left, right in
                let (l, r) = (left.element.location, right.element.location)
                return (l.line, l.column, left.offset) < (r.line, r.column, right.offset)
            }
            throw FlowLoadError(diagnostics: ordered.map(\.element))
        }
        return thresholds
    }

    /// A number from 0 to 100, or `nil` after reporting why not.
    private static func percent(_ node: Node, of what: String, reader: inout YAMLDocumentReader) -> Double? {
        let tag = YAMLDocumentReader.tagName(node)
        guard case .scalar(let scalar) = node, tag == .int || tag == .float,
            let value = node.float ?? node.int.map(Double.init)
        else {
            reader.report(node, "\(what) must be a number from 0 to 100, found \(YAMLDocumentReader.kindName(node))")
            return nil
        }
        guard value >= 0, value <= 100 else {
            reader.report(node, "\(what) must be from 0 to 100, found \(scalar.string)")
            return nil
        }
        return value
    }

    private static func isNull(_ node: Node) -> Bool {
        YAMLDocumentReader.tagName(node) == .null
    }
}
