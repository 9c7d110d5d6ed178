/// Waitlist figures over the entries created in a date range (API.md "Waitlists",
/// `GET /api/waitlists/analytics`).
public struct WaitlistAnalytics: Codable, Sendable, Equatable {
    /// Entries per status.
    public struct Totals: Codable, Sendable, Equatable {
        public var active: Int
        public var invited: Int
        public var promoted: Int
        public var cancelled: Int
        public var expired: Int

        /// Reads the count of each status from `counts` (absent statuses count 0).
        public init(_ counts: [WaitlistStatus: Int]) {
            active = counts[.active] ?? 0
            invited = counts[.invited] ?? 0
            promoted = counts[.promoted] ?? 0
            cancelled = counts[.cancelled] ?? 0
            expired = counts[.expired] ?? 0
        }

        /// All entries counted.
        public var all: Int { active + invited + promoted + cancelled + expired }
    }

    public var totals: Totals
    /// `promoted / all`, 4 decimals, 0 without entries.
    public var promotionRate: Double
    /// `expired / all`, 4 decimals, 0 without entries.
    public var expiryRate: Double
    /// `cancelled / all`, 4 decimals, 0 without entries.
    public var cancellationRate: Double
    /// Mean hours from joining to promotion over the promoted entries, 4 decimals; `nil` when none was promoted.
    public var averageHoursToPromotion: Double?
    /// Open (active or invited) entries now, regardless of the date range.
    public var currentQueueSize: Int

    /// - Parameters:
    ///   - counts: entries per status created in the range.
    ///   - promotionMilliseconds: the summed time from joining to promotion of the promoted entries, in ms.
    ///   - currentQueueSize: open entries now.
    public init(counts: [WaitlistStatus: Int], promotionMilliseconds: Int64, currentQueueSize: Int) {
        let totals = Totals(counts)
        self.totals = totals
        promotionRate = Ratio.of(totals.promoted, totals.all)
        expiryRate = Ratio.of(totals.expired, totals.all)
        cancellationRate = Ratio.of(totals.cancelled, totals.all)
        averageHoursToPromotion =
            totals.promoted == 0
            ? nil : Ratio.rounded(Double(promotionMilliseconds) / 3_600_000 / Double(totals.promoted))
        self.currentQueueSize = currentQueueSize
    }

    enum CodingKeys: String, CodingKey {
        case totals, promotionRate, expiryRate, cancellationRate, averageHoursToPromotion, currentQueueSize
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(totals, forKey: .totals)
        try container.encode(promotionRate, forKey: .promotionRate)
        try container.encode(expiryRate, forKey: .expiryRate)
        try container.encode(cancellationRate, forKey: .cancellationRate)
        try container.encode(averageHoursToPromotion, forKey: .averageHoursToPromotion)
        try container.encode(currentQueueSize, forKey: .currentQueueSize)
    }
}
