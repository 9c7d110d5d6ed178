import FlowCore

/// What quarantine did to one flow's result: the entry that applied and the flow's real outcome.
public struct QuarantineNote: Sendable, Hashable {
    public var owner: String
    public var reason: String
    /// The entry's last day, `YYYY-MM-DD`.
    public var expires: String
    /// How the flow really ended (a quarantined failure is reported as skipped).
    public var outcome: FlowResult.Status

    public init(owner: String, reason: String, expires: String, outcome: FlowResult.Status) {
        self.owner = owner
        self.reason = reason
        self.expires = expires
        self.outcome = outcome
    }
}

extension QuarantineList {
    /// `results` with quarantine applied on `today` (`YYYY-MM-DD`, UTC): every flow an unexpired entry names carries a
    /// ``QuarantineNote``; one that failed or errored is reported as skipped with `quarantined: REASON (owner OWNER,
    /// until DATE); it failed: SUMMARY`, so it no longer fails the run. Expired entries do nothing.
    public func apply(to results: [FlowResult], today: String) -> [FlowResult] {
        results.map { result in
            guard let entry = entry(for: result.source, name: result.name), !Self.isExpired(entry, today: today) else { return result }
            var result = result
            result.quarantine = QuarantineNote(owner: entry.owner, reason: entry.reason, expires: entry.expires, outcome: result.status)
            guard result.status == .failed || result.status == .errored else { return result }
            let original = result.failure
            result.failure = FlowResult.Failure(
                step: original?.step ?? "",
                summary: "quarantined: \(entry.reason) (owner \(entry.owner), until \(entry.expires)); it \(result.status.rawValue)"
                    + (original.map { ": \($0.summary)" } ?? ""),
                details: original?.details ?? "", kind: original?.kind ?? .unknown)
            result.status = .skipped
            return result
        }
    }

    /// One line per entry past its expiry on `today`: `FILE:LINE: …`.
    public func expiredProblems(today: String) -> [String] {
        entries.filter { Self.isExpired($0, today: today) }.map { entry in
            "\(path):\(entry.line): the quarantine of '\(entry.name)' (\(entry.file), owner \(entry.owner)) expired on \(entry.expires): fix the flow and remove the entry, or give it a new date"
        }
    }
}
