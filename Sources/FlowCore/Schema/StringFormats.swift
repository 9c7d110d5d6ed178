/// The `format` values the JSON Schema validator asserts, checked as their RFCs define them (the
/// JSON-Schema-Test-Suite's `optional/format` cases pass): `date-time` and `date` (RFC 3339 §5.6, leap seconds
/// only at 23:59:60 UTC), `uuid` (RFC 4122's 8-4-4-4-12 hex form) and `email` (RFC 5321 §4.1.2 mailbox: a dot-atom
/// or quoted local part; a host name or an address literal).
enum StringFormats {
    /// `YYYY-MM-DD` (RFC 3339 full-date) naming a real day.
    static func isDate(_ text: String) -> Bool { fullDate(Array(text.utf8)) != nil }

    /// RFC 3339 date-time: full-date `T` full-time (`T` and `Z` in either case), seconds 60 only when the time in UTC
    /// is 23:59:60.
    static func isDateTime(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"), fullDate(Array(bytes[0..<10])) != nil else {
            return false
        }
        let time = Array(bytes[11...])
        guard time.count >= 9, time[2] == UInt8(ascii: ":"), time[5] == UInt8(ascii: ":"),
            let hour = number(time[0..<2]), let minute = number(time[3..<5]), let second = number(time[6..<8]),
            hour <= 23, minute <= 59, second <= 60
        else { return false }
        var index = 8
        if time[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < time.count, isDigit(time[index]) { index += 1 }
            guard index > start else { return false }
        }
        guard index < time.count else { return false }
        var offsetMinutes = 0
        switch time[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == time.count else { return false }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let offset = time[(index + 1)...]
            guard offset.count == 5, offset[offset.startIndex + 2] == UInt8(ascii: ":"),
                let hours = number(offset.prefix(2)), let minutes = number(offset.suffix(2)), hours <= 23, minutes <= 59
            else { return false }
            offsetMinutes = (hours * 60 + minutes) * (time[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            return false
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// 8-4-4-4-12 hexadecimal digits.
    static func isUUID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                guard byte == UInt8(ascii: "-") else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    /// An RFC 5321 mailbox: `local@domain`, the local part a dot-atom (no leading, trailing or double dots) or a
    /// quoted string; the domain a host name of letter-digit-hyphen labels or an address literal (`[192.0.2.1]`,
    /// `[IPv6:…]`).
    static func isEmail(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@") else { return false }
        let local = text[..<at]
        let domain = text[text.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        let localOK: Bool
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            localOK = local.dropFirst().dropLast().unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 && $0 != "\"" && $0 != "\\" }
        } else {
            let atext = Set("!#$%&'*+-/=?^_`{|}~".unicodeScalars)
            localOK = local.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { atom in
                !atom.isEmpty && atom.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || atext.contains($0)) }
            }
        }
        guard localOK else { return false }
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            let literal = String(domain.dropFirst().dropLast())
            if literal.hasPrefix("IPv6:") { return isIPv6(String(literal.dropFirst(5))) }
            return isIPv4(literal)
        }
        return isHostname(String(domain))
    }

    static func isHostname(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            return (1...63).contains(bytes.count) && bytes.first != UInt8(ascii: "-") && bytes.last != UInt8(ascii: "-")
                && bytes.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "-") }
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy(isDigit) && (part.count == 1 || part.first != "0") && Int(part)! <= 255
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        var text = Substring(text)
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = text[...lastColon] + "0"
            groupsNeeded = 7
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ half: String) -> [Substring]? {
            guard !half.isEmpty else { return [] }
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            return parts.allSatisfy { (1...4).contains($0.count) && $0.utf8.allSatisfy(isHex) } ? parts : nil
        }
        guard let head = groups(halves[0]) else { return false }
        if halves.count == 2 {
            guard let tail = groups(halves[1]) else { return false }
            return head.count + tail.count < groupsNeeded
        }
        return head.count == groupsNeeded
    }

    private static func fullDate(_ bytes: [UInt8]) -> (Int, Int, Int)? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]), (1...12).contains(month), day >= 1
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days ? (year, month, day) : nil
    }

    private static func number(_ bytes: some Collection<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || ((byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "f")) }
}
