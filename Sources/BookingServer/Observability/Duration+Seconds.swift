extension Duration {
    /// The duration in seconds as a `Double` (metrics record seconds; logs print milliseconds).
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
