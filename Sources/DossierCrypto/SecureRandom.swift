import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's default generator.
public enum SecureRandom {
    /// Returns `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBytes { RAND_bytes($0.baseAddress, Int32(count)) }
        // A failing system random generator leaves nothing safe to do.
        precondition(ok == 1, "OpenSSL RAND_bytes failed")
        return out
    }
}
