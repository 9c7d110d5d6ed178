import Foundation

/// Decides which address a request comes from, for rate limiting and logs (API.md "Security envelope").
///
/// The client is the socket peer. Only when the peer is one of the configured trusted proxies is
/// `X-Forwarded-For` read, from the right: each trusted hop is skipped and the first untrusted one is the
/// client (entries to its left were written by the client and may be forged). When every hop is trusted the
/// left-most is the client; an unparsable hop stops the walk at the last trusted hop. So a client that is not
/// a trusted proxy cannot move itself to another address by sending the header.
public struct ClientAddressResolver: Sendable {
    /// Proxies whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`).
    public let trustedProxies: [IPAddressRange]

    public init(trustedProxies: [IPAddressRange]) {
        self.trustedProxies = trustedProxies
    }

    /// Parses a comma-separated list of addresses and CIDR blocks; `nil` names the first bad entry.
    public static func parseList(_ text: String) -> Result<[IPAddressRange], InvalidEntry> {
        var ranges: [IPAddressRange] = []
        for entry in text.split(separator: ",") {
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard let range = IPAddressRange(trimmed) else { return .failure(InvalidEntry(text: trimmed)) }
            ranges.append(range)
        }
        return .success(ranges)
    }

    /// An entry of a proxy list that is neither an address nor a CIDR block.
    public struct InvalidEntry: Error, Sendable {
        public var text: String
    }

    func isTrusted(_ address: IPAddress) -> Bool {
        trustedProxies.contains { $0.contains(address) }
    }

    /// The client's address as text.
    /// - Parameters:
    ///   - peer: the socket peer's address text (`nil` for a Unix socket or a test without a socket).
    ///   - forwardedFor: every `X-Forwarded-For` field value, in order.
    /// - Returns: the client address; `"unknown"` when there is no peer address.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String {
        guard let peer, let peerAddress = IPAddress(peer) else { return peer ?? "unknown" }
        guard isTrusted(peerAddress), !forwardedFor.isEmpty else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        var client = peerAddress
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { return client.description }
            client = address
            if !isTrusted(address) { return address.description }
        }
        return client.description
    }
}
