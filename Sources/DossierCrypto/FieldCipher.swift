import COpenSSL

/// Encrypts and decrypts sensitive column values with AES-256-GCM, and computes their blind index.
///
/// A sealed value is `version (1 byte) ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The column's name is
/// bound in as additional data, so a value copied into another column does not decrypt.
///
/// Each instance keeps reusable OpenSSL contexts, which makes bulk work fast; it is therefore not
/// shareable between tasks. Make one per task (cheap) from the `Sendable` `FieldKeys`.
public final class FieldCipher {
    private static let version: UInt8 = 1
    private static let nonceLength = 12
    private static let tagLength = 16
    /// Bytes of HMAC-SHA-256 kept for the blind index: 128 bits is ample for uniqueness.
    public static let indexLength = 16

    private let encryptContext: OpaquePointer
    private let decryptContext: OpaquePointer
    /// Made on first use: reads that only decrypt never need it, and fetching the HMAC is most
    /// of the cost of a new cipher.
    private var macTemplate: OpaquePointer?
    private let indexKey: [UInt8]
    /// Random bytes fetched in bulk: one generator call per 341 nonces instead of one each.
    private var randomPool: [UInt8] = []
    private var randomUsed = 0

    /// Prepares contexts for the given keys.
    public init(keys: FieldKeys) throws(CryptoError) {
        guard let enc = EVP_CIPHER_CTX_new(), let dec = EVP_CIPHER_CTX_new() else {
            throw .openSSL("allocating a cipher context")
        }
        let ok = keys.encryptionKey.withUnsafeBufferPointer { key in
            EVP_EncryptInit_ex(enc, EVP_aes_256_gcm(), nil, key.baseAddress, nil) == 1
                && EVP_DecryptInit_ex(dec, EVP_aes_256_gcm(), nil, key.baseAddress, nil) == 1
        }
        guard ok else {
            EVP_CIPHER_CTX_free(enc)
            EVP_CIPHER_CTX_free(dec)
            throw .openSSL("setting up field encryption")
        }
        encryptContext = enc
        decryptContext = dec
        indexKey = keys.indexKey
    }

    deinit {
        EVP_CIPHER_CTX_free(encryptContext)
        EVP_CIPHER_CTX_free(decryptContext)
        if let macTemplate { EVP_MAC_CTX_free(macTemplate) }
    }

    /// Encrypts `plaintext` for the column named `context` (e.g. "person.id_number").
    public func seal(_ plaintext: some Collection<UInt8>, context: StaticString) throws(CryptoError) -> [UInt8] {
        if randomUsed + Self.nonceLength > randomPool.count {
            randomPool = SecureRandom.bytes(4092)
            randomUsed = 0
        }
        let nonce = randomPool[randomUsed..<(randomUsed + Self.nonceLength)]
        randomUsed += Self.nonceLength
        let input = Array(plaintext)
        var out = [UInt8](repeating: 0, count: 1 + Self.nonceLength + input.count + Self.tagLength)
        out[0] = Self.version
        out.replaceSubrange(1...Self.nonceLength, with: nonce)
        let ctx = encryptContext
        let ok = out.withUnsafeMutableBufferPointer { buffer -> Bool in
            let base = buffer.baseAddress!
            var length: Int32 = 0
            guard EVP_EncryptInit_ex(ctx, nil, nil, nil, base + 1) == 1 else { return false }
            guard EVP_EncryptUpdate(ctx, nil, &length, context.utf8Start, Int32(context.utf8CodeUnitCount)) == 1
            else { return false }
            let body = base + 1 + Self.nonceLength
            let updated = input.withUnsafeBufferPointer {
                EVP_EncryptUpdate(ctx, body, &length, $0.baseAddress, Int32($0.count)) == 1
            }
            guard updated else { return false }
            var finalLength: Int32 = 0
            guard EVP_EncryptFinal_ex(ctx, body + Int(length), &finalLength) == 1 else { return false }
            let tag = body + input.count
            return EVP_CIPHER_CTX_ctrl(ctx, COpenSSL_EVP_CTRL_GCM_GET_TAG(), Int32(Self.tagLength), tag) == 1
        }
        guard ok else { throw .openSSL("encrypting a field") }
        return out
    }

    /// Decrypts a value sealed by `seal` for the same column.
    public func open(_ sealed: [UInt8], context: StaticString) throws(CryptoError) -> [UInt8] {
        let bodyLength = sealed.count - 1 - Self.nonceLength - Self.tagLength
        guard bodyLength >= 0, sealed[0] == Self.version else { throw .malformedCiphertext }
        var out = [UInt8](repeating: 0, count: max(bodyLength, 1))
        let ctx = decryptContext
        let ok = sealed.withUnsafeBufferPointer { input -> Bool in
            let base = input.baseAddress!
            var length: Int32 = 0
            guard EVP_DecryptInit_ex(ctx, nil, nil, nil, base + 1) == 1 else { return false }
            guard EVP_DecryptUpdate(ctx, nil, &length, context.utf8Start, Int32(context.utf8CodeUnitCount)) == 1
            else { return false }
            let body = base + 1 + Self.nonceLength
            let updated = out.withUnsafeMutableBufferPointer {
                EVP_DecryptUpdate(ctx, $0.baseAddress, &length, body, Int32(bodyLength)) == 1
            }
            guard updated else { return false }
            let tag = UnsafeMutableRawPointer(mutating: body + bodyLength)
            guard EVP_CIPHER_CTX_ctrl(ctx, COpenSSL_EVP_CTRL_GCM_SET_TAG(), Int32(Self.tagLength), tag) == 1
            else { return false }
            var finalLength: Int32 = 0
            return out.withUnsafeMutableBufferPointer {
                EVP_DecryptFinal_ex(ctx, $0.baseAddress! + Int(length), &finalLength) == 1
            }
        }
        guard ok else { throw .authenticationFailed }
        return Array(out.prefix(bodyLength))
    }

    /// The keyed blind index of a value: the first `indexLength` bytes of HMAC-SHA-256 over
    /// `context ‖ 0x00 ‖ value`. Equal values in the same context give equal indexes; without the
    /// key the index reveals nothing and cannot be brute-forced offline.
    public func blindIndex(_ value: some Collection<UInt8>, context: StaticString) throws(CryptoError) -> [UInt8] {
        if macTemplate == nil {
            macTemplate = indexKey.withUnsafeBufferPointer {
                COpenSSL_hmac_ctx_new("SHA256", $0.baseAddress, $0.count)
            }
        }
        guard let macTemplate, let mac = EVP_MAC_CTX_dup(macTemplate) else {
            throw .openSSL("computing a blind index")
        }
        defer { EVP_MAC_CTX_free(mac) }
        var separator: UInt8 = 0
        let input = Array(value)
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        let ok =
            EVP_MAC_update(mac, context.utf8Start, context.utf8CodeUnitCount) == 1
            && EVP_MAC_update(mac, &separator, 1) == 1
            && input.withUnsafeBufferPointer { EVP_MAC_update(mac, $0.baseAddress, $0.count) } == 1
            && out.withUnsafeMutableBufferPointer { EVP_MAC_final(mac, $0.baseAddress, &length, 32) } == 1
        guard ok, length == 32 else { throw .openSSL("computing a blind index") }
        return Array(out.prefix(Self.indexLength))
    }

    /// HMAC-SHA-256 of `message` under the index key, in full (used for tests against published vectors).
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let ctx = key.withUnsafeBufferPointer { COpenSSL_hmac_ctx_new("SHA256", $0.baseAddress, $0.count) }!
        defer { EVP_MAC_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        _ = message.withUnsafeBufferPointer { EVP_MAC_update(ctx, $0.baseAddress, $0.count) }
        _ = out.withUnsafeMutableBufferPointer { EVP_MAC_final(ctx, $0.baseAddress, &length, 32) }
        return out
    }
}
