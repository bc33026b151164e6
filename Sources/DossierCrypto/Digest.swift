import COpenSSL

/// Hash algorithms Dossier uses: SHA-256 everywhere, and SM3 (GB/T 32905) beside it for archives.
public enum DigestAlgorithm: String, Sendable, CaseIterable {
    case sha256
    case sm3

    var openSSLName: String {
        switch self {
        case .sha256: return "SHA256"
        case .sm3: return "SM3"
        }
    }
}

/// An incremental hash: feed bytes with `update`, read the result with `finish`.
///
/// Not shareable between tasks; make one per stream.
public final class Hasher {
    private let context: OpaquePointer
    public let algorithm: DigestAlgorithm

    /// Starts a new hash.
    public init(_ algorithm: DigestAlgorithm) {
        self.algorithm = algorithm
        guard let ctx = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        let md = EVP_MD_fetch(nil, algorithm.openSSLName, nil)
        defer { EVP_MD_free(md) }
        guard md != nil, EVP_DigestInit_ex(ctx, md, nil) == 1 else {
            EVP_MD_CTX_free(ctx)
            fatalError("OpenSSL does not provide \(algorithm.rawValue)")
        }
        self.context = ctx
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Adds bytes to the hash.
    public func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBufferPointer { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
    }

    /// Adds the bytes in a raw buffer (the fast path for file streaming).
    public func update(_ buffer: UnsafeRawBufferPointer) {
        _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
    }

    /// Adds the UTF-8 bytes of a string.
    public func update(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
        }
    }

    /// Returns the digest. The hasher must not be used afterwards.
    public func finish() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return Array(out.prefix(Int(length)))
    }
}

/// One-shot hashing helpers.
public enum Digest {
    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] { hash(.sha256, bytes) }

    /// SM3 of `bytes`.
    public static func sm3(_ bytes: some Sequence<UInt8>) -> [UInt8] { hash(.sm3, bytes) }

    /// The digest of `bytes` with `algorithm`.
    public static func hash(_ algorithm: DigestAlgorithm, _ bytes: some Sequence<UInt8>) -> [UInt8] {
        let hasher = Hasher(algorithm)
        hasher.update(bytes)
        return hasher.finish()
    }
}

/// Lower-case hexadecimal, the form digests take in manifests and the audit log.
public enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Encodes bytes as lower-case hex.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); nil if the text is not hex of even length.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(chars.count / 2)
        var index = 0
        while index < chars.count {
            guard let high = value(chars[index]), let low = value(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func value(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return char - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
