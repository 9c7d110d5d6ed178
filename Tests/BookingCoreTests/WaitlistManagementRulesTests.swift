import BookingCore
import Foundation
import Testing

@Suite("Waitlist management rules and analytics arithmetic")
struct WaitlistManagementRulesTests {
    @Test("only open entries move by hand; invited only from active; never back to active or to promoted")
    func manualChanges() {
        #expect(WaitlistStatus.active.allowsManualChange(to: .invited))
        #expect(WaitlistStatus.active.allowsManualChange(to: .cancelled))
        #expect(WaitlistStatus.active.allowsManualChange(to: .expired))
        #expect(!WaitlistStatus.invited.allowsManualChange(to: .invited))
        #expect(WaitlistStatus.invited.allowsManualChange(to: .cancelled))
        #expect(WaitlistStatus.invited.allowsManualChange(to: .expired))
        #expect(!WaitlistStatus.active.allowsManualChange(to: .promoted))
        #expect(!WaitlistStatus.invited.allowsManualChange(to: .active))
        for closed in [WaitlistStatus.promoted, .cancelled, .expired] {
            for next in WaitlistStatus.allCases { #expect(!closed.allowsManualChange(to: next)) }
        }
    }

    @Test("rates are rounded to 4 decimals and 0 without a population; average hours is nil without promotions")
    func analytics() {
        #expect(Ratio.of(1, 3) == 0.3333)
        #expect(Ratio.of(2, 3) == 0.6667)
        #expect(Ratio.of(5, 0) == 0)
        let empty = WaitlistAnalytics(counts: [:], promotionMilliseconds: 0, currentQueueSize: 0)
        #expect(empty.promotionRate == 0)
        #expect(empty.averageHoursToPromotion == nil)
        let figures = WaitlistAnalytics(
            counts: [.active: 3, .promoted: 2, .cancelled: 1, .expired: 2], promotionMilliseconds: 9 * 3_600_000, currentQueueSize: 3)
        #expect(figures.totals.all == 8)
        #expect(figures.promotionRate == 0.25)
        #expect(figures.expiryRate == 0.25)
        #expect(figures.cancellationRate == 0.125)
        #expect(figures.averageHoursToPromotion == 4.5)
    }

    @Test("a day in a DST zone is 23 or 25 hours; a zone whose midnight is skipped starts at the first instant")
    func dayWindow() throws {
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let springForward = DayWindow(containing: Date(timeIntervalSince1970: 1_772_971_200), in: newYork)  // 2026-03-08 12:00Z
        #expect(springForward.end.timeIntervalSince(springForward.start) == 23 * 3600)
        let fallBack = DayWindow(containing: Date(timeIntervalSince1970: 1_793_534_400), in: newYork)  // 2026-11-01 12:00Z
        #expect(fallBack.end.timeIntervalSince(fallBack.start) == 25 * 3600)
        let kolkata = DayWindow(containing: Date(timeIntervalSince1970: 1_795_982_400), in: try #require(TimeZone(identifier: "Asia/Kolkata")))
        #expect(kolkata.start == Date(timeIntervalSince1970: 1_795_977_000), "2026-11-29 20:00Z is 30 Nov in Kolkata, from 29 Nov 18:30Z")
        #expect(kolkata.end.timeIntervalSince(kolkata.start) == 86_400)
        let santiago = try #require(TimeZone(identifier: "America/Santiago"))
        let skipped = DayWindow(containing: Date(timeIntervalSince1970: 1_788_696_000), in: santiago)  // 2026-09-06 12:00Z
        #expect(skipped.start == Date(timeIntervalSince1970: 1_788_667_200), "midnight is skipped: the day starts at 01:00 -03")
        #expect(skipped.end.timeIntervalSince(skipped.start) == 23 * 3600)
    }
}
