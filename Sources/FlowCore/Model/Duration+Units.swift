extension Duration {
    /// The duration in seconds as a floating-point number — for the reports and messages that print seconds.
    public var inSeconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }

    /// The duration in milliseconds as a floating-point number — for the reports that print milliseconds.
    public var inMilliseconds: Double { inSeconds * 1000 }

    /// A duration of `seconds` (a measured or configured floating-point value), rounded to the nanosecond.
    public static func fractionalSeconds(_ seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded()))
    }
}
