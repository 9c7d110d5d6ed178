/// The variables a template can see, as layers searched from the most specific to the least:
/// step vars, captures, flow vars, target vars. A name in an earlier layer shadows later ones.
public struct TemplateScope: Sendable {
    /// Layers in lookup order (first match wins).
    public var layers: [[String: JSONValue]]

    /// - Parameter layers: variable layers, most specific first.
    public init(layers: [[String: JSONValue]] = []) {
        self.layers = layers
    }

    /// The value bound to `name` in the first layer that defines it.
    public func lookup(_ name: String) -> JSONValue? {
        for layer in layers {
            if let value = layer[name] { return value }
        }
        return nil
    }
}
