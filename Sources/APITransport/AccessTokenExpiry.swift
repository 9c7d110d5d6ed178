import Foundation

/// When an access token expires, so that a client can refresh it shortly before instead of after a 401.
public enum AccessTokenExpiry {
    /// The `exp` claim of a JWT (RFC 7519 §4.1.4), read without verifying: the server verifies, the client only
    /// plans. `nil` when the token is not a JWT or has no numeric `exp`.
    public static func of(_ token: String) -> Date? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        struct Claims: Decodable { var exp: Double? }
        guard let data = Data(base64Encoded: base64), let claims = try? JSONDecoder().decode(Claims.self, from: data), let exp = claims.exp
        else { return nil }
        return Date(timeIntervalSince1970: exp)
    }
}
