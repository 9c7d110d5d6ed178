import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16). IPv4-mapped IPv6 addresses
/// (`::ffff:192.0.2.1`) are the IPv4 address, so a proxy listed as `192.0.2.1` matches either form.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses dotted IPv4 or RFC 4291 IPv6 text (`inet_pton`); `nil` for anything else (host names, ports, zones).
    public init?(_ text: some StringProtocol) {
        let text = String(text).trimmingCharacters(in: .whitespaces)
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, text, &v6) == 1 {
            let all = withUnsafeBytes(of: &v6) { Array($0) }
            bytes = all[0..<10].allSatisfy { $0 == 0 } && all[10] == 0xFF && all[11] == 0xFF ? Array(all[12...]) : all
        } else {
            return nil
        }
    }

    public var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        var address = in6_addr()
        withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: bytes) }
        guard inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil else { return "::" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A CIDR block (`10.0.0.0/8`, `fd00::/8`) or a single address (`127.0.0.1` = `/32`, `::1` = `/128`).
public struct IPAddressRange: Sendable, Hashable, CustomStringConvertible {
    public let network: IPAddress
    /// Leading bits that must match.
    public let prefixLength: Int

    /// Parses `address` or `address/prefix`; `nil` when either part is malformed or the prefix is too long.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        // An IPv4-mapped IPv6 block (::ffff:a.b.c.d/n, 96 ≤ n ≤ 128) is the IPv4 block a.b.c.d/(n-96).
        let mapped = address.bytes.count == 4 && parts[0].contains(":")
        let bits = mapped ? 128 : address.bytes.count * 8
        if parts.count == 2 {
            guard parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), let prefix = Int(parts[1]),
                (mapped ? 96 : 0)...bits ~= prefix
            else { return nil }
            prefixLength = mapped ? prefix - 96 : prefix
        } else {
            prefixLength = address.bytes.count * 8
        }
        network = address
    }

    /// Whether `address` lies inside this block (an IPv4 address never lies inside an IPv6 block).
    public func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == network.bytes.count else { return false }
        var remaining = prefixLength
        for (lhs, rhs) in zip(address.bytes, network.bytes) where remaining > 0 {
            let bits = min(remaining, 8)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if lhs & mask != rhs & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(network)/\(prefixLength)" }
}
